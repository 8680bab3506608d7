package projects

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
)

// projectAccess is the projects side of hooks.ProjectAccess: who sees a project, with the
// scope of the project's own pages, for the modules that keep things of a project (the
// intranet's project wiki and discussions).
type projectAccess struct{ svc *Service }

var _ hooks.ProjectAccess = projectAccess{}

// Project is the project as the actor sees it, or a 404.
func (p projectAccess) Project(ctx context.Context, a *actor.Actor, id int64) (hooks.ProjectInfo, error) {
	if a == nil || a.AccountID() <= 0 {
		return hooks.ProjectInfo{}, problem.NotFound()
	}
	sc := scopeOf(a)
	rows, err := p.svc.store.seenProjects(ctx, p.svc.tenant(sc), sc, []int64{id}, 1)
	if err != nil {
		return hooks.ProjectInfo{}, err
	}
	if len(rows) == 0 {
		return hooks.ProjectInfo{}, problem.NotFound()
	}
	var state string
	if err := p.svc.tenant(sc).SelectFrom("projects", "p").Column("p.state").Where("p.id = ?", id).Scan(ctx, &state); err != nil {
		return hooks.ProjectInfo{}, err
	}
	return hooks.ProjectInfo{ID: rows[0].ID, Name: rows[0].Name, Client: sc.Client, Archived: state == StateArchived}, nil
}

// Seen selects the ids of the projects the actor sees.
func (p projectAccess) Seen(a *actor.Actor) *bun.SelectQuery {
	return p.svc.store.seenQuery(p.svc.DB, scopeOf(a))
}

// Client: any role but the account's colleagues sees projects as a client (scopeOf).
func (projectAccess) Client(a *actor.Actor) bool { return scopeOf(a).Client }

// SearchKeys are the keys the projects' own documents carry (search.go): a project's
// colleagues hold the staff keys, its clients (guests_allowed) the guest key.
func (p projectAccess) SearchKeys(ctx context.Context, idb bun.IDB, accountID int64, ids []int64) (map[int64]hooks.ProjectKeys, error) {
	out := map[int64]hooks.ProjectKeys{}
	if len(ids) == 0 {
		return out, nil
	}
	ps, err := p.svc.store.searchProjects(ctx, searchTenant(idb, accountID), ids)
	if err != nil {
		return nil, err
	}
	for _, pr := range ps {
		k := hooks.ProjectKeys{Staff: staffAudience(pr.ID, pr.Access)}
		if pr.GuestsAllowed {
			k.Clients = []string{projectKey(pr.ID) + ":guest"}
		}
		out[pr.ID] = k
	}
	return out, nil
}

// Members are the project's members (its clients too when withClients), read through idb.
func (p projectAccess) Members(ctx context.Context, idb bun.IDB, accountID, projectID int64, withClients bool) ([]int64, error) {
	return p.svc.store.memberIDs(ctx, searchTenant(idb, accountID), projectID, withClients)
}

// Viewers selects the ids of the people of the account who see the project (its clients
// only when withClients), through idb.
func (p projectAccess) Viewers(idb bun.IDB, accountID, projectID int64, withClients bool) *bun.SelectQuery {
	return p.svc.store.viewersQuery(searchTenant(idb, accountID), projectID, withClients)
}
