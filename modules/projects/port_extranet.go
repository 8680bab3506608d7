package projects

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/modules/projects/contract"
)

// clientProjects is the projects side of the extranet's port (contract.ClientProjects).
type clientProjects struct{ svc *Service }

var _ contract.ClientProjects = clientProjects{}

// OfCompany lists the projects whose client is the company, or that have a client member of it.
func (p clientProjects) OfCompany(ctx context.Context, accountID, companyID int64, ids []int64, limit int) ([]contract.ProjectRef, error) {
	out := []contract.ProjectRef{}
	if accountID <= 0 || companyID <= 0 || (ids != nil && len(ids) == 0) {
		return out, nil
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	q := db.For(p.svc.DB, accountID).SelectFrom("projects", "p").Column("p.id", "p.name").
		Where("p.state <> ? AND p.is_template = ?", StateTrash, false).
		Where("(p.client_company_id = ? OR EXISTS (SELECT 1 FROM project_members AS pm JOIN memberships AS m ON m.account_id = pm.account_id AND m.user_id = pm.user_id"+
			" WHERE pm.account_id = p.account_id AND pm.project_id = p.id AND pm.role = ? AND m.company_id = ?))", companyID, RoleClient, companyID).
		OrderExpr("LOWER(p.name), p.id").Limit(int64(limit))
	if ids != nil {
		q = q.Where("p.id IN (?)", bun.List(ids))
	}
	return out, q.Scan(ctx, &out)
}
