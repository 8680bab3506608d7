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
	"fmt"
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
	// Zone, optional, is the IANA time zone a timed repeating event steps in ("Europe/Paris"):
	// its DTSTART and DTEND are then written as local times with TZID (and the calendar
	// carries the zone's VTIMEZONE), so that a 09:00 weekly meeting stays 09:00 across
	// daylight-saving changes. Empty or "UTC": UTC timestamps.
	Zone string
	// ExDates are the starts of the occurrences of a repeating event that do not happen
	// (EXDATE).
	ExDates []time.Time
	// RecurrenceID, when set, makes the entry an override of one occurrence of the series of
	// the same UID: the occurrence that was to start then (RECURRENCE-ID).
	RecurrenceID time.Time
}

// Bounds of the time zones' definitions (VTIMEZONE): their transitions from a year before
// the first event in the zone through MaxZoneYears after the last one's start.
const MaxZoneYears = 11

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
	writeZones(cal, events)
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
		loc := zoneOf(e)
		if !e.RecurrenceID.IsZero() {
			v, ps := stampIn(e.RecurrenceID, loc, e.AllDay)
			ev.SetProperty(ics.ComponentPropertyRecurrenceId, v, ps...)
		}
		for i, x := range e.ExDates {
			if i == MaxExDates {
				break
			}
			v, ps := stampIn(x, loc, e.AllDay)
			ev.AddExdate(v, ps...)
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
		} else if loc != nil {
			ev.SetProperty(ics.ComponentPropertyDtStart, e.Starts.In(loc).Format(localLayout), ics.WithTZID(loc.String()))
			if end.After(e.Starts) {
				ev.SetProperty(ics.ComponentPropertyDtEnd, end.In(loc).Format(localLayout), ics.WithTZID(loc.String()))
			}
		} else {
			ev.SetStartAt(e.Starts)
			if end.After(e.Starts) {
				ev.SetEndAt(end)
			}
		}
	}
	return cal.SerializeTo(w, ics.WithNewLine("\r\n"))
}

// localLayout is a local time of a zone (with TZID).
const localLayout = "20060102T150405"

// MaxExDates bounds the EXDATEs of one event (a series has at most a few hundred occurrences).
const MaxExDates = 1000

// zoneOf is the zone a timed event's times are written in: nil for UTC timestamps (no zone,
// UTC, an unknown name, or an all-day event).
func zoneOf(e Event) *time.Location {
	if e.AllDay || e.Zone == "" || e.Zone == "UTC" {
		return nil
	}
	loc, err := time.LoadLocation(e.Zone)
	if err != nil || loc.String() == "UTC" {
		return nil
	}
	return loc
}

// stampIn is the value and parameters of a date-time property (EXDATE, RECURRENCE-ID) of an
// event: a day, a local time of its zone, or a UTC timestamp.
func stampIn(t time.Time, loc *time.Location, allDay bool) (string, []ics.PropertyParameter) {
	switch {
	case allDay:
		return day(t).Format("20060102"), []ics.PropertyParameter{ics.WithValue("DATE")}
	case loc != nil:
		return t.In(loc).Format(localLayout), []ics.PropertyParameter{ics.WithTZID(loc.String())}
	}
	return t.UTC().Format("20060102T150405Z"), nil
}

// writeZones adds the VTIMEZONE of every zone the events are written in: its transitions
// (Go's zone database, time.Time.ZoneBounds) from a year before the first event's start to
// MaxZoneYears after the last one's, each a STANDARD or DAYLIGHT part with its offsets; a
// zone without transitions then is one STANDARD part.
func writeZones(cal *ics.Calendar, events []Event) {
	type span struct {
		loc      *time.Location
		from, to time.Time
	}
	spans := map[string]*span{}
	var order []string
	for _, e := range events {
		loc := zoneOf(e)
		if loc == nil {
			continue
		}
		sp, ok := spans[loc.String()]
		if !ok {
			sp = &span{loc: loc, from: e.Starts, to: e.Starts}
			spans[loc.String()] = sp
			order = append(order, loc.String())
		}
		if e.Starts.Before(sp.from) {
			sp.from = e.Starts
		}
		if e.Starts.After(sp.to) {
			sp.to = e.Starts
		}
	}
	for _, name := range order {
		sp := spans[name]
		tz := cal.AddTimezone(name)
		from, to := sp.from.AddDate(-1, 0, 0).In(sp.loc), sp.to.AddDate(MaxZoneYears, 0, 0)
		n := 0
		for t := from; t.Before(to); {
			_, end := t.ZoneBounds()
			if end.IsZero() || !end.Before(to) {
				break
			}
			_, off0 := end.Add(-time.Second).In(sp.loc).Zone()
			at := end.In(sp.loc)
			abbr, off1 := at.Zone()
			zonePart(tz, at.IsDST(), abbr, end.Add(time.Duration(off0)*time.Second).UTC().Format(localLayout), off0, off1)
			n++
			t = at
		}
		if n == 0 {
			abbr, off := from.Zone()
			zonePart(tz, false, abbr, "19700101T000000", off, off)
		}
	}
}

// zonePart adds a STANDARD or DAYLIGHT part to a VTIMEZONE: its onset (a local time in the
// offset before it) and offsets in seconds east of UTC.
func zonePart(tz *ics.VTimezone, dst bool, abbr, onset string, from, to int) {
	var cb *ics.ComponentBase
	if dst {
		d := &ics.Daylight{}
		tz.Components = append(tz.Components, d)
		cb = &d.ComponentBase
	} else {
		cb = &tz.AddStandard().ComponentBase
	}
	cb.SetProperty(ics.ComponentPropertyDtStart, onset)
	cb.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), offset(from))
	cb.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), offset(to))
	if abbr != "" {
		cb.SetProperty(ics.ComponentProperty(ics.PropertyTzname), abbr)
	}
}

// offset is a UTC offset as RFC 5545 writes it (+0100, -0330, +053000 with seconds).
func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	s := fmt.Sprintf("%s%02d%02d", sign, sec/3600, sec%3600/60)
	if sec%60 != 0 {
		s += fmt.Sprintf("%02d", sec%60)
	}
	return s
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
