package intranet

// The intranet's part of a person's calendar feed (hooks.CalendarSource, served by the ical
// module at /ical/{token}.ics): the events of the spaces the person is in — the company's and
// their teams' — and those they attend. An administrator's feed is theirs too: seeing every
// space on the pages does not put every team's events in their calendar.

import (
	"context"
	"strconv"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
)

type calendarFeed struct{ svc *Service }

var _ hooks.CalendarSource = calendarFeed{}

// Events are the events of the person's spaces and those they attend that meet from..to.
func (f calendarFeed) Events(ctx context.Context, a *actor.Actor, from, to time.Time) ([]hooks.CalendarEvent, error) {
	if !a.May("intranet", "read") {
		return nil, nil
	}
	var rows []Event
	tn := f.svc.tenant(a.AccountID())
	q := tn.Select(&rows).ColumnExpr("e.*").ColumnExpr("(SELECT sn.name FROM intranet_spaces AS sn WHERE sn.id = e.space_id) AS space_name").
		Where("(e.space_id IN (?) OR e.id IN (SELECT ea.event_id FROM intranet_event_attendees AS ea WHERE ea.account_id = ? AND ea.user_id = ?))",
			f.svc.visibleSpaceIDs(a), a.AccountID(), a.UserID)
	if err := overlapping(q, from, to).OrderExpr("e.starts_at, e.id").Limit(MaxRangeEvents).Scan(ctx); err != nil {
		return nil, err
	}
	exc, err := exceptionsOf(ctx, tn, rows)
	if err != nil {
		return nil, err
	}
	out := make([]hooks.CalendarEvent, 0, len(rows))
	for _, e := range rows {
		id := strconv.FormatInt(e.ID, 10)
		base := hooks.CalendarEvent{UID: "intranet-event-" + id, Summary: e.Title, Description: feedDescription(e.SpaceName, e.Place, e.Description),
			URL: "/" + a.Account.Slug + "/intranet/events/" + id, Starts: e.StartsAt, Ends: e.EndsAt, AllDay: e.AllDay}
		out = append(out, feedEntries(e, exc[e.ID], base)...)
	}
	return out, nil
}

// feedDescription is an entry's description: its place and space, then its text.
func feedDescription(space, place, text string) string {
	desc := space
	if place != "" {
		desc = place + " · " + desc
	}
	if text != "" {
		desc += "\n\n" + text
	}
	return desc
}
