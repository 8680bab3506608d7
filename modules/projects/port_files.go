package projects

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/modules/projects/contract"
)

// projectsSeen is the projects side of the files module's port (contract.ProjectsSeen): the
// projects a person sees, with the same scope as the person's own project pages.
type projectsSeen struct{ svc *Service }

var _ contract.ProjectsSeen = projectsSeen{}

// Seen keeps the projects of ids the person sees.
func (p projectsSeen) Seen(ctx context.Context, person *actor.Actor, ids []int64) (map[int64]string, error) {
	return p.SeenIn(ctx, p.svc.DB, person, ids)
}

// SeenIn is Seen through idb (the caller's transaction).
func (p projectsSeen) SeenIn(ctx context.Context, idb bun.IDB, person *actor.Actor, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if person == nil || person.AccountID() <= 0 || len(ids) == 0 {
		return out, nil
	}
	sc := scopeOf(person)
	rows, err := p.svc.store.seenProjects(ctx, tenantIn(idb, sc), sc, ids, len(ids))
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// Projects lists the projects the person sees, by name.
func (p projectsSeen) Projects(ctx context.Context, person *actor.Actor, limit int) ([]contract.ProjectRef, error) {
	if person == nil || person.AccountID() <= 0 {
		return []contract.ProjectRef{}, nil
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	sc := scopeOf(person)
	return p.svc.store.seenProjects(ctx, p.svc.tenant(sc), sc, nil, limit)
}
