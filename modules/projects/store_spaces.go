package projects

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
)

// seenQuery selects the ids of the projects the scope sees (no trash, no template): the
// subquery of the hooks.ProjectAccess port (port_spaces.go), so that the asking module
// applies the projects' visibility inside its own query.
func (store) seenQuery(idb bun.IDB, sc scope) *bun.SelectQuery {
	return sc.whereProject(idb.NewSelect().TableExpr("projects AS p").Column("p.id")).
		Where("p.state <> ? AND p.is_template = ?", StateTrash, false)
}

// memberIDs are the people listed as members of the project (its clients only when
// withClients): the people of its intranet space, for mentions and followers.
func (store) memberIDs(ctx context.Context, tn db.Tenant, projectID int64, withClients bool) ([]int64, error) {
	var ids []int64
	q := tn.SelectFrom("project_members", "pm").Column("pm.user_id").Where("pm.project_id = ?", projectID)
	if !withClients {
		q = q.Where("pm.role <> ?", RoleClient)
	}
	return ids, q.OrderExpr("pm.user_id").Limit(5000).Scan(ctx, &ids)
}
