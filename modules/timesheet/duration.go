package timesheet

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// ErrDuration is ParseDuration's answer to text that is no duration.
var ErrDuration = errors.New("is not a duration: write it as 1:30, 1h30, 1.5h, 90m or 2h")

// ErrDays is the answer to text that is no duration in an account that counts in days.
var ErrDays = errors.New("is not a duration: write it in days (1, 0.5, ½, 1d) or hours (1:30, 1h30, 90m)")

// MaxDayMinutes is a day: no one logs more in one day.
const MaxDayMinutes = 24 * 60

// ParseDuration reads a duration as people type it, into whole minutes:
//
//	1:30  1h30  1h30m  1.5h  1,5h  90m  90min  2h  1.5  (a bare number is hours)
//
// Spaces and case do not matter. Fractions of a minute are rounded to the nearest minute.
// Empty text is 0 with no error (an empty cell of the grid); the caller decides whether 0
// is allowed. Negative durations and durations over a day are an error.
func ParseDuration(s string) (int, error) { return parseDuration(s, 0, false) }

// parseDuration is ParseDuration that also reads days of workday minutes when workday is more
// than 0 ("1d", "0.5d", "½d"; "½" is a half), and a bare number as days when bareDays.
func parseDuration(s string, workday int, bareDays bool) (int, error) {
	s = strings.ToLower(strings.Join(strings.Fields(s), ""))
	if s == "" {
		return 0, nil
	}
	fail := ErrDuration
	if bareDays {
		fail = ErrDays
	}
	if workday > 0 {
		s = strings.ReplaceAll(s, "½", ".5")
	}
	if len(s) > 16 {
		return 0, fail
	}
	var minutes float64
	switch {
	case workday > 0 && (strings.HasSuffix(s, "d") || (bareDays && strings.Trim(s, "0123456789.,") == "")):
		v, err := number(strings.TrimSuffix(s, "d"))
		if err != nil {
			return 0, fail
		}
		minutes = v * float64(workday)
	case strings.Contains(s, ":"):
		h, m, _ := strings.Cut(s, ":")
		hv, err1 := whole(h)
		mv, err2 := whole(m)
		if err1 != nil || err2 != nil || mv >= 60 || len(m) != 2 {
			return 0, fail
		}
		minutes = float64(hv*60 + mv)
	case strings.HasSuffix(s, "min") || (strings.HasSuffix(s, "m") && !strings.Contains(s, "h")):
		v, err := number(strings.TrimSuffix(strings.TrimSuffix(s, "in"), "m"))
		if err != nil {
			return 0, fail
		}
		minutes = v
	case strings.Contains(s, "h"):
		h, rest, _ := strings.Cut(s, "h")
		hv, err := number(h)
		if err != nil {
			return 0, fail
		}
		minutes = hv * 60
		rest = strings.TrimSuffix(strings.TrimSuffix(rest, "min"), "m")
		if rest != "" {
			if strings.ContainsAny(h, ".,") {
				return 0, fail // 1.5h30 means nothing
			}
			mv, err := whole(rest)
			if err != nil || mv >= 60 {
				return 0, fail
			}
			minutes += float64(mv)
		}
	default:
		v, err := number(s)
		if err != nil {
			return 0, fail
		}
		minutes = v * 60
	}
	n := int(minutes + 0.5)
	if n > MaxDayMinutes {
		return 0, fail
	}
	return n, nil
}

// whole reads digits only (no sign).
func whole(s string) (int, error) {
	if s == "" || len(s) > 5 || strings.Trim(s, "0123456789") != "" {
		return 0, ErrDuration
	}
	return strconv.Atoi(s)
}

// number reads digits with at most one decimal point or comma (no sign, no exponent).
func number(s string) (float64, error) {
	s = strings.Replace(s, ",", ".", 1)
	if s == "" || s == "." || strings.Trim(s, "0123456789.") != "" || strings.Count(s, ".") > 1 || len(s) > 8 {
		return 0, ErrDuration
	}
	return strconv.ParseFloat(s, 64)
}

// FormatDuration writes minutes as h:mm ("" for 0), the way the grid shows them.
func FormatDuration(minutes int) string {
	if minutes == 0 {
		return ""
	}
	sign := ""
	if minutes < 0 {
		sign, minutes = "-", -minutes
	}
	return sign + strconv.Itoa(minutes/60) + ":" + twoDigits(minutes%60)
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// Week is an ISO 8601 week, "2026-W49": Monday to Sunday.
type Week struct {
	Year, Num int
}

// ParseWeek reads "2026-W49" (also lower case "2026-w49").
func ParseWeek(s string) (Week, bool) {
	y, n, ok := strings.Cut(strings.ToUpper(s), "-W")
	if !ok || len(y) != 4 || len(n) != 2 {
		return Week{}, false
	}
	yv, err1 := whole(y)
	nv, err2 := whole(n)
	if err1 != nil || err2 != nil || yv < 1970 || yv > 9998 || nv < 1 {
		return Week{}, false
	}
	w := Week{yv, nv}
	// A year has 52 or 53 weeks: the Monday of week n must still be in that ISO year.
	if y2, n2 := w.Monday().ISOWeek(); y2 != yv || n2 != nv {
		return Week{}, false
	}
	return w, true
}

// WeekOf is the ISO week of a day.
func WeekOf(t time.Time) Week {
	y, n := t.ISOWeek()
	return Week{y, n}
}

// String is "2026-W49".
func (w Week) String() string { return strconv.Itoa(w.Year) + "-W" + twoDigits(w.Num) }

// Monday is the first day of the week (UTC midnight).
func (w Week) Monday() time.Time {
	// 4 January is always in week 1.
	jan4 := time.Date(w.Year, 1, 4, 0, 0, 0, 0, time.UTC)
	offset := (int(jan4.Weekday()) + 6) % 7 // days since Monday
	return jan4.AddDate(0, 0, -offset+(w.Num-1)*7)
}

// Days are the seven days of the week, Monday first, as "YYYY-MM-DD".
func (w Week) Days() []string {
	m := w.Monday()
	out := make([]string, 7)
	for i := range out {
		out[i] = m.AddDate(0, 0, i).Format(DayLayout)
	}
	return out
}

// Prev is the week before.
func (w Week) Prev() Week { return WeekOf(w.Monday().AddDate(0, 0, -7)) }

// Next is the week after.
func (w Week) Next() Week { return WeekOf(w.Monday().AddDate(0, 0, 7)) }

// DayLayout is how days are written and stored.
const DayLayout = "2006-01-02"

// ParseDay reads a day "YYYY-MM-DD" (years 1970 to 9998).
func ParseDay(s string) (time.Time, bool) {
	if len(s) != 10 {
		return time.Time{}, false
	}
	t, err := time.Parse(DayLayout, s)
	if err != nil || t.Year() < 1970 || t.Year() > 9998 {
		return time.Time{}, false
	}
	return t, true
}
