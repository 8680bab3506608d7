package intranet

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"groupcamp/core/problem"
)

// Recurring events: an event repeats weekly or monthly (on the same day of the month; a month
// without that day is skipped, as RFC 5545 does) until a day or for a number of occurrences.
// The series is one row: the calendar grid and the API's ranges expand it in Go (Expand), the
// feed gives it once with its RRULE. Editing or deleting an event changes the whole series.

// The recurrences.
const (
	RepeatWeekly  = "weekly"
	RepeatMonthly = "monthly"
	// MaxOccurrences bounds a series (ten years of weeks).
	MaxOccurrences = 520
)

// checkRecurrence validates the recurrence of in for an event starting at st.
func checkRecurrence(f *problem.Fields, in EventInput, st time.Time, e *Event) {
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
		case d.Before(day(st)):
			f.Add("recur_until", "must not be before the event's first day")
		case d.After(day(st).AddDate(10, 0, 0)):
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
	st := e.StartsAt.UTC()
	y, m, d := st.Date()
	hh, mm, ss := st.Clock()
	n := 0
	for k := 0; n < MaxOccurrences && k < 2*MaxOccurrences; k++ {
		var t time.Time
		if e.Recurrence == RepeatWeekly {
			t = st.AddDate(0, 0, 7*k)
		} else {
			t = time.Date(y, m+time.Month(k), d, hh, mm, ss, 0, time.UTC)
			if t.Day() != d {
				continue // no such day this month
			}
		}
		if e.RecurUntil != nil && day(t).After(*e.RecurUntil) {
			return
		}
		if e.RecurCount > 0 && n >= e.RecurCount {
			return
		}
		n++
		if !fn(t) {
			return
		}
	}
}

// seriesEnd is the end of the last occurrence.
func (e Event) seriesEnd() time.Time {
	last := e.StartsAt
	e.eachStart(func(t time.Time) bool { last = t; return true })
	return last.Add(e.EndsAt.Sub(e.StartsAt))
}

// expand replaces the series of events by their occurrences that meet the civil days
// from..to, by start.
func expand(events []Event, from, to time.Time) []Event {
	out := make([]Event, 0, len(events))
	end := day(to).AddDate(0, 0, 1)
	for _, e := range events {
		if e.Recurrence == "" {
			out = append(out, e)
			continue
		}
		dur := e.EndsAt.Sub(e.StartsAt)
		first := e.StartsAt
		e.eachStart(func(t time.Time) bool {
			if !t.Before(end) {
				return false
			}
			if !t.Add(dur).Before(day(from)) {
				o := e
				o.StartsAt, o.EndsAt = t, t.Add(dur)
				if !t.Equal(first) {
					o.SeriesStartsAt = &first
				}
				out = append(out, o)
			}
			return true
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].StartsAt.Before(out[j].StartsAt) })
	return out
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
		r += ";UNTIL=" + e.RecurUntil.Add(24*time.Hour-time.Second).UTC().Format("20060102T150405Z")
	}
	return r
}
