package timesheet_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"groupcamp/core/testkit"
	"groupcamp/modules/timesheet"
)

// clock is a test's own clock for the timesheet service of its own App.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) set(t time.Time) { c.mu.Lock(); c.now = t; c.mu.Unlock() }
func (c *clock) get() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

// ownClock gives the App's timesheet service a clock the test moves.
func ownClock(t *testing.T, e *testkit.Env, start time.Time) *clock {
	t.Helper()
	c := &clock{now: start}
	for _, m := range e.Modules {
		if ts, ok := m.(*timesheet.Module); ok {
			ts.Service().Now = c.get
			return c
		}
	}
	t.Fatal("no timesheet module")
	return nil
}

type started struct {
	Timer   *timesheet.Timer `json:"timer"`
	Stopped *timesheet.Entry `json:"stopped"`
}

// Timers: one per person, a stop makes an entry of the rounded minutes on the start's day,
// starting another stops the first, a task alone finds its project; a timer past midnight is
// never logged without the time it stopped; a discard logs nothing; a stop into a closed week
// is a 409 that keeps the timer.
func TestTimers(t *testing.T) {
	testkit.EachOwn(t, options(), func(t *testing.T, e *testkit.Env) {
		clk := ownClock(t, e, time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC))
		o := newOffice(t, e)
		mem := e.As(o.mem)
		list := o.created(t, e.As(o.owner), fmt.Sprintf("/projects/%d/lists", o.project), map[string]any{"name": "Build"})
		task := o.created(t, e.As(o.owner), fmt.Sprintf("/projects/%d/tasks", o.project), map[string]any{"list_id": list, "title": "Login page"})
		invite := o.created(t, e.As(o.owner), "/projects", map[string]any{"name": "Secret", "access": "invite"})

		var cur timesheet.CurrentTimer
		mem.Get(o.base+"/timers/current").JSON(t, &cur)
		if cur.Timer != nil {
			t.Fatalf("a timer before any start: %+v", cur.Timer)
		}
		if r := mem.Post(o.base+"/timers/stop", nil); r.Status != http.StatusConflict {
			t.Errorf("stop without a timer: %d %s", r.Status, r.Body)
		}
		for name, body := range map[string]map[string]any{
			"unseen project": {"project_id": invite}, "nothing": {}, "unknown task": {"task_id": 999999},
			"other account's category": {"category_id": newOffice(t, e).cat},
		} {
			if r := mem.Post(o.base+"/timers/start", body); r.Status != http.StatusUnprocessableEntity || len(r.FieldErrors()) == 0 {
				t.Errorf("start on %s: %d %s", name, r.Status, r.Body)
			}
		}
		// A task alone: its project is found.
		var s started
		r := mem.Post(o.base+"/timers/start", map[string]any{"task_id": task, "note": "Login"})
		if r.Status != http.StatusCreated {
			t.Fatalf("start: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &s)
		if s.Timer == nil || s.Timer.ProjectID == nil || *s.Timer.ProjectID != o.project || s.Timer.Label != "Website › Login page" || s.Stopped != nil {
			t.Fatalf("started: %+v", s)
		}
		// 1 h 31 min 40 s later, another start stops the first: 92 minutes on 2026-12-07.
		clk.set(time.Date(2026, 12, 7, 10, 31, 40, 0, time.UTC))
		mem.Post(o.base+"/timers/start", map[string]any{"category_id": o.cat}).JSON(t, &s)
		if s.Stopped == nil || s.Stopped.Minutes != 92 || s.Stopped.Date != "2026-12-07" || s.Stopped.TaskID == nil || *s.Stopped.TaskID != task || s.Stopped.Note != "Login" {
			t.Fatalf("the first timer's entry: %+v", s.Stopped)
		}
		if s.Timer.Label != "Training" {
			t.Errorf("second timer: %+v", s.Timer)
		}
		// Ten seconds make a minute: an entry is never 0 minutes.
		clk.set(time.Date(2026, 12, 7, 10, 31, 50, 0, time.UTC))
		var en timesheet.Entry
		r = mem.Post(o.base+"/timers/stop", nil)
		if r.Status != http.StatusCreated {
			t.Fatalf("stop: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &en)
		if en.Minutes != 1 || en.CategoryID == nil || *en.CategoryID != o.cat {
			t.Errorf("stop entry: %+v", en)
		}
		if n := o.entries(t, o.mem); n != 2 {
			t.Errorf("%d entries, want 2", n)
		}

		// Past midnight: started at 17:20, seen the next morning.
		clk.set(time.Date(2026, 12, 8, 17, 20, 0, 0, time.UTC))
		mem.Post(o.base+"/timers/start", map[string]any{"project_id": o.project}).JSON(t, &s)
		clk.set(time.Date(2026, 12, 9, 9, 0, 0, 0, time.UTC))
		mem.Get(o.base+"/timers/current").JSON(t, &cur)
		if cur.Timer == nil || !cur.Timer.PastMidnight || cur.Timer.Date != "2026-12-08" {
			t.Fatalf("current past midnight: %+v", cur.Timer)
		}
		r = mem.Post(o.base+"/timers/stop", nil)
		if r.Status != http.StatusConflict || r.FieldErrors()["stopped_at"] == "" {
			t.Errorf("stop past midnight without a time: %d %s", r.Status, r.Body)
		}
		for name, at := range map[string]string{"before the start": "2026-12-08T17:00:00Z", "the next day": "2026-12-09T08:00:00Z", "in the future": "2026-12-09T10:00:00Z"} {
			if r := mem.Post(o.base+"/timers/stop", map[string]any{"stopped_at": at}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["stopped_at"] == "" {
				t.Errorf("stopped_at %s: %d %s", name, r.Status, r.Body)
			}
		}
		if n := o.entries(t, o.mem); n != 2 {
			t.Errorf("refused stops wrote: %d entries", n)
		}
		r = mem.Post(o.base+"/timers/stop", map[string]any{"stopped_at": "2026-12-08T18:05:00Z"})
		if r.Status != http.StatusCreated {
			t.Fatalf("stop at 18:05: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &en)
		if en.Minutes != 45 || en.Date != "2026-12-08" {
			t.Errorf("stopped at 18:05: %+v", en)
		}

		// Discard: nothing logged.
		mem.Post(o.base+"/timers/start", map[string]any{"project_id": o.project})
		if r := mem.Delete(o.base + "/timers/current"); r.Status != http.StatusNoContent {
			t.Errorf("discard: %d %s", r.Status, r.Body)
		}
		if r := mem.Delete(o.base + "/timers/current"); r.Status != http.StatusConflict {
			t.Errorf("discard again: %d %s", r.Status, r.Body)
		}

		// A stop into a submitted week is refused and the timer kept.
		mem.Post(o.base+"/timers/start", map[string]any{"project_id": o.project})
		if r := mem.Post(fmt.Sprintf("%s/timesheets/%d/2026-W50/submit", o.base, o.mem.ID), nil); r.Status != http.StatusOK {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		clk.set(time.Date(2026, 12, 9, 10, 0, 0, 0, time.UTC))
		if r := mem.Post(o.base+"/timers/stop", nil); r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "submitted") {
			t.Errorf("stop into a submitted week: %d %s", r.Status, r.Body)
		}
		mem.Get(o.base+"/timers/current").JSON(t, &cur)
		if cur.Timer == nil {
			t.Error("the refused stop lost the timer")
		}
		// And no new timer starts on a closed day.
		if r := mem.Post(o.base+"/timers/start", map[string]any{"project_id": o.project}); r.Status != http.StatusConflict {
			t.Errorf("start in a submitted week: %d %s", r.Status, r.Body)
		}
		if n := o.entries(t, o.mem); n != 3 {
			t.Errorf("%d entries, want 3", n)
		}
		// Clients keep no time: no timer.
		client := e.NewUser(o.acc, "client")
		if r := e.As(client).Post(o.base+"/timers/start", map[string]any{"project_id": o.project}); r.Status != http.StatusForbidden {
			t.Errorf("a client starts a timer: %d", r.Status)
		}
	})
}

// Two stops of one timer at once make one entry.
func TestTimerStopRace(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem := e.As(o.mem)
		if r := mem.Post(o.base+"/timers/start", map[string]any{"project_id": o.project}); r.Status != http.StatusCreated {
			t.Fatalf("start: %d %s", r.Status, r.Body)
		}
		var wg sync.WaitGroup
		statuses := make([]int, 4)
		for i := range statuses {
			wg.Go(func() { statuses[i] = mem.Post(o.base+"/timers/stop", nil).Status })
		}
		wg.Wait()
		ok := 0
		for _, s := range statuses {
			switch s {
			case http.StatusCreated:
				ok++
			case http.StatusConflict:
			default:
				t.Errorf("a stop answered %d", s)
			}
		}
		if ok != 1 || o.entries(t, o.mem) != 1 {
			t.Errorf("%d stops succeeded, %d entries; want 1 and 1", ok, o.entries(t, o.mem))
		}
	})
}

// A timer's day and its midnight are the person's (their profile's time zone), not UTC's.
func TestTimerTimeZone(t *testing.T) {
	testkit.EachOwn(t, options(), func(t *testing.T, e *testkit.Env) {
		clk := ownClock(t, e, time.Date(2026, 12, 8, 22, 30, 0, 0, time.UTC)) // 23:30 in Paris
		o := newOffice(t, e)
		b := e.BrowserLogin(o.mem)
		if r := b.SubmitForm("/profile", "/profile", url.Values{"name": {o.mem.Name}, "locale": {"en"}, "time_zone": {"Europe/Paris"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("profile: %d %.300s", r.Status, r.Body)
		}
		mem := e.As(o.mem)
		if r := mem.Post(o.base+"/timers/start", map[string]any{"project_id": o.project}); r.Status != http.StatusCreated {
			t.Fatalf("start: %d %s", r.Status, r.Body)
		}
		// 23:10 UTC is still the 8th in UTC, but 00:10 on the 9th in Paris: past midnight.
		clk.set(time.Date(2026, 12, 8, 23, 10, 0, 0, time.UTC))
		var cur timesheet.CurrentTimer
		mem.Get(o.base+"/timers/current").JSON(t, &cur)
		if cur.Timer == nil || cur.Timer.Date != "2026-12-08" || !cur.Timer.PastMidnight {
			t.Fatalf("current in Paris: %+v", cur.Timer)
		}
		if r := mem.Post(o.base+"/timers/stop", nil); r.Status != http.StatusConflict {
			t.Errorf("stop past Paris's midnight: %d %s", r.Status, r.Body)
		}
		// 23:59 in Paris is 22:59 UTC.
		var en timesheet.Entry
		r := mem.Post(o.base+"/timers/stop", map[string]any{"stopped_at": "2026-12-08T22:59:00Z"})
		if r.Status != http.StatusCreated {
			t.Fatalf("stop: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &en)
		if en.Date != "2026-12-08" || en.Minutes != 29 {
			t.Errorf("entry: %+v", en)
		}
		// Started at 00:30 in Paris on the 9th (23:30 UTC on the 8th): the entry is the 9th's.
		clk.set(time.Date(2026, 12, 8, 23, 30, 0, 0, time.UTC))
		mem.Post(o.base+"/timers/start", map[string]any{"category_id": o.cat})
		clk.set(time.Date(2026, 12, 9, 0, 15, 0, 0, time.UTC))
		mem.Post(o.base+"/timers/stop", nil).JSON(t, &en)
		if en.Date != "2026-12-09" || en.Minutes != 45 {
			t.Errorf("entry of a timer started after Paris's midnight: %+v", en)
		}
	})
}
