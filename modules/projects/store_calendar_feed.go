package projects

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
)

// tasksDue are the open tasks assigned to people in the active projects the scope's person
// sees, due in from..to, by due day then id, at most limit, with the project's name and the
// assignee's (a task assigned to two of the people comes twice).
func (store) tasksDue(ctx context.Context, tn db.Tenant, sc scope, people []int64, from, to Date, limit int) ([]feedTask, error) {
	var out []feedTask
	q := tn.Select((*Task)(nil)).ColumnExpr("t.id, ta.user_id, u.name AS user_name, t.project_id, t.title, t.due_on, p.name AS project_name").
		Join("JOIN task_assignees AS ta ON ta.account_id = t.account_id AND ta.task_id = t.id AND ta.user_id IN (?)", bun.List(people)).
		Join("JOIN users AS u ON u.id = ta.user_id").
		Join("JOIN projects AS p ON p.account_id = t.account_id AND p.id = t.project_id").
		Where("p.state = ? AND t.trashed_at IS NULL AND t.status <> ?", StateActive, StatusDone).
		Where("t.due_on >= ? AND t.due_on <= ?", from, to).
		OrderExpr("t.due_on, t.id").Limit(int64(limit))
	return out, sc.joinTaskLists(sc.whereProject(q)).Scan(ctx, &out)
}
