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

func (p projectsSeen) query(person *actor.Actor) *bun.SelectQuery {
	sc := scopeOf(person)
	return sc.whereProject(p.svc.tenant(sc).SelectFrom("projects", "p").Column("p.id", "p.name")).
		Where("p.state <> ? AND p.is_template = ?", StateTrash, false)
}

// Seen keeps the projects of ids the person sees.
func (p projectsSeen) Seen(ctx context.Context, person *actor.Actor, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if person == nil || person.AccountID() <= 0 || len(ids) == 0 {
		return out, nil
	}
	var rows []contract.ProjectRef
	if err := p.query(person).Where("p.id IN (?)", bun.List(ids)).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}

// Projects lists the projects the person sees, by name.
func (p projectsSeen) Projects(ctx context.Context, person *actor.Actor, limit int) ([]contract.ProjectRef, error) {
	out := []contract.ProjectRef{}
	if person == nil || person.AccountID() <= 0 {
		return out, nil
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	err := p.query(person).OrderExpr("LOWER(p.name), p.id").Limit(int64(limit)).Scan(ctx, &out)
	return out, err
}
