package projects

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// personalData is the module's part of a person's GDPR rights (hooks.PersonalData): the
// projects they lead, assist, created, are members of or starred; the tasks assigned to them
// or that they created; their comments; their lines of activity — and their name or email
// wherever the module's text quotes it.
//
// Erase (store.erasePerson) deletes what is purely the person's — project memberships, stars,
// task assignments, the lines of activity about them — and detaches the records the account
// keeps: projects (leader, assistant leader, creator) and tasks (creator) lose them, their
// comments lose their author (the task page shows no name) and, unless the erasure keeps text,
// their body; their activity loses its actor. Their name and email then leave every text column
// of the module (titles, descriptions, comments — @mentions included — and activity). The
// reminders already sent (task_reminders) name no one and stay; the person gets no more once
// their assignments are gone.
type personalData struct {
	svc *Service
}

// Category keys (locales/*.privacy.json).
const (
	catProjects = "projects.data.projects"
	catTasks    = "projects.data.tasks"
	catComments = "projects.data.comments"
	catActivity = "projects.data.activity"
	// The project categories an administrator added (the list stays the account's).
	catCategories = "projects.data.categories"
)

// Tables are the module's tables that name a person, and those whose text it scrubs.
func (personalData) Tables() []string {
	return []string{"projects", "project_members", "project_stars", "tasks", "task_assignees", "task_followers", "comments", "activity",
		"milestones", "task_lists", "task_statuses", "labels", "task_checklist_items", "project_categories"}
}

// Describe counts the person's projects, tasks, comments and activity in the account.
func (p personalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	c := personCounts{-1, -1, -1, -1, -1}
	if s.UserID != 0 {
		var err error
		if c, err = p.svc.store.personCounts(ctx, p.svc.tenantOf(s.AccountID), s.UserID); err != nil {
			return nil, err
		}
	}
	return []hooks.DataCategory{
		personal.Category("projects", catProjects, c.Projects, personal.FieldRole, personal.FieldTimes),
		personal.Category("projects", catTasks, c.Tasks, personal.FieldActions, personal.FieldTimes),
		personal.Category("projects", catComments, c.Comments, personal.FieldText, personal.FieldTimes),
		personal.Category("projects", catActivity, c.Activity, personal.FieldActions, personal.FieldTimes),
		personal.Category("projects", catCategories, c.Categories, personal.FieldActions, personal.FieldTimes),
	}, nil
}

// Export writes projects.json, assignments.json, comments.json, activity.json and
// categories.json.
func (p personalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	x, err := p.svc.store.personData(ctx, p.svc.tenantOf(s.AccountID), s.UserID)
	if err != nil {
		return err
	}
	n, err := personal.Of(ctx, p.svc.DB, s)
	if err != nil {
		return err
	}
	for i := range x.Comments {
		x.Comments[i].Body = n.OthersRedacted(x.Comments[i].Body)
	}
	for _, f := range []struct {
		name string
		v    any
	}{{"projects.json", x.Projects}, {"assignments.json", x.Assignments}, {"comments.json", x.Comments}, {"activity.json", x.Activity}, {"categories.json", x.Categories}} {
		if err := out.JSON(f.name, f.v); err != nil {
			return err
		}
	}
	return nil
}

// Erase erases the person from the account's projects in tx (see personalData).
func (p personalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, e hooks.Erasure) error {
	if s.AccountID <= 0 || s.UserID <= 0 {
		return errors.New("projects: erase: no account or no person")
	}
	n, err := personal.Of(ctx, tx, s)
	if err != nil {
		return err
	}
	return p.svc.store.erasePerson(ctx, erasureTenant(tx, s.AccountID), s.UserID, e.KeepText, n)
}

var _ hooks.PersonalData = personalData{}
