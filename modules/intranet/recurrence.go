package intranet

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/problem"
)

// Recurring events: an event repeats weekly or monthly (on the same day of the month; a month
// without that day is skipped, as RFC 5545 does) until a day or for a number of occurrences.
// The series is one row: the calendar grid and the API's ranges expand it in Go (expand), the
// feed gives it once with its RRULE. A timed series steps in its time zone (Event.TimeZone):
// each occurrence is at the first one's wall-clock time there, whatever daylight saving does
// to its UTC instant. Editing or deleting an event changes the whole series; one occurrence
// is changed or cancelled alone by an exception (exceptions.go).

// The recurrences.
const (
	RepeatWeekly  = "weekly"
	RepeatMonthly = "monthly"
	// MaxOccurrences bounds a series (ten years of weeks).
	MaxOccurrences = 520
)

// checkRecurrence validates the recurrence of in for an event starting at st.
func checkRecurrence(f *problem.Fields, in EventInput, st time.Time, e *Event) {
	loc := e.location()
	e.Recurrence, e.RecurUntil, e.RecurCount = "", nil, 0
	rec := strings.TrimSpace(in.Recurrence)
	switch rec {
	case "":
		return
	case RepeatWeekly, RepeatMonthly:
	default:
		f.Add("recurrence", "must be weekly or monthly (or empty: once)")
		return
	}
	e.Recurrence = rec
	until := strings.TrimSpace(in.RecurUntil)
	switch {
	case until != "" && in.RecurCount != 0:
		f.Add("recur_count", "give either recur_until or recur_count, not both")
	case until == "" && in.RecurCount == 0:
		f.Add("recur_until", "a repeating event ends: give the last day or a number of occurrences")
	case in.RecurCount != 0:
		if in.RecurCount < 1 || in.RecurCount > MaxOccurrences {
			f.Add("recur_count", fmt.Sprintf("must be between 1 and %d", MaxOccurrences))
		}
		e.RecurCount = in.RecurCount
	default:
		d, err := time.Parse(time.DateOnly, until)
		switch {
		case err != nil:
			f.Add("recur_until", "must be a day YYYY-MM-DD")
		case d.Before(localDay(st, loc)):
			f.Add("recur_until", "must not be before the event's first day")
		case d.After(localDay(st, loc).AddDate(10, 0, 0)):
			f.Add("recur_until", "a series lasts at most ten years")
		default:
			e.RecurUntil = &d
		}
	}
}

// eachStart calls fn with the start of each occurrence of e in order, the first included,
// until fn answers false or the series ends.
func (e Event) eachStart(fn func(time.Time) bool) {
	if e.Recurrence == "" {
		fn(e.StartsAt)
		return
	}
	loc := e.location()
	st := e.StartsAt.In(loc)
	y, m, d := st.Date()
	hh, mm, ss := st.Clock()
	n := 0
	for k := 0; n < MaxOccurrences && k < 2*MaxOccurrences; k++ {
		var t time.Time
		if e.Recurrence == RepeatWeekly {
			t = time.Date(y, m, d+7*k, hh, mm, ss, 0, loc)
		} else {
			t = time.Date(y, m+time.Month(k), d, hh, mm, ss, 0, loc)
			if t.Day() != d {
				continue // no such day this month
			}
		}
		if e.RecurUntil != nil && localDay(t, loc).After(*e.RecurUntil) {
			return
		}
		if e.RecurCount > 0 && n >= e.RecurCount {
			return
		}
		n++
		if !fn(t.UTC()) {
			return
		}
	}
}

// location is the zone the event's series steps in: UTC for an all-day event (its days are
// civil days at UTC midnight), for none, or for a zone the server does not know.
func (e Event) location() *time.Location {
	if e.AllDay {
		return time.UTC
	}
	if loc := actor.Zone(e.TimeZone); loc != nil {
		return loc
	}
	return time.UTC
}

// localDay is t's civil day in loc, at UTC midnight.
func localDay(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// occurrenceKey names the occurrence starting at t: its day in the event's zone.
func (e Event) occurrenceKey(t time.Time) string {
	return t.In(e.location()).Format(time.DateOnly)
}

// seriesEnd is the end of the last occurrence.
func (e Event) seriesEnd() time.Time {
	last := e.StartsAt
	e.eachStart(func(t time.Time) bool { last = t; return true })
	return last.Add(e.EndsAt.Sub(e.StartsAt))
}

// expand replaces the series of events by their occurrences that meet the civil days
// from..to, by start; exc are the series' exceptions by event id (exceptionsOf): a cancelled
// occurrence is left out, a changed one has its own title, place and times.
func expand(events []Event, exc map[int64]map[string]Exception, from, to time.Time) []Event {
	out := make([]Event, 0, len(events))
	end := day(to).AddDate(0, 0, 1)
	for _, e := range events {
		if e.Recurrence == "" {
			out = append(out, e)
			continue
		}
		first := e.StartsAt
		ex := exc[e.ID]
		// A changed occurrence moves at most MaxEventDays (checkOccurrence): one that was to
		// start that long after the range may have moved into it.
		limit := end
		if len(ex) > 0 {
			limit = end.Add(MaxEventDays * 24 * time.Hour)
		}
		e.eachStart(func(t time.Time) bool {
			if !t.Before(limit) {
				return false
			}
			if o := e.occurrence(t, ex); o != nil && o.StartsAt.Before(end) && !o.EndsAt.Before(day(from)) {
				if !t.Equal(first) {
					o.SeriesStartsAt = &first
				}
				out = append(out, *o)
			}
			return true
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].StartsAt.Before(out[j].StartsAt) })
	return out
}

// occurrence is the occurrence of series e that was to start at t, with its exception of ex
// applied: nil when it is cancelled.
func (e Event) occurrence(t time.Time, ex map[string]Exception) *Event {
	o := e
	o.StartsAt, o.EndsAt = t, t.Add(e.EndsAt.Sub(e.StartsAt))
	o.Occurrence = e.occurrenceKey(t)
	o.Exceptions = nil
	if x, ok := ex[o.Occurrence]; ok {
		if x.Cancelled {
			return nil
		}
		o.Title, o.Description, o.Place, o.StartsAt, o.EndsAt, o.Overridden = x.Title, x.Description, x.Place, x.StartsAt, x.EndsAt, true
	}
	return &o
}

// rrule is the event's RRULE for the feed ("" when it does not repeat).
func (e Event) rrule() string {
	if e.Recurrence == "" {
		return ""
	}
	r := "FREQ=" + strings.ToUpper(e.Recurrence)
	switch {
	case e.RecurCount > 0:
		r += fmt.Sprintf(";COUNT=%d", e.RecurCount)
	case e.RecurUntil != nil && e.AllDay:
		r += ";UNTIL=" + e.RecurUntil.Format("20060102")
	case e.RecurUntil != nil:
		y, m, d := e.RecurUntil.Date()
		r += ";UNTIL=" + time.Date(y, m, d, 23, 59, 59, 0, e.location()).UTC().Format("20060102T150405Z")
	}
	return r
}
