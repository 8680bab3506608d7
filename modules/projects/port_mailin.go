package projects

import (
	"bytes"
	"context"
	"strings"
	"unicode/utf8"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
)

// Email in (core/mailin, wired by core/app): a reply to a task's notification becomes the
// sender's comment on the task (taskReplies), and a message to a project's address becomes a
// task of the project, its attachments kept by the files module when the account has it
// (projectDrops). The sender is the person core found for the From address; what they may do
// is what the same request on the API would let them: the role's capability, then the
// service's scope (a task they do not see is a 404).

// Kinds of thing email in reaches in this module.
const (
	MailTask    = "task"
	MailProject = "project"
)

// taskReplies takes the replies to task notifications.
type taskReplies struct{ svc *Service }

var _ hooks.MailTarget = taskReplies{}

func (p taskReplies) Reply(ctx context.Context, person *actor.Actor, taskID int64, text string) error {
	if !person.May("projects.comments", "write") {
		return problem.Forbidden("your role may not comment")
	}
	_, err := p.svc.AddComment(ctx, person, taskID, CommentInput{Body: text})
	return err
}

// Drop: a task has no address of its own.
func (taskReplies) Drop(context.Context, *actor.Actor, int64, hooks.MailDrop) error {
	return problem.NotFound()
}

// projectDrops takes the messages to project addresses.
type projectDrops struct{ svc *Service }

var _ hooks.MailTarget = projectDrops{}

// Reply: a project has no notifications of its own to reply to.
func (projectDrops) Reply(context.Context, *actor.Actor, int64, string) error {
	return problem.NotFound()
}

// Drop makes a task in the project's first list: the subject its title (the whole text's
// first line when there is no subject), the text its description, the attachments attached.
// The task is made first: an attachment the files module refuses (a quota, a name) leaves the
// task and refuses the message with the reason, so that the sender knows what is missing.
func (p projectDrops) Drop(ctx context.Context, person *actor.Actor, projectID int64, m hooks.MailDrop) error {
	if !person.May("projects.tasks", "write") {
		return problem.Forbidden("your role may not add tasks")
	}
	lists, err := p.svc.Lists(ctx, person, projectID, api.Page{Limit: 1})
	if err != nil {
		return err
	}
	if len(lists.Items) == 0 {
		return problem.Invalid(problem.FieldError{Field: "project", Message: "has no task list to add the task to"})
	}
	title := strings.TrimSpace(m.Subject)
	if title == "" {
		title, _, _ = strings.Cut(strings.TrimSpace(m.Text), "\n")
	}
	if utf8.RuneCountInString(title) > MaxTitle {
		title = string([]rune(title)[:MaxTitle-1]) + "…"
	}
	if strings.TrimSpace(title) == "" {
		return problem.Invalid(problem.FieldError{Field: "subject", Message: "is the new task's title: write one"})
	}
	desc := m.Text
	if utf8.RuneCountInString(desc) > MaxDescription {
		desc = string([]rune(desc)[:MaxDescription])
	}
	t, err := p.svc.CreateTask(ctx, person, projectID, TaskInput{ListID: lists.Items[0].ID, Title: title, Description: desc})
	if err != nil || len(m.Files) == 0 {
		return err
	}
	if p.svc.attachments == nil || !p.svc.attachments.Has() {
		return nil // no files module in this build: the task keeps the text only
	}
	if on, err := p.svc.Hooks.Enabled(ctx, person.AccountID(), "files"); err != nil || !on {
		return err
	}
	for _, f := range m.Files {
		if _, err := p.svc.attachments.Get().Attach(ctx, person, person.Account.Slug, t.ID, f.Name, bytes.NewReader(f.Data), int64(len(f.Data))); err != nil {
			return err
		}
	}
	return nil
}
