package timesheet

import (
	"context"

	"groupcamp/core/db"
)

// weekMinutes is the time a person logged from one day to another (inclusive), but for the
// entry except (0: none).
func (store) rangeMinutes(ctx context.Context, tn db.Tenant, userID int64, from, to string, except int64) (int, error) {
	var n int
	err := tn.SelectFrom("time_entries", "e").ColumnExpr("COALESCE(SUM(e.minutes), 0)").
		Where("e.user_id = ? AND e.day >= ? AND e.day <= ? AND e.id <> ?", userID, from, to, except).Scan(ctx, &n)
	return n, err
}

// timeUnit is the account's unit of time ("hours" or "days").
func (store) timeUnit(ctx context.Context, tn db.Tenant) (string, error) {
	var u string
	err := tn.Unscoped().NewSelect().Table("accounts").Column("time_unit").Where("id = ?", tn.AccountID).Scan(ctx, &u)
	return u, err
}
