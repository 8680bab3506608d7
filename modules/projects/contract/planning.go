package contract

import "context"

// PlanningProjectsPort is the name of the PlanningProjects port, which projects provides for
// resource planning: the names and clients of the projects it books people on, and the task
// assignments with dates it shows as allocations.
const PlanningProjectsPort = "projects.planning"

// PlanningProject is a project as the planning shows it.
type PlanningProject struct {
	ID          int64
	Name        string
	CompanyID   int64
	CompanyName string
	// Active is false for an archived, trashed or template project (no new bookings).
	Active bool
}

// TaskAssignment is a person assigned to a task with dates (starts_on, else due_on, to due_on,
// else starts_on); days are "YYYY-MM-DD".
type TaskAssignment struct {
	TaskID          int64
	ProjectID       int64
	Title           string
	UserID          int64
	StartsOn        string
	DueOn           string
	EstimateMinutes int64
}

// PlanningProjects answers resource planning about projects without it importing projects.
// Visibility for a person is ProjectsSeen's.
type PlanningProjects interface {
	// Projects describes the account's projects of the given ids (absent: no such project).
	Projects(ctx context.Context, accountID int64, ids []int64) (map[int64]PlanningProject, error)
	// TaskProject is the project of a task of the account in use (not in the trash); 0 when
	// there is none.
	TaskProject(ctx context.Context, accountID, taskID int64) (int64, error)
	// TaskAssignments are the open tasks' assignments with dates that meet [from, to], of
	// active projects, at most limit; of the people users only, unless users is nil (a
	// planner checking one person's weeks reads that person's tasks, not the account's).
	TaskAssignments(ctx context.Context, accountID int64, from, to string, users []int64, limit int) ([]TaskAssignment, error)
}
