// Package ical writes iCalendar (RFC 5545) feeds: a VCALENDAR of VEVENTs that any calendar
// application (Google, Outlook, Apple) subscribes to.
//
// The serialization (property escaping of "\", ";", "," and newlines, line folding at 75
// octets without splitting a UTF-8 character, CRLF line ends) is github.com/arran4/golang-ical,
// a maintained library; this package only fixes the product's choices: UTC timestamps for
// instants, VALUE=DATE days for all-day events (DTEND the day after the last, as RFC 5545
// §3.6.1 wants), a DTSTAMP on every event, and bounds on the text a feed carries.
package ical

import (
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
)

// ProdID names the producer of the feeds.
const ProdID = "-//GroupCamp//GroupCamp Calendar//EN"

// Bounds on what one event carries: a task's description may be long, a calendar entry
// need not be (the URL leads to the whole of it).
const (
	MaxSummary     = 500
	MaxDescription = 4000
)

// Event is one entry of a feed.
type Event struct {
	UID         string // stable across fetches, globally unique ("task-42@groupcamp.example")
	Summary     string
	Description string
	URL         string
	Starts      time.Time // an instant, or the first civil day (its date is used) when AllDay
	Ends        time.Time // an instant, or the last civil day (inclusive) when AllDay; zero: same as Starts
	AllDay      bool
	RRule       string // a repeating event's RRULE value ("FREQ=MONTHLY;UNTIL=20270630"), "" for none
}

// Calendar is a feed's header.
type Calendar struct {
	Name    string    // X-WR-CALNAME, what the subscribing application calls it
	Stamp   time.Time // DTSTAMP of every event: when the feed was produced
	Refresh time.Duration
}

// Write serializes the calendar and its events to w.
func Write(w io.Writer, c Calendar, events []Event) error {
	cal := ics.NewCalendarFor("GroupCamp")
	cal.SetProductId(ProdID)
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	if c.Name != "" {
		cal.SetName(clip(c.Name, MaxSummary))
		cal.SetXWRCalName(clip(c.Name, MaxSummary))
	}
	if c.Refresh > 0 {
		// RFC 7986 REFRESH-INTERVAL and its older X- spelling: a hint of how often to poll.
		d := "PT" + strconv.Itoa(max(1, int(c.Refresh/time.Minute))) + "M"
		cal.SetRefreshInterval(d) // the library adds VALUE=DURATION
		cal.SetXPublishedTTL(d)
	}
	stamp := c.Stamp.UTC()
	if stamp.IsZero() {
		stamp = time.Now().UTC()
	}
	for _, e := range events {
		ev := cal.AddEvent(e.UID)
		ev.SetDtStampTime(stamp)
		ev.SetSummary(clip(e.Summary, MaxSummary))
		if e.Description != "" {
			ev.SetDescription(clip(e.Description, MaxDescription))
		}
		if e.URL != "" {
			ev.SetURL(e.URL)
		}
		if e.RRule != "" {
			ev.AddRrule(e.RRule)
		}
		end := e.Ends
		if end.IsZero() {
			end = e.Starts
		}
		if e.AllDay {
			first, last := day(e.Starts), day(end)
			if last.Before(first) {
				last = first
			}
			ev.SetAllDayStartAt(first)
			ev.SetAllDayEndAt(last.AddDate(0, 0, 1)) // DTEND is exclusive
		} else {
			ev.SetStartAt(e.Starts)
			if end.After(e.Starts) {
				ev.SetEndAt(end)
			}
		}
	}
	return cal.SerializeTo(w, ics.WithNewLine("\r\n"))
}

// day is the civil date of t, as written (its own clock's date, not UTC's).
func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

// clip cuts s to at most max bytes on a character boundary.
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	s = s[:max]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s + "…"
}
