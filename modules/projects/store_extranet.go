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

// projectTeam lists the ids of the project's managers and members with an active membership
// of the account (the files module's ProjectPeople port).
func (store) projectTeam(ctx context.Context, tn db.Tenant, projectID int64, limit int) ([]int64, error) {
	ids := []int64{}
	err := tn.SelectFrom("project_members", "pm").Column("pm.user_id").
		Join("JOIN memberships AS m ON m.account_id = pm.account_id AND m.user_id = pm.user_id").
		Where("pm.project_id = ? AND pm.role <> ?", projectID, RoleClient).
		Where("m.status = ? AND m.deactivated_at IS NULL", "active").
		OrderExpr("pm.user_id").Limit(int64(limit)).Scan(ctx, &ids)
	return ids, err
}
