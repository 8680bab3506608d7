package contract

import (
	"context"

	"groupcamp/core/actor"
)

// TimeTargetsPort is the name of the TimeTargets port, which projects provides for the module
// that keeps time (timesheet): where a person may log time, and the names it shows.
const TimeTargetsPort = "projects.time_targets"

// Refusals of TimeTargets.Check: why time may not be logged on a project or task.
const (
	RefusedProject  = "project"  // no such project, or one the person does not see
	RefusedArchived = "archived" // the project is archived, trashed or a template
	RefusedTask     = "task"     // no such task in use in that project, or one the person does not see
)

// TimeTarget is a project (and optionally a task) time may be logged on.
type TimeTarget struct {
	ProjectID   int64  `json:"project_id"`
	ProjectName string `json:"project_name"`
	TaskID      int64  `json:"task_id,omitempty"`
	TaskTitle   string `json:"task_title,omitempty"`
	// LeaderID is the project's leader (0 for none): a manager of the time logged there.
	LeaderID int64 `json:"leader_id,omitempty"`
	// Refusal is "" when the person may log time there, else one of the Refused* values.
	Refusal string `json:"refusal,omitempty"`
}

// TimeNames are the names of projects and tasks by id, and each project's leader (0 for none).
type TimeNames struct {
	Projects map[int64]string
	Tasks    map[int64]string
	Leaders  map[int64]int64
}

// TimeTargets answers the timesheet about projects without it importing projects. The actor
// is the person whose time it is (their role, company and account decide what they see).
type TimeTargets interface {
	// Check says whether the person may log time on the project and, when taskID is not 0, on
	// that task of it: the project must be one they see, active and no template; the task in
	// use, of that project, and one they see.
	Check(ctx context.Context, person *actor.Actor, projectID, taskID int64) (TimeTarget, error)
	// Targets lists, for the weekly grid, the active projects the person sees (TaskID 0) and
	// the open tasks assigned to them in those projects, by project name then task title, at
	// most limit rows.
	Targets(ctx context.Context, person *actor.Actor, limit int) ([]TimeTarget, error)
	// Names are the names of the account's projects and tasks of the given ids, whatever their
	// state (time logged stays named when its project is archived), and the projects' leaders.
	Names(ctx context.Context, accountID int64, projectIDs, taskIDs []int64) (TimeNames, error)
}

// TimeFacts are what the timesheet's reports need of projects: each project's client company
// and its tasks' estimates (the sum of their assignees' estimates, tasks in the trash aside).
type TimeFacts struct {
	Projects map[int64]ProjectFacts
	// Tasks are the tasks of the projects asked, by id.
	Tasks map[int64]TaskFacts
}

// ProjectFacts are a project's name, leader, client company (0 and "" for none) and the sum of
// its tasks' estimates in minutes.
type ProjectFacts struct {
	Name            string
	LeaderID        int64
	CompanyID       int64
	CompanyName     string
	EstimateMinutes int64
}

// TaskFacts are a task's project, title and estimate in minutes.
type TaskFacts struct {
	ProjectID       int64
	Title           string
	EstimateMinutes int64
}

// TimeReports is the part of the read port the timesheet's reports and invoicing use. It is
// a second interface, so that TimeTargets stays what entering time needs.
type TimeReports interface {
	// Facts describes the account's projects of the given ids, whatever their state.
	Facts(ctx context.Context, accountID int64, projectIDs []int64) (TimeFacts, error)
	// CompanyProjects are the ids of the account's projects of a client company.
	CompanyProjects(ctx context.Context, accountID, companyID int64) ([]int64, error)
}

// TimeReportsPort is the name of the TimeReports port, which projects provides.
const TimeReportsPort = "projects.time_reports"
