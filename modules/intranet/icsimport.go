package intranet

// Import of an .ics file into a space: ParseICS reads the file with a maintained iCalendar
// parser (github.com/emersion/go-ical) into the events it holds, or refuses it with 422 naming
// the line and the reason; the service then previews them (dry run) or writes them all in one
// transaction — nothing at all when anything is wrong.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	goical "github.com/emersion/go-ical"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
)

// icsError is the 422 of a file that cannot be imported: the line (1-based) and the reason.
func icsError(line int, reason string) error {
	p := problem.Invalid(problem.FieldError{Field: "file", Message: fmt.Sprintf("line %d: %s", line, reason)})
	p.Detail = fmt.Sprintf("the file is not a calendar that can be imported (line %d: %s)", line, reason)
	return p
}

// incomplete: the parser ran out of input (a prefix of a good file).
func incomplete(err error) bool { return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) }

// decodeICS decodes the calendar of data.
func decodeICS(data []byte) (*goical.Calendar, error) {
	return goical.NewDecoder(bytes.NewReader(data)).Decode()
}

// errorLine finds the line the parser stops at: the parser reads line by line, so the
// shortest prefix of the file on which it fails (rather than running out of input) ends at
// that line. A binary search keeps it to a few passes.
func errorLine(lines [][]byte) int {
	lo, hi := 1, len(lines)
	for lo < hi {
		mid := (lo + hi) / 2
		if _, err := decodeICS(bytes.Join(lines[:mid], []byte("\n"))); err != nil && !incomplete(err) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// clean makes imported text storable: valid UTF-8, no control characters (line breaks and
// tabs kept where multiline), at most max bytes (cut at a character's boundary).
func clean(s string, max int, multiline bool) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if (r == '\n' || r == '\t') && multiline {
			return r
		}
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	for len(s) > max {
		_, n := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-n]
	}
	return s
}

// ParseICS reads the events of an .ics file (at most MaxImportBytes; the caller enforces it).
func ParseICS(data []byte) ([]ImportEvent, error) {
	lines := bytes.Split(data, []byte("\n"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, icsError(1, "the file is empty")
	}
	cal, err := decodeICS(data)
	if err != nil {
		if incomplete(err) {
			return nil, icsError(len(lines), "the file ends before END:VCALENDAR")
		}
		return nil, icsError(errorLine(lines), strings.TrimPrefix(err.Error(), "ical: "))
	}
	// Where each VEVENT begins, to name the line of an event that is wrong.
	var starts []int
	for i, l := range lines {
		if bytes.EqualFold(bytes.TrimSpace(l), []byte("BEGIN:VEVENT")) {
			starts = append(starts, i+1)
		}
	}
	evs := cal.Events()
	if len(evs) > MaxImportEvents {
		return nil, icsError(starts[MaxImportEvents], fmt.Sprintf("a file holds at most %d events", MaxImportEvents))
	}
	out := make([]ImportEvent, 0, len(evs))
	type override struct {
		ev   goical.Event
		line int
	}
	var overrides []override
	for i, ev := range evs {
		line := 1
		if i < len(starts) {
			line = starts[i]
		}
		if ev.Props.Get(goical.PropRecurrenceID) != nil {
			overrides = append(overrides, override{ev, line})
			continue
		}
		ie, err := importEvent(ev, line)
		if err != nil {
			return nil, err
		}
		if ie == nil {
			continue
		}
		if err := followRule(ev, ie); err != nil {
			return nil, err
		}
		out = append(out, *ie)
	}
	// An occurrence changed or cancelled alone (RECURRENCE-ID) goes with its series (same UID);
	// without one in the file it is an event of its own, as it was.
	for _, o := range overrides {
		uid := clean(icsText(o.ev, goical.PropUID), 500, false)
		series := -1
		for i := range out {
			if uid != "" && out[i].UID == uid && out[i].Recurrence != "" {
				series = i
				break
			}
		}
		if series < 0 {
			ie, err := importEvent(o.ev, o.line)
			if err != nil {
				return nil, err
			}
			if ie != nil {
				out = append(out, *ie)
			}
			continue
		}
		if err := addOverride(&out[series], o.ev, o.line); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func icsText(ev goical.Event, name string) string { v, _ := ev.Props.Text(name); return v }

// seriesOf is the event an import entry makes (for its occurrences' days).
func seriesOf(ie *ImportEvent) Event {
	return Event{StartsAt: ie.StartsAt, EndsAt: ie.EndsAt, AllDay: ie.AllDay, Recurrence: ie.Recurrence,
		RecurCount: ie.RecurCount, RecurUntil: ie.RecurUntil, TimeZone: ie.TimeZone}
}

// followRule makes ie a series when its RRULE is one the calendars follow: FREQ=WEEKLY or
// MONTHLY, every week or month (INTERVAL=1), on the first occurrence's day (BYDAY or
// BYMONTHDAY naming only it), ending by COUNT or UNTIL (none: ten years; both capped to the
// calendars' bounds). Its EXDATE days become cancelled occurrences. Any other rule keeps
// only the first occurrence (ie.Repeats).
func followRule(ev goical.Event, ie *ImportEvent) error {
	prop := ev.Props.Get(goical.PropRecurrenceRule)
	if prop == nil {
		return nil
	}
	ie.Repeats = true
	start := ev.Props.Get(goical.PropDateTimeStart)
	if !ie.AllDay && start.Params.Get(goical.PropTimezoneID) != "" && actor.Zone(start.Params.Get(goical.PropTimezoneID)) != nil {
		ie.TimeZone = start.Params.Get(goical.PropTimezoneID)
	}
	e := seriesOf(ie)
	loc := e.location()
	first := e.StartsAt.In(loc)
	rule := map[string]string{}
	for _, part := range strings.Split(prop.Value, ";") {
		k, v, _ := strings.Cut(part, "=")
		rule[strings.ToUpper(strings.TrimSpace(k))] = strings.ToUpper(strings.TrimSpace(v))
	}
	days := []string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}
	for k, v := range rule {
		switch {
		case k == "FREQ" && (v == "WEEKLY" || v == "MONTHLY"), k == "INTERVAL" && v == "1", k == "WKST", k == "COUNT", k == "UNTIL":
		case k == "BYDAY" && rule["FREQ"] == "WEEKLY" && v == days[first.Weekday()]:
		case k == "BYMONTHDAY" && rule["FREQ"] == "MONTHLY" && v == fmt.Sprint(first.Day()):
		default:
			return nil // a rule the calendars cannot follow: the first occurrence only
		}
	}
	firstDay := localDay(e.StartsAt, loc)
	e.Recurrence = strings.ToLower(rule["FREQ"])
	if c := rule["COUNT"]; c != "" {
		var n int
		if _, err := fmt.Sscan(c, &n); err != nil || n < 1 {
			return icsError(ie.Line, "RRULE: COUNT must be a positive number")
		}
		e.RecurCount = min(n, MaxOccurrences)
	} else {
		until := firstDay.AddDate(10, 0, 0)
		if u := rule["UNTIL"]; u != "" {
			p := goical.NewProp(goical.PropDateTimeEnd)
			p.Value = u
			if start.Params.Get(goical.PropTimezoneID) != "" && !strings.HasSuffix(u, "Z") && len(u) > 8 {
				p.Params.Set(goical.PropTimezoneID, start.Params.Get(goical.PropTimezoneID))
			}
			t, err := dateTime(p)
			if err != nil {
				return icsError(ie.Line, "RRULE: UNTIL: "+strings.TrimPrefix(err.Error(), "ical: "))
			}
			d := localDay(t, loc)
			if len(u) == 8 {
				d = day(t)
			}
			if d.Before(firstDay) {
				return icsError(ie.Line, "RRULE: UNTIL is before DTSTART")
			}
			if d.Before(until) {
				until = d
			}
		}
		e.RecurUntil = &until
	}
	ie.Repeats = false
	ie.Recurrence, ie.RecurCount, ie.RecurUntil = e.Recurrence, e.RecurCount, e.RecurUntil
	dur := e.EndsAt.Sub(e.StartsAt)
	occurs := occurrenceStarts(e)
	for _, x := range ev.Props.Values(goical.PropExceptionDates) {
		for _, v := range strings.Split(x.Value, ",") {
			p := x
			p.Value = strings.TrimSpace(v)
			t, err := dateTime(&p)
			if err != nil {
				return icsError(ie.Line, "EXDATE: "+strings.TrimPrefix(err.Error(), "ical: "))
			}
			key := e.occurrenceKey(t)
			if at, ok := occurs[key]; ok {
				ie.Exceptions = setException(ie.Exceptions, Exception{OccursOn: key, Cancelled: true, StartsAt: at, EndsAt: at.Add(dur)})
			}
		}
	}
	return nil
}

// occurrenceStarts are the starts of e's occurrences by their day (occurrenceKey).
func occurrenceStarts(e Event) map[string]time.Time {
	out := map[string]time.Time{}
	e.eachStart(func(t time.Time) bool { out[e.occurrenceKey(t)] = t; return true })
	return out
}

// setException puts x in xs, replacing the one of the same day.
func setException(xs []Exception, x Exception) []Exception {
	for i := range xs {
		if xs[i].OccursOn == x.OccursOn {
			xs[i] = x
			return xs
		}
	}
	return append(xs, x)
}

// addOverride records the RECURRENCE-ID entry ev as an occurrence of series ie changed alone
// (its own title, place, description and times) or cancelled (STATUS:CANCELLED); a day that
// is no occurrence of the series is left out.
func addOverride(ie *ImportEvent, ev goical.Event, line int) error {
	e := seriesOf(ie)
	rid := ev.Props.Get(goical.PropRecurrenceID)
	t, err := dateTime(rid)
	if err != nil {
		return icsError(line, "RECURRENCE-ID: "+strings.TrimPrefix(err.Error(), "ical: "))
	}
	key := e.occurrenceKey(t)
	at, ok := occurrenceStarts(e)[key]
	if !ok {
		return nil
	}
	if st, _ := ev.Props.Text(goical.PropStatus); strings.EqualFold(st, "CANCELLED") {
		ie.Exceptions = setException(ie.Exceptions, Exception{OccursOn: key, Cancelled: true, StartsAt: at, EndsAt: at.Add(e.EndsAt.Sub(e.StartsAt))})
		return nil
	}
	o, err := importEvent(ev, line)
	if err != nil || o == nil {
		return err
	}
	ie.Exceptions = setException(ie.Exceptions, Exception{OccursOn: key, Title: o.Title, Place: o.Place, Description: o.Description, StartsAt: o.StartsAt, EndsAt: o.EndsAt})
	return nil
}

// importEvent reads one VEVENT (nil: a cancelled one, left out).
func importEvent(ev goical.Event, line int) (*ImportEvent, error) {
	if st, _ := ev.Props.Text(goical.PropStatus); strings.EqualFold(st, "CANCELLED") {
		return nil, nil
	}
	start := ev.Props.Get(goical.PropDateTimeStart)
	if start == nil {
		return nil, icsError(line, "the event has no DTSTART")
	}
	allDay := start.ValueType() == goical.ValueDate || len(start.Value) == len("20060102")
	st, err := dateTime(start)
	if err != nil {
		return nil, icsError(line, "DTSTART: "+strings.TrimPrefix(err.Error(), "ical: "))
	}
	en := st
	if end := ev.Props.Get(goical.PropDateTimeEnd); end != nil {
		if en, err = dateTime(end); err != nil {
			return nil, icsError(line, "DTEND: "+strings.TrimPrefix(err.Error(), "ical: "))
		}
	} else if d := ev.Props.Get(goical.PropDuration); d != nil {
		dur, err := d.Duration()
		if err != nil {
			return nil, icsError(line, "DURATION: "+strings.TrimPrefix(err.Error(), "ical: "))
		}
		en = st.Add(dur)
	} else if allDay {
		en = st.AddDate(0, 0, 1)
	}
	if en.Before(st) {
		return nil, icsError(line, "the event ends before it starts")
	}
	if allDay {
		// DTEND of a day is exclusive (RFC 5545 §3.6.1); the product keeps the last day.
		st, en = day(st), day(en)
		if en.After(st) {
			en = en.AddDate(0, 0, -1)
		}
	}
	if en.Sub(st) > MaxEventDays*24*time.Hour {
		return nil, icsError(line, fmt.Sprintf("an event lasts at most %d days", MaxEventDays))
	}
	if st.Year() < 1970 || st.Year() > 9000 {
		return nil, icsError(line, "DTSTART is out of range")
	}
	text := func(name string) string { v, _ := ev.Props.Text(name); return v }
	title := clean(text(goical.PropSummary), MaxTitle, false)
	if title == "" {
		return nil, icsError(line, "the event has no SUMMARY")
	}
	return &ImportEvent{Line: line, UID: clean(text(goical.PropUID), 500, false), Title: title,
		Place: clean(text(goical.PropLocation), MaxPlace, false), StartsAt: st.UTC(), EndsAt: en.UTC(), AllDay: allDay,
		Repeats: ev.Props.Get(goical.PropRecurrenceRule) != nil, Description: clean(text(goical.PropDescription), eventDescription, true)}, nil
}

// dateTime reads a DATE or DATE-TIME; a time zone the server does not know (Windows names)
// is read as UTC rather than refusing the whole file.
func dateTime(p *goical.Prop) (time.Time, error) {
	t, err := p.DateTime(time.UTC)
	if err != nil && p.Params.Get(goical.PropTimezoneID) != "" {
		q := *p
		q.Params = goical.Params{}
		return q.DateTime(time.UTC)
	}
	return t, err
}

// ImportICS previews (dryRun) or imports the events of an .ics file into a space: the
// actor must be able to add events there; an event whose UID the space already has is skipped.
func (s *Service) ImportICS(ctx context.Context, a *actor.Actor, spaceID int64, data []byte, dryRun bool) (ImportReport, error) {
	tn := s.tenant(a.AccountID())
	var f problem.Fields
	sp, err := s.spaceForEvents(ctx, tn, a, &f, spaceID)
	if err != nil {
		return ImportReport{}, err
	}
	if err := f.Err(); err != nil {
		return ImportReport{}, err
	}
	if len(data) > MaxImportBytes {
		return ImportReport{}, problem.TooLarge(fmt.Sprintf("the file is larger than %d MiB", MaxImportBytes>>20))
	}
	evs, err := ParseICS(data)
	if err != nil {
		return ImportReport{}, err
	}
	rep := ImportReport{SpaceID: sp.ID, Events: evs}
	var have []string
	if err := tn.SelectFrom("intranet_events", "e").Column("e.source_uid").Where("e.space_id = ? AND e.source_uid <> ''", sp.ID).Scan(ctx, &have); err != nil {
		return rep, err
	}
	known := make(map[string]bool, len(have))
	for _, u := range have {
		known[u] = true
	}
	for i := range rep.Events {
		e := &rep.Events[i]
		if e.UID != "" && known[e.UID] {
			e.Duplicate = true
			rep.Skipped++
		}
		known[e.UID] = e.UID != ""
	}
	if dryRun {
		return rep, nil
	}
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		var refs []hooks.Ref
		for _, ie := range rep.Events {
			if ie.Duplicate {
				continue
			}
			e := Event{SpaceID: sp.ID, Title: ie.Title, Description: ie.Description, Place: ie.Place, StartsAt: ie.StartsAt, EndsAt: ie.EndsAt, AllDay: ie.AllDay, SourceUID: ie.UID,
				Recurrence: ie.Recurrence, RecurCount: ie.RecurCount, RecurUntil: ie.RecurUntil, TimeZone: ie.TimeZone}
			if e.Recurrence != "" {
				end := e.seriesEnd()
				e.SeriesEndsAt = &end
			}
			if err := s.insertEvent(ctx, tn, a, &e, nil); err != nil {
				return err
			}
			if len(ie.Exceptions) > 0 {
				xs := make([]Exception, len(ie.Exceptions))
				for i, x := range ie.Exceptions {
					x.EventID, x.UpdatedAt = e.ID, s.now()
					xs[i] = x
				}
				if _, err := tn.Insert(&xs).Exec(ctx); err != nil {
					return err
				}
				if err := settleSeries(ctx, tn, e.ID); err != nil {
					return err
				}
			}
			refs = append(refs, hooks.Ref{Kind: KindEvent, ID: e.ID})
			rep.Imported++
		}
		if err := touch(ctx, tn, refs...); err != nil {
			return err
		}
		return record(ctx, tn, a, "intranet.events_imported", "space", sp.ID, map[string]any{"imported": rep.Imported, "skipped": rep.Skipped})
	})
	return rep, err
}
