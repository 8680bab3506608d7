package projects

// Changing task lists once made (rename, move to a milestone, sharing) and deleting them, and
// the author's edit or deletion of a comment.
//
// Deleting a list that holds tasks is refused (409) unless the caller says ?tasks=delete:
// there is no task trash, so a list's tasks are never deleted as a side effect of a click on
// the list. With tasks=delete they are deleted with it in one transaction, each one as
// DELETE /tasks/{id} deletes it (its assignees, dependencies, comments and details go with
// it, and the feed gets a task.deleted line per task).
//
// Editing a comment notifies no one: the comment's mentions are recomputed from the new body
// (mentioned_user_ids), but a person newly mentioned by an edit gets no notice — there is no
// comment.edited event, and a notice per edit of a typo would be noise.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	"groupcamp/core/validate"
)

// ListPatch is the body of PATCH .../lists/{list_id}: what is given changes. milestone_id
// null (or 0) takes the list out of its milestone. Changing visibility or company_ids is a
// project manager's decision, like sharing a new list.
type ListPatch struct {
	Name        *string  `json:"name,omitempty" example:"Design"`
	MilestoneID *int64   `json:"milestone_id,omitempty"`
	Visibility  *string  `json:"visibility,omitempty" enum:"internal,clients"` // internal or clients
	CompanyIDs  *[]int64 `json:"company_ids,omitempty"`

	milestoneGiven bool // milestone_id was in the body, maybe null
}

// UnmarshalJSON reads the patch strictly (unknown fields refused), noting whether
// milestone_id was given at all: null there means "no milestone", not "unchanged".
func (p *ListPatch) UnmarshalJSON(b []byte) error {
	type plain ListPatch
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode((*plain)(p)); err != nil {
		return err
	}
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(b, &keys); err != nil {
		return err
	}
	_, p.milestoneGiven = keys["milestone_id"]
	return nil
}

// sharing reads the sharing a patch asks for, given the list's current one; changed reports
// whether it differs.
func (p ListPatch) sharing(f *problem.Fields, visibility string, current []int64) (vis string, ids []int64, changed bool) {
	vis, ids = visibility, current
	if p.Visibility == nil && p.CompanyIDs == nil {
		return vis, ids, false
	}
	if p.Visibility != nil {
		vis = *p.Visibility
		oneOf(f, "visibility", vis, VisibilityInternal, VisibilityClients)
		if vis == VisibilityInternal && p.CompanyIDs == nil {
			ids = []int64{}
		}
	}
	if p.CompanyIDs != nil {
		ids = []int64{}
		for _, id := range *p.CompanyIDs {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
	}
	switch {
	case vis == VisibilityInternal && len(ids) > 0:
		f.Add("company_ids", "an internal list is shared with no company; set visibility to clients")
	case vis == VisibilityClients && len(ids) == 0:
		f.Add("company_ids", "name the client companies the list is shared with")
	case len(ids) > 100:
		f.Add("company_ids", "must be at most 100 companies")
	}
	return vis, ids, vis != visibility || !slices.Equal(ids, current)
}

// UpdateList renames a list, moves it to a milestone of its project (or out of any), or
// changes whom it is shared with (projects:manage).
func (s *Service) UpdateList(ctx context.Context, a *actor.Actor, projectID, id int64, in ListPatch) (*TaskList, error) {
	sc := scopeOf(a)
	var f problem.Fields
	// The companies are checked before the transaction: whether a company is a client of the
	// account does not depend on the list.
	if in.CompanyIDs != nil && len(*in.CompanyIDs) <= 100 {
		for _, co := range *in.CompanyIDs {
			if s.clientCompany(ctx, a, &f, "company_ids", co); f.Has("company_ids") {
				break
			}
		}
	}
	var l *TaskList
	err := s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		// Read in the transaction, the list's row locked (PostgreSQL): the change writes only
		// its own columns onto the list as it is now.
		p, err := s.writableProject(ctx, tx, sc, projectID)
		if err != nil {
			return err
		}
		old, err := s.store.lockList(ctx, tx, sc, p.ID, id)
		if err != nil {
			return err
		}
		if old.CompanyIDs, err = s.store.listCompanyIDs(ctx, tx, old.ID); err != nil {
			return err
		}
		l = new(TaskList)
		*l = *old
		if in.Name != nil {
			l.Name = checkName(&f, "name", *in.Name, MaxListName)
		}
		if in.milestoneGiven || in.MilestoneID != nil {
			l.MilestoneID = nil
			if in.MilestoneID != nil && *in.MilestoneID != 0 {
				if _, err := s.store.milestone(ctx, tx, p.ID, *in.MilestoneID); err != nil {
					f.Add("milestone_id", "no such milestone in this project")
				}
				m := *in.MilestoneID
				l.MilestoneID = &m
			}
		}
		var share bool
		l.Visibility, l.CompanyIDs, share = in.sharing(&f, old.Visibility, old.CompanyIDs)
		if err := f.Err(); err != nil {
			return err
		}
		if share && !a.May("projects", "manage") {
			p := problem.Forbidden("only project managers change whom a list is shared with")
			p.Errors = []problem.FieldError{{Field: "visibility", Message: "only project managers change whom a list is shared with"}}
			return p
		}
		if wrote, err := s.store.saveList(ctx, tx, old, l, share); err != nil || !wrote {
			return err
		}
		return s.feed(ctx, tx, a, p.ID, l.ID, "list.changed", "list", l.ID, l.Name)
	})
	if err != nil {
		return nil, err
	}
	ls := []TaskList{*l}
	if err := s.store.decorateLists(ctx, s.tenant(sc), sc, ls); err != nil {
		return nil, err
	}
	return &ls[0], nil
}

// DeleteList moves a list to its project's trash (service_trash.go). A list that holds tasks
// is refused (409) unless withTasks: then its tasks go to the trash with it, each with its
// task.trashed line in the feed, and come back with it.
func (s *Service) DeleteList(ctx context.Context, a *actor.Actor, projectID, id int64, withTasks bool) error {
	sc := scopeOf(a)
	return s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		p, err := s.writableProject(ctx, tx, sc, projectID)
		if err != nil {
			return err
		}
		if err := s.store.lockProject(ctx, tx, p.ID); err != nil {
			return err
		}
		l, err := s.store.lockList(ctx, tx, sc, p.ID, id)
		if err != nil {
			return err
		}
		ts, err := s.store.listTasks(ctx, tx, l.ID)
		if err != nil {
			return err
		}
		if len(ts) > 0 && !withTasks {
			return problem.Conflict("tasks", fmt.Sprintf("the list holds %d tasks: move or delete them first, or delete them with the list (?tasks=delete; they go to the trash with it)", len(ts)))
		}
		now := s.now()
		if err := s.store.trashListTasks(ctx, tx, l.ID, now); err != nil {
			return err
		}
		for _, t := range ts {
			if err := s.feed(ctx, tx, a, p.ID, l.ID, "task.trashed", "task", t.ID, t.Title); err != nil {
				return err
			}
		}
		l.TrashedAt = &now
		if err := s.store.setListTrashed(ctx, tx, l); err != nil {
			return err
		}
		return s.feed(ctx, tx, a, p.ID, 0, "list.deleted", "list", l.ID, l.Name)
	})
}

// CommentPatch is the body of PATCH /api/v1/{slug}/comments/{id}.
type CommentPatch struct {
	Body string `json:"body" text:"multiline" openapi:"required" example:"Looks good, @Ada (edited: the footer too)"` // Markdown; @mentions as in a new comment
}

// comment reads a comment in the transaction tx, with its task and project, for a change by
// the actor: 404 when the actor does not see its task, 409 in an archived project.
func (s *Service) commentForChange(ctx context.Context, tx db.Tenant, sc scope, id int64) (*Comment, *Task, *Project, error) {
	c, err := s.store.lockComment(ctx, tx, id)
	if err != nil {
		return nil, nil, nil, err
	}
	t, p, err := s.store.task(ctx, tx, sc, c.TaskID)
	if err != nil {
		return nil, nil, nil, err
	}
	return c, t, p, writable(p)
}

func authored(c *Comment, a *actor.Actor) bool { return c.By(a.UserID) }

// UpdateComment changes the body of a comment: only its author, and only while they see its
// task. The comment is marked edited; its mentions are recomputed, notifying no one.
func (s *Service) UpdateComment(ctx context.Context, a *actor.Actor, id int64, in CommentPatch) (*Comment, error) {
	if msg := validate.Text(in.Body, MaxComment, true); msg != "" {
		return nil, problem.Invalid(problem.FieldError{Field: "body", Message: msg})
	}
	sc := scopeOf(a)
	var c *Comment
	err := s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		var t *Task
		var p *Project
		var err error
		if c, t, p, err = s.commentForChange(ctx, tx, sc, id); err != nil {
			return err
		}
		if !authored(c, a) {
			return problem.Forbidden("only the author edits a comment")
		}
		people, all, err := s.mentionTargets(ctx, tx, a, t, p)
		if err != nil {
			return err
		}
		now := s.now()
		c.Body, c.Mentions, c.EditedAt, c.AuthorName = in.Body, mentions(in.Body, people, all), &now, a.Name
		if err := s.store.saveComment(ctx, tx, c); err != nil {
			return err
		}
		return s.feed(ctx, tx, a, t.ProjectID, t.ListID, "comment.edited", "task", t.ID, t.Title)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// DeleteComment deletes a comment: its author, or whoever manages projects (owners, admins,
// project managers); anyone else who sees it gets 403.
func (s *Service) DeleteComment(ctx context.Context, a *actor.Actor, id int64) error {
	sc := scopeOf(a)
	return s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		c, t, _, err := s.commentForChange(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		if !authored(c, a) && !a.May("projects", "manage") {
			return problem.Forbidden("only the author or a project manager deletes a comment")
		}
		if err := s.store.deleteComment(ctx, tx, c.ID); err != nil {
			return err
		}
		return s.feed(ctx, tx, a, t.ProjectID, t.ListID, "comment.deleted", "task", t.ID, t.Title)
	})
}

// List returns one list of a project that the actor sees, with its companies and counts.
func (s *Service) List(ctx context.Context, a *actor.Actor, projectID, id int64) (*TaskList, error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	if _, err := s.store.project(ctx, tn, sc, projectID, false); err != nil {
		return nil, err
	}
	l, err := s.store.list(ctx, tn, sc, projectID, id)
	if err != nil {
		return nil, err
	}
	ls := []TaskList{*l}
	if err := s.store.decorateLists(ctx, tn, sc, ls); err != nil {
		return nil, err
	}
	return &ls[0], nil
}

// Comment returns a comment the actor sees, with its task (404 otherwise).
func (s *Service) Comment(ctx context.Context, a *actor.Actor, id int64) (*Comment, *Task, error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	c, err := s.store.comment(ctx, tn, id)
	if err != nil {
		return nil, nil, err
	}
	t, _, err := s.store.task(ctx, tn, sc, c.TaskID)
	if err != nil {
		return nil, nil, err
	}
	return c, t, nil
}

// By reports whether the comment is userID's (the task page offers its author Edit).
func (c Comment) By(userID int64) bool {
	return c.Plugin == nil && c.AuthorID != nil && userID != 0 && *c.AuthorID == userID
}
