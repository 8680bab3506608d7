package timesheet_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/modules/timesheet"
)

// partTime gives the office's member a part-time profile from 2026-11-30 on: Mon–Thu 8 h, Fri
// 4 h, at most 4 h on a day and 20 h in a week.
func partTime(t *testing.T, o *office, dayCap, weekCap int) int64 {
	t.Helper()
	id := o.created(t, o.e.As(o.owner), "/capacity-profiles", map[string]any{"name": "Part time", "day_minutes": []int{480, 480, 480, 480, 240, 0, 0},
		"max_day_minutes": dayCap, "max_week_minutes": weekCap})
	if r := o.e.As(o.owner).Put(fmt.Sprintf("%s/users/%d/capacity", o.base, o.mem.ID), map[string]any{"profile_id": id, "starts_on": "2026-11-30"}); r.Status != http.StatusOK {
		t.Fatalf("assign: %d %s", r.Status, r.Body)
	}
	return id
}

// TestCaps: an entry over the day or week cap of the profile in force that day is a 422
// naming the cap, through the API and the grid; before the profile starts, no cap.
func TestCaps(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		partTime(t, o, 240, 600)
		mem := e.As(o.mem)
		entry := func(day, dur string) map[string]any {
			return map[string]any{"date": day, "duration": dur, "project_id": o.project}
		}
		o.created(t, mem, "/time-entries", entry("2026-12-07", "3:30"))
		before := o.entries(t, o.mem)
		r := mem.Post(o.base+"/time-entries", entry("2026-12-07", "1h"))
		want := `The capacity profile "Part time" allows at most 4 h on a day; 3 h 30 are already logged`
		if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["minutes"] != want {
			t.Fatalf("over the day cap: %d %s", r.Status, r.Body)
		}
		if o.entries(t, o.mem) != before {
			t.Fatal("a refused entry was written")
		}
		o.created(t, mem, "/time-entries", entry("2026-12-07", "0:30")) // exactly the cap
		// The week: 4 h + 4 h + 2 h = 10 h, then any more is over 600 minutes.
		o.created(t, mem, "/time-entries", entry("2026-12-08", "4h"))
		id := o.created(t, mem, "/time-entries", entry("2026-12-09", "2h"))
		r = mem.Post(o.base+"/time-entries", entry("2026-12-10", "0:15"))
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.FieldErrors()["minutes"], "at most 10 h in a week; 10 h are already logged in 2026-W50") {
			t.Fatalf("over the week cap: %d %s", r.Status, r.Body)
		}
		// Changing an entry: less is fine, more is refused.
		if r := mem.Patch(fmt.Sprintf("%s/time-entries/%d", o.base, id), map[string]any{"minutes": 60}); r.Status != http.StatusOK {
			t.Fatalf("less time: %d %s", r.Status, r.Body)
		}
		if r := mem.Patch(fmt.Sprintf("%s/time-entries/%d", o.base, id), map[string]any{"minutes": 180}); r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("more than the week cap: %d %s", r.Status, r.Body)
		}
		// Before the profile's first day the default (no caps) applies.
		o.created(t, mem, "/time-entries", entry("2026-11-23", "9h"))

		// The grid: a cell over the day cap is refused with the message, nothing written.
		b := e.BrowserLogin(o.mem)
		page := fmt.Sprintf("/%s/timesheet/%d/2026-W51", o.acc.Slug, o.mem.ID)
		p := fmt.Sprintf("p%d", o.project)
		vals := url.Values{"row": {p}, "action": {"save"}}
		vals.Set("d_"+p+"_0", "5h")
		r = b.SubmitForm(page, page, vals)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(r.String()), `The capacity profile "Part time" allows at most 4 h on a day; 0 min are already logged`) {
			s := r.String()
			t.Fatalf("grid over the cap: %d %.3000s", r.Status, s[strings.Index(s, "<main"):])
		}
		if got := o.week(t, mem, o.mem, "2026-W51"); got.TotalMinutes != 0 {
			t.Fatalf("a refused grid wrote %d minutes", got.TotalMinutes)
		}
		vals.Set("d_"+p+"_0", "4h")
		if r := b.SubmitForm(page, page, vals); r.Status != http.StatusSeeOther {
			t.Fatalf("grid at the cap: %d %s", r.Status, r.Body)
		}
		// The API tells the same: 36 h expected, 4 h logged, 32 h left, the caps.
		var cw timesheet.CapacityWeek
		if r := mem.Get(fmt.Sprintf("%s/timesheets/%d/2026-W51/capacity", o.base, o.mem.ID)); r.Status != http.StatusOK {
			t.Fatalf("capacity of the week: %d %s", r.Status, r.Body)
		} else {
			r.JSON(t, &cw)
		}
		if cw.Profile != "Part time" || cw.ExpectedTotalMinutes != 2160 || cw.LoggedMinutes != 240 || cw.RemainingMinutes != 1920 || cw.MaxDayMinutes[0] != 240 || cw.MaxWeekMinutes != 600 {
			t.Errorf("capacity of the week: %+v", cw)
		}
		if r := e.As(o.mgr2).Get(fmt.Sprintf("%s/timesheets/%d/2026-W51/capacity", o.base, o.mem.ID)); r.Status != http.StatusNotFound {
			t.Errorf("a manager who reaches no sheet of the person: %d", r.Status)
		}
		// The grid shows the capacity: expected time, what is left, the cap reached.
		body := html.UnescapeString(b.Get(page).String())
		for _, s := range []string{"Capacity profile: Part time", `id="week-expected">36:00`, "32:00 left to log this week", "at most 4:00 a day", "2026-12-14 reaches the cap of 4:00 a day"} {
			if !strings.Contains(body, s) {
				t.Errorf("the grid does not show %q", s)
			}
		}
	})
}

// TestCapsInDays: in an account that counts in days, the cap messages say days of the
// person's workday (the API in English, the pages in the reader's language).
func TestCapsInDays(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		partTime(t, o, 240, 600)
		if r := e.As(o.owner).Patch(o.base+"/account", map[string]any{"time_unit": "days"}); r.Status != http.StatusOK {
			t.Fatalf("days: %d %s", r.Status, r.Body)
		}
		mem := e.As(o.mem)
		o.created(t, mem, "/time-entries", map[string]any{"date": "2026-12-07", "minutes": 120, "project_id": o.project})
		r := mem.Post(o.base+"/time-entries", map[string]any{"date": "2026-12-07", "minutes": 180, "project_id": o.project})
		want := `The capacity profile "Part time" allows at most 0.5 d on a day; 0.25 d are already logged`
		if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["minutes"] != want {
			t.Fatalf("over the day cap in days: %d %s", r.Status, r.Body)
		}
		// Friday is a 4-hour day: its cap of 4 h is a whole day.
		o.created(t, mem, "/time-entries", map[string]any{"date": "2026-12-11", "minutes": 240, "project_id": o.project})
		r = mem.Post(o.base+"/time-entries", map[string]any{"date": "2026-12-11", "minutes": 30, "project_id": o.project})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.FieldErrors()["minutes"], "at most 1 d on a day; 1 d are already logged") {
			t.Fatalf("over Friday's cap in days: %d %s", r.Status, r.Body)
		}
		for _, lang := range []struct{ locale, want string }{
			{"fr", `Le profil de capacité "Part time" permet au plus 0.5 d par jour ; 0 d sont déjà saisis`},
			{"ru", `Профиль загрузки "Part time" допускает не больше 0.5 d в день; уже учтено 0 d`},
		} {
			// The person's language (set on their profile page).
			if _, err := e.App.DB.NewUpdate().Table("users").Set("locale = ?", lang.locale).Where("id = ?", o.mem.ID).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
			b := e.BrowserLogin(o.mem)
			page := fmt.Sprintf("/%s/timesheet/%d/2026-W51", o.acc.Slug, o.mem.ID)
			p := fmt.Sprintf("p%d", o.project)
			vals := url.Values{"row": {p}, "action": {"save"}, "d_" + p + "_0": {"5h"}}
			r = b.SubmitForm(page, page, vals)
			if body := html.UnescapeString(r.String()); r.Status != http.StatusUnprocessableEntity || !strings.Contains(body, lang.want) {
				t.Errorf("%s grid over the cap in days: %d %.2000s", lang.locale, r.Status, body[strings.Index(body, "<main"):])
			}
		}
	})
}

// TestDays: in an account that counts in days, durations are typed in days of the person's
// workday (their profile's minutes that weekday) and the pages show days; the API stays in
// minutes.
func TestDays(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		partTime(t, o, 0, 0)
		if r := e.As(o.owner).Patch(o.base+"/account", map[string]any{"time_unit": "days"}); r.Status != http.StatusOK {
			t.Fatalf("days: %d %s", r.Status, r.Body)
		}
		mem := e.As(o.mem)
		for _, c := range []struct {
			day, dur string
			want     int
		}{
			{"2026-12-07", "0.5", 240},  // Monday: 8 h
			{"2026-12-08", "½", 240},    // a half
			{"2026-12-09", "1d", 480},   // a day
			{"2026-12-11", "1", 240},    // Friday: 4 h
			{"2026-12-10", "1:30", 90},  // hours still read as hours
			{"2026-12-12", "0.5d", 240}, // Saturday: no work in the profile, a day is 8 h
		} {
			r := mem.Post(o.base+"/time-entries", map[string]any{"date": c.day, "duration": c.dur, "project_id": o.project})
			var got timesheet.Entry
			r.JSON(t, &got)
			if r.Status != http.StatusCreated || got.Minutes != c.want {
				t.Errorf("%s on %s: %d %d minutes, want %d", c.dur, c.day, r.Status, got.Minutes, c.want)
			}
		}
		if r := mem.Post(o.base+"/time-entries", map[string]any{"date": "2026-12-07", "duration": "abc", "project_id": o.project}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.FieldErrors()["duration"], "days") {
			t.Errorf("bad days: %d %s", r.Status, r.Body)
		}
		b := e.BrowserLogin(o.mem)
		page := fmt.Sprintf("/%s/timesheet/%d/2026-W50", o.acc.Slug, o.mem.ID)
		body := b.Get(page).String()
		p := fmt.Sprintf("p%d", o.project)
		for _, s := range []string{fmt.Sprintf(`name="d_%s_0" value="0.5 d"`, p), fmt.Sprintf(`name="d_%s_4" value="1 d"`, p), `id="week-expected">5 d`} {
			if !strings.Contains(body, s) {
				t.Errorf("the page does not show %q", s)
			}
		}
		// The grid reads days too: Friday's "0.5" is 2 h.
		vals := url.Values{"row": {p}, "action": {"save"}}
		for i, v := range []string{"0.5 d", "½", "1 d", "0.1875", "0.5", "0.5 d", ""} {
			vals.Set(fmt.Sprintf("d_%s_%d", p, i), v)
		}
		if r := b.SubmitForm(page, page, vals); r.Status != http.StatusSeeOther {
			t.Fatalf("save in days: %d %s", r.Status, r.Body)
		}
		ts := o.week(t, mem, o.mem, "2026-W50")
		if ts.TotalMinutes != 240+240+480+90+120+240 {
			t.Fatalf("week in days: %d minutes", ts.TotalMinutes)
		}
	})
}

func TestParseDays(t *testing.T) {
	for _, c := range []struct {
		in   string
		days bool
		want int
		ok   bool
	}{
		{"1d", false, 480, true},
		{"0.5 d", false, 240, true},
		{"1.5", false, 90, true},
		{"1.5", true, 720, true},
		{"½", true, 240, true},
		{"1½", true, 720, true},
		{"1,25d", true, 600, true},
		{"4d", true, 0, false},
		{"-1d", true, 0, false},
		{"d", true, 0, false},
		{"2:30", true, 150, true},
	} {
		u := timesheet.Unit{Days: c.days, Average: 480}
		for i := range u.Workday {
			u.Workday[i] = 480
		}
		got, err := u.Parse(c.in, 0)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("%q (days %v): %d %v", c.in, c.days, got, err)
		}
	}
	for _, c := range []struct {
		minutes, day int
		want         string
	}{{240, 480, "0.5 d"}, {480, 480, "1 d"}, {600, 480, "1.25 d"}, {160, 480, "0.33 d"}, {240, 240, "1 d"}} {
		if got := timesheet.FormatDays(c.minutes, c.day); got != c.want {
			t.Errorf("FormatDays(%d, %d) = %q, want %q", c.minutes, c.day, got, c.want)
		}
	}
}
