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

// projectPeople is the projects side of the files module's ProjectPeople port.
type projectPeople struct{ svc *Service }

var _ contract.ProjectPeople = projectPeople{}

// Team lists the project's managers and members whose membership of the account is active.
func (p projectPeople) Team(ctx context.Context, accountID, projectID int64, limit int) ([]int64, error) {
	if accountID <= 0 || projectID <= 0 {
		return []int64{}, nil
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	return p.svc.store.projectTeam(ctx, p.svc.tenantOf(accountID), projectID, limit)
}
