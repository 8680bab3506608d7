package timesheet

import (
	"context"

	"groupcamp/core/db"
	"groupcamp/modules/timesheet/contract"
)

// gcapiEntries is the read of the GroupCamp-compatible API's port (port_gcapi.go): the
// account's entries of q with their category, by id.
func (store) gcapiEntries(ctx context.Context, tn db.Tenant, q contract.TimeLogQuery) ([]contract.TimeLog, error) {
	out := []contract.TimeLog{}
	s := tn.SelectFrom("time_entries", "te").
		ColumnExpr("te.id, COALESCE(te.user_id, 0) AS user_id, COALESCE(te.project_id, 0) AS project_id, COALESCE(te.task_id, 0) AS task_id").
		ColumnExpr("COALESCE(te.category_id, 0) AS category_id, te.day, te.minutes, te.billable, te.note, te.created_at, te.updated_at").
		ColumnExpr("COALESCE(c.name, '') AS category_name, COALESCE(c.kind, '') AS category_kind").
		Join("LEFT JOIN time_categories AS c ON c.account_id = te.account_id AND c.id = te.category_id").
		Where("te.id > ? AND te.day >= ? AND te.day <= ?", q.After, q.From, q.To).OrderExpr("te.id").Limit(int64(q.Limit))
	if q.ProjectID != 0 {
		s = s.Where("te.project_id = ?", q.ProjectID)
	}
	return out, s.Scan(ctx, &out)
}
