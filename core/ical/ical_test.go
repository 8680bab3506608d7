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
