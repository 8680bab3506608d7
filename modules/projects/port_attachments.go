package projects

import (
	"context"

	"groupcamp/core/actor"
	"groupcamp/core/problem"
	"groupcamp/modules/projects/contract"
)

// tasksSeen is the projects side of contract.TasksSeen, for the files module's attachments:
// the same scope as the task page (Service.Task, Service.Comment).
type tasksSeen struct{ svc *Service }

var _ contract.TasksSeen = tasksSeen{}

func (p tasksSeen) Task(ctx context.Context, person *actor.Actor, id int64) (contract.TaskRef, error) {
	if person == nil || person.AccountID() <= 0 {
		return contract.TaskRef{}, problem.NotFound()
	}
	t, err := p.svc.Task(ctx, person, id)
	if err != nil {
		return contract.TaskRef{}, err
	}
	return contract.TaskRef{ID: t.ID, ProjectID: t.ProjectID, Title: t.Title}, nil
}

func (p tasksSeen) Comment(ctx context.Context, person *actor.Actor, id int64) (contract.TaskRef, error) {
	if person == nil || person.AccountID() <= 0 {
		return contract.TaskRef{}, problem.NotFound()
	}
	_, t, err := p.svc.Comment(ctx, person, id)
	if err != nil {
		return contract.TaskRef{}, err
	}
	return contract.TaskRef{ID: t.ID, ProjectID: t.ProjectID, Title: t.Title}, nil
}
