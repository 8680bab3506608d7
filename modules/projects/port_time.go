package projects

import (
	"context"

	"groupcamp/core/actor"
	"groupcamp/core/problem"
	"groupcamp/modules/projects/contract"
)

// timeTargets is the projects side of the timesheet's read port (contract.TimeTargets): where
// a person may log time, with the same scope as the person's own views of projects and tasks.
type timeTargets struct{ svc *Service }

var _ contract.TimeTargets = timeTargets{}

// Check says whether the person may log time on the project (and task).
func (p timeTargets) Check(ctx context.Context, person *actor.Actor, projectID, taskID int64) (contract.TimeTarget, error) {
	out := contract.TimeTarget{ProjectID: projectID, TaskID: taskID}
	if projectID <= 0 || person == nil || person.AccountID() <= 0 {
		out.Refusal = contract.RefusedProject
		return out, nil
	}
	sc := scopeOf(person)
	sc.Manage = false // trashed projects take no time, whoever logs it
	tn := p.svc.tenant(sc)
	proj, err := p.svc.store.project(ctx, tn, sc, projectID, false)
	if err != nil {
		if pr, ok := problem.As(err); ok && pr.Status == 404 {
			out.Refusal = contract.RefusedProject
			return out, nil
		}
		return out, err
	}
	out.ProjectName = proj.Name
	if proj.LeaderID != nil {
		out.LeaderID = *proj.LeaderID
	}
	if proj.State != StateActive || proj.IsTemplate {
		out.Refusal = contract.RefusedArchived
		return out, nil
	}
	if taskID == 0 {
		return out, nil
	}
	t, _, err := p.svc.store.task(ctx, tn, sc, taskID)
	if err != nil {
		if pr, ok := problem.As(err); ok && pr.Status == 404 {
			out.Refusal = contract.RefusedTask
			return out, nil
		}
		return out, err
	}
	if t.ProjectID != projectID {
		out.Refusal = contract.RefusedTask
		return out, nil
	}
	out.TaskTitle = t.Title
	return out, nil
}

// Targets lists the active projects the person sees and their open tasks assigned to them.
func (p timeTargets) Targets(ctx context.Context, person *actor.Actor, limit int) ([]contract.TimeTarget, error) {
	if person == nil || person.AccountID() <= 0 {
		return nil, nil
	}
	sc := scopeOf(person)
	return p.svc.store.timeTargets(ctx, p.svc.tenant(sc), sc, limit)
}

// Names are the names of projects and tasks of the account, and the projects' leaders.
func (p timeTargets) Names(ctx context.Context, accountID int64, projectIDs, taskIDs []int64) (contract.TimeNames, error) {
	return p.svc.store.timeNames(ctx, p.svc.tenantOf(accountID), projectIDs, taskIDs)
}

var _ contract.TimeReports = timeTargets{}

// Facts describes projects for the timesheet's reports: client company, tasks' estimates.
func (p timeTargets) Facts(ctx context.Context, accountID int64, projectIDs []int64) (contract.TimeFacts, error) {
	return p.svc.store.timeFacts(ctx, p.svc.tenantOf(accountID), projectIDs)
}

// CompanyProjects are the ids of the projects of a client company.
func (p timeTargets) CompanyProjects(ctx context.Context, accountID, companyID int64) ([]int64, error) {
	return p.svc.store.timeCompanyProjects(ctx, p.svc.tenantOf(accountID), companyID)
}
