package timesheet

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/capacity"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// Capacity in the timesheet (core/capacity): the caps of the profile a person works under on a
// day, and the unit their durations are typed and shown in.

// HoursText writes minutes for a message: "4 h", "3 h 30", "45 min".
func HoursText(minutes int) string {
	h, m := minutes/60, minutes%60
	switch {
	case h == 0:
		return fmt.Sprintf("%d min", m)
	case m == 0:
		return fmt.Sprintf("%d h", h)
	}
	return fmt.Sprintf("%d h %02d", h, m)
}

// Cap messages (Sayf templates: the pages translate them from "error.<template>").
const (
	capDayMsg  = "The capacity profile {profile} allows at most {cap} on a day; {had} are already logged"
	capWeekMsg = "The capacity profile {profile} allows at most {cap} in a week; {had} are already logged in {week}"
)

// capText writes minutes for a cap message in the account's unit: days of a workday of day
// minutes when it counts in days ("0.5 d"), else hours ("4 h").
func capText(u Unit, minutes, day int) string {
	if !u.Days {
		return HoursText(minutes)
	}
	return FormatDays(minutes, day)
}

// capFieldError is the message of an entry over a cap, in the unit of the person's week: a
// day's cap and time in days of that weekday's length, a week's in days of its average day.
func capFieldError(field string, u Unit, p *capacity.Profile, cap, had, weekday int, week string) problem.FieldError {
	if week != "" {
		return problem.Sayf(field, capWeekMsg, "profile", strconv.Quote(p.Name), "cap", capText(u, cap, u.Average), "had", capText(u, had, u.Average), "week", week)
	}
	return problem.Sayf(field, capDayMsg, "profile", strconv.Quote(p.Name), "cap", capText(u, cap, u.Workday[weekday]), "had", capText(u, had, u.Workday[weekday]))
}

// capProblem is the 422 of an entry of userID over a cap (the unit is looked up only then).
func (s *Service) capProblem(ctx context.Context, tn db.Tenant, userID int64, t time.Time, p *capacity.Profile, cap, had int, week string) error {
	u, err := s.unitOf(ctx, tn, userID, WeekOf(t).Monday())
	if err != nil {
		return err
	}
	return problem.Invalid(capFieldError("minutes", u, p, cap, had, capacity.Weekday(t), week))
}

// fitsCaps refuses an entry of minutes on day that takes the person's day over the
// max_day_minutes, or their ISO week over the max_week_minutes, of the profile they work under
// on that day (the entry except aside). It runs in the writer's transaction, after the week
// is locked, so two writers never pass the cap together.
func (s *Service) fitsCaps(ctx context.Context, tn db.Tenant, userID int64, day string, minutes int, except int64) error {
	if s.Capacity == nil {
		return nil
	}
	t, ok := ParseDay(day)
	if !ok {
		return nil
	}
	p, err := s.Capacity.In(tn.Unscoped()).ProfileOn(ctx, tn.AccountID, userID, t)
	if err != nil || (p.MaxDayMinutes == 0 && p.MaxWeekMinutes == 0) {
		return err
	}
	if p.MaxDayMinutes > 0 {
		had, err := s.store.dayMinutes(ctx, tn, userID, day, except)
		if err != nil {
			return err
		}
		if had+minutes > p.MaxDayMinutes {
			return s.capProblem(ctx, tn, userID, t, p, p.MaxDayMinutes, had, "")
		}
	}
	if p.MaxWeekMinutes > 0 {
		w := WeekOf(t)
		days := w.Days()
		had, err := s.store.rangeMinutes(ctx, tn, userID, days[0], days[6], except)
		if err != nil {
			return err
		}
		if had+minutes > p.MaxWeekMinutes {
			return s.capProblem(ctx, tn, userID, t, p, p.MaxWeekMinutes, had, w.String())
		}
	}
	return nil
}

// gridCaps checks the days of a saved grid against the caps: total are the week's minutes per
// day once saved, before what the days held; grown are the cells that got more time. Each
// refused cell gets the message (what the other cells hold is "already logged").
func (s *Service) gridCaps(ctx context.Context, tn db.Tenant, userID int64, w Week, total, before []int, grown []GridCell, f *problem.Fields) error {
	if s.Capacity == nil || len(grown) == 0 {
		return nil
	}
	days := w.Days()
	sc, err := s.Capacity.In(tn.Unscoped()).ProfilesOn(ctx, tn.AccountID, []int64{userID}, days[6])
	if err != nil {
		return err
	}
	week, weekBefore := 0, 0
	for i := range total {
		week, weekBefore = week+total[i], weekBefore+before[i]
	}
	var u *Unit // looked up at the first refusal
	for _, c := range grown {
		p := sc.On(userID, days[c.Day])
		dayOver := p.MaxDayMinutes > 0 && total[c.Day] > p.MaxDayMinutes && total[c.Day] > before[c.Day]
		weekOver := p.MaxWeekMinutes > 0 && week > p.MaxWeekMinutes && week > weekBefore
		if c.Minutes == 0 || !dayOver && !weekOver {
			continue
		}
		if u == nil {
			unit, err := s.unitOf(ctx, tn, userID, w.Monday())
			if err != nil {
				return err
			}
			u = &unit
		}
		if dayOver {
			f.Put(capFieldError(c.Field, *u, p, p.MaxDayMinutes, total[c.Day]-c.Minutes, c.Day, ""))
		} else {
			f.Put(capFieldError(c.Field, *u, p, p.MaxWeekMinutes, week-c.Minutes, c.Day, w.String()))
		}
	}
	return nil
}

// Unit is how a person's durations are typed and shown: hours ("1:30"), or — when the
// account's time unit is days — days of their workday ("0.5 d"), whose length is the minutes
// of their profile on that weekday (480 on a day the profile has none).
type Unit struct {
	Days bool
	// Workday is the length of a day on each weekday, Monday first.
	Workday [7]int
	// Average is the length of a day in totals over several days: the mean of the profile's
	// working days.
	Average int
}

// hoursUnit is the unit of accounts in hours.
func hoursUnit() Unit {
	u := Unit{Average: capacity.StandardDay}
	for i := range u.Workday {
		u.Workday[i] = capacity.StandardDay
	}
	return u
}

// Parse reads a duration typed on a weekday (0 Monday) into minutes (ParseDuration's forms,
// plus days: "1d", "0.5d", "½"; a bare number is days in a unit of days).
func (u Unit) Parse(s string, weekday int) (int, error) {
	return parseDuration(s, u.Workday[weekday], u.Days)
}

// Format writes minutes that belong to no one day, such as a weekly cap ("" for 0).
func (u Unit) Format(minutes int) string { return u.format(minutes, u.Average) }

// Sum is the time of a week given per day (Monday first): minutes, or in days the sum of each
// day's minutes in days of that day's length (so 4 h on a 4-hour Friday is 1 d).
func (u Unit) Sum(perDay []int) float64 {
	v := 0.0
	for i, m := range perDay {
		if u.Days {
			v += float64(m) / float64(max(u.Workday[i%7], 1))
		} else {
			v += float64(m)
		}
	}
	return v
}

// Show writes a Sum ("" for 0).
func (u Unit) Show(v float64) string {
	if !u.Days {
		return FormatDuration(int(math.Round(v)))
	}
	if math.Abs(v) < 0.005 {
		return ""
	}
	return trimDays(v)
}

// FormatWeek writes the time of a week given per day ("" for none).
func (u Unit) FormatWeek(perDay []int) string { return u.Show(u.Sum(perDay)) }

// FormatOn writes the minutes of one weekday ("" for 0).
func (u Unit) FormatOn(minutes, weekday int) string { return u.format(minutes, u.Workday[weekday]) }

func (u Unit) format(minutes, day int) string {
	if !u.Days || minutes == 0 {
		return FormatDuration(minutes)
	}
	return FormatDays(minutes, day)
}

// FormatDays writes minutes in days of day minutes, to two decimals: "0.5 d", "1.25 d".
func FormatDays(minutes, day int) string {
	if day <= 0 {
		day = capacity.StandardDay
	}
	return trimDays(float64(minutes) / float64(day))
}

// trimDays writes days to two decimals without trailing zeros: "0.5 d", "1 d".
func trimDays(d float64) string {
	v := fmt.Sprintf("%.2f", d)
	for v[len(v)-1] == '0' {
		v = v[:len(v)-1]
	}
	if v[len(v)-1] == '.' {
		v = v[:len(v)-1]
	}
	return v + " d"
}

// unitOf is the unit of a person's week starting on monday.
func (s *Service) unitOf(ctx context.Context, tn db.Tenant, userID int64, monday time.Time) (Unit, error) {
	u := hoursUnit()
	unit, err := s.store.timeUnit(ctx, tn)
	if err != nil || unit != "days" {
		return u, err
	}
	u.Days = true
	if s.Capacity == nil {
		return u, nil
	}
	end := monday.AddDate(0, 0, 6)
	sc, err := s.Capacity.In(tn.Unscoped()).ProfilesOn(ctx, tn.AccountID, []int64{userID}, end.Format(DayLayout))
	if err != nil {
		return u, err
	}
	for i := range 7 {
		d := monday.AddDate(0, 0, i)
		if m := sc.On(userID, d.Format(DayLayout)).Minutes(d); m > 0 {
			u.Workday[i] = m
		}
	}
	p := sc.On(userID, monday.Format(DayLayout))
	n, sum := 0, 0
	for _, m := range p.DayMinutes {
		if m > 0 {
			n, sum = n+1, sum+m
		}
	}
	if n > 0 {
		u.Average = sum / n
	}
	return u, nil
}

// durationParser reads the duration of an entry of userID on day as typed: the account's unit
// is looked up only when there is a duration to read.
func (s *Service) durationParser(ctx context.Context, tn db.Tenant, userID int64, day string) func(string) (int, error) {
	return func(text string) (int, error) {
		t, ok := ParseDay(day)
		if !ok {
			return ParseDuration(text)
		}
		u, err := s.unitOf(ctx, tn, userID, WeekOf(t).Monday())
		if err != nil {
			return 0, err
		}
		return u.Parse(text, capacity.Weekday(t))
	}
}

// Unit is the unit a person's week is typed and shown in (for the pages).
func (s *Service) Unit(ctx context.Context, accountID, userID int64, week Week) (Unit, error) {
	return s.unitOf(ctx, s.tenant(accountID), userID, week.Monday())
}

// WeekCapacity is what a person's profiles expect of a week: the minutes of each day, the
// caps of each day and of the week, and the unit the week is shown in.
type WeekCapacity struct {
	Profile  string // the profile on Monday
	Expected [7]int
	DayCap   [7]int // 0: none
	WeekCap  int    // of the profile on Monday; 0: none
	Unit     Unit
}

// ExpectedTotal is the week's expected minutes.
func (wc *WeekCapacity) ExpectedTotal() int {
	n := 0
	for _, m := range wc.Expected {
		n += m
	}
	return n
}

// WeekCapacity is the capacity of a person's week (for the grid).
func (s *Service) WeekCapacity(ctx context.Context, accountID, userID int64, w Week) (*WeekCapacity, error) {
	tn := s.tenant(accountID)
	u, err := s.unitOf(ctx, tn, userID, w.Monday())
	if err != nil {
		return nil, err
	}
	wc := &WeekCapacity{Unit: u}
	if s.Capacity == nil {
		return wc, nil
	}
	days := w.Days()
	sc, err := s.Capacity.ProfilesOn(ctx, accountID, []int64{userID}, days[6])
	if err != nil {
		return nil, err
	}
	for i, d := range days {
		p := sc.On(userID, d)
		t, _ := ParseDay(d)
		wc.Expected[i], wc.DayCap[i] = p.Minutes(t), p.MaxDayMinutes
		if i == 0 {
			wc.Profile, wc.WeekCap = p.Name, p.MaxWeekMinutes
		}
	}
	return wc, nil
}

// CapacityWeek is a person's week against their capacity, as the API answers it.
type CapacityWeek struct {
	UserID  int64  `json:"user_id"`
	Week    string `json:"week" example:"2026-W49"`
	Profile string `json:"profile" example:"Part time"`
	// ExpectedMinutes are the minutes the profiles expect of each day, Monday first.
	ExpectedMinutes      []int `json:"expected_minutes" example:"[480,480,480,480,240,0,0]"`
	ExpectedTotalMinutes int   `json:"expected_total_minutes" example:"2160"`
	LoggedMinutes        int   `json:"logged_minutes" example:"1800"`
	// RemainingMinutes is what is still expected (0 once the week is complete).
	RemainingMinutes int `json:"remaining_minutes" example:"360"`
	// MaxDayMinutes are the caps of each day (0: none), MaxWeekMinutes the week's.
	MaxDayMinutes  []int `json:"max_day_minutes" example:"[600,600,600,600,600,600,600]"`
	MaxWeekMinutes int   `json:"max_week_minutes" example:"0"`
	// TimeUnit is the account's: the pages show days when it is "days"; minutes here always.
	TimeUnit string `json:"time_unit" enum:"hours,days"`
}

// CapacityOfWeek is a person's week against their capacity, for whoever reaches their sheet.
func (s *Service) CapacityOfWeek(ctx context.Context, a *actor.Actor, userID int64, week string) (*CapacityWeek, error) {
	tn := s.tenant(a.AccountID())
	sh, w, es, err := s.weekSheet(ctx, tn, a, userID, week)
	if err != nil {
		return nil, err
	}
	wc, err := s.WeekCapacity(ctx, tn.AccountID, sh.person.UserID, w)
	if err != nil {
		return nil, err
	}
	out := &CapacityWeek{UserID: sh.person.UserID, Week: w.String(), Profile: wc.Profile, ExpectedMinutes: wc.Expected[:], ExpectedTotalMinutes: wc.ExpectedTotal(),
		MaxDayMinutes: wc.DayCap[:], MaxWeekMinutes: wc.WeekCap, TimeUnit: "hours"}
	if wc.Unit.Days {
		out.TimeUnit = "days"
	}
	for _, e := range es {
		out.LoggedMinutes += e.Minutes
	}
	out.RemainingMinutes = max(out.ExpectedTotalMinutes-out.LoggedMinutes, 0)
	return out, nil
}
