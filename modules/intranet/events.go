package intranet

// Calendars: the events of a space (the company's or a team's), seen by the people of the
// space like everything else of it (visibleSpaces). Anyone of a team space adds its events;
// the company's spaces take events from managers and up (intranet.publish), as news.

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

// day is t's civil day at UTC midnight.
func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// spaceForEvents is the space an event goes in, refused on field space_id when the actor is
// not in it or may not add events there.
func (s *Service) spaceForEvents(ctx context.Context, tn db.Tenant, a *actor.Actor, f *problem.Fields, id int64) (Space, error) {
	if id <= 0 {
		f.Add("space_id", "is required")
		return Space{}, nil
	}
	sp, err := s.space(ctx, tn, a, id)
	if err != nil {
		if p, ok := problem.As(err); !ok || p.Status != 404 {
			return sp, err
		}
		f.Add("space_id", "is not a space you are in")
		return sp, nil
	}
	if sp.ProjectID != nil {
		// A project's space has no calendar under the project, which its clients could open.
		f.Add("space_id", notProjectSpace)
		return sp, nil
	}
	if sp.Company() && !a.May("intranet", "publish") {
		return sp, problem.Forbidden("Only administrators and managers add events to the company's calendar.")
	}
	return sp, s.writable(ctx, tn, a, sp.ID)
}

// checkTimes validates an event's times into what is stored.
func checkTimes(f *problem.Fields, starts, ends *time.Time, allDay bool) (time.Time, time.Time) {
	if starts == nil {
		f.Add("starts_at", "is required")
		return time.Time{}, time.Time{}
	}
	st := starts.UTC().Truncate(time.Second)
	en := st
	if ends != nil {
		en = ends.UTC().Truncate(time.Second)
	} else if !allDay {
		f.Add("ends_at", "is required (or make it an all-day event)")
		return st, en
	}
	if allDay {
		st, en = day(st), day(en)
	}
	switch {
	case en.Before(st):
		f.Add("ends_at", "must not be before starts_at")
	case en.Sub(st) > MaxEventDays*24*time.Hour:
		f.Add("ends_at", fmt.Sprintf("an event lasts at most %d days", MaxEventDays))
	case st.Year() < 1970 || st.Year() > 9000:
		f.Add("starts_at", "is out of range")
	}
	return st, en
}

// checkEvent validates an input (nothing is written): the event and its attendees.
// zone is the event's time zone: in's, else the default (the author's, or the edited event's).
func (s *Service) checkEvent(ctx context.Context, tn db.Tenant, a *actor.Actor, in EventInput, zone string) (Event, []int64, error) {
	var f problem.Fields
	title := checkTitle(&f, "title", in.Title, MaxTitle)
	desc := ""
	if in.Description != "" {
		var err error
		if desc, err = checkBody(&f, "description", in.Description, eventDescription); err != nil {
			return Event{}, nil, err
		}
	}
	place := strings.TrimSpace(in.Place)
	if why := validate.Text(place, MaxPlace, false); why != "" {
		f.Add("place", why)
	}
	st, en := checkTimes(&f, in.StartsAt, in.EndsAt, in.AllDay)
	sp, err := s.spaceForEvents(ctx, tn, a, &f, in.SpaceID)
	if err != nil {
		return Event{}, nil, err
	}
	var people []int64
	if len(in.AttendeeIDs) > MaxAttendees {
		f.Add("attendee_ids", fmt.Sprintf("at most %d people", MaxAttendees))
	} else if len(in.AttendeeIDs) > 0 && sp.ID != 0 {
		aud, err := s.audience(ctx, tn.Unscoped(), sp)
		if err != nil {
			return Event{}, nil, err
		}
		of := make(map[int64]bool, len(aud))
		for _, r := range aud {
			of[r.UserID] = true
		}
		seen := map[int64]bool{}
		for _, id := range in.AttendeeIDs {
			if seen[id] {
				continue
			}
			seen[id] = true
			if !of[id] {
				f.Add("attendee_ids", fmt.Sprintf("%d is not a person of the space", id))
				break
			}
			people = append(people, id)
		}
	}
	if z := strings.TrimSpace(in.TimeZone); z != "" {
		if actor.Zone(z) == nil {
			f.Add("time_zone", "is not a time zone (an IANA name such as Europe/Paris)")
		}
		zone = z
	}
	if actor.Zone(zone) == nil {
		zone = ""
	}
	e := Event{SpaceID: in.SpaceID, Title: title, Description: desc, Place: place, StartsAt: st, EndsAt: en, AllDay: in.AllDay, TimeZone: zone}
	checkRecurrence(&f, in, st, &e)
	end := e.seriesEnd()
	e.SeriesEndsAt = &end
	return e, people, f.Err()
}

// CreateEvent adds an event to a space, with its attendees.
func (s *Service) CreateEvent(ctx context.Context, a *actor.Actor, in EventInput) (Event, error) {
	tn := s.tenant(a.AccountID())
	e, people, err := s.checkEvent(ctx, tn, a, in, a.TimeZone)
	if err != nil {
		return Event{}, err
	}
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if err := s.insertEvent(ctx, tn, a, &e, people); err != nil {
			return err
		}
		if err := touch(ctx, tn, hooks.Ref{Kind: KindEvent, ID: e.ID}); err != nil {
			return err
		}
		return record(ctx, tn, a, "intranet.event_created", "event", e.ID, map[string]any{"title": e.Title, "space_id": e.SpaceID, "starts_at": e.StartsAt})
	})
	if err != nil {
		return Event{}, err
	}
	return s.Event(ctx, a, e.ID)
}

// insertEvent writes a checked event and its attendees in the caller's transaction.
func (s *Service) insertEvent(ctx context.Context, tn db.Tenant, a *actor.Actor, e *Event, people []int64) error {
	now := s.now()
	by := a.UserID
	e.CreatedBy, e.CreatedAt, e.UpdatedAt = &by, now, now
	if e.SeriesEndsAt == nil {
		e.SeriesEndsAt = &e.EndsAt
	}
	if _, err := tn.Insert(e).Exec(ctx); err != nil {
		return err
	}
	if len(people) == 0 {
		return nil
	}
	rows := make([]Attendee, len(people))
	for i, id := range people {
		rows[i] = Attendee{EventID: e.ID, UserID: id}
	}
	_, err := tn.Insert(&rows).Exec(ctx)
	return err
}

// eventQuery selects the events of the spaces the actor may see, with their space's name.
func (s *Service) eventQuery(tn db.Tenant, a *actor.Actor, out any) *bun.SelectQuery {
	q := tn.Select(out).ColumnExpr("e.*").ColumnExpr("(SELECT sn.name FROM intranet_spaces AS sn WHERE sn.id = e.space_id) AS space_name")
	return s.visibleSpaces(q, a, "e.space_id")
}

// Event is one event the actor may see (404 otherwise), with its attendees.
func (s *Service) Event(ctx context.Context, a *actor.Actor, id int64) (Event, error) {
	tn := s.tenant(a.AccountID())
	var e Event
	err := s.eventQuery(tn, a, &e).Where("e.id = ?", id).Scan(ctx)
	if db.IsNotFound(err) {
		return e, problem.NotFound()
	}
	if err != nil {
		return e, err
	}
	e.Editable = mayEdit(a, e.CreatedBy)
	if e.Recurrence != "" {
		if err := tn.Select(&e.Exceptions).Where("ex.event_id = ?", id).OrderExpr("ex.occurs_on").Scan(ctx); err != nil {
			return e, err
		}
	}
	e.Attendees = []Attendee{}
	err = tn.Select(&e.Attendees).ColumnExpr("ea.user_id").ColumnExpr("(SELECT u.name FROM users AS u WHERE u.id = ea.user_id) AS name").
		Where("ea.event_id = ?", id).OrderExpr("name, ea.user_id").Limit(MaxAttendees).Scan(ctx)
	return e, err
}

// overlapping restricts q to the events whose series meets the civil days from..to
// (inclusive): a repeating one may have no occurrence in them (expand decides).
func overlapping(q *bun.SelectQuery, from, to time.Time) *bun.SelectQuery {
	return q.Where("e.starts_at < ? AND COALESCE(e.series_ends_at, e.ends_at) >= ?", day(to).AddDate(0, 0, 1), day(from))
}

// Events lists the events of the spaces the actor may see (one space: spaceID > 0) that meet
// the days from..to, by start; at most MaxRangeEvents.
func (s *Service) Events(ctx context.Context, a *actor.Actor, from, to time.Time, spaceID int64) (EventList, error) {
	from, to = day(from), day(to)
	var f problem.Fields
	f.Check(!to.Before(from), "to", "must not be before from")
	f.Check(to.Sub(from) <= MaxEventDays*24*time.Hour, "to", fmt.Sprintf("a range spans at most %d days", MaxEventDays))
	if err := f.Err(); err != nil {
		return EventList{}, err
	}
	out := EventList{From: from.Format(time.DateOnly), To: to.Format(time.DateOnly), Items: []Event{}}
	q := overlapping(s.eventQuery(s.tenant(a.AccountID()), a, &out.Items), from, to)
	if spaceID > 0 {
		q = q.Where("e.space_id = ?", spaceID)
	}
	if err := q.OrderExpr("e.starts_at, e.id").Limit(MaxRangeEvents + 1).Scan(ctx); err != nil {
		return out, err
	}
	exc, err := exceptionsOf(ctx, s.tenant(a.AccountID()), out.Items)
	if err != nil {
		return out, err
	}
	out.Items = expand(out.Items, exc, from, to)
	if len(out.Items) > MaxRangeEvents {
		out.Items, out.Cut = out.Items[:MaxRangeEvents], true
	}
	return out, nil
}

// Upcoming bounds the events a space's page lists: the next MaxUpcoming, within UpcomingDays.
const (
	MaxUpcoming  = 10
	UpcomingDays = 60
)

// Upcoming are the next events of space spaceID (occurrences of series included) that have
// not ended, within UpcomingDays: what the space's page lists next to its news.
func (s *Service) Upcoming(ctx context.Context, a *actor.Actor, spaceID int64) ([]Event, error) {
	now := s.now()
	list, err := s.Events(ctx, a, now, now.AddDate(0, 0, UpcomingDays), spaceID)
	if err != nil {
		return nil, err
	}
	out := make([]Event, 0, MaxUpcoming)
	for _, e := range list.Items {
		end := e.EndsAt
		if e.AllDay {
			end = end.AddDate(0, 0, 1)
		}
		if end.After(now) && len(out) < MaxUpcoming {
			out = append(out, e)
		}
	}
	return out, nil
}

// UpdateEvent changes an event (the whole series of a repeating one): its author, or managers
// and up. The input is checked as a new one's (its space may change); attendees are replaced.
func (s *Service) UpdateEvent(ctx context.Context, a *actor.Actor, id int64, in EventInput) (Event, error) {
	old, err := s.Event(ctx, a, id)
	if err != nil {
		return old, err
	}
	if !old.Editable {
		return old, problem.Forbidden("Only its author and managers change an event.")
	}
	tn := s.tenant(a.AccountID())
	e, people, err := s.checkEvent(ctx, tn, a, in, old.TimeZone)
	if err != nil {
		return Event{}, err
	}
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		_, err := tn.Update((*Event)(nil)).Set("space_id = ?", e.SpaceID).Set("title = ?", e.Title).Set("description = ?", e.Description).
			Set("place = ?", e.Place).Set("starts_at = ?", e.StartsAt).Set("ends_at = ?", e.EndsAt).Set("all_day = ?", e.AllDay).
			Set("recurrence = ?", e.Recurrence).Set("recur_until = ?", e.RecurUntil).Set("recur_count = ?", e.RecurCount).
			Set("series_ends_at = ?", e.SeriesEndsAt).Set("time_zone = ?", e.TimeZone).Set("updated_at = ?", s.now()).Where("e.id = ?", id).Exec(ctx)
		if err != nil {
			return err
		}
		if err := settleSeries(ctx, tn, id); err != nil {
			return err
		}
		if _, err := tn.Delete((*Attendee)(nil)).Where("ea.event_id = ?", id).Exec(ctx); err != nil {
			return err
		}
		if len(people) > 0 {
			rows := make([]Attendee, len(people))
			for i, p := range people {
				rows[i] = Attendee{EventID: id, UserID: p}
			}
			if _, err := tn.Insert(&rows).Exec(ctx); err != nil {
				return err
			}
		}
		if err := touch(ctx, tn, hooks.Ref{Kind: KindEvent, ID: id}); err != nil {
			return err
		}
		return record(ctx, tn, a, "intranet.event_edited", "event", id, map[string]any{"title": e.Title, "space_id": e.SpaceID, "starts_at": e.StartsAt, "recurrence": e.Recurrence})
	})
	if err != nil {
		return Event{}, err
	}
	return s.Event(ctx, a, id)
}

// DeleteEvent deletes an event (the whole series) and its attendees: its author, or managers
// and up.
func (s *Service) DeleteEvent(ctx context.Context, a *actor.Actor, id int64) error {
	e, err := s.Event(ctx, a, id)
	if err != nil {
		return err
	}
	if !e.Editable {
		return problem.Forbidden("Only its author and managers delete an event.")
	}
	if err := s.writable(ctx, s.tenant(a.AccountID()), a, e.SpaceID); err != nil {
		return err
	}
	return s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if _, err := tn.Delete((*Event)(nil)).Where("e.id = ?", id).Exec(ctx); err != nil {
			return err
		}
		if err := touch(ctx, tn, hooks.Ref{Kind: KindEvent, ID: id}); err != nil {
			return err
		}
		return record(ctx, tn, a, "intranet.event_deleted", "event", id, map[string]any{"title": e.Title, "space_id": e.SpaceID})
	})
}
