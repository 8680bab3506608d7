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
	out := []contract.Actual{}
	if accountID <= 0 {
		return out, nil
	}
	err := p.svc.tenant(accountID).SelectFrom("time_entries", "te").
		ColumnExpr("te.user_id, te.day, SUM(te.minutes) AS minutes").
		Where("te.project_id = ? AND te.day >= ? AND te.day <= ? AND te.user_id IS NOT NULL", projectID, from, to).
		GroupExpr("te.user_id, te.day").OrderExpr("te.user_id, te.day").Scan(ctx, &out)
	return out, err
}
