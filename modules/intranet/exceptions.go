package intranet

// Exceptions of a repeating event: one occurrence changed (its title, description, place and
// times) or cancelled alone, without touching the rest of the series. An occurrence is named
// by its day in the event's zone (YYYY-MM-DD: a series has at most one a day) — the API's
// ?occurrence= on PUT and DELETE /events/{id}, the pages' "this occurrence only" choice. The
// ranges leave a cancelled occurrence out and show a changed one with its own values; the
// feed gives the series with an EXDATE per cancelled occurrence and an entry with
// RECURRENCE-ID per changed one. Changing the whole series keeps the exceptions of the days
// that are still occurrences of it.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
	"groupcamp/core/validate"
)

// exceptionsOf are the exceptions of the repeating events among events, by event id and day.
func exceptionsOf(ctx context.Context, tn db.Tenant, events []Event) (map[int64]map[string]Exception, error) {
	var ids []int64
	for _, e := range events {
		if e.Recurrence != "" {
			ids = append(ids, e.ID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	var rows []Exception
	if err := tn.Select(&rows).Where("ex.event_id IN (?)", bun.In(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	out := make(map[int64]map[string]Exception, len(ids))
	for _, x := range rows {
		if out[x.EventID] == nil {
			out[x.EventID] = map[string]Exception{}
		}
		out[x.EventID][x.OccursOn] = x
	}
	return out, nil
}

// occurrenceStart is the start of the occurrence of series e on day key, or false when the
// series has none that day.
func (e Event) occurrenceStart(key string) (time.Time, bool) {
	var at time.Time
	found := false
	e.eachStart(func(t time.Time) bool {
		k := e.occurrenceKey(t)
		if k == key {
			at, found = t, true
		}
		return k < key
	})
	return at, found
}

// seriesOccurrence is the editable series id and its occurrence on day key: a 422 on field
// occurrence when the event does not repeat or has no occurrence that day.
func (s *Service) seriesOccurrence(ctx context.Context, a *actor.Actor, id int64, key, verb string) (Event, time.Time, error) {
	e, err := s.Event(ctx, a, id)
	if err != nil {
		return e, time.Time{}, err
	}
	if !e.Editable {
		return e, time.Time{}, problem.Forbidden(fmt.Sprintf("Only its author and managers %s an event.", verb))
	}
	if err := s.writable(ctx, s.tenant(a.AccountID()), a, e.SpaceID); err != nil {
		return e, time.Time{}, err
	}
	if e.Recurrence == "" {
		return e, time.Time{}, problem.Invalid(problem.FieldError{Field: "occurrence", Message: "the event does not repeat: change or delete the event itself"})
	}
	if _, err := time.Parse(time.DateOnly, key); err != nil {
		return e, time.Time{}, problem.Invalid(problem.FieldError{Field: "occurrence", Message: "must be a day YYYY-MM-DD"})
	}
	t, ok := e.occurrenceStart(key)
	if !ok {
		return e, t, problem.Invalid(problem.FieldError{Field: "occurrence", Message: "the series has no occurrence that day"})
	}
	return e, t, nil
}

// UpdateOccurrence changes one occurrence of a series alone (the day key in the event's
// zone): its title, description, place and times from in (its space, recurrence and
// attendees stay the series'). It may move by at most MaxEventDays, never before the series'
// first start. The answer is the occurrence.
func (s *Service) UpdateOccurrence(ctx context.Context, a *actor.Actor, id int64, key string, in EventInput) (Event, error) {
	e, orig, err := s.seriesOccurrence(ctx, a, id, key, "change")
	if err != nil {
		return e, err
	}
	var f problem.Fields
	x := Exception{EventID: id, OccursOn: key, Title: checkTitle(&f, "title", in.Title, MaxTitle), Place: strings.TrimSpace(in.Place)}
	if in.Description != "" {
		if x.Description, err = checkBody(&f, "description", in.Description, eventDescription); err != nil {
			return Event{}, err
		}
	}
	if why := validate.Text(x.Place, MaxPlace, false); why != "" {
		f.Add("place", why)
	}
	x.StartsAt, x.EndsAt = checkTimes(&f, in.StartsAt, in.EndsAt, e.AllDay)
	if in.StartsAt != nil {
		switch moved := x.StartsAt.Sub(orig); {
		case x.StartsAt.Before(e.StartsAt):
			f.Add("starts_at", "an occurrence does not move before the series' first one")
		case moved > MaxEventDays*24*time.Hour || -moved > MaxEventDays*24*time.Hour:
			f.Add("starts_at", fmt.Sprintf("an occurrence moves at most %d days", MaxEventDays))
		}
	}
	if err := f.Err(); err != nil {
		return Event{}, err
	}
	if err := s.saveException(ctx, a, e, x, "intranet.event_occurrence_edited"); err != nil {
		return Event{}, err
	}
	return s.Occurrence(ctx, a, id, key)
}

// CancelOccurrence cancels one occurrence of a series alone (the day key in its zone).
func (s *Service) CancelOccurrence(ctx context.Context, a *actor.Actor, id int64, key string) error {
	e, orig, err := s.seriesOccurrence(ctx, a, id, key, "delete")
	if err != nil {
		return err
	}
	x := Exception{EventID: id, OccursOn: key, Cancelled: true, StartsAt: orig, EndsAt: orig.Add(e.EndsAt.Sub(e.StartsAt))}
	return s.saveException(ctx, a, e, x, "intranet.event_occurrence_cancelled")
}

// saveException writes (or replaces) an exception of series e and settles the series.
func (s *Service) saveException(ctx context.Context, a *actor.Actor, e Event, x Exception, action string) error {
	x.UpdatedAt = s.now()
	return s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		_, err := tn.Insert(&x).On("CONFLICT (event_id, occurs_on) DO UPDATE").
			Set("cancelled = EXCLUDED.cancelled, title = EXCLUDED.title, description = EXCLUDED.description, place = EXCLUDED.place").
			Set("starts_at = EXCLUDED.starts_at, ends_at = EXCLUDED.ends_at, updated_at = EXCLUDED.updated_at").Exec(ctx)
		if err != nil {
			return err
		}
		if err := settleSeries(ctx, tn, e.ID); err != nil {
			return err
		}
		if err := touch(ctx, tn, hooks.Ref{Kind: KindEvent, ID: e.ID}); err != nil {
			return err
		}
		return record(ctx, tn, a, action, "event", e.ID, map[string]any{"title": e.Title, "space_id": e.SpaceID, "occurrence": x.OccursOn, "cancelled": x.Cancelled})
	})
}

// settleSeries, after a change of event id or of its exceptions, drops the exceptions of days
// that are no longer occurrences of it and sets series_ends_at to the end of its last
// occurrence, a changed one included (what the ranges match).
func settleSeries(ctx context.Context, tn db.Tenant, id int64) error {
	var e Event
	if err := tn.Select(&e).Where("e.id = ?", id).Scan(ctx); err != nil {
		return err
	}
	exc, err := exceptionsOf(ctx, tn, []Event{e})
	if err != nil {
		return err
	}
	if e.Recurrence == "" {
		if len(exc[id]) > 0 {
			_, err = tn.Delete((*Exception)(nil)).Where("ex.event_id = ?", id).Exec(ctx)
		}
		return err
	}
	end := e.seriesEnd()
	seen := map[string]bool{}
	e.eachStart(func(t time.Time) bool { seen[e.occurrenceKey(t)] = true; return true })
	var gone []string
	for k, x := range exc[id] {
		if !seen[k] {
			gone = append(gone, k)
		} else if !x.Cancelled && x.EndsAt.After(end) {
			end = x.EndsAt
		}
	}
	if len(gone) > 0 {
		if _, err := tn.Delete((*Exception)(nil)).Where("ex.event_id = ? AND ex.occurs_on IN (?)", id, bun.In(gone)).Exec(ctx); err != nil {
			return err
		}
	}
	_, err = tn.Update((*Event)(nil)).Set("series_ends_at = ?", end).Where("e.id = ?", id).Exec(ctx)
	return err
}

// Occurrence is the occurrence of series id on day key (its exception applied) as the actor
// sees it: 404 for an event they do not see, 422 on field occurrence for a day of no
// occurrence, 404 for a cancelled one.
func (s *Service) Occurrence(ctx context.Context, a *actor.Actor, id int64, key string) (Event, error) {
	e, err := s.Event(ctx, a, id)
	if err != nil {
		return e, err
	}
	if e.Recurrence == "" {
		return e, problem.Invalid(problem.FieldError{Field: "occurrence", Message: "the event does not repeat"})
	}
	t, ok := e.occurrenceStart(key)
	if !ok {
		return e, problem.Invalid(problem.FieldError{Field: "occurrence", Message: "the series has no occurrence that day"})
	}
	ex := map[string]Exception{}
	for _, x := range e.Exceptions {
		ex[x.OccursOn] = x
	}
	o := e.occurrence(t, ex)
	if o == nil {
		return e, problem.NotFound()
	}
	if !t.Equal(e.StartsAt) {
		first := e.StartsAt
		o.SeriesStartsAt = &first
	}
	o.Exceptions = nil
	return *o, nil
}

// feedEntries are the feed's entries of event e: itself (with RRULE, zone and an EXDATE per
// cancelled occurrence), and one entry per changed occurrence with its RECURRENCE-ID.
func feedEntries(e Event, ex map[string]Exception, base hooks.CalendarEvent) []hooks.CalendarEvent {
	if e.Recurrence == "" {
		return []hooks.CalendarEvent{base}
	}
	base.RRule, base.Zone = e.rrule(), e.TimeZone
	out := []hooks.CalendarEvent{base}
	if len(ex) == 0 {
		return out
	}
	left := len(ex)
	e.eachStart(func(t time.Time) bool {
		x, ok := ex[e.occurrenceKey(t)]
		if !ok {
			return true
		}
		left--
		if x.Cancelled {
			out[0].ExDates = append(out[0].ExDates, t)
		} else {
			o := base
			o.RRule, o.ExDates, o.RecurrenceID = "", nil, t
			o.Summary, o.Starts, o.Ends = x.Title, x.StartsAt, x.EndsAt
			o.Description = feedDescription(e.SpaceName, x.Place, x.Description)
			out = append(out, o)
		}
		return left > 0
	})
	return out
}

// shiftSeries turns times typed on the page of the occurrence of series id on day key into
// the series': it moves by as much as the occurrence was moved.
func (s *Service) shiftSeries(ctx context.Context, a *actor.Actor, id int64, key string, in EventInput) (EventInput, error) {
	o, err := s.Occurrence(ctx, a, id, key)
	if err != nil {
		return in, err
	}
	e, err := s.Event(ctx, a, id)
	if err != nil {
		return in, err
	}
	if in.StartsAt != nil {
		st := e.StartsAt.Add(in.StartsAt.Sub(o.StartsAt))
		in.StartsAt = &st
	}
	if in.EndsAt != nil {
		en := e.EndsAt.Add(in.EndsAt.Sub(o.EndsAt))
		in.EndsAt = &en
	}
	return in, nil
}
