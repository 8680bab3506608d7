package timesheet

import (
	"context"

	"groupcamp/core/db"
)

// categoryUsed reports whether any time (or a running timer) is logged on the category, or a
// budget line counts it.
func (store) categoryUsed(ctx context.Context, tn db.Tenant, id int64) (bool, error) {
	for _, q := range []struct{ table, alias string }{{"time_entries", "e"}, {"timesheet_timers", "tt"}, {"budget_lines", "bl"}} {
		used, err := tn.SelectFrom(q.table, q.alias).Where(q.alias+".category_id = ?", id).Exists(ctx)
		if err != nil || used {
			return used, err
		}
	}
	return false, nil
}
