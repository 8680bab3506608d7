package timesheet

import (
	"testing"
	"time"
)

func TestParseDuration(t *testing.T) {
	good := map[string]int{
		"1:30": 90, "0:45": 45, "10:00": 600, "1h30": 90, "1h30m": 90, "1H30": 90, "1.5h": 90, "1,5h": 90,
		"90m": 90, "90min": 90, "2h": 120, "2": 120, "1.5": 90, " 1 h 30 ": 90, "0.25h": 15, "24h": 1440,
		"": 0, "0": 0, "0:01": 1, "1h05": 65, ".5h": 30, "0.01h": 1, "24:00": 1440,
	}
	for in, want := range good {
		got, err := ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	bad := []string{"-1h", "-30m", "1:3", "1:60", "1:", ":30", "abc", "1h60", "1.5h30", "25h", "24:01", "1e3",
		"1..5h", "h", "m", "1hh", "1:30:00", "99999999999999999", "1,5,5h", "NaN", "Inf", "0x10", "1h-30", "1441m", "+1h"}
	for _, in := range bad {
		if got, err := ParseDuration(in); err == nil {
			t.Errorf("ParseDuration(%q) = %d, want an error", in, got)
		}
	}
	for _, n := range []int{0, 1, 59, 60, 90, 1440} {
		back, err := ParseDuration(FormatDuration(n))
		if err != nil || back != n {
			t.Errorf("FormatDuration(%d) = %q reads back as %d, %v", n, FormatDuration(n), back, err)
		}
	}
}

func TestWeeks(t *testing.T) {
	w, ok := ParseWeek("2026-W49")
	if !ok || w.String() != "2026-W49" {
		t.Fatalf("ParseWeek: %v %v", w, ok)
	}
	days := w.Days()
	if days[0] != "2026-11-30" || days[6] != "2026-12-06" {
		t.Errorf("days of 2026-W49: %v", days)
	}
	if got := WeekOf(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)).String(); got != "2026-W53" {
		t.Errorf("1 January 2027 is in %s, want 2026-W53", got)
	}
	if _, ok := ParseWeek("2026-W53"); !ok {
		t.Error("2026 has 53 weeks")
	}
	for _, s := range []string{"2027-W53", "2026-W00", "2026-W5", "26-W05", "2026W05", "2026-W5x", "", "1969-W01"} {
		if _, ok := ParseWeek(s); ok {
			t.Errorf("ParseWeek(%q) accepted", s)
		}
	}
	if w.Prev().String() != "2026-W48" || w.Next().String() != "2026-W50" {
		t.Errorf("prev/next of %s: %s %s", w, w.Prev(), w.Next())
	}
	if WeekOf(w.Monday()) != w {
		t.Error("the Monday of a week is in it")
	}
}
