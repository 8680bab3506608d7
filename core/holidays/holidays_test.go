package holidays

import (
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestKnownDates checks dates published by each country's government for several years.
func TestKnownDates(t *testing.T) {
	cases := []struct {
		country, date string
	}{
		{"FR", "2025-07-14"}, {"FR", "2026-07-14"}, {"FR", "2025-04-21"}, {"FR", "2026-04-06"},
		{"FR", "2027-03-29"}, {"FR", "2025-05-29"}, {"FR", "2024-11-11"},
		{"DE", "2024-10-03"}, {"DE", "2025-10-03"}, {"DE", "2030-10-03"}, {"DE", "2025-04-18"},
		{"GB", "2026-12-28"}, {"GB", "2027-12-27"}, {"GB", "2027-12-28"}, {"GB", "2025-08-25"},
		{"US", "2026-11-26"}, {"US", "2025-11-27"}, {"US", "2024-11-28"}, {"US", "2026-07-03"},
		{"US", "2027-06-18"}, {"US", "2026-01-19"},
		{"RU", "2026-01-05"}, {"RU", "2027-01-08"}, {"RU", "2024-11-04"}, {"RU", "2025-11-04"}, {"RU", "2026-06-12"}, {"RU", "2025-05-09"},
		{"CA", "2025-07-01"}, {"CA", "2029-07-02"}, {"CA", "2026-05-18"}, {"CA", "2025-09-30"},
		{"CH", "2025-08-01"}, {"CH", "2026-05-14"}, {"CH", "2025-12-26"},
		{"BE", "2025-07-21"}, {"BE", "2026-07-21"}, {"BE", "2025-11-11"},
		{"IT", "2025-04-25"}, {"IT", "2026-06-02"}, {"IT", "2025-12-26"}, {"IT", "2025-04-21"},
		{"ES", "2025-10-12"}, {"ES", "2026-12-08"}, {"ES", "2025-04-18"}, {"ES", "2024-12-06"},
	}
	for _, c := range cases {
		if _, ok := Is(c.country, day(c.date)); !ok {
			t.Errorf("%s %s: not a holiday, want one", c.country, c.date)
		}
	}
}

// TestNotHolidays guards against over-inclusion: regional days and weekend days that moved.
func TestNotHolidays(t *testing.T) {
	cases := []struct {
		country, date, why string
	}{
		{"DE", "2025-01-06", "Heilige Drei Könige is regional (BW, BY, ST)"},
		{"CH", "2025-03-19", "Josefstag is cantonal"},
		{"CA", "2025-04-21", "Easter Monday is not a general holiday"},
		{"GB", "2026-12-26", "Boxing Day 2026 is a Saturday: the day off is Monday 28"},
		{"FR", "2025-07-15", "an ordinary day"},
		{"US", "2026-07-04", "Independence Day 2026 is a Saturday: observed Friday 3"},
	}
	for _, c := range cases {
		if name, ok := Is(c.country, day(c.date)); ok {
			t.Errorf("%s %s is %q, want none: %s", c.country, c.date, name, c.why)
		}
	}
}

func TestObservedSubstitute(t *testing.T) {
	hs := Between("GB", day("2026-12-20"), day("2026-12-31"))
	if len(hs) != 2 {
		t.Fatalf("GB late December 2026: %+v, want Christmas and the Boxing Day substitute", hs)
	}
	boxing := hs[1]
	if !boxing.Date.Equal(day("2026-12-28")) || !boxing.Actual.Equal(day("2026-12-26")) || !boxing.Observed() {
		t.Fatalf("Boxing Day 2026 = %+v, want day off 28 for the 26th", boxing)
	}
	if hs[0].Observed() {
		t.Fatalf("Christmas 2026 (a Friday) is not a substitute: %+v", hs[0])
	}
}

func TestBetween(t *testing.T) {
	hs := Between("fr", day("2025-01-01"), day("2025-12-31"))
	if len(hs) != 11 {
		t.Fatalf("France 2025 has 11 public holidays, got %d: %+v", len(hs), hs)
	}
	for i := 1; i < len(hs); i++ {
		if hs[i].Date.Before(hs[i-1].Date) {
			t.Fatalf("not sorted: %v before %v", hs[i-1].Date, hs[i].Date)
		}
	}
	for _, h := range hs {
		if h.Date.Location() != time.UTC || h.Date.Hour() != 0 || h.Name == "" {
			t.Fatalf("a holiday is a named civil day at UTC midnight: %+v", h)
		}
	}
	// Across a new year, the US takes New Year 2022 (a Saturday) on Friday 31 Dec 2021.
	if name, ok := Is("US", day("2021-12-31")); !ok || name != "New Year's Day" {
		t.Fatalf("US 2021-12-31 = %q %v, want New Year's Day observed", name, ok)
	}
	// One entry per day off: Russia's 1 January 2022 (a Saturday) moved onto the 3rd, itself a
	// New Year holiday.
	ru := Between("RU", day("2022-01-01"), day("2022-01-10"))
	for i := 1; i < len(ru); i++ {
		if ru[i].Date.Equal(ru[i-1].Date) {
			t.Fatalf("two holidays on %v: %+v", ru[i].Date, ru)
		}
	}
	// Bounds: unknown country, reversed and huge ranges give nothing.
	if Between("XX", day("2025-01-01"), day("2025-12-31")) != nil {
		t.Fatal("unknown country must give nothing")
	}
	if Between("FR", day("2025-12-31"), day("2025-01-01")) != nil {
		t.Fatal("a reversed range must give nothing")
	}
	if Between("FR", day("1900-01-01"), day("2100-01-01")) != nil {
		t.Fatal("a range over MaxYears must give nothing")
	}
}

func TestCountries(t *testing.T) {
	want := []string{"BE", "CA", "CH", "DE", "ES", "FR", "GB", "IT", "RU", "US"}
	got := Countries()
	if len(got) != len(want) {
		t.Fatalf("Countries() = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] || !Supported(want[i]) {
			t.Fatalf("Countries() = %v, want %v", got, want)
		}
	}
	if Supported("ZZ") || !Supported("gb") {
		t.Fatal("Supported: ZZ no, gb (any case) yes")
	}
	for _, c := range want {
		for y := 2024; y <= 2030; y++ {
			if n := len(Between(c, time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC))); n < 6 {
				t.Errorf("%s %d: only %d holidays", c, y, n)
			}
		}
	}
}

// BenchmarkYearAllCountries is what a planning page for a multi-country team asks for.
func BenchmarkYearAllCountries(b *testing.B) {
	from, to := day("2026-01-01"), day("2026-12-31")
	cs := Countries()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		n := 0
		for _, c := range cs {
			n += len(Between(c, from, to))
		}
		if n < 80 {
			b.Fatalf("only %d holidays", n)
		}
	}
}
