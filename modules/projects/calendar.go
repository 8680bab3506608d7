package projects

// The calendar's queries: the tasks whose days meet a range of days (a month grid, six weeks
// at most), of one project or assigned to the viewer across the projects they see. They
// apply the same scope as Tasks and MyTasks (the project check, then, for a client, the
// lists shared with their company), and filter by dates in the database rather than loading
// a whole project: a calendar of one month of a five-year project reads one month.

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/problem"
)

// MaxCalendarTasks bounds what one calendar range loads; a month with more is shown cut (the
// page says so) rather than slowly.
const MaxCalendarTasks = 2000

// maxCalendarDays is the longest range a calendar query takes (six weeks of a month grid,
// with room to spare).
const maxCalendarDays = 62

// overlaps keeps the tasks that have a day in from..to: a task spans starts_on..due_on, or
// its one day when it has only one of them; a task with neither has no day.
func overlaps(q *bun.SelectQuery, from, to Date) *bun.SelectQuery {
	return q.Where("(t.starts_on IS NOT NULL OR t.due_on IS NOT NULL)").
		Where("COALESCE(t.due_on, t.starts_on) >= ?", from).
		Where("COALESCE(t.starts_on, t.due_on) <= ?", to)
}

// checkRange refuses a range the calendar would never ask for.
func checkRange(from, to Date) error {
	var f problem.Fields
	f.Check(from != "" && to != "" && from <= to && from.Time().AddDate(0, 0, maxCalendarDays).After(to.Time()), "month", "is not a month")
	return f.Err()
}

// TasksBetween are the tasks of a project the actor sees that have a day in from..to
// (inclusive), matching f, at most limit of them (by id), with only calendarColumns filled. A client sees those of the lists
// shared with their company; a project they do not see is a 404.
func (s *Service) TasksBetween(ctx context.Context, a *actor.Actor, projectID int64, from, to Date, f TaskFilter, limit int) ([]Task, error) {
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	sc := scopeOf(a)
	tn := s.tenant(sc)
	if _, err := s.store.project(ctx, tn, sc, projectID, false); err != nil {
		return nil, err
	}
	return s.store.tasksBetween(ctx, tn, sc, projectID, from, to, f, min(max(limit, 1), MaxCalendarTasks))
}

// calendarColumns are what a calendar shows of a task: a thousand tasks in a month are read
// without their descriptions, assignees or dependencies (Tasks' decoration cost most of the
// page).
var calendarColumns = []string{"t.id", "t.project_id", "t.list_id", "t.title", "t.starts_on", "t.due_on", "t.status"}

// MyTasksBetween are the tasks assigned to the actor in the active projects they see that
// have a day in from..to, matching f (its assignee is the actor), at most limit of them,
// with only calendarColumns filled.
func (s *Service) MyTasksBetween(ctx context.Context, a *actor.Actor, from, to Date, f TaskFilter, limit int) ([]Task, error) {
	if err := checkFilter(f); err != nil {
		return nil, err
	}
	if err := checkRange(from, to); err != nil {
		return nil, err
	}
	sc := scopeOf(a)
	f.AssigneeID = 0 // the join keeps the actor's tasks
	return s.store.myTasksBetween(ctx, s.tenant(sc), sc, from, to, f, min(max(limit, 1), MaxCalendarTasks))
}
