package hooks

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
)

// ProjectAccessPort is the name of the ProjectAccess port (app.Provide / app.Optional): the
// module that keeps projects says who sees a project, so that another module can scope its
// own things to a project (the intranet's project wiki and discussions) without importing it.
const ProjectAccessPort = "hooks.project_access"

// ProjectInfo is a project as the asking actor sees it.
type ProjectInfo struct {
	ID   int64
	Name string
	// Client is whether the actor sees the project as one of its clients (a guest of the
	// extranet): they get only what is marked shared with clients.
	Client bool
	// Archived is whether the project is archived: what other modules keep of it is then
	// read-only (the intranet's project wiki and discussions).
	Archived bool
}

// ProjectKeys are the search audience keys (core/search) of who sees a project: Staff for
// its colleagues (the project's members, or everyone for an open project; administrators),
// Clients for its clients. A document that belongs to the project carries Staff, and Clients
// when it is shared with them.
type ProjectKeys struct {
	Staff, Clients []string
}

// ProjectAccess answers who sees a project with the projects module's own scope (the same as
// its pages): a project the actor may not see is a 404 there, and must be one elsewhere.
type ProjectAccess interface {
	// Project is project id of the actor's account as they see it; problem.NotFound when
	// they do not see it (another account's, a trashed or template one, not theirs).
	Project(ctx context.Context, a *actor.Actor, id int64) (ProjectInfo, error)
	// Seen is a query selecting (one column) the ids of the projects of the actor's account
	// the actor sees — for a subquery, "col IN (?)" — so permissions stay in one query.
	Seen(a *actor.Actor) *bun.SelectQuery
	// Client reports whether the actor sees projects as a client (only what is shared).
	Client(a *actor.Actor) bool
	// SearchKeys are the audience keys of the projects ids of the account, read through idb
	// (the index's refresh transaction); a project that is gone has none.
	SearchKeys(ctx context.Context, idb bun.IDB, accountID int64, ids []int64) (map[int64]ProjectKeys, error)
	// Members are the user ids listed as the project's members, its clients only when
	// withClients, read through idb: the people told of what happens in the project's space.
	Members(ctx context.Context, idb bun.IDB, accountID, projectID int64, withClients bool) ([]int64, error)
	// Viewers is a query selecting (one column) the user ids of the active people of the
	// account who see the project by the rule of Project/Seen — everyone for an open project,
	// never someone who may not open it — its clients only when withClients, built on idb:
	// for a subquery ("m.user_id IN (?)"), the people a project's space may name and tell.
	Viewers(idb bun.IDB, accountID, projectID int64, withClients bool) *bun.SelectQuery
}

// ProjectSection is a part of a project that another module serves (the intranet's project
// wiki and discussions): the project's pages show it as a tab. Path is under the project's
// page (/{slug}/projects/{id}), served by the module with its own guard; the tab shows when
// the viewer holds the capability Object.Action.
type ProjectSection struct {
	Module         string
	Key            string // unique in the module
	Label          string // message key of the tab
	Path           string // "/wiki"
	Order          int
	Object, Action string
	// Shows, optional, says whether the viewer gets the tab on this project (the intranet's
	// for a client: only once shared with clients); nil: whenever they hold the capability.
	Shows func(ctx context.Context, a *actor.Actor, projectID int64) (bool, error)
}

// Sections are the project sections, nil-safe (a Service built without hooks has none).
func (s *Set) Sections() []ProjectSection {
	if s == nil {
		return nil
	}
	return s.ProjectSections
}
