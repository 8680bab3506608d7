package projects

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/modules/projects/contract"
)

// The query of the extranet's port (port_extranet.go).

// extranetProjects lists the projects (no trash, no template) whose client is the company, or
// that have a client member of it; only those of ids when ids is not nil.
func (store) extranetProjects(ctx context.Context, tn db.Tenant, companyID int64, ids []int64, limit int) ([]contract.ProjectRef, error) {
	out := []contract.ProjectRef{}
	q := tn.SelectFrom("projects", "p").Column("p.id", "p.name").
		Where("p.state <> ? AND p.is_template = ?", StateTrash, false).
		Where("(p.client_company_id = ? OR EXISTS (SELECT 1 FROM project_members AS pm JOIN memberships AS m ON m.account_id = pm.account_id AND m.user_id = pm.user_id"+
			" WHERE pm.account_id = p.account_id AND pm.project_id = p.id AND pm.role = ? AND m.company_id = ?))", companyID, RoleClient, companyID).
		OrderExpr("LOWER(p.name), p.id").Limit(int64(limit))
	if ids != nil {
		q = q.Where("p.id IN (?)", bun.List(ids))
	}
	return out, q.Scan(ctx, &out)
}
