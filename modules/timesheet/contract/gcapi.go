package contract

import (
	"context"
	"time"

	"groupcamp/core/actor"
)

// TimeLogsPort is the name of the TimeLogs port, which timesheet provides for the
// GroupCamp-compatible API (modules/gcapi): time entries and project budgets.
const TimeLogsPort = "timesheet.gcapi_timelogs"

// TimeLog is a time entry with its category's name and kind.
type TimeLog struct {
	ID, UserID, ProjectID, TaskID, CategoryID int64
	Day                                       string
	Minutes                                   int
	Billable                                  bool
	Note                                      string
	CreatedAt, UpdatedAt                      time.Time
	CategoryName, CategoryKind                string // kind: administrative or project
}

// TimeLogQuery selects the account's entries from From to To (inclusive days), of one project
// when ProjectID is set, by id after After, at most Limit.
type TimeLogQuery struct {
	From, To  string
	ProjectID int64
	After     int64
	Limit     int
}

// BudgetView is a project's budget as its reader sees it.
type BudgetView struct {
	Currency         string
	StartsOn, EndsOn string // the earliest start and latest end of the lines ("" for none)
	Lines            []BudgetViewLine
	// Off-budget time: what was approved on categories or roles that have no line.
	SpentMinutes int
}

// BudgetViewLine is one line: kind total, role or category.
type BudgetViewLine struct {
	Kind             string
	Name             string
	Minutes          *int
	AmountMinor      *int64
	SpentMinutes     int
	SpentAmountMinor *int64
}

// TimeLogs is what the compatible API asks of timesheet.
type TimeLogs interface {
	// Entries are the account's entries of q, by id.
	Entries(ctx context.Context, accountID int64, q TimeLogQuery) ([]TimeLog, error)
	// Budget is the project's budget for a (404 when a may not read it).
	Budget(ctx context.Context, a *actor.Actor, projectID int64) (*BudgetView, error)
}
