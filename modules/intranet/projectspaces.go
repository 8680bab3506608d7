package intranet

import (
	"context"
	"fmt"
	"strings"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
)

// A project's own wiki and discussions are a space of the project (intranet_spaces.project_id),
// the same code as the company's and the teams' spaces, scoped to the project: it is made the
// first time someone who sees the project opens them, and seen by whoever the projects module
// says sees the project (hooks.ProjectAccess, through Service.Projects — this module never
// imports projects). The project's clients see it only once a manager marks it shared with
// clients; they read its wiki and take part in its discussions, its colleagues write both.

// SharingInput marks a project's space shared with the project's clients, or not.
type SharingInput struct {
	SharedWithClients bool `json:"shared_with_clients" example:"true"`
}

// ProjectSpace is the project's space as the actor sees it, made on demand. A project the
// actor does not see is a 404, and so is its space for a client while it is not shared.
func (s *Service) ProjectSpace(ctx context.Context, a *actor.Actor, projectID int64) (Space, error) {
	pa, ok := s.projects()
	if !ok {
		return Space{}, problem.NotFound()
	}
	info, err := pa.Project(ctx, a, projectID)
	if err != nil {
		return Space{}, err
	}
	tn := s.tenant(a.AccountID())
	sp, err := s.projectSpace(ctx, tn, a, projectID)
	if err == nil {
		return s.followProject(ctx, tn, sp, info)
	}
	if info.Client {
		return sp, err // a client never makes one: not there yet is not shared
	}
	if p, ok := problem.As(err); !ok || p.Status != 404 {
		return sp, err
	}
	now := s.now()
	by := a.UserID
	pid := projectID
	sp = Space{Name: info.Name, ProjectID: &pid, CreatedBy: &by, CreatedAt: now, UpdatedAt: now}
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		// Two first openings at once make one space: the second insert does nothing.
		res, err := tn.Insert(&sp).On("CONFLICT (account_id, project_id) DO NOTHING").Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 || sp.ID == 0 {
			return nil
		}
		if err := touch(ctx, tn, hooks.Ref{Kind: KindSpace, ID: sp.ID}); err != nil {
			return err
		}
		return record(ctx, tn, a, "intranet.space_created", "space", sp.ID, map[string]any{"name": sp.Name, "project_id": projectID})
	})
	if err != nil {
		return Space{}, err
	}
	if sp, err = s.projectSpace(ctx, tn, a, projectID); err != nil {
		return sp, err
	}
	return s.followProject(ctx, tn, sp, info)
}

// followProject makes the project's space follow its project as the projects module tells
// it: its name (a renamed project renames its space, for the lists, the search and the
// events that name it) and its state (an archived project's space is read-only).
func (s *Service) followProject(ctx context.Context, tn db.Tenant, sp Space, info hooks.ProjectInfo) (Space, error) {
	sp.ReadOnly = info.Archived
	if info.Name == "" || sp.Name == info.Name {
		return sp, nil
	}
	sp.Name = info.Name
	err := tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if _, err := tn.Update((*Space)(nil)).Set("name = ?", info.Name).Where("s.id = ?", sp.ID).Exec(ctx); err != nil {
			return err
		}
		return touch(ctx, tn, hooks.Ref{Kind: KindSpace, ID: sp.ID})
	})
	return sp, err
}

// notProjectSpace refuses news and events in a project's space: the project's pages serve
// its wiki and discussions only, so its clients could open neither (nor their notices).
const notProjectSpace = "is a project's space: its wiki and discussions only"

// archivedDetail is the refusal of a write in the space of an archived project.
const archivedDetail = "This project is archived: its wiki and discussions are read-only. Restore the project to change them."

// writable refuses (409) a write in space spaceID when it is the space of an archived
// project; the company's and the teams' spaces are always writable (no project to ask).
func (s *Service) writable(ctx context.Context, tn db.Tenant, a *actor.Actor, spaceID int64) error {
	var pid *int64
	err := tn.SelectFrom("intranet_spaces", "s").Column("s.project_id").Where("s.id = ?", spaceID).Scan(ctx, &pid)
	if db.IsNotFound(err) || pid == nil {
		return nil
	}
	if err != nil {
		return err
	}
	pa, ok := s.projects()
	if !ok {
		return nil
	}
	info, err := pa.Project(ctx, a, *pid)
	if p, ok := problem.As(err); ok && p.Status == 404 {
		return problem.NotFound()
	}
	if err != nil {
		return err
	}
	if info.Archived {
		return problem.New(409, archivedDetail)
	}
	return nil
}

func (s *Service) projectSpace(ctx context.Context, tn db.Tenant, a *actor.Actor, projectID int64) (Space, error) {
	var sp Space
	err := s.spaceQuery(tn, a, &sp).Where("s.project_id = ?", projectID).Scan(ctx)
	if db.IsNotFound(err) {
		return sp, problem.NotFound()
	}
	return sp, err
}

// ShareProjectSpace opens the project's space to its clients, or closes it (managers and up
// who see the project; the search is told, so a client finds its pages exactly while shared).
func (s *Service) ShareProjectSpace(ctx context.Context, a *actor.Actor, projectID int64, in SharingInput) (Space, error) {
	sp, err := s.ProjectSpace(ctx, a, projectID)
	if err != nil {
		return sp, err
	}
	if !a.May("intranet", "publish") {
		return sp, problem.Forbidden("Only managers and up share a project's wiki and discussions with its clients.")
	}
	if sp.ReadOnly {
		return sp, problem.New(409, archivedDetail)
	}
	tn := s.tenant(a.AccountID())
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if _, err := tn.Update((*Space)(nil)).Set("shared_with_clients = ?", in.SharedWithClients).Set("updated_at = ?", s.now()).Where("s.id = ?", sp.ID).Exec(ctx); err != nil {
			return err
		}
		if err := touch(ctx, tn, hooks.Ref{Kind: KindSpace, ID: sp.ID}); err != nil {
			return err
		}
		return record(ctx, tn, a, "intranet.space_shared", "space", sp.ID, map[string]any{"project_id": projectID, "shared_with_clients": in.SharedWithClients})
	})
	if err != nil {
		return Space{}, err
	}
	return s.ProjectSpace(ctx, a, projectID)
}

// spaceOrProject resolves the space of a body: space_id, or project_id for the project's own
// space (made on demand); a project the actor does not see is a 422 on project_id.
func (s *Service) spaceOrProject(ctx context.Context, tn db.Tenant, a *actor.Actor, f *problem.Fields, spaceID *int64, projectID int64) error {
	if *spaceID != 0 || projectID == 0 {
		return s.spaceField(ctx, tn, a, f, *spaceID)
	}
	sp, err := s.ProjectSpace(ctx, a, projectID)
	if err != nil {
		if p, ok := problem.As(err); !ok || p.Status != 404 {
			return err
		}
		f.Add("project_id", "is not a project you see")
		return nil
	}
	*spaceID = sp.ID
	return nil
}

// topicLink is a topic's page: under its project for a project's space (so that its clients
// can open it), else in the intranet.
func (s *Service) topicLink(ctx context.Context, tn db.Tenant, spaceID, topicID int64) string {
	return s.projectLink(ctx, tn, spaceID, topicPath(topicID))
}

// projectLink is path (a topic's page in the intranet, with its anchor) under the project when
// the space is a project's: notices of its discussions lead its clients where they may go.
func (s *Service) projectLink(ctx context.Context, tn db.Tenant, spaceID int64, path string) string {
	const topics = "/intranet/topics/"
	if !strings.HasPrefix(path, topics) {
		return path
	}
	var pid *int64
	if err := tn.SelectFrom("intranet_spaces", "s").Column("s.project_id").Where("s.id = ?", spaceID).Scan(ctx, &pid); err == nil && pid != nil {
		return fmt.Sprintf("/projects/%d/discussions/%s", *pid, strings.TrimPrefix(path, topics))
	}
	return path
}

// showsProjectTabs: the project's colleagues always get the wiki and discussions tabs (the
// space is made when they open them); a client only once the space is shared with clients.
func (s *Service) showsProjectTabs(ctx context.Context, a *actor.Actor, projectID int64) (bool, error) {
	pa, ok := s.projects()
	if !ok {
		return false, nil
	}
	if !pa.Client(a) {
		return true, nil
	}
	_, err := s.projectSpace(ctx, s.tenant(a.AccountID()), a, projectID)
	if p, ok := problem.As(err); ok && p.Status == 404 {
		return false, nil
	}
	return err == nil, err
}
