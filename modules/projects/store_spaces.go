package projects

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
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

// viewersQuery selects (one column, m.user_id) the active people of the account who see
// project projectID — the rule of whereProject seen from the project: owners and admins
// always; managers and members when the project is open or lists them; its clients (listed
// as such, guests allowed) only when withClients. A trashed or template project has none.
func (store) viewersQuery(tn db.Tenant, projectID int64, withClients bool) *bun.SelectQuery {
	listed := "EXISTS (SELECT 1 FROM project_members AS pm WHERE pm.account_id = m.account_id AND pm.project_id = p.id AND pm.user_id = m.user_id"
	clients := "FALSE"
	args := []any{actor.RoleOwner, actor.RoleAdmin, actor.RoleManager, actor.RoleMember, AccessOpen}
	if withClients {
		clients = "(m.role NOT IN (?, ?, ?, ?) AND p.guests_allowed = ? AND " + listed + " AND pm.role = ?))"
		args = append(args, actor.RoleOwner, actor.RoleAdmin, actor.RoleManager, actor.RoleMember, true, RoleClient)
	}
	return tn.SelectFrom("memberships", "m").Column("m.user_id").
		Join("JOIN projects AS p ON p.account_id = m.account_id AND p.id = ?", projectID).
		Where("m.status = 'active' AND m.deactivated_at IS NULL").
		Where("p.state <> ? AND p.is_template = ?", StateTrash, false).
		Where("(m.role IN (?, ?) OR (m.role IN (?, ?) AND (p.access = ? OR "+listed+"))) OR "+clients+")", args...)
}
