package timesheet

import (
	"context"

	"groupcamp/modules/timesheet/contract"
)

// actuals is the timesheet side of resource planning's plan-vs-actual port (contract.Actuals).
type actuals struct{ svc *Service }

var _ contract.Actuals = actuals{}

// Project sums the time logged on a project per person and day, in one query.
func (p actuals) Project(ctx context.Context, accountID, projectID int64, from, to string) ([]contract.Actual, error) {
	if accountID <= 0 {
		return []contract.Actual{}, nil
	}
	return p.svc.store.projectActuals(ctx, p.svc.tenant(accountID), projectID, from, to)
}
