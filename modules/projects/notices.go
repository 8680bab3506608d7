package projects

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"groupcamp/core/app"
	"groupcamp/core/automation"
	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/jobs"
)

// Background work of recurring tasks, reminders and notices.
const (
	RecurTask    = "projects:recur"      // creates the next occurrence of recurring tasks whose day is over
	RemindTask   = "projects:remind"     // tells assignees of tasks starting or due within 24 h
	RecurCron    = "5 * * * *"           // hourly: a day is over once a day, an hour late is fine
	RemindCron   = "*/15 * * * *"        // every 15 minutes
	noticePrefix = "projects.notices."   // subscriber names: keep them stable (idempotency keys)
	recurName    = "projects.recurrence" // the task.completed subscriber that spawns the next occurrence
	noticeShort  = "task.recurred_short" // the notice of a next occurrence made short of assignees
)

// registerRecurring declares the recurrence subscriber and schedule, the reminders and the
// notices about task events. Notices go through the App's notifier (core/notify), the same
// path as the automation rules, so each person's channel preferences apply.
func registerRecurring(r *app.Registry, svc *Service) {
	n := &noticer{svc: svc, notifier: r.Notifier()}
	svc.notifier = n.notifier
	// The next occurrence of a recurring task made without some of its assignees (the plan's
	// "assignees" quota): a preference of its own.
	r.Notices(noticeShort)
	r.On("task.completed", recurName, svc.onCompletedRecur)
	r.On("task.assigned", noticePrefix+"assigned", n.assigned)
	r.On("comment.added", noticePrefix+"mentioned", n.mentioned)
	r.On("comment.added", noticePrefix+"commented", n.commented)
	r.On("task.completed", noticePrefix+"completed", n.completed)
	r.Task(RecurTask, func(ctx context.Context, _ []byte) error {
		_, err := svc.SpawnOverdueRecurrences(ctx)
		return err
	})
	r.Every(RecurCron, RecurTask, nil, jobs.Low)
	r.Task(RemindTask, func(ctx context.Context, _ []byte) error {
		_, err := svc.SendReminders(ctx, n.notifier)
		return err
	})
	r.Every(RemindCron, RemindTask, nil, jobs.Low)
}

// noticer turns task events into notices.
type noticer struct {
	svc      *Service
	notifier automation.Notifier
}

func actorOf(ev *events.Event) int64 {
	if ev.ActorID != nil {
		return *ev.ActorID
	}
	return 0
}

func (n *noticer) assigned(ctx context.Context, tx bun.Tx, ev *events.Event) error {
	var p TaskEvent
	if err := ev.Decode(&p); err != nil {
		return err
	}
	return n.svc.notifyVisible(ctx, eventTenant(tx, ev), n.notifier, p.ProjectID, p.ListID, actorOf(ev), p.UserIDs, ev.Type,
		taskNotice(p.TaskID, "projects.notice.assigned", "You were assigned to the task “%s”.", p.Title))
}

func (n *noticer) mentioned(ctx context.Context, tx bun.Tx, ev *events.Event) error {
	var p CommentEvent
	if err := ev.Decode(&p); err != nil {
		return err
	}
	tn := eventTenant(tx, ev)
	title, err := n.svc.store.taskTitle(ctx, tn, p.TaskID)
	if err != nil {
		return ignoreNotFound(err)
	}
	by := actorOf(ev)
	if by == 0 {
		by = p.AuthorID
	}
	msg := taskNotice(p.TaskID, "projects.notice.mentioned", "You were mentioned in a comment on the task “%s”.", title)
	if p.Plugin != "" {
		// A plugin's comment: the notice names the plugin and the person it acted for.
		c, err := n.svc.store.comment(ctx, tn, p.CommentID)
		if err != nil {
			return ignoreNotFound(err) // deleted since: nothing to read
		}
		msg.Key, msg.Args = "projects.notice.mentioned_plugin", []any{"Title", title, "Plugin", p.Plugin, "Name", c.BehalfName}
		msg.Text = fmt.Sprintf("%s (on behalf of %s) mentioned you in a comment on the task “%s”.", p.Plugin, c.BehalfName, title)
	}
	return n.svc.notifyVisible(ctx, tn, n.notifier, p.ProjectID, p.ListID, by, p.MentionedUserIDs, ev.Type, msg)
}

// commented tells a task's followers (service_followers.go) of a comment — not its author, and
// not those it mentions, who hear of the mention instead — under their preference for
// "task.commented".
func (n *noticer) commented(ctx context.Context, tx bun.Tx, ev *events.Event) error {
	var p CommentEvent
	if err := ev.Decode(&p); err != nil {
		return err
	}
	tn := eventTenant(tx, ev)
	title, err := n.svc.store.taskTitle(ctx, tn, p.TaskID)
	if err != nil {
		return ignoreNotFound(err)
	}
	c, err := n.svc.store.comment(ctx, tn, p.CommentID)
	if err != nil {
		return ignoreNotFound(err) // deleted since: nothing to read
	}
	ids, err := n.svc.store.followers(ctx, tn, p.TaskID)
	if err != nil {
		return err
	}
	ids = slices.DeleteFunc(ids, func(id int64) bool { return id == p.AuthorID || slices.Contains(p.MentionedUserIDs, id) })
	by := actorOf(ev)
	if by == 0 {
		by = p.AuthorID
	}
	msg := automation.Notice{Key: "projects.notice.commented", Args: []any{"Title", title, "Name", c.AuthorName},
		Text: fmt.Sprintf("%s commented on the task “%s”.", c.AuthorName, title), Path: fmt.Sprintf("/tasks/%d#comment-%d", p.TaskID, p.CommentID)}
	if c.Plugin != nil {
		// A plugin's comment: the notice names the plugin and the person it acted for.
		msg.Key, msg.Args = "projects.notice.commented_plugin", []any{"Title", title, "Plugin", *c.Plugin, "Name", c.BehalfName}
		msg.Text = fmt.Sprintf("%s (on behalf of %s) commented on the task “%s”.", *c.Plugin, c.BehalfName, title)
	}
	return n.svc.notifyVisible(ctx, tn, n.notifier, p.ProjectID, p.ListID, by, ids, "task.commented", msg)
}

func (n *noticer) completed(ctx context.Context, tx bun.Tx, ev *events.Event) error {
	var p TaskEvent
	if err := ev.Decode(&p); err != nil {
		return err
	}
	tn := eventTenant(tx, ev)
	leader, err := n.svc.store.projectLeader(ctx, tn, p.ProjectID)
	if err != nil {
		return ignoreNotFound(err)
	}
	if leader == nil {
		return nil
	}
	return n.svc.notifyVisible(ctx, tn, n.notifier, p.ProjectID, p.ListID, actorOf(ev), []int64{*leader}, ev.Type,
		taskNotice(p.TaskID, "projects.notice.completed", "The task “%s” is done.", p.Title))
}

// taskNotice is a notice about a task, leading to its page: key is translated for each
// recipient (locales/LANG.notices.json) with the task's title; the English fallback is for a
// notifier without catalogs.
func taskNotice(taskID int64, key, fallback, title string) automation.Notice {
	return automation.Notice{Key: key, Args: []any{"Title", title}, Text: fmt.Sprintf(fallback, title), Path: fmt.Sprintf("/tasks/%d", taskID)}
}

// notifyVisible notifies the people of ids who may see the list of the project — never the
// actor themself — inside tx.
func (s *Service) notifyVisible(ctx context.Context, tx db.Tenant, nt automation.Notifier, projectID, listID, actorID int64, ids []int64, typ string, msg automation.Notice) error {
	ids = slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id == actorID || id == 0 })
	if len(ids) == 0 || nt == nil {
		return nil
	}
	to, err := s.store.visibleTo(ctx, tx, projectID, listID, ids)
	if err != nil || len(to) == 0 {
		return err
	}
	msg.AccountID, msg.UserIDs, msg.EventType = tx.AccountID, to, typ
	return notify(ctx, tx, nt, msg)
}
