package web

import (
	"strings"
	"testing"
	"time"

	"groupcamp/core/actor"
)

// TestWhenIsInTheViewersTimeZone: an instant reads in the time zone of the viewer's profile,
// in UTC for someone without one (or with an unknown name).
func TestWhenIsInTheViewersTimeZone(t *testing.T) {
	cat, err := NewCatalog()
	if err != nil {
		t.Fatal(err)
	}
	noon := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	for _, c := range []struct{ zone, lang, want string }{
		{"", "en", "12:00 pm"},
		{"Europe/Paris", "en", "1:00 pm"},
		{"America/New_York", "fr", "07:00"},
		{"Asia/Tokyo", "ru", "21:00"},
		{"Not/AZone", "en", "12:00 pm"},
	} {
		p := &Page{L: cat.For(c.lang), Actor: &actor.Actor{TimeZone: c.zone}}
		if got := p.When(noon); !strings.Contains(got, c.want) {
			t.Errorf("%q in %s: %q, want %s", c.zone, c.lang, got, c.want)
		}
	}
	if got := (&Page{L: cat.For("en")}).When(noon); !strings.Contains(got, "12:00 pm") {
		t.Errorf("signed out: %q", got)
	}
}
