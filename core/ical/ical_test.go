package ical

import (
	"bytes"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"
)

// parse reads a feed back with an independent library (emersion/go-ical, strict about the
// grammar), so the writer is checked against someone else's reading of RFC 5545.
func parse(t testing.TB, b []byte) *goical.Calendar {
	t.Helper()
	cal, err := goical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		t.Fatalf("the feed does not parse: %v\n%s", err, b)
	}
	return cal
}

func TestWriteParsesBack(t *testing.T) {
	stamp := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	long := strings.Repeat("Подготовить отчёт, проверить; ", 10) // multi-byte, with , and ;
	events := []Event{
		{UID: "task-1@example.test", Summary: "Ship v2, finally; \\ no excuses", Description: "line one\nline two, with comma",
			URL: "https://example.test/acme/projects/1/tasks/1", Starts: time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC), AllDay: true},
		{UID: "alloc-2@example.test", Summary: long, Starts: time.Date(2026, 12, 28, 0, 0, 0, 0, time.UTC),
			Ends: time.Date(2026, 12, 30, 0, 0, 0, 0, time.UTC), AllDay: true},
		{UID: "event-3@example.test", Summary: "Kick-off", Starts: time.Date(2026, 12, 8, 10, 0, 0, 0, time.FixedZone("CET", 3600)),
			Ends: time.Date(2026, 12, 8, 11, 0, 0, 0, time.FixedZone("CET", 3600))},
	}
	var buf bytes.Buffer
	if err := Write(&buf, Calendar{Name: "Alice — GroupCamp", Stamp: stamp, Refresh: time.Hour}, events); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	for i, line := range strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Fatalf("line %d is %d octets, RFC 5545 folds at 75: %q", i, len(line), line)
		}
	}
	if !bytes.Contains(out, []byte("DTSTART;VALUE=DATE:20261224\r\n")) || !bytes.Contains(out, []byte("DTEND;VALUE=DATE:20261225\r\n")) {
		t.Fatalf("an all-day event is VALUE=DATE with an exclusive end:\n%s", out)
	}
	cal := parse(t, out)
	if v, _ := cal.Props.Text(goical.PropVersion); v != "2.0" {
		t.Fatalf("VERSION = %q", v)
	}
	evs := cal.Events()
	if len(evs) != 3 {
		t.Fatalf("%d events, want 3", len(evs))
	}
	first := evs[0]
	if s, _ := first.Props.Text(goical.PropSummary); s != events[0].Summary {
		t.Fatalf("SUMMARY round-trips to %q, want %q", s, events[0].Summary)
	}
	if s, _ := first.Props.Text(goical.PropDescription); s != events[0].Description {
		t.Fatalf("DESCRIPTION round-trips to %q", s)
	}
	if uid, _ := first.Props.Text(goical.PropUID); uid != "task-1@example.test" {
		t.Fatalf("UID = %q", uid)
	}
	if u := first.Props.Get(goical.PropURL); u == nil || u.Value != events[0].URL {
		t.Fatalf("URL = %+v", u)
	}
	if ds, err := first.Props.DateTime(goical.PropDateTimeStamp, time.UTC); err != nil || !ds.Equal(stamp) {
		t.Fatalf("DTSTAMP = %v %v", ds, err)
	}
	if s, _ := evs[1].Props.Text(goical.PropSummary); !strings.HasPrefix(long, strings.TrimSuffix(s, "…")) || s == "" {
		t.Fatalf("the long Cyrillic summary comes back mangled: %q", s)
	}
	end, err := evs[1].DateTimeEnd(time.UTC)
	if err != nil || !end.Equal(time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("a 28-30 December event ends (exclusive) on the 31st, got %v %v", end, err)
	}
	start, err := evs[2].DateTimeStart(time.UTC)
	if err != nil || !start.Equal(time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)) {
		t.Fatalf("an instant is written in UTC: %v %v", start, err)
	}
}

func TestBounds(t *testing.T) {
	var buf bytes.Buffer
	huge := strings.Repeat("é", MaxDescription)
	if err := Write(&buf, Calendar{}, []Event{{UID: "x@y", Summary: huge, Description: huge, Starts: time.Now(), AllDay: true}}); err != nil {
		t.Fatal(err)
	}
	ev := parse(t, buf.Bytes()).Events()[0]
	s, _ := ev.Props.Text(goical.PropSummary)
	d, _ := ev.Props.Text(goical.PropDescription)
	if len(s) > MaxSummary+len("…") || len(d) > MaxDescription+len("…") || !strings.HasSuffix(s, "…") {
		t.Fatalf("summary %d and description %d bytes: not clipped", len(s), len(d))
	}
}

func BenchmarkWrite500(b *testing.B) {
	events := make([]Event, 500)
	for i := range events {
		events[i] = Event{UID: "task-" + strings.Repeat("9", 6) + "@example.test", Summary: "Review the quarterly plan, section " + string(rune('A'+i%26)),
			Description: "A task of the project Website", URL: "https://example.test/acme/projects/1/tasks/1", Starts: time.Date(2026, 12, 1+i%28, 0, 0, 0, 0, time.UTC), AllDay: true}
	}
	b.ReportAllocs()
	var buf bytes.Buffer
	for i := 0; i < b.N; i++ {
		buf.Reset()
		if err := Write(&buf, Calendar{Name: "Feed"}, events); err != nil {
			b.Fatal(err)
		}
	}
}

// TestZonedSeries: a weekly 09:00 Paris series is written in local time with TZID and the
// zone's VTIMEZONE (its summer-time parts included), a skipped occurrence as EXDATE and a
// moved one as an entry of the same UID with RECURRENCE-ID; an independent reader resolves
// the first start and the override to the right instants.
func TestZonedSeries(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no zone database")
	}
	first := time.Date(2027, 3, 22, 9, 0, 0, 0, paris) // winter time; the 29th is summer time
	events := []Event{
		{UID: "s@x", Summary: "Standup", Starts: first, Ends: first.Add(15 * time.Minute), RRule: "FREQ=WEEKLY;COUNT=4", Zone: "Europe/Paris",
			ExDates: []time.Time{first.AddDate(0, 0, 7)}},
		{UID: "s@x", Summary: "Standup (moved)", Starts: first.AddDate(0, 0, 14).Add(time.Hour), Ends: first.AddDate(0, 0, 14).Add(75 * time.Minute),
			Zone: "Europe/Paris", RecurrenceID: first.AddDate(0, 0, 14)},
		{UID: "d@x", Summary: "Holiday", Starts: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), AllDay: true, RRule: "FREQ=MONTHLY;COUNT=3", Zone: "Europe/Paris",
			ExDates: []time.Time{time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)}},
	}
	var buf bytes.Buffer
	if err := Write(&buf, Calendar{}, events); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{"DTSTART;TZID=Europe/Paris:20270322T090000\r\n", "EXDATE;TZID=Europe/Paris:20270329T090000\r\n",
		"RECURRENCE-ID;TZID=Europe/Paris:20270405T090000\r\n", "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n", "BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n",
		"EXDATE;VALUE=DATE:20270201\r\n", "DTSTART;VALUE=DATE:20270101\r\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("the feed lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, "BEGIN:VTIMEZONE") != 1 {
		t.Errorf("one VTIMEZONE per zone:\n%s", out)
	}
	evs := parse(t, buf.Bytes()).Events()
	if len(evs) != 3 {
		t.Fatalf("%d events", len(evs))
	}
	if st, err := evs[0].DateTimeStart(time.UTC); err != nil || !st.Equal(first) {
		t.Errorf("the series starts %v (%v), want %v", st, err, first)
	}
	if st, err := evs[1].DateTimeStart(time.UTC); err != nil || !st.Equal(first.AddDate(0, 0, 14).Add(time.Hour)) {
		t.Errorf("the override starts %v (%v)", st, err)
	}
}
