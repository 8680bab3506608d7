package timesheet

import (
	"context"

	"groupcamp/core/db"
)

// categoryUsed reports whether any time (or a running timer) is logged on the category.
func (store) categoryUsed(ctx context.Context, tn db.Tenant, id int64) (bool, error) {
	used, err := tn.SelectFrom("time_entries", "e").Where("e.category_id = ?", id).Exists(ctx)
	if err != nil || used {
		return used, err
	}
	return tn.SelectFrom("timesheet_timers", "tt").Where("tt.category_id = ?", id).Exists(ctx)
}
