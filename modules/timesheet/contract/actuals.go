package contract

import "context"

// ActualsPort is the name of the Actuals port, which timesheet provides for resource planning
// (plan vs actual) without it importing timesheet.
const ActualsPort = "timesheet.actuals"

// Actual is the time a person logged on a project on a day ("YYYY-MM-DD").
type Actual struct {
	UserID  int64
	Day     string
	Minutes int
}

// Actuals answers the time logged on a project, per person and day.
type Actuals interface {
	// Project is the time logged on the account's project from from to to (inclusive days),
	// summed per person and day, in order of person then day.
	Project(ctx context.Context, accountID, projectID int64, from, to string) ([]Actual, error)
}
