package planning

// The planning module's part of the calendar feeds served by the ical module at
// /ical/{token}.ics: a person's own feed (hooks.CalendarSource) carries their allocations
// (each occurrence of a weekly repetition an all-day event over its days, tentative ones
// marked) and their approved leave; a manager's team feed (hooks.TeamCalendarSource) the same
// for the team's people, each entry naming its person — and the kind of leave only where the
// holder decides on it, as on the pages.

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/capacity"
	"groupcamp/core/hooks"
)

// MaxFeedEvents bounds what one feed carries from the planning of one account.
const MaxFeedEvents = 2000

type calendarFeed struct{ svc *Service }

var (
	_ hooks.CalendarSource     = calendarFeed{}
	_ hooks.TeamCalendarSource = calendarFeed{}
)

// Events are the person's allocations and approved leave between from and to (days, inclusive).
func (f calendarFeed) Events(ctx context.Context, a *actor.Actor, from, to time.Time) ([]hooks.CalendarEvent, error) {
	return f.events(ctx, a, []int64{a.UserID}, from, to, false)
}

// TeamEvents are the allocations and approved leave of the people, each naming its person.
func (f calendarFeed) TeamEvents(ctx context.Context, a *actor.Actor, people []int64, from, to time.Time) ([]hooks.CalendarEvent, error) {
	if len(people) == 0 {
		return []hooks.CalendarEvent{}, nil
	}
	return f.events(ctx, a, people, from, to, true)
}

func (f calendarFeed) events(ctx context.Context, a *actor.Actor, people []int64, from, to time.Time, named bool) ([]hooks.CalendarEvent, error) {
	if !a.May("planning", "read") {
		return nil, nil
	}
	tn := f.svc.tenant(a.AccountID())
	first, last := from.Format(capacity.DayLayout), to.Format(capacity.DayLayout)
	out := []hooks.CalendarEvent{}
	// The people's resources (none yet: never planned); names for the team feed.
	rs, err := f.svc.store.resources(ctx, tn, Filter{Kind: KindPerson, Archived: true, Users: people})
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	var ids []int64
	for _, r := range rs {
		ids = append(ids, r.ID)
		names[r.ID] = r.PersonName
	}
	if len(ids) > 0 {
		als, err := f.svc.store.allocations(ctx, tn, first, last, ids, 0)
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
			if named {
				summary = names[al.ResourceID] + " · " + summary
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
	// One read of the account's approved leave for a team; the person's own for theirs.
	var only int64
	if !named {
		only = a.UserID
	}
	abs, err := f.svc.Absences(ctx, a, first, last, only, StateApproved)
	if err != nil {
		return nil, err
	}
	for _, ab := range abs {
		if len(out) >= MaxFeedEvents {
			break
		}
		if slices.Contains(people, ab.UserID) {
			s, _ := time.Parse(capacity.DayLayout, ab.StartsOn)
			e, _ := time.Parse(capacity.DayLayout, ab.EndsOn)
			summary := ab.Type // "" when the holder does not decide on it: away, no reason
			if summary == "" {
				summary = "Away"
			}
			if ab.Part != "" {
				summary += " (" + ab.Part + ")"
			}
			if named {
				summary = ab.PersonName + " · " + summary
			}
			out = append(out, hooks.CalendarEvent{UID: "planning-absence-" + strconv.FormatInt(ab.ID, 10), Summary: summary, Description: ab.Note,
				URL: "/" + a.Account.Slug + "/planning/absences", Starts: s, Ends: e, AllDay: true})
		}
	}
	return out, nil
}
