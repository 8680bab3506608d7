package planning

// The planning module's part of a person's calendar feed (hooks.CalendarSource, served by the
// ical module at /ical/{token}.ics): the person's allocations (each occurrence of a weekly
// repetition an all-day event over its days, tentative ones marked) and their approved leave.

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/capacity"
	"groupcamp/core/hooks"
)

// MaxFeedEvents bounds what one feed carries from the planning of one account.
const MaxFeedEvents = 2000

type calendarFeed struct{ svc *Service }

var _ hooks.CalendarSource = calendarFeed{}

// Events are the person's allocations and approved leave between from and to (days, inclusive).
func (f calendarFeed) Events(ctx context.Context, a *actor.Actor, from, to time.Time) ([]hooks.CalendarEvent, error) {
	if !a.May("planning", "read") {
		return nil, nil
	}
	tn := f.svc.tenant(a.AccountID())
	first, last := from.Format(capacity.DayLayout), to.Format(capacity.DayLayout)
	out := []hooks.CalendarEvent{}
	res, err := f.svc.store.personResource(ctx, tn, a.UserID)
	switch {
	case problemStatus(err) == 404:
		// No resource yet: the person was never planned.
	case err != nil:
		return nil, err
	default:
		als, err := f.svc.store.allocations(ctx, tn, first, last, []int64{res.ID}, 0)
		if err != nil {
			return nil, err
		}
		if err := f.svc.nameProjects(ctx, tn.AccountID, als); err != nil {
			return nil, err
		}
		for _, al := range als {
			s, _ := time.Parse(capacity.DayLayout, al.StartsOn)
			e, _ := time.Parse(capacity.DayLayout, al.EndsOn)
			amount := fmt.Sprintf("%d%%", al.Percent)
			if al.MinutesPerDay > 0 {
				amount = hm(al.MinutesPerDay)
			}
			summary := al.ProjectName + " · " + amount
			if al.Tentative {
				summary += " (tentative)"
			}
			for k := 0; k <= al.RepeatWeeks && len(out) < MaxFeedEvents; k++ {
				ks, ke := s.AddDate(0, 0, 7*k), e.AddDate(0, 0, 7*k)
				if ke.Before(from) || ks.After(to) {
					continue
				}
				out = append(out, hooks.CalendarEvent{UID: "planning-allocation-" + strconv.FormatInt(al.ID, 10) + "-" + strconv.Itoa(k),
					Summary: summary, Description: al.Note, URL: "/" + a.Account.Slug + "/planning/allocations/" + strconv.FormatInt(al.ID, 10),
					Starts: ks, Ends: ke, AllDay: true})
			}
		}
	}
	abs, err := f.svc.Absences(ctx, a, first, last, a.UserID, StateApproved)
	if err != nil {
		return nil, err
	}
	for _, ab := range abs {
		if len(out) >= MaxFeedEvents {
			break
		}
		s, _ := time.Parse(capacity.DayLayout, ab.StartsOn)
		e, _ := time.Parse(capacity.DayLayout, ab.EndsOn)
		out = append(out, hooks.CalendarEvent{UID: "planning-absence-" + strconv.FormatInt(ab.ID, 10), Summary: ab.Type, Description: ab.Note,
			URL: "/" + a.Account.Slug + "/planning/absences", Starts: s, Ends: e, AllDay: true})
	}
	return out, nil
}
