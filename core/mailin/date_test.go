package mailin

import (
	"testing"
	"time"
)

// TestParseDate reads the dates Gmail, Outlook, Thunderbird and Apple Mail write above a
// forward in English, French, German and Russian; refuses what it cannot be sure of.
func TestParseDate(t *testing.T) {
	t.Parallel()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	at := func(h, m, s int, loc *time.Location) time.Time { return time.Date(2026, 12, 4, h, m, s, 0, loc) }
	plus1 := time.FixedZone("", 3600)
	for in, want := range map[string]time.Time{
		"Thu, 4 Dec 2026 10:00:00 +0100":            at(10, 0, 0, plus1), // Thunderbird, RFC 5322
		"Fri, Dec 4, 2026 at 9:12 AM":               at(9, 12, 0, paris), // Gmail en
		"Fri, Dec 4, 2026 at 9:12 PM":               at(21, 12, 0, paris),
		"ven. 4 déc. 2026 à 09:12":                  at(9, 12, 0, paris),  // Gmail fr
		"Fr., 4. Dez. 2026 um 09:12 Uhr":            at(9, 12, 0, paris),  // Gmail de
		"пт, 4 дек. 2026 г. в 09:12":                at(9, 12, 0, paris),  // Gmail ru
		"Friday, December 4, 2026 12:05 AM":         at(0, 5, 0, paris),   // Outlook en
		"vendredi 4 décembre 2026 09:12":            at(9, 12, 0, paris),  // Outlook fr
		"Freitag, 4. Dezember 2026 09:12":           at(9, 12, 0, paris),  // Outlook de
		"пятница, 4 декабря 2026 г. 9:12":           at(9, 12, 0, paris),  // Outlook ru
		"04.12.2026 09:12":                          at(9, 12, 0, paris),  // Outlook short de/ru
		"December 4, 2026 at 9:12:30\u202fAM GMT+1": at(9, 12, 30, plus1), // Apple Mail en (narrow space)
		"4 décembre 2026 à 09:12:30 UTC+1":          at(9, 12, 30, plus1), // Apple Mail fr
		"4. Dezember 2026 um 09:12:30 MEZ":          at(9, 12, 30, plus1), // Apple Mail de
		"4 декабря 2026 г., в 9:12":                 at(9, 12, 0, paris),  // Apple Mail ru
		"mar. 8 déc. 2026 à 09:12":                  time.Date(2026, 12, 8, 9, 12, 0, 0, paris),
		"2026-12-04 09:12 UTC":                      at(9, 12, 0, time.UTC),
		"Friday, December 4, 2026 9:12 AM -05:00":   at(9, 12, 0, time.FixedZone("", -5*3600)),
	} {
		got, ok := ParseDate(in, paris)
		if !ok || !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "yesterday", "12/7/2026 10:00", "4 December 2026", "31 November 2026 10:00", "Friday 13:00 the 4th of December 2026", "4 Dec 2026 25:00", "4 Dec 2026 13:00 PM", "4 5 Dec 2026 10:00"} {
		if got, ok := ParseDate(in, paris); ok {
			t.Errorf("ParseDate(%q) = %v, want the text kept", in, got)
		}
	}
}
