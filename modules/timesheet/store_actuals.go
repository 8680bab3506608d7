package timesheet

import (
	"context"

	"groupcamp/core/db"
	"groupcamp/modules/timesheet/contract"
)

// projectActuals sums the time logged on a project per person and day (port_actuals.go).
func (store) projectActuals(ctx context.Context, tn db.Tenant, projectID int64, from, to string) ([]contract.Actual, error) {
	out := []contract.Actual{}
	err := tn.SelectFrom("time_entries", "te").
		ColumnExpr("te.user_id, te.day, SUM(te.minutes) AS minutes").
		Where("te.project_id = ? AND te.day >= ? AND te.day <= ? AND te.user_id IS NOT NULL", projectID, from, to).
		GroupExpr("te.user_id, te.day").OrderExpr("te.user_id, te.day").Scan(ctx, &out)
	return out, err
}
