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
	"groupcamp/core/web"
)

// Email in (core/mailin, wired by core/app): a reply to a task's notification becomes the
// sender's comment on the task (taskReplies), and a message to a project's address becomes a
// task of the project, its attachments kept by the files module when the account has it
// (projectDrops). A forwarded email (forward.go in core/mailin) is saved as what it is: a
// task named after the original's subject (not "Fwd: ..."), whose description records where
// it comes from — the original's sender, date and subject — above the original's text, its
// attachments attached; what the forwarder wrote above it ("please quote them by Friday") is
// their first comment on the task, so that the request and the saved email stay apart. A task
// rather than a note: the project has no notes, and a forwarded email is almost always
// something to act on — assign it, date it, close it. The sender is the person core found for the From address; what they may do
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

// projectDrops takes the messages to project addresses; catalog labels a forward's origin
// in the sender's language.
type projectDrops struct {
	svc     *Service
	catalog *web.Catalog
}

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
	title, desc := strings.TrimSpace(m.Subject), m.Text
	if f := m.Forward; f != nil {
		title, desc = p.forwarded(person, f)
		if title == "" {
			title, _, _ = strings.Cut(strings.TrimSpace(f.Text), "\n")
		}
	}
	if title == "" {
		title, _, _ = strings.Cut(strings.TrimSpace(desc), "\n")
	}
	if utf8.RuneCountInString(title) > MaxTitle {
		title = string([]rune(title)[:MaxTitle-1]) + "…"
	}
	if strings.TrimSpace(title) == "" {
		return problem.Invalid(problem.FieldError{Field: "subject", Message: "is the new task's title: write one"})
	}
	if utf8.RuneCountInString(desc) > MaxDescription {
		desc = string([]rune(desc)[:MaxDescription])
	}
	t, err := p.svc.CreateTask(ctx, person, projectID, TaskInput{ListID: lists.Items[0].ID, Title: title, Description: desc})
	if err != nil {
		return err
	}
	if f := m.Forward; f != nil && strings.TrimSpace(f.Note) != "" && person.May("projects.comments", "write") {
		note := f.Note
		if utf8.RuneCountInString(note) > MaxComment {
			note = string([]rune(note)[:MaxComment])
		}
		if _, err := p.svc.AddComment(ctx, person, t.ID, CommentInput{Body: note}); err != nil {
			return err
		}
	}
	if len(m.Files) == 0 {
		return nil
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

// forwarded is the title and description of the task that saves a forwarded email: the
// original's subject, and its origin (labelled in the sender's language, the date the forward
// gave written in it and the sender's time zone — as the client wrote it when unreadable)
// above its text. The forwarder's note goes into the description only when their role may
// not comment.
func (p projectDrops) forwarded(person *actor.Actor, f *hooks.MailForward) (title, desc string) {
	l := p.catalog.For(p.catalog.Match(person.Locale, ""))
	var b strings.Builder
	if strings.TrimSpace(f.Note) != "" && !person.May("projects.comments", "write") {
		b.WriteString(strings.TrimSpace(f.Note) + "\n\n---\n\n")
	}
	b.WriteString("*" + l.T("projects.mailin.forwarded") + "*  \n")
	date := f.Date
	if f.At != nil {
		date = l.DateTime(*f.At, person.TimeZone)
	}
	for _, row := range [][2]string{{"projects.mailin.from", f.From}, {"projects.mailin.date", date}, {"projects.mailin.subject", f.Subject}} {
		if v := strings.TrimSpace(row[1]); v != "" {
			// The sender's "<address>" would read as an HTML tag in Markdown: escape it.
			v = strings.NewReplacer("<", "\\<", ">", "\\>", "*", "\\*", "_", "\\_").Replace(v)
			b.WriteString("**" + l.T(row[0]) + "** " + v + "  \n")
		}
	}
	b.WriteString("\n" + strings.TrimSpace(f.Text))
	return strings.TrimSpace(f.Subject), strings.TrimSpace(b.String())
}
