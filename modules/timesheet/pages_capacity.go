package timesheet

import (
	"context"

	"groupcamp/core/actor"
)

// capacityView is the person's capacity under the grid: expected time per day, what remains
// of the week, the caps and the days (or week) that reach them.
type capacityView struct {
	Profile string
	// Days: the account counts in days (the cells read and show days).
	Days          bool
	Expected      []string
	ExpectedTotal string
	// Remaining is the time still expected this week ("" when the week is full); Extra the
	// time logged beyond what was expected.
	Remaining, Extra string
	DayCap           string // the cap per day when the same every day
	WeekCap          string
	// Warnings are message keys with their parameters: a day or the week at or over its cap;
	// Texts are them in the reader's language.
	Warnings []warning
	Texts    []string
}

// translate writes the warnings in the page's language.
func (v *capacityView) translate(t func(string, ...any) string) {
	for _, w := range v.Warnings {
		v.Texts = append(v.Texts, t(w.Key, w.Params...))
	}
}

type warning struct {
	Key    string
	Params []any
}

// capacityOf builds the capacity part of the grid and returns the unit of the week.
func (h *handlers) capacityOf(ctx context.Context, a *actor.Actor, t *Timesheet) (*capacityView, Unit, error) {
	w, _ := ParseWeek(t.Week)
	wc, err := h.svc.WeekCapacity(ctx, a.AccountID(), t.UserID, w)
	if err != nil {
		return nil, Unit{}, err
	}
	u := wc.Unit
	v := &capacityView{Profile: wc.Profile, Days: u.Days, ExpectedTotal: u.FormatWeek(wc.Expected[:])}
	for i, m := range wc.Expected {
		v.Expected = append(v.Expected, u.FormatOn(m, i))
	}
	switch diff := u.Sum(wc.Expected[:]) - u.Sum(dayMinutes(t)); {
	case u.Show(diff) == "":
	case diff > 0:
		v.Remaining = u.Show(diff)
	default:
		v.Extra = u.Show(-diff)
	}
	same := true
	for i, c := range wc.DayCap {
		if c != wc.DayCap[0] {
			same = false
		}
		if c > 0 && i < len(t.Days) && t.Days[i].Minutes >= c {
			key := "timesheet.capacity.day_at_cap"
			if t.Days[i].Minutes > c {
				key = "timesheet.capacity.day_over_cap"
			}
			v.Warnings = append(v.Warnings, warning{key, []any{"Day", t.Days[i].Date, "Cap", u.FormatOn(c, i)}})
		}
	}
	if same && wc.DayCap[0] > 0 {
		v.DayCap = u.FormatOn(wc.DayCap[0], 0)
	}
	if wc.WeekCap > 0 {
		v.WeekCap = u.Format(wc.WeekCap)
		if t.TotalMinutes >= wc.WeekCap {
			key := "timesheet.capacity.week_at_cap"
			if t.TotalMinutes > wc.WeekCap {
				key = "timesheet.capacity.week_over_cap"
			}
			v.Warnings = append(v.Warnings, warning{key, []any{"Cap", v.WeekCap}})
		}
	}
	return v, u, nil
}

// dayMinutes are the minutes of each day of the sheet, Monday first.
func dayMinutes(t *Timesheet) []int {
	out := make([]int, len(t.Days))
	for i, d := range t.Days {
		out[i] = d.Minutes
	}
	return out
}
