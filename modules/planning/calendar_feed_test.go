package planning_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"groupcamp/core/testkit"
)

// TestCalendarFeed: the person's calendar feed (served by the ical module) holds their
// allocations — each weekly repetition an all-day event — and their approved leave, not a
// colleague's; it parses back as iCalendar.
func TestCalendarFeed(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mon := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 7)
		mon = mon.AddDate(0, 0, -((int(mon.Weekday()) + 6) % 7))
		day := func(n int) string { return mon.AddDate(0, 0, n).Format(time.DateOnly) }
		o.created(t, e.As(o.mgr), "/allocations", map[string]any{"resource_id": o.resourceOf(t, o.mem), "project_id": o.project,
			"starts_on": day(0), "ends_on": day(1), "minutes_per_day": 240, "repeat_weeks": 1, "tentative": true})
		o.created(t, e.As(o.mgr), "/allocations", map[string]any{"resource_id": o.resourceOf(t, o.mgr), "project_id": o.project,
			"starts_on": day(0), "ends_on": day(4), "minutes_per_day": 60})
		leave := o.created(t, e.As(o.mem), "/absences", map[string]any{"type": o.holiday(t), "starts_on": day(3), "ends_on": day(4)})
		if r := e.As(o.mgr).Post(o.base+"/absences/"+itoa(leave)+"/approve", map[string]any{}); r.Status != http.StatusOK {
			t.Fatalf("approve: %d %s", r.Status, r.Body)
		}
		var me struct {
			ICalURL string `json:"ical_url"`
		}
		e.As(o.mem).Get("/api/v1/me").JSON(t, &me)
		r := e.Anonymous().Get(strings.TrimPrefix(me.ICalURL, e.URL))
		if r.Status != http.StatusOK {
			t.Fatalf("feed: %d %s", r.Status, r.Body)
		}
		cal, err := goical.NewDecoder(bytes.NewReader(r.Body)).Decode()
		if err != nil {
			t.Fatalf("the feed does not parse: %v\n%s", err, r.Body)
		}
		var got []string
		for _, ev := range cal.Events() {
			s, _ := ev.Props.Text(goical.PropSummary)
			start := ev.Props.Get(goical.PropDateTimeStart)
			got = append(got, s+"@"+start.Value)
		}
		joined := strings.Join(got, "|")
		for _, want := range []string{"Website · 4:00 (tentative)@" + mon.Format("20060102"), "Website · 4:00 (tentative)@" + mon.AddDate(0, 0, 7).Format("20060102"),
			"Holiday@" + mon.AddDate(0, 0, 3).Format("20060102")} {
			if !strings.Contains(joined, want) {
				t.Errorf("the feed lacks %q: %q", want, got)
			}
		}
		if strings.Contains(joined, "1:00") {
			t.Errorf("the feed holds a colleague's allocation: %q", got)
		}
	})
}
