package planning_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	goical "github.com/emersion/go-ical"

	"groupcamp/core/testkit"
)

// TestTasksInWorkload: a dated task of the projects module, assigned with an estimate, counts
// in its person's week apart from allocations (task_minutes), and in the availability; an
// allocation naming the task is its plan, and the task is not counted twice.
func TestTasksInWorkload(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		owner := e.As(o.owner)
		list := o.created(t, owner, fmt.Sprintf("/projects/%d/lists", o.project), map[string]any{"name": "Work"})
		task := o.created(t, owner, fmt.Sprintf("/projects/%d/tasks", o.project), map[string]any{"list_id": list, "title": "Home page",
			"starts_on": "2027-05-24", "due_on": "2027-05-28", "assignees": []map[string]any{{"user_id": o.owner.ID, "estimate_minutes": 600}}})
		res := o.resourceOf(t, o.owner)
		week := func() (alloc, tasks int) {
			var w struct {
				Resources []struct {
					ResourceID int64 `json:"resource_id"`
					Weeks      []struct {
						Allocated int `json:"allocated_minutes"`
						Tasks     int `json:"task_minutes"`
					} `json:"weeks"`
				} `json:"resources"`
			}
			owner.Get(o.base+"/workload?from=2027-05-24&to=2027-05-30").JSON(t, &w)
			for _, r := range w.Resources {
				if r.ResourceID == res {
					return r.Weeks[0].Allocated, r.Weeks[0].Tasks
				}
			}
			t.Fatalf("no row for the owner")
			return 0, 0
		}
		if a, tk := week(); a != 0 || tk != 600 {
			t.Errorf("with the task: allocated %d, tasks %d; want 0, 600", a, tk)
		}
		// 5 days × 8 h = 2,400 free minutes less the task's 600.
		var av struct {
			Items []struct {
				ResourceID  int64 `json:"resource_id"`
				FreeMinutes int   `json:"free_minutes"`
			}
		}
		owner.Get(o.base+"/availability?from=2027-05-24&to=2027-05-28").JSON(t, &av)
		for _, it := range av.Items {
			if it.ResourceID == res && it.FreeMinutes != 2400-600 {
				t.Errorf("owner free = %d, want 1800", it.FreeMinutes)
			}
		}
		// The heatmap page shows the task's hours apart: "+10:00".
		page := e.BrowserLogin(o.owner).Get("/" + o.acc.Slug + "/planning/workload?from=2027-05-24&to=2027-05-30")
		if page.Status != http.StatusOK || !strings.Contains(string(page.Body), `<span class="taskh" title="Dated tasks (their estimates, apart from bookings)">+10:00</span>`) {
			t.Errorf("the heatmap page does not show the task's hours: %d", page.Status)
		}
		// The workload follows the task: moved out of the week, done, trashed, each leaves it;
		// back in the week, reopened, restored, it counts again.
		for _, step := range []struct {
			method, path string
			body         map[string]any
			tasks        int
		}{
			{"PATCH", "", map[string]any{"starts_on": "2027-06-07", "due_on": "2027-06-11"}, 0},
			{"PATCH", "", map[string]any{"starts_on": "2027-05-24", "due_on": "2027-05-28"}, 600},
			{"PATCH", "", map[string]any{"status": "done"}, 0},
			{"PATCH", "", map[string]any{"status": "open"}, 600},
			{"DELETE", "", nil, 0},
			{"POST", "/restore", nil, 600},
		} {
			r := owner.Do(step.method, fmt.Sprintf("%s/tasks/%d%s", o.base, task, step.path), step.body)
			if r.Status >= 300 {
				t.Fatalf("%s the task %v: %d %s", step.method, step.body, r.Status, r.Body)
			}
			if _, tk := week(); tk != step.tasks {
				t.Errorf("after %s %s %v: task minutes %d, want %d", step.method, step.path, step.body, tk, step.tasks)
			}
		}
		o.created(t, owner, "/allocations", map[string]any{"resource_id": res, "project_id": o.project, "task_id": task,
			"starts_on": "2027-05-24", "ends_on": "2027-05-28", "minutes_per_day": 60})
		if a, tk := week(); a != 300 || tk != 0 {
			t.Errorf("with an allocation of the task: allocated %d, tasks %d; want 300, 0", a, tk)
		}
	})
}

// TestClientFilter: the workload of one client counts only the bookings of its projects.
func TestClientFilter(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		owner := e.As(o.owner)
		client := e.ClientCompany(o.acc)
		theirs := o.created(t, owner, "/projects", map[string]any{"name": "Client site", "client_company_id": client})
		res := o.resourceOf(t, o.mem)
		o.created(t, owner, "/allocations", map[string]any{"resource_id": res, "project_id": o.project, "starts_on": "2027-06-07", "ends_on": "2027-06-07", "minutes_per_day": 60})
		o.created(t, owner, "/allocations", map[string]any{"resource_id": res, "project_id": theirs, "starts_on": "2027-06-08", "ends_on": "2027-06-08", "minutes_per_day": 120})
		var w workload
		owner.Get(fmt.Sprintf("%s/workload?from=2027-06-07&to=2027-06-13&client_id=%d", o.base, client)).JSON(t, &w)
		if got := w.Resources[w.of(res)].Weeks[0].Allocated; got != 120 {
			t.Errorf("the client's bookings = %d, want 120", got)
		}
		if r := owner.Get(o.base + "/workload?client_id=x"); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["client_id"] == "" {
			t.Errorf("a bad client_id: %d %s", r.Status, r.Body)
		}
		page := e.BrowserLogin(o.owner).Get(fmt.Sprintf("/%s/planning?from=2027-06-07&zoom=day&client_id=%d", o.acc.Slug, client))
		if page.Status != http.StatusOK || !strings.Contains(string(page.Body), "Client site") || strings.Contains(string(page.Body), "Website ·") {
			t.Errorf("the timeline of the client: %d", page.Status)
		}
		// Earlier and later keep the filter.
		if want := fmt.Sprintf("zoom=day&amp;client_id=%d", client); !strings.Contains(string(page.Body), want) {
			t.Errorf("the timeline's links lose the client filter (want %q)", want)
		}
	})
}

// TestTeamFeed: a manager's team feed (the ical module's) carries the allocations and the
// approved leave of the team's people, each naming its person; it parses back.
func TestTeamFeed(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mon := time.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, 7)
		mon = mon.AddDate(0, 0, -((int(mon.Weekday()) + 6) % 7))
		day := func(n int) string { return mon.AddDate(0, 0, n).Format(time.DateOnly) }
		mgr := e.As(o.mgr)
		o.created(t, mgr, "/allocations", map[string]any{"resource_id": o.resourceOf(t, o.mem), "project_id": o.project, "starts_on": day(0), "ends_on": day(1), "minutes_per_day": 240})
		leave := o.created(t, e.As(o.mem), "/absences", map[string]any{"type": o.holiday(t), "starts_on": day(3), "ends_on": day(3), "part": "morning"})
		if r := mgr.Post(o.base+"/absences/"+itoa(leave)+"/approve", map[string]any{}); r.Status != http.StatusOK {
			t.Fatalf("approve: %d %s", r.Status, r.Body)
		}
		var feed struct{ URL string }
		if r := mgr.Get(fmt.Sprintf("%s/teams/%d/ical", o.base, o.team)); r.Status != http.StatusOK {
			t.Fatalf("team feed: %d %s", r.Status, r.Body)
		} else {
			r.JSON(t, &feed)
		}
		r := e.Anonymous().Get(strings.TrimPrefix(feed.URL, e.URL))
		if r.Status != http.StatusOK {
			t.Fatalf("feed: %d %s", r.Status, r.Body)
		}
		cal, err := goical.NewDecoder(bytes.NewReader(r.Body)).Decode()
		if err != nil {
			t.Fatalf("the feed does not parse: %v", err)
		}
		var got []string
		for _, ev := range cal.Events() {
			s, _ := ev.Props.Text(goical.PropSummary)
			got = append(got, s)
		}
		joined := strings.Join(got, "|")
		for _, want := range []string{o.mem.Name + " · Website · 4:00", o.mem.Name + " · Holiday (morning)"} {
			if !strings.Contains(joined, want) {
				t.Errorf("the team feed lacks %q: %q", want, got)
			}
		}
	})
}
