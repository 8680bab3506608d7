package projects

import (
	"context"

	"groupcamp/modules/projects/contract"
)

// clientProjects is the projects side of the extranet's port (contract.ClientProjects).
type clientProjects struct{ svc *Service }

var _ contract.ClientProjects = clientProjects{}

// OfCompany lists the projects whose client is the company, or that have a client member of it.
func (p clientProjects) OfCompany(ctx context.Context, accountID, companyID int64, ids []int64, limit int) ([]contract.ProjectRef, error) {
	if accountID <= 0 || companyID <= 0 || (ids != nil && len(ids) == 0) {
		return []contract.ProjectRef{}, nil
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	return p.svc.store.extranetProjects(ctx, p.svc.tenantOf(accountID), companyID, ids, limit)
}
