package files

import (
	"testing"
	"time"
)

// TestSQLiteTime: the listing's parser reads the driver's layout exactly as time.Parse does,
// whatever the length of the fraction, and falls back to time.Parse for other forms.
func TestSQLiteTime(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"2026-12-07 12:15:13+00:00", "2026-12-07 12:15:13.1+00:00", "2026-12-07 12:15:13.123456+00:00",
		"2026-12-07 12:15:13.123456789+00:00", "2024-02-29 23:59:59.000001+00:00", "2026-12-07 13:15:13.5+01:00",
	} {
		want, err := time.Parse("2006-01-02 15:04:05.999999999-07:00", s)
		if err != nil {
			t.Fatal(err)
		}
		if got := sqliteTime(s); !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("%s: %v, want %v", s, got, want)
		}
	}
	if got := sqliteTime("not a time"); !got.IsZero() {
		t.Errorf("garbage: %v", got)
	}
}
