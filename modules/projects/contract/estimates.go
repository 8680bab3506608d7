package contract

import "context"

// TaskEstimatesPort is the name of the TaskEstimates port, which projects provides for the
// module that keeps time: the estimates its logged time is measured against.
const TaskEstimatesPort = "projects.task_estimates"

// TaskEstimate is a task's project, title, days and estimate (the sum of its assignees' estimates,
// 0 for none), and its project's leader (0 for none).
type TaskEstimate struct {
	TaskID          int64
	ProjectID       int64
	ProjectName     string
	Title           string
	EstimateMinutes int
	LeaderID        int64
	// StartsOn and DueOn are the task's days ("YYYY-MM-DD", "" for none).
	StartsOn, DueOn string
}

// TaskEstimates answers the timesheet about tasks without it importing projects.
type TaskEstimates interface {
	// Estimates are the tasks of the account of the given ids (trashed ones left out), by id.
	Estimates(ctx context.Context, accountID int64, taskIDs []int64) (map[int64]TaskEstimate, error)
}
