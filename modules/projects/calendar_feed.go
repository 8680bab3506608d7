package projects

// The projects module's part of a person's calendar feed (hooks.CalendarSource, served by the
// ical module at /ical/{token}.ics): the tasks assigned to them, not done, due in the range,
// each an all-day event on its due day. The scope is that of "my tasks" (the projects they
// see, for a client the lists shared with their company), in active projects, out of the
// trash. A team's feed (TeamEvents) is the same for the people of the team, as the
// manager sees them.

import (
	"context"
	"strconv"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
)

// MaxFeedTasks bounds the tasks one feed carries from one account: a feed is fetched every
// few minutes by every calendar application subscribed to it.
const MaxFeedTasks = 2000

type calendarFeed struct{ svc *Service }

type feedTask struct {
	ID          int64  `bun:"id"`
	UserID      int64  `bun:"user_id"`
	UserName    string `bun:"user_name"`
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
	return f.events(ctx, a, []int64{a.UserID}, from, to, false)
}

// TeamEvents are the open tasks due between from and to assigned to people that the actor
// (the team's manager) sees, one event per task and person, named "title — person".
func (f calendarFeed) TeamEvents(ctx context.Context, a *actor.Actor, people []int64, from, to time.Time) ([]hooks.CalendarEvent, error) {
	if !a.May("projects", "read") || len(people) == 0 {
		return nil, nil
	}
	return f.events(ctx, a, people, from, to, true)
}

func (f calendarFeed) events(ctx context.Context, a *actor.Actor, people []int64, from, to time.Time, team bool) ([]hooks.CalendarEvent, error) {
	sc := scopeOf(a)
	rows, err := f.svc.store.tasksDue(ctx, f.svc.tenant(sc), sc, people, DateOf(from), DateOf(to), MaxFeedTasks)
	if err != nil {
		return nil, err
	}
	base := "/" + a.Account.Slug + "/tasks/"
	out := make([]hooks.CalendarEvent, len(rows))
	for i, t := range rows {
		day := t.DueOn.Time()
		id := strconv.FormatInt(t.ID, 10)
		e := hooks.CalendarEvent{UID: "projects-task-" + id, Summary: t.Title, Description: t.ProjectName,
			URL: base + id, Starts: day, Ends: day, AllDay: true}
		if team {
			e.UID += "-u" + strconv.FormatInt(t.UserID, 10)
			e.Summary += " — " + t.UserName
		}
		out[i] = e
	}
	return out, nil
}
