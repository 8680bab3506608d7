package timesheet

import (
	"context"
	"fmt"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// Timers: a person starts one on a task, a project or a category; stopping it makes a time
// entry of the elapsed minutes (rounded to the minute, at least 1) on the day it started in
// the person's time zone, through CreateEntry's rules (locked week, period lock, 24 hours a
// day, and whatever else an entry must pass). A person runs one timer: starting another stops
// the running one first. A timer that ran past midnight is never turned into an entry on its
// own: the stop needs the time the person stopped (on the start's day), or it is discarded.

// zoneOf is the person's time zone; UTC for none or an unknown one.
func zoneOf(tz string) *time.Location {
	if loc := actor.Zone(tz); loc != nil {
		return loc
	}
	return time.UTC
}

// Current is the actor's running timer (nil when none), with its label, its day and whether
// it ran past midnight.
func (s *Service) Current(ctx context.Context, a *actor.Actor) (*Timer, error) {
	tn := s.tenant(a.AccountID())
	t, err := s.store.timer(ctx, tn, a.UserID)
	if err != nil || t == nil {
		return nil, err
	}
	return t, s.describeTimer(ctx, tn, a, t)
}

// describeTimer fills what a timer shows.
func (s *Service) describeTimer(ctx context.Context, tn db.Tenant, a *actor.Actor, t *Timer) error {
	loc := zoneOf(a.TimeZone)
	now := s.now()
	t.Date = t.StartedAt.In(loc).Format(DayLayout)
	t.PastMidnight = now.In(loc).Format(DayLayout) != t.Date
	t.ElapsedMinutes = elapsed(t.StartedAt, now)
	e := Entry{ProjectID: t.ProjectID, TaskID: t.TaskID, CategoryID: t.CategoryID}
	es := []Entry{e}
	if err := s.decorate(ctx, tn, es); err != nil {
		return err
	}
	t.Label = entryLabel(es[0].ProjectName, es[0].TaskTitle, es[0].CategoryName)
	return nil
}

// elapsed is the minutes from start to end, rounded, at least 1.
func elapsed(start, end time.Time) int {
	m := int(end.Sub(start).Round(time.Minute) / time.Minute)
	return max(m, 1)
}

// StartTimer starts the actor's timer, stopping the one that ran (its entry is returned).
func (s *Service) StartTimer(ctx context.Context, a *actor.Actor, in TimerStart) (*TimerStarted, error) {
	tn := s.tenant(a.AccountID())
	var f problem.Fields
	t := &Timer{AccountID: a.AccountID(), UserID: a.UserID, ProjectID: idOrNil(in.ProjectID), TaskID: idOrNil(in.TaskID), CategoryID: idOrNil(in.CategoryID), Note: checkNote(&f, in.Note)}
	if in.ProjectID < 0 || in.TaskID < 0 || in.CategoryID < 0 {
		f.Add("project_id", "ids are positive numbers")
		return nil, f.Err()
	}
	if in.TaskID > 0 && in.ProjectID == 0 && in.CategoryID == 0 {
		// A task alone: its project is the task's.
		ests, err := s.Estimates.Get().Estimates(ctx, a.AccountID(), []int64{in.TaskID})
		if err != nil {
			return nil, err
		}
		est, ok := ests[in.TaskID]
		if !ok {
			f.Add("task_id", "is not a task you can log time on")
			return nil, f.Err()
		}
		t.ProjectID = &est.ProjectID
	}
	e := Entry{ProjectID: t.ProjectID, TaskID: t.TaskID, CategoryID: t.CategoryID}
	if err := s.target(ctx, tn, a, &e, nil, &f); err != nil {
		return nil, err
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	today, _ := ParseDay(now.In(zoneOf(a.TimeZone)).Format(DayLayout))
	// Refuse early a timer whose stop could not be logged: today is closed.
	if err := s.closedDay(ctx, tn, a.UserID, today); err != nil {
		return nil, err
	}
	out := &TimerStarted{}
	if cur, err := s.store.timer(ctx, tn, a.UserID); err != nil {
		return nil, err
	} else if cur != nil {
		if out.Stopped, err = s.StopTimer(ctx, a, TimerStop{}); err != nil {
			return nil, err
		}
	}
	t.StartedAt, t.CreatedAt = now, now
	if err := s.store.insertTimer(ctx, tn, t); err != nil {
		if db.IsUniqueViolation(err) {
			return nil, problem.Conflict("", "a timer was started meanwhile: stop it first")
		}
		return nil, err
	}
	out.Timer = t
	return out, s.describeTimer(ctx, tn, a, t)
}

// closedDay refuses a day before the period lock, or in a submitted or approved week (409).
func (s *Service) closedDay(ctx context.Context, tn db.Tenant, userID int64, day time.Time) error {
	if err := s.periodOpen(ctx, tn, day); err != nil {
		return err
	}
	w := WeekOf(day).String()
	row, err := s.store.week(ctx, tn, userID, w)
	if err != nil {
		return err
	}
	if row != nil && (row.State == StateSubmitted || row.State == StateApproved) {
		return problem.Conflict("date", "the week "+w+" is "+row.State+": its time cannot change (reopen or reject it first)")
	}
	return nil
}

// StopTimer stops the actor's timer and logs its time; see TimerStop for stopped_at.
func (s *Service) StopTimer(ctx context.Context, a *actor.Actor, in TimerStop) (*Entry, error) {
	tn := s.tenant(a.AccountID())
	t, err := s.store.timer(ctx, tn, a.UserID)
	if err != nil {
		return nil, err
	}
	if t == nil {
		return nil, problem.Conflict("", "no timer is running")
	}
	loc := zoneOf(a.TimeZone)
	now := s.now()
	start := t.StartedAt.In(loc)
	day := start.Format(DayLayout)
	end := now
	var f problem.Fields
	switch {
	case in.StoppedAt != nil:
		end = in.StoppedAt.UTC()
		switch {
		case end.Before(t.StartedAt):
			f.Add("stopped_at", "is before the timer started ("+start.Format("2006-01-02 15:04")+")")
		case end.After(now.Add(time.Minute)):
			f.Add("stopped_at", "is in the future")
		case end.In(loc).Format(DayLayout) != day:
			f.Add("stopped_at", "must be on the day the timer started ("+day+")")
		}
	case now.In(loc).Format(DayLayout) != day:
		p := problem.Conflict("stopped_at", fmt.Sprintf("the timer has been running since %s: say when you stopped (stopped_at, on %s), or discard it", start.Format("2006-01-02 15:04"), day))
		return nil, p
	}
	note := t.Note
	if in.Note != nil {
		note = *in.Note
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	entry := EntryInput{Date: day, Minutes: elapsed(t.StartedAt, end), ProjectID: deref(t.ProjectID), TaskID: deref(t.TaskID), CategoryID: deref(t.CategoryID), Note: note}
	return s.createEntry(ctx, a, entry, func(ctx context.Context, tn db.Tenant, _ *Entry) error {
		ok, err := s.store.deleteTimer(ctx, tn, t.ID)
		if err == nil && !ok {
			err = problem.Conflict("", "the timer was stopped meanwhile")
		}
		return err
	})
}

// DiscardTimer drops the actor's timer without logging anything.
func (s *Service) DiscardTimer(ctx context.Context, a *actor.Actor) error {
	tn := s.tenant(a.AccountID())
	t, err := s.store.timer(ctx, tn, a.UserID)
	if err != nil {
		return err
	}
	if t == nil {
		return problem.Conflict("", "no timer is running")
	}
	_, err = s.store.deleteTimer(ctx, tn, t.ID)
	return err
}

func deref(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}

// AssignedRows are the grid rows of the open tasks assigned to the person that fall in the
// week (no dates, or dates that meet the week's days), for "Add my assigned tasks": rows
// only, no time is invented. The projects port's Targets lists the open tasks assigned to
// the person in the active projects they see; their days come from its estimates port.
func (s *Service) AssignedRows(ctx context.Context, a *actor.Actor, userID int64, week string) ([]RowKey, error) {
	w, ok := ParseWeek(week)
	if !ok {
		return nil, problem.NotFound()
	}
	ts, _, err := s.GridTargets(ctx, a, userID)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, t := range ts {
		if t.TaskID != 0 {
			ids = append(ids, t.TaskID)
		}
	}
	ests, err := s.Estimates.Get().Estimates(ctx, a.AccountID(), ids)
	if err != nil {
		return nil, err
	}
	days := w.Days()
	var out []RowKey
	for _, t := range ts {
		e, ok := ests[t.TaskID]
		if t.TaskID == 0 || !ok {
			continue
		}
		from, to := e.StartsOn, e.DueOn
		if from == "" {
			from = to
		}
		if to == "" {
			to = from
		}
		if from == "" || (from <= days[6] && to >= days[0]) {
			out = append(out, RowKey{ProjectID: t.ProjectID, TaskID: t.TaskID})
		}
	}
	return out, nil
}
