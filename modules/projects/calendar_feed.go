package projects

// The projects module's part of a person's calendar feed (hooks.CalendarSource, served by the
// ical module at /ical/{token}.ics): the tasks assigned to them, not done, due in the range,
// each an all-day event on its due day. The scope is that of "my tasks" (the projects they
// see, for a client the lists shared with their company), in active projects, out of the
// trash.

import (
	"context"
	"strconv"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
)

// MaxFeedTasks bounds the tasks one feed carries from one account: a feed is fetched every
// few minutes by every calendar application subscribed to it.
const MaxFeedTasks = 2000

type calendarFeed struct{ svc *Service }

type feedTask struct {
	ID          int64  `bun:"id"`
	ProjectID   int64  `bun:"project_id"`
	Title       string `bun:"title"`
	DueOn       Date   `bun:"due_on"`
	ProjectName string `bun:"project_name"`
}

// Events are the person's open tasks due between from and to (days, inclusive).
func (f calendarFeed) Events(ctx context.Context, a *actor.Actor, from, to time.Time) ([]hooks.CalendarEvent, error) {
	if !a.May("projects", "read") {
		return nil, nil
	}
	sc := scopeOf(a)
	rows, err := f.svc.store.myTasksDue(ctx, f.svc.tenant(sc), sc, DateOf(from), DateOf(to), MaxFeedTasks)
	if err != nil {
		return nil, err
	}
	base := "/" + a.Account.Slug + "/tasks/"
	out := make([]hooks.CalendarEvent, len(rows))
	for i, t := range rows {
		day := t.DueOn.Time()
		id := strconv.FormatInt(t.ID, 10)
		out[i] = hooks.CalendarEvent{UID: "projects-task-" + id, Summary: t.Title, Description: t.ProjectName,
			URL: base + id, Starts: day, Ends: day, AllDay: true}
	}
	return out, nil
}

// myTasksDue are the open tasks assigned to the scope's person in the active projects they
// see, due in from..to, by due day then id, at most limit, with the project's name.
func (store) myTasksDue(ctx context.Context, tn db.Tenant, sc scope, from, to Date, limit int) ([]feedTask, error) {
	var out []feedTask
	q := tn.Select((*Task)(nil)).ColumnExpr("t.id, t.project_id, t.title, t.due_on, p.name AS project_name").
		Join("JOIN task_assignees AS ta ON ta.account_id = t.account_id AND ta.task_id = t.id AND ta.user_id = ?", sc.UserID).
		Join("JOIN projects AS p ON p.account_id = t.account_id AND p.id = t.project_id").
		Where("p.state = ? AND t.trashed_at IS NULL AND t.status <> ?", StateActive, StatusDone).
		Where("t.due_on >= ? AND t.due_on <= ?", from, to).
		OrderExpr("t.due_on, t.id").Limit(int64(limit))
	return out, sc.joinTaskLists(sc.whereProject(q)).Scan(ctx, &out)
}
