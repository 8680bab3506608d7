package timesheet_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules/timesheet"
)

// service is the timesheet module's service in e's App.
func service(e *testkit.Env) *timesheet.Service {
	for _, m := range e.Modules {
		if ts, ok := m.(*timesheet.Module); ok {
			return ts.Service()
		}
	}
	panic("no timesheet module")
}

// reminders are the texts of a person's reminder notifications.
func reminders(t *testing.T, o *office, u *testkit.User) []string {
	t.Helper()
	var l struct {
		Items []struct{ Type, Text string }
	}
	r := o.e.As(u).Get(o.base + "/notifications")
	if r.Status != http.StatusOK {
		t.Fatalf("notifications: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &l)
	var out []string
	for _, n := range l.Items {
		if n.Type == "timesheet.reminded" {
			out = append(out, n.Text)
		}
	}
	return out
}

// TestReminders runs the reminder job with a fixed clock: at the account's weekday and hour
// in each person's own time zone, people whose week holds less than their profile expects
// are reminded once; a complete or submitted week is not; a person who turned the
// notifications off gets none; the setting moves the moment.
func TestReminders(t *testing.T) {
	testkit.EachOwn(t, options(), func(t *testing.T, e *testkit.Env) {
		ctx := context.Background()
		o := newOffice(t, e)
		svc := service(e)
		tokyo := e.NewUser(o.acc, actor.RoleMember)
		full := e.NewUser(o.acc, actor.RoleMember)
		quiet := e.NewUser(o.acc, actor.RoleMember)
		sent := e.NewUser(o.acc, actor.RoleMember)
		if _, err := e.App.DB.NewUpdate().Table("users").Set("time_zone = ?", "Asia/Tokyo").Where("id = ?", tokyo.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		// A complete week (5 × 8 h), a submitted week, half a week, nothing at all.
		for i := range 5 {
			o.created(t, e.As(full), "/time-entries", map[string]any{"date": fmt.Sprintf("2026-12-%02d", 7+i), "duration": "8h", "project_id": o.project})
		}
		o.created(t, e.As(sent), "/time-entries", map[string]any{"date": "2026-12-07", "duration": "2h", "project_id": o.project})
		if r := e.As(sent).Post(fmt.Sprintf("%s/timesheets/%d/2026-W50/submit", o.base, sent.ID), nil); r.Status != http.StatusOK {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		o.created(t, e.As(o.mem), "/time-entries", map[string]any{"date": "2026-12-07", "duration": "20h", "project_id": o.project})
		if r := e.As(quiet).Put(o.base+"/notification-preferences", map[string]any{"preferences": []map[string]string{{"event_type": "timesheet.reminded", "channel": "off"}}}); r.Status != http.StatusOK {
			t.Fatalf("preferences: %d %s", r.Status, r.Body)
		}

		// Friday 15:30 UTC: in Tokyo it is Saturday 00:30, past Friday 16:00; in UTC not yet.
		if _, err := svc.Remind(ctx, time.Date(2026, 12, 11, 15, 30, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		if got := reminders(t, o, tokyo); len(got) != 1 || !strings.Contains(got[0], "2026-W50 holds 0 min of the 40 h expected") {
			t.Fatalf("Tokyo: %q", got)
		}
		if got := reminders(t, o, o.mem); len(got) != 0 {
			t.Fatalf("reminded before 16:00: %q", got)
		}
		// 16:05 UTC: the others' moment; twice makes no second reminder.
		for range 2 {
			if _, err := svc.Remind(ctx, time.Date(2026, 12, 11, 16, 5, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
		}
		if got := reminders(t, o, o.mem); len(got) != 1 || !strings.Contains(got[0], "holds 20 h of the 40 h expected") {
			t.Fatalf("half a week: %q", got)
		}
		for _, c := range []struct {
			who  *testkit.User
			what string
		}{{tokyo, "Tokyo again"}, {full, "a complete week"}, {sent, "a submitted week"}, {quiet, "notifications off"}} {
			want := 0
			if c.who == tokyo {
				want = 1
			}
			if got := reminders(t, o, c.who); len(got) != want {
				t.Errorf("%s: %q", c.what, got)
			}
		}
		if n := e.Count("timesheet_reminders"); n < 4 { // tokyo, mem, quiet, the owner and managers
			t.Errorf("%d reminders remembered", n)
		}

		// The setting: Mondays at 9, only the admins change it; the next week's round then.
		if r := e.As(o.mem).Put(o.base+"/timesheet-settings", map[string]any{"reminder_weekday": 1}); r.Status != http.StatusForbidden {
			t.Fatalf("a member changes the settings: %d", r.Status)
		}
		for _, b := range []map[string]any{{"reminder_weekday": 0}, {"reminder_weekday": 8}, {"reminder_hour": 24}, {"reminder_hour": -1}} {
			if r := e.As(o.owner).Put(o.base+"/timesheet-settings", b); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("%v: %d %s", b, r.Status, r.Body)
			}
		}
		if r := e.As(o.owner).Put(o.base+"/timesheet-settings", map[string]any{"reminder_weekday": 1, "reminder_hour": 9}); r.Status != http.StatusOK {
			t.Fatalf("settings: %d %s", r.Status, r.Body)
		}
		if _, err := svc.Remind(ctx, time.Date(2026, 12, 14, 8, 59, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		if got := reminders(t, o, o.mem); len(got) != 1 {
			t.Fatalf("before Monday 9:00: %q", got)
		}
		if _, err := svc.Remind(ctx, time.Date(2026, 12, 14, 9, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		if got := reminders(t, o, o.mem); len(got) != 2 || !strings.Contains(strings.Join(got, " "), "2026-W51") {
			t.Fatalf("Monday 9:00 of W51: %q", got)
		}
		// Turned off: no round.
		if r := e.As(o.owner).Put(o.base+"/timesheet-settings", map[string]any{"reminders": false}); r.Status != http.StatusOK {
			t.Fatalf("off: %d %s", r.Status, r.Body)
		}
		before := e.Count("timesheet_reminders")
		if _, err := svc.Remind(ctx, time.Date(2026, 12, 25, 23, 0, 0, 0, time.UTC)); err != nil {
			t.Fatal(err)
		}
		if e.Count("timesheet_reminders") != before {
			t.Error("reminders went while turned off")
		}
	})
}
