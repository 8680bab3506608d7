package projects

import (
	"context"

	"groupcamp/modules/projects/contract"
)

// planningProjects is the projects side of resource planning's port (contract.PlanningProjects):
// the names, states and clients of projects, and the dated task assignments the timeline
// shows; the queries are the store's (store_planning.go).
type planningProjects struct{ svc *Service }

var _ contract.PlanningProjects = planningProjects{}

// Projects describes the account's projects of ids with their client company.
func (p planningProjects) Projects(ctx context.Context, accountID int64, ids []int64) (map[int64]contract.PlanningProject, error) {
	if accountID <= 0 || len(ids) == 0 {
		return map[int64]contract.PlanningProject{}, nil
	}
	return p.svc.store.planningProjects(ctx, p.svc.tenantOf(accountID), ids)
}

// TaskProject is the project of a task in use.
func (p planningProjects) TaskProject(ctx context.Context, accountID, taskID int64) (int64, error) {
	if accountID <= 0 {
		return 0, nil
	}
	return p.svc.store.planningTaskProject(ctx, p.svc.tenantOf(accountID), taskID)
}

// TaskAssignments are the dated assignments of open tasks of active projects meeting [from, to].
func (p planningProjects) TaskAssignments(ctx context.Context, accountID int64, from, to string, users []int64, limit int) ([]contract.TaskAssignment, error) {
	if accountID <= 0 || (users != nil && len(users) == 0) {
		return []contract.TaskAssignment{}, nil
	}
	return p.svc.store.planningAssignments(ctx, p.svc.tenantOf(accountID), from, to, users, limit)
}
