package contract

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
)

// ProjectsSeenPort is the name of the ProjectsSeen port, which projects provides for the
// module that keeps files: a project's folder is seen by those who see the project.
const ProjectsSeenPort = "projects.projects_seen"

// ProjectRef is a project as another module names it.
type ProjectRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// ProjectsSeen answers which projects a person sees, with the projects module's own scope
// (open projects and the person's memberships; for clients, projects that allow guests and
// have them as members), without the asking module importing projects.
type ProjectsSeen interface {
	// Seen keeps, of ids, the projects of the person's account they see and that are not in
	// the trash, with their names.
	Seen(ctx context.Context, person *actor.Actor, ids []int64) (map[int64]string, error)
	// SeenIn is Seen read through idb: the caller's transaction when it asks inside one.
	// Asked on the pool instead, the question waits for a second connection while the
	// transaction holds one: with as many such writers as connections, none gets one
	// (PostgreSQL waited forever).
	SeenIn(ctx context.Context, idb bun.IDB, person *actor.Actor, ids []int64) (map[int64]string, error)
	// Projects lists the projects the person sees, active or archived (no trash, no
	// template), by name, at most limit.
	Projects(ctx context.Context, person *actor.Actor, limit int) ([]ProjectRef, error)
}
