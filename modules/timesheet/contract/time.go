package contract

import "context"

// TimeSpentPort is the name of the TimeSpent port, which timesheet provides for the modules
// that show the time logged on their objects (projects: the project overview, the task page
// and list) without importing timesheet.
const TimeSpentPort = "timesheet.time_spent"

// Spent is the time logged on a project: in all, billable, and in the month asked for.
type Spent struct {
	Minutes         int
	BillableMinutes int
	MonthMinutes    int
}

// TimeSpent answers how much time was logged, by account, for lists of ids (one query each).
// Whoever shows it decides who may read it: time is never shown to clients.
type TimeSpent interface {
	// Projects is the time on each project of the ids; month ("2026-12") is the month whose
	// time MonthMinutes counts. A project without time is absent.
	Projects(ctx context.Context, accountID int64, projectIDs []int64, month string) (map[int64]Spent, error)
	// Tasks is the minutes logged on each task of the ids; a task without time is absent.
	Tasks(ctx context.Context, accountID int64, taskIDs []int64) (map[int64]int, error)
}
