package projects

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
	"groupcamp/core/search"
)

// searchSource offers projects, tasks and comments to the search (core/search) with the
// visibility of the module's pages (scope in store.go), as audience keys:
//
//   - an open project and what it holds: "staff" (every colleague of the account);
//   - an invite-only one: "admins" and "project:<id>" (its members);
//   - the project itself, when it allows guests: "project:<id>:guest" (its client members);
//   - a task or comment of a list shared with client companies, in a project that allows
//     guests: "project:<id>:co:<company>" for each company — a client member of the project
//     holds the key of their own company.
//
// Archived, trashed and template projects, trashed lists and tasks are not offered: they are
// not found. The service touches (search.Touch) what it changes, in the change's transaction.
type searchSource struct{ svc *Service }

// The kinds of documents projects offers.
const (
	KindProject = "project"
	KindTask    = "task"
	KindComment = "comment"
)

func (searchSource) Kinds() []string { return []string{KindProject, KindTask, KindComment} }

func projectKey(id int64) string { return "project:" + strconv.FormatInt(id, 10) }

// staffAudience is who of the colleagues sees a project and everything in it.
func staffAudience(projectID int64, access string) []string {
	if access == AccessOpen {
		return []string{search.KeyStaff}
	}
	return []string{search.KeyAdmins, projectKey(projectID)}
}

// Documents offers the searchable things of the account, or those of refs and beneath them.
func (src searchSource) Documents(ctx context.Context, idb bun.IDB, accountID int64, refs []hooks.Ref, fn func(hooks.Document) error) error {
	var projectIDs, taskIDs, commentIDs []int64
	for _, r := range refs {
		switch r.Kind {
		case KindProject:
			projectIDs = append(projectIDs, r.ID)
		case KindTask:
			taskIDs = append(taskIDs, r.ID)
		case KindComment:
			commentIDs = append(commentIDs, r.ID)
		}
	}
	all := len(refs) == 0
	var s store
	tn := searchTenant(idb, accountID)
	if all || len(projectIDs) > 0 {
		ps, err := s.searchProjects(ctx, tn, projectIDs)
		if err != nil {
			return err
		}
		for _, p := range ps {
			aud := staffAudience(p.ID, p.Access)
			if p.GuestsAllowed {
				aud = append(aud, projectKey(p.ID)+":guest")
			}
			body := strings.TrimSpace(p.Code + " " + p.Category)
			if err := fn(hooks.Document{AccountID: accountID, Kind: KindProject, ID: p.ID, ProjectID: p.ID, Title: p.Name, Body: body,
				URL: "/projects/" + strconv.FormatInt(p.ID, 10), UpdatedAt: p.UpdatedAt, Audience: aud}); err != nil {
				return err
			}
		}
	}
	var tasks []searchTask
	if all || len(projectIDs) > 0 || len(taskIDs) > 0 {
		var err error
		if tasks, err = s.searchTasks(ctx, tn, projectIDs, taskIDs); err != nil {
			return err
		}
	}
	var comments []searchComment
	if all || len(projectIDs) > 0 || len(taskIDs) > 0 || len(commentIDs) > 0 {
		var err error
		if comments, err = s.searchComments(ctx, tn, projectIDs, taskIDs, commentIDs); err != nil {
			return err
		}
	}
	// The companies of the shared lists, for the clients' keys.
	var lists []int64
	for _, t := range tasks {
		if t.Visibility == VisibilityClients && t.GuestsAllowed && !slices.Contains(lists, t.ListID) {
			lists = append(lists, t.ListID)
		}
	}
	for _, c := range comments {
		if c.Visibility == VisibilityClients && c.GuestsAllowed && !slices.Contains(lists, c.ListID) {
			lists = append(lists, c.ListID)
		}
	}
	shares, err := s.searchListCompanies(ctx, tn, lists)
	if err != nil {
		return err
	}
	companies := map[int64][]int64{}
	for _, sh := range shares {
		companies[sh.ListID] = append(companies[sh.ListID], sh.CompanyID)
	}
	audience := func(t searchTask) []string {
		aud := staffAudience(t.ProjectID, t.Access)
		if t.Visibility == VisibilityClients && t.GuestsAllowed {
			for _, co := range companies[t.ListID] {
				aud = append(aud, projectKey(t.ProjectID)+":co:"+strconv.FormatInt(co, 10))
			}
		}
		return aud
	}
	for _, t := range tasks {
		if err := fn(hooks.Document{AccountID: accountID, Kind: KindTask, ID: t.ID, ProjectID: t.ProjectID, Title: t.Title, Body: t.Description,
			URL: "/tasks/" + strconv.FormatInt(t.ID, 10), UpdatedAt: t.UpdatedAt, Audience: audience(t)}); err != nil {
			return err
		}
	}
	for _, c := range comments {
		at := c.CreatedAt
		if c.EditedAt != nil {
			at = *c.EditedAt
		}
		var author int64
		if c.AuthorID != nil {
			author = *c.AuthorID
		}
		if err := fn(hooks.Document{AccountID: accountID, Kind: KindComment, ID: c.CommentID, ProjectID: c.ProjectID,
			Parent: hooks.Ref{Kind: KindTask, ID: c.ID}.String(), AuthorID: author, Title: c.Title, Body: c.Body,
			URL: "/tasks/" + strconv.FormatInt(c.ID, 10) + "#comment-" + strconv.FormatInt(c.CommentID, 10), UpdatedAt: at,
			Audience: audience(c.searchTask)}); err != nil {
			return err
		}
	}
	return nil
}

// Audience is the keys the actor holds in projects: a colleague the projects they are a
// member of; a client, in each project that lists them and allows guests, the project's guest
// key and their company's share key. Owners and admins need none: "admins" (core's) opens
// every invite-only project to them.
func (src searchSource) Audience(ctx context.Context, a *actor.Actor) ([]string, error) {
	ms, err := store{}.searchMemberships(ctx, src.svc.tenantOf(a.AccountID()), a.UserID)
	if err != nil {
		return nil, err
	}
	client := scopeOf(a).Client
	keys := make([]string, 0, 2*len(ms))
	for _, m := range ms {
		switch {
		case client && m.Role == RoleClient && a.CompanyID > 0:
			keys = append(keys, projectKey(m.ProjectID)+":guest", projectKey(m.ProjectID)+":co:"+strconv.FormatInt(a.CompanyID, 10))
		case !client && m.Role != RoleClient:
			keys = append(keys, projectKey(m.ProjectID))
		}
	}
	return keys, nil
}

var _ hooks.SearchSource = searchSource{}
