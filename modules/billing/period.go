package billing

import (
	"encoding/json"
	"fmt"
	"time"
)

// Periods: a subscription is invoiced a month ahead, from its anniversary day. A period runs
// from PeriodStart (inclusive) to PeriodEnd (exclusive, the next invoice's day); each period
// ends on the anniversary's day of the month, or the month's last day when it has fewer days
// (an account that subscribed on 31 January renews on 28 February, then on 31 March).

// civil parses a row's day ("2006-01-02"); ok is false for anything else.
func civil(s string) (time.Time, bool) {
	t, err := time.Parse("2006-01-02", s)
	return t, err == nil
}

// nextPeriodEnd is the anniversary after from: the next month, on the anniversary's day
// (anchor) or the month's last.
func nextPeriodEnd(from time.Time, anchor int) time.Time {
	y, m, _ := from.Date()
	first := time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return first.AddDate(0, 0, min(anchor, last)-1)
}

// anchorOf is the anniversary's day of the month (the day the subscription started).
func anchorOf(sub *Subscription) int {
	if t, ok := civil(sub.AnniversaryOn); ok {
		return t.Day()
	}
	return 1
}

// period is the subscription's current period; rows of the first slice, that have none
// stored, start on their anniversary.
func period(sub *Subscription) (start, end time.Time, ok bool) {
	start, ok1 := civil(sub.PeriodStart)
	end, ok2 := civil(sub.PeriodEnd)
	if ok1 && ok2 {
		return start, end, true
	}
	start, ok = civil(sub.AnniversaryOn)
	if !ok {
		return start, start, false
	}
	return start, nextPeriodEnd(start, start.Day()), true
}

// daysBetween counts the civil days from a to b.
func daysBetween(a, b time.Time) int64 { return int64(b.Sub(a).Hours()+12) / 24 }

// divRound is n/d rounded half away from zero (d > 0).
func divRound(n, d int64) int64 {
	if n < 0 {
		return -((-n + d/2) / d)
	}
	return (n + d/2) / d
}

// lineNet is what a line is worth: Quantity × UnitMinor, times its prorated fraction.
func lineNet(l Line) int64 {
	n := l.Quantity * l.UnitMinor
	if l.PeriodDays > 0 {
		return divRound(n*l.ProrateDays, l.PeriodDays)
	}
	return n
}

// prorated is an upgrade's lines for the days left of the period: the unused days of the old
// plan credited (negative), the same days of the new plan charged. Each line carries its
// fraction, so its amount is reproducible: quantity × unit × days left / days in the period.
func prorated(oldPlan Plan, oldOffs []string, oldSeats int64, newPlan Plan, newOffs []string, newSeats int64, left, days int64) []Line {
	label := fmt.Sprintf("%d/%d days", left, days)
	var out []Line
	for _, l := range monthLines(oldPlan, oldOffs, oldSeats) {
		l.Description = fmt.Sprintf("Unused time: %s (%s)", l.Description, label)
		l.UnitMinor, l.ProrateDays, l.PeriodDays = -l.UnitMinor, left, days
		out = append(out, l)
	}
	for _, l := range monthLines(newPlan, newOffs, newSeats) {
		l.Description = fmt.Sprintf("%s (%s)", l.Description, label)
		l.ProrateDays, l.PeriodDays = left, days
		out = append(out, l)
	}
	return out
}

// pendingOf is the subscription's scheduled change, nil when none.
func pendingOf(sub *Subscription) *Pending {
	if sub.PendingPlan == "" {
		return nil
	}
	p := &Pending{Plan: sub.PendingPlan, Seats: sub.PendingSeats, From: sub.PeriodEnd}
	_ = json.Unmarshal([]byte(sub.PendingOfferings), &p.Offerings) // written by us: always JSON
	return p
}
