package projects

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/app"
	"groupcamp/core/automation"
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
)

// registerRecurring declares the recurrence subscriber and schedule, the reminders and the
// notices about task events. Notices go through the App's notifier (core/notify), the same
// path as the automation rules, so each person's channel preferences apply.
func registerRecurring(r *app.Registry, svc *Service) {
	n := &noticer{svc: svc, notifier: r.Notifier()}
	r.On("task.completed", recurName, svc.onCompletedRecur)
	r.On("task.assigned", noticePrefix+"assigned", n.assigned)
	r.On("comment.added", noticePrefix+"mentioned", n.mentioned)
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
	return notifyVisible(ctx, tx, n.notifier, ev.AccountID, p.ProjectID, p.ListID, actorOf(ev), p.UserIDs, ev.Type,
		taskNotice(p.TaskID, "projects.notice.assigned", "You were assigned to the task “%s”.", p.Title))
}

func (n *noticer) mentioned(ctx context.Context, tx bun.Tx, ev *events.Event) error {
	var p CommentEvent
	if err := ev.Decode(&p); err != nil {
		return err
	}
	var title string
	if err := tx.NewSelect().Model((*Task)(nil)).Column("title").Where("account_id = ? AND id = ?", ev.AccountID, p.TaskID).Scan(ctx, &title); err != nil {
		return ignoreNotFound(err)
	}
	by := actorOf(ev)
	if by == 0 {
		by = p.AuthorID
	}
	return notifyVisible(ctx, tx, n.notifier, ev.AccountID, p.ProjectID, p.ListID, by, p.MentionedUserIDs, ev.Type,
		taskNotice(p.TaskID, "projects.notice.mentioned", "You were mentioned in a comment on the task “%s”.", title))
}

func (n *noticer) completed(ctx context.Context, tx bun.Tx, ev *events.Event) error {
	var p TaskEvent
	if err := ev.Decode(&p); err != nil {
		return err
	}
	var leader *int64
	if err := tx.NewSelect().Model((*Project)(nil)).Column("leader_id").Where("account_id = ? AND id = ?", ev.AccountID, p.ProjectID).Scan(ctx, &leader); err != nil {
		return ignoreNotFound(err)
	}
	if leader == nil {
		return nil
	}
	return notifyVisible(ctx, tx, n.notifier, ev.AccountID, p.ProjectID, p.ListID, actorOf(ev), []int64{*leader}, ev.Type,
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
func notifyVisible(ctx context.Context, tx bun.IDB, nt automation.Notifier, accountID, projectID, listID, actorID int64, ids []int64, typ string, msg automation.Notice) error {
	ids = slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id == actorID || id == 0 })
	if len(ids) == 0 || nt == nil {
		return nil
	}
	to, err := visibleTo(ctx, tx, accountID, projectID, listID, ids)
	if err != nil || len(to) == 0 {
		return err
	}
	msg.AccountID, msg.UserIDs, msg.EventType = accountID, to, typ
	return nt.Notify(ctx, tx, msg)
}

// visibleTo keeps the people of ids who would see the list through the API now: the same scope
// as their requests (an internal list is never a client's, nor a list shared with another
// company), in an active project. People no longer active in the account are dropped.
//
// One query for all of them: the rules of scope.whereProject and scope.whereList, with the
// person's role, id and company taken from their membership instead of an actor.
func visibleTo(ctx context.Context, idb bun.IDB, accountID, projectID, listID int64, ids []int64) ([]int64, error) {
	all := bun.List([]string{actor.RoleOwner, actor.RoleAdmin, actor.PlatformSupport}) // scope.All
	colleagues := bun.List([]string{actor.RoleManager, actor.RoleMember})              // neither All nor Client
	member := "EXISTS (SELECT 1 FROM project_members AS pm WHERE pm.account_id = p.account_id AND pm.project_id = p.id AND pm.user_id = m.user_id"
	q := idb.NewSelect().TableExpr("memberships AS m").Column("m.user_id").
		Join("JOIN projects AS p ON p.account_id = m.account_id AND p.id = ? AND p.state = ?", projectID, StateActive).
		Where("m.account_id = ? AND m.user_id IN (?) AND m.status = ? AND m.deactivated_at IS NULL", accountID, bun.List(ids), "active").
		Where("(m.role IN (?) OR m.role IN (?) AND (p.access = ? OR "+member+")) OR m.role NOT IN (?) AND m.role NOT IN (?) AND p.guests_allowed = ? AND "+member+" AND pm.role = ?))",
			all, colleagues, AccessOpen, all, colleagues, true, RoleClient)
	if listID != 0 {
		q = q.Where("EXISTS (SELECT 1 FROM task_lists AS l WHERE l.account_id = p.account_id AND l.project_id = p.id AND l.id = ? AND "+
			"(m.role IN (?) OR m.role IN (?) OR l.visibility = ? AND EXISTS (SELECT 1 FROM task_list_companies AS lc WHERE lc.account_id = l.account_id AND lc.list_id = l.id AND lc.company_id = m.company_id)))",
			listID, all, colleagues, VisibilityClients)
	}
	var out []int64
	return out, q.OrderExpr("m.user_id").Scan(ctx, &out)
}
