package projects

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

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

// tasksGone is the projects side of contract.TasksGone: which tasks and comments no longer
// have a row, for the files module's collector, which then removes their attachments.
type tasksGone struct{}

var _ contract.TasksGone = tasksGone{}

func (tasksGone) Gone(ctx context.Context, idb bun.IDB, accountID int64, tasks, comments []int64) ([]int64, []int64, error) {
	tn := tenantIn(idb, scope{AccountID: accountID})
	missing := func(table string, ids []int64) ([]int64, error) {
		if len(ids) == 0 {
			return nil, nil
		}
		there, err := store{}.existingIDs(ctx, tn, table, ids)
		if err != nil {
			return nil, err
		}
		var out []int64
		for _, id := range ids {
			if !slices.Contains(there, id) && !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
		return out, nil
	}
	gt, err := missing("tasks", tasks)
	if err != nil {
		return nil, nil, err
	}
	gc, err := missing("comments", comments)
	return gt, gc, err
}
