package planning_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

type allocation struct {
	ID            int64 `json:"id"`
	ResourceID    int64 `json:"resource_id"`
	OverAllocated bool  `json:"over_allocated"`
	Conflicts     []struct {
		Week        string `json:"week"`
		OverMinutes int    `json:"over_minutes"`
	} `json:"conflicts"`
}

type workload struct {
	Weeks     []struct{ Week string } `json:"weeks"`
	Resources []struct {
		ResourceID int64 `json:"resource_id"`
		Weeks      []struct {
			Capacity  int `json:"capacity_minutes"`
			Allocated int `json:"allocated_minutes"`
			Absent    int `json:"absent_minutes"`
			Tasks     int `json:"task_minutes"`
		} `json:"weeks"`
	} `json:"resources"`
	Conflicts []struct {
		ResourceID  int64 `json:"resource_id"`
		OverMinutes int   `json:"over_minutes"`
	} `json:"conflicts"`
	Teams []struct {
		TeamID int64 `json:"team_id"`
		Weeks  []struct {
			Capacity  int `json:"capacity_minutes"`
			Allocated int `json:"allocated_minutes"`
		} `json:"weeks"`
	} `json:"teams"`
}

func (w workload) of(id int64) int {
	for i, r := range w.Resources {
		if r.ResourceID == id {
			return i
		}
	}
	return -1
}

// TestResourcesAndAllocations: every colleague is a resource (no client); a planner books a
// person and a placeholder; over capacity is allowed and flagged; a placeholder replaced by a
// person hands over its allocations; the workload per ISO week says the same.
func TestResourcesAndAllocations(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mgr, mem := e.As(o.mgr), e.As(o.mem)
		var l struct {
			Items []struct {
				ID     int64
				Kind   string
				UserID *int64 `json:"user_id"`
				Name   string
			}
		}
		mem.Get(o.base+"/resources").JSON(t, &l)
		people := map[int64]bool{}
		for _, r := range l.Items {
			if r.Kind == "person" && r.UserID != nil {
				people[*r.UserID] = true
			}
		}
		if !people[o.owner.ID] || !people[o.mgr.ID] || !people[o.mem.ID] || people[o.cli.ID] || len(people) != 3 {
			t.Fatalf("person resources = %v", people)
		}
		if r := e.As(o.cli).Get(o.base + "/resources"); r.Status != http.StatusForbidden {
			t.Errorf("a client lists resources: %d", r.Status)
		}
		if r := mem.Post(o.base+"/resources", map[string]any{"kind": "placeholder", "name": "Dev"}); r.Status != http.StatusForbidden {
			t.Errorf("a member adds a resource: %d", r.Status)
		}
		if r := mgr.Post(o.base+"/resources", map[string]any{"kind": "person", "name": "Dev"}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["kind"] == "" {
			t.Errorf("a person resource by hand: %d %s", r.Status, r.Body)
		}
		hire := o.created(t, mgr, "/resources", map[string]any{"kind": "placeholder", "name": "Designer to hire"})
		res := o.resourceOf(t, o.mem)

		// A full week for the member, then half days on top: over capacity, flagged.
		var a1, a2 allocation
		r := mgr.Post(o.base+"/allocations", map[string]any{"resource_id": res, "project_id": o.project, "starts_on": "2027-01-04", "ends_on": "2027-01-08", "minutes_per_day": 480})
		if r.Status != http.StatusCreated {
			t.Fatalf("allocate: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &a1)
		if a1.OverAllocated {
			t.Errorf("a full week is flagged over: %+v", a1)
		}
		r = mgr.Post(o.base+"/allocations", map[string]any{"resource_id": res, "project_id": o.project, "starts_on": "2027-01-06", "ends_on": "2027-01-07", "percent": 50, "tentative": true})
		if r.Status != http.StatusCreated {
			t.Fatalf("allocate over: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &a2)
		if !a2.OverAllocated || len(a2.Conflicts) != 1 || a2.Conflicts[0].Week != "2027-W01" || a2.Conflicts[0].OverMinutes != 480 {
			t.Errorf("over allocation = %+v", a2)
		}

		// A week at 150 % of capacity is allowed, and flagged (booking over
		// capacity is never refused).
		var a3 allocation
		r = mgr.Post(o.base+"/allocations", map[string]any{"resource_id": res, "project_id": o.project, "starts_on": "2027-03-01", "ends_on": "2027-03-05", "percent": 150})
		if r.Status != http.StatusCreated {
			t.Fatalf("allocate 150 %%: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &a3)
		if !a3.OverAllocated || len(a3.Conflicts) != 1 || a3.Conflicts[0].Week != "2027-W09" || a3.Conflicts[0].OverMinutes != 1200 {
			t.Errorf("150 %% of a day = %+v", a3)
		}
		if r := mgr.Delete(o.base + "/allocations/" + itoa(a3.ID)); r.Status != http.StatusNoContent {
			t.Errorf("delete the 150 %%: %d", r.Status)
		}

		// The placeholder's allocation goes to the person who replaces it.
		ph := o.created(t, mgr, "/allocations", map[string]any{"resource_id": hire, "project_id": o.project, "starts_on": "2027-01-11", "ends_on": "2027-01-12", "minutes_per_day": 120, "repeat_weeks": 1})
		if r := mgr.Post(o.base+"/resources/"+itoa(hire)+"/assign", map[string]any{"user_id": o.mgr.ID}); r.Status != http.StatusOK {
			t.Fatalf("assign: %d %s", r.Status, r.Body)
		}
		var moved allocation
		mgr.Get(o.base+"/allocations/"+itoa(ph)).JSON(t, &moved)
		if moved.ResourceID != o.resourceOf(t, o.mgr) {
			t.Errorf("the placeholder's allocation stays on %d", moved.ResourceID)
		}

		var w workload
		r = mem.Get(o.base + "/workload?from=2027-01-04&to=2027-01-24")
		if r.Status != http.StatusOK {
			t.Fatalf("workload: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &w)
		if len(w.Weeks) != 3 || w.Weeks[0].Week != "2027-W01" {
			t.Fatalf("weeks = %+v", w.Weeks)
		}
		i := w.of(res)
		if i < 0 || w.Resources[i].Weeks[0].Capacity != 2400 || w.Resources[i].Weeks[0].Allocated != 2400+480 || w.Resources[i].Weeks[1].Allocated != 0 {
			t.Errorf("member's weeks = %+v", w.Resources[i])
		}
		j := w.of(o.resourceOf(t, o.mgr))
		if j < 0 || w.Resources[j].Weeks[1].Allocated != 240 || w.Resources[j].Weeks[2].Allocated != 240 {
			t.Errorf("manager's weeks (repeated weekly) = %+v", w.Resources[j])
		}
		if len(w.Conflicts) != 1 || w.Conflicts[0].ResourceID != res {
			t.Errorf("conflicts = %+v", w.Conflicts)
		}
		// The team (the manager and the member) sums its two people.
		if len(w.Teams) != 1 || w.Teams[0].TeamID != o.team || w.Teams[0].Weeks[0].Capacity != 2*2400 || w.Teams[0].Weeks[0].Allocated != 2400+480 || w.Teams[0].Weeks[1].Allocated != 240 {
			t.Errorf("team totals = %+v", w.Teams)
		}
		// A team filter keeps the team's people only.
		r = mem.Get(fmt.Sprintf("%s/workload?from=2027-01-04&to=2027-01-10&team_id=%d", o.base, o.team))
		r.JSON(t, &w)
		if len(w.Resources) != 2 {
			t.Errorf("team workload has %d resources", len(w.Resources))
		}

		// Moving an allocation (the timeline's drag) answers the flag again.
		r = mgr.Patch(o.base+"/allocations/"+itoa(a2.ID), map[string]any{"starts_on": "2027-01-13", "ends_on": "2027-01-14"})
		r.JSON(t, &a2)
		if r.Status != http.StatusOK || a2.OverAllocated {
			t.Errorf("moved: %d %+v", r.Status, a2)
		}
		if r := mgr.Delete(o.base + "/allocations/" + itoa(a2.ID)); r.Status != http.StatusNoContent {
			t.Errorf("delete: %d", r.Status)
		}
	})
}

// TestBadInput: every refusal is a 422 naming the field, and writes nothing.
func TestBadInput(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		other := newOffice(t, e)
		mgr := e.As(o.mgr)
		res := o.resourceOf(t, o.mem)
		foreign := other.resourceOf(t, other.mem)
		ok := map[string]any{"resource_id": res, "project_id": o.project, "starts_on": "2027-01-04", "ends_on": "2027-01-08", "minutes_per_day": 60}
		with := func(kv ...any) map[string]any {
			m := map[string]any{}
			for kk, vv := range ok {
				m[kk] = vv
			}
			for i := 0; i+1 < len(kv); i += 2 {
				m[kv[i].(string)] = kv[i+1]
			}
			return m
		}
		before := e.Count("planning_allocations")
		for _, c := range []struct {
			body  map[string]any
			field string
		}{
			{with("ends_on", "2027-01-01"), "ends_on"},
			{with("starts_on", "2027-02-30"), "starts_on"},
			{with("minutes_per_day", 1441), "minutes_per_day"},
			{with("minutes_per_day", 0), "minutes_per_day"},
			{with("percent", 301), "percent"},
			{with("resource_id", foreign), "resource_id"},
			{with("project_id", other.project), "project_id"},
			{with("task_id", 999999), "task_id"},
			{with("repeat_weeks", 53), "repeat_weeks"},
			{with("repeat_weeks", 2, "ends_on", "2027-01-12"), "repeat_weeks"}, // a repeated range fits in a week
			{with("note", "a\x00b"), "note"},
		} {
			r := mgr.Post(o.base+"/allocations", c.body)
			if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()[c.field] == "" {
				t.Errorf("%v: %d %s", c.body, r.Status, r.Body)
			}
		}
		if e.Count("planning_allocations") != before {
			t.Errorf("a refused allocation was written")
		}
		for _, q := range []string{"from=2027-01-10&to=2027-01-01", "from=x", "team_id=abc", "from=2027-01-01&to=2030-01-01"} {
			if r := mgr.Get(o.base + "/workload?" + q); r.Status/100 != 4 {
				t.Errorf("workload?%s: %d", q, r.Status)
			}
		}
		if r := mgr.Get(o.base + "/availability?from=2027-01-01&to=2027-01-08&minutes=-1"); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("availability minutes -1: %d", r.Status)
		}
		before = e.Count("planning_absences")
		for _, c := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"type": o.holiday(t), "starts_on": "2027-01-08", "ends_on": "2027-01-04"}, "ends_on"},
			{map[string]any{"type": other.holiday(t), "starts_on": "2027-01-04", "ends_on": "2027-01-04"}, "type"},
			{map[string]any{"type": o.holiday(t), "user_id": other.mem.ID, "starts_on": "2027-01-04", "ends_on": "2027-01-04"}, "user_id"},
		} {
			if r := mgr.Post(o.base+"/absences", c.body); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()[c.field] == "" {
				t.Errorf("absence %v: %d %s", c.body, r.Status, r.Body)
			}
		}
		if e.Count("planning_absences") != before {
			t.Errorf("a refused absence was written")
		}
		hire := o.created(t, mgr, "/resources", map[string]any{"kind": "placeholder", "name": "Dev"})
		if r := mgr.Post(o.base+"/resources/"+itoa(hire)+"/assign", map[string]any{"user_id": other.mem.ID}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["user_id"] == "" {
			t.Errorf("assign a person of another account: %d %s", r.Status, r.Body)
		}
	})
}

// TestLeaveAndAvailability: a member requests leave, their manager approves it (a member may
// not, nor the person themselves); the workload counts it away; leave overlapping approved
// leave is refused; the balance counts the days; the availability search ranks the free first.
func TestLeaveAndAvailability(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mgr, mem := e.As(o.mgr), e.As(o.mem)
		var types struct {
			Items []struct {
				ID   int64
				Name string
			}
		}
		mem.Get(o.base+"/absence-types").JSON(t, &types)
		if len(types.Items) != 4 || types.Items[0].Name != "Holiday" {
			t.Fatalf("types = %+v", types.Items)
		}
		holiday := types.Items[0].ID
		leave := o.created(t, mem, "/absences", map[string]any{"type": holiday, "starts_on": "2027-01-04", "ends_on": "2027-01-05", "note": "Skiing"})
		if r := mem.Post(o.base+"/absences/"+itoa(leave)+"/approve", map[string]any{}); r.Status != http.StatusForbidden {
			t.Errorf("a member approves: %d", r.Status)
		}
		if r := mgr.Post(o.base+"/absences/"+itoa(leave)+"/approve", map[string]any{"comment": "Enjoy"}); r.Status != http.StatusOK {
			t.Fatalf("approve: %d %s", r.Status, r.Body)
		}
		if r := mgr.Post(o.base+"/absences/"+itoa(leave)+"/reject", map[string]any{}); r.Status != http.StatusConflict {
			t.Errorf("reject an approved leave: %d", r.Status)
		}
		r := mem.Post(o.base+"/absences", map[string]any{"type": holiday, "starts_on": "2027-01-05", "ends_on": "2027-01-06"})
		if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["starts_on"] == "" {
			t.Errorf("overlapping leave: %d %s", r.Status, r.Body)
		}
		// An administrator changes the allowance; a manager may not.
		if r := e.As(o.owner).Patch(o.base+"/absence-types/"+itoa(holiday), map[string]any{"allowance_days": 27}); r.Status != http.StatusOK {
			t.Errorf("change a kind of leave: %d %s", r.Status, r.Body)
		}
		if r := mgr.Patch(o.base+"/absence-types/"+itoa(holiday), map[string]any{"allowance_days": 99}); r.Status != http.StatusForbidden {
			t.Errorf("a manager changes a kind of leave: %d", r.Status)
		}
		mine := o.created(t, mgr, "/absences", map[string]any{"type": holiday, "starts_on": "2027-02-01", "ends_on": "2027-02-01"})
		if r := mgr.Post(o.base+"/absences/"+itoa(mine)+"/approve", map[string]any{}); r.Status != http.StatusForbidden {
			t.Errorf("a manager approves their own leave: %d", r.Status)
		}
		// A colleague sees who is away, not why.
		var seen struct {
			Type string
			Days int
		}
		mgr.Get(o.base+"/absences/"+itoa(leave)).JSON(t, &seen)
		if seen.Type != "Holiday" || seen.Days != 2 {
			t.Errorf("the manager sees %+v", seen)
		}
		e.As(o.owner).Get(o.base+"/absences/"+itoa(mine)).JSON(t, &seen)
		if seen.Type != "Holiday" {
			t.Errorf("the owner sees %+v", seen)
		}
		var bal struct {
			Items []struct {
				Type      string
				Taken     int `json:"taken_days"`
				Remaining int `json:"remaining_days"`
			}
		}
		mem.Get(o.base+"/absence-balances?year=2027").JSON(t, &bal)
		if bal.Items[0].Taken != 2 || bal.Items[0].Remaining != 25+5 {
			t.Errorf("balance = %+v", bal.Items[0])
		}

		res := o.resourceOf(t, o.mem)
		var w workload
		mem.Get(o.base+"/workload?from=2027-01-04&to=2027-01-10").JSON(t, &w)
		if i := w.of(res); w.Resources[i].Weeks[0].Absent != 960 {
			t.Errorf("member away = %+v", w.Resources[i])
		}
		o.created(t, mgr, "/allocations", map[string]any{"resource_id": o.resourceOf(t, o.mgr), "project_id": o.project, "starts_on": "2027-01-04", "ends_on": "2027-01-08", "minutes_per_day": 480})
		var av struct {
			Items []struct {
				ResourceID  int64                  `json:"resource_id"`
				FreeMinutes int                    `json:"free_minutes"`
				FreeDays    []struct{ Day string } `json:"free_days"`
			}
		}
		r = mem.Get(fmt.Sprintf("%s/availability?from=2027-01-04&to=2027-01-08&minutes=900&team_id=%d", o.base, o.team))
		if r.Status != http.StatusOK {
			t.Fatalf("availability: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &av)
		if len(av.Items) != 1 || av.Items[0].ResourceID != res || av.Items[0].FreeMinutes != 3*480 || len(av.Items[0].FreeDays) != 3 || av.Items[0].FreeDays[0].Day != "2027-01-06" {
			t.Errorf("available = %+v", av.Items)
		}
	})
}

// TestOtherAccount: ids of another account are 404, whatever the route.
func TestOtherAccount(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		other := newOffice(t, e)
		hire := o.created(t, e.As(o.mgr), "/resources", map[string]any{"kind": "room", "name": "Room A"})
		al := o.created(t, e.As(o.mgr), "/allocations", map[string]any{"resource_id": hire, "project_id": o.project, "starts_on": "2027-01-04", "ends_on": "2027-01-04", "minutes_per_day": 60})
		ab := o.created(t, e.As(o.mem), "/absences", map[string]any{"type": o.holiday(t), "starts_on": "2027-01-04", "ends_on": "2027-01-04"})
		c := e.As(other.owner)
		for _, p := range []string{"/resources/" + itoa(hire), "/allocations/" + itoa(al), "/absences/" + itoa(ab)} {
			if r := c.Get(other.base + p); r.Status != http.StatusNotFound {
				t.Errorf("GET %s of another account: %d", p, r.Status)
			}
		}
		if r := c.Patch(other.base+"/allocations/"+itoa(al), map[string]any{"minutes_per_day": 30}); r.Status != http.StatusNotFound {
			t.Errorf("PATCH another account's allocation: %d", r.Status)
		}
		if r := c.Post(other.base+"/allocations/"+itoa(al)+"/split", map[string]any{"on": "2027-01-04"}); r.Status != http.StatusNotFound {
			t.Errorf("split another account's allocation: %d", r.Status)
		}
	})
}

// TestPublicHolidays: the account's country's public holidays (FR: 14 July 2027, a Wednesday)
// are time away in the workload; a person with another country (DE) works that day.
func TestPublicHolidays(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem, mgr := o.resourceOf(t, o.mem), o.resourceOf(t, o.mgr)
		if r := e.As(o.mgr).Patch(o.base+"/resources/"+itoa(mgr), map[string]any{"country": "de"}); r.Status != http.StatusOK {
			t.Fatalf("country: %d %s", r.Status, r.Body)
		}
		if r := e.As(o.mgr).Patch(o.base+"/resources/"+itoa(mgr), map[string]any{"country": "XX"}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["country"] == "" {
			t.Errorf("unknown country: %d %s", r.Status, r.Body)
		}
		var w workload
		e.As(o.mem).Get(o.base+"/workload?from=2027-07-12&to=2027-07-18").JSON(t, &w)
		if got := w.Resources[w.of(mem)].Weeks[0]; got.Capacity != 2400 || got.Absent != 480 {
			t.Errorf("FR week of 14 July = %+v", got)
		}
		if got := w.Resources[w.of(mgr)].Weeks[0]; got.Absent != 0 {
			t.Errorf("DE week of 14 July = %+v", got)
		}
	})
}

// TestPlanVsActual: the page compares the hours booked on a project with the hours the
// timesheet holds, per person and week (through the timesheet's Actuals port).
func TestPlanVsActual(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		o.created(t, e.As(o.mgr), "/allocations", map[string]any{"resource_id": o.resourceOf(t, o.mem), "project_id": o.project, "starts_on": "2027-01-04", "ends_on": "2027-01-05", "minutes_per_day": 240})
		o.created(t, e.As(o.mem), "/time-entries", map[string]any{"date": "2027-01-04", "minutes": 90, "project_id": o.project})
		o.created(t, e.As(o.mem), "/time-entries", map[string]any{"date": "2027-01-05", "minutes": 60, "project_id": o.project})
		page := e.BrowserLogin(o.mgr).Get(fmt.Sprintf("/%s/planning/actual?project_id=%d&from=2027-01-04&to=2027-01-17", o.acc.Slug, o.project))
		if page.Status != http.StatusOK {
			t.Fatalf("page: %d %s", page.Status, page.Body)
		}
		body := string(page.Body)
		for _, want := range []string{o.mem.Name, "8:00 / 2:30", "(-5:30)"} {
			if !strings.Contains(body, want) {
				t.Errorf("the page does not show %q", want)
			}
		}
		other := newOffice(t, e)
		if r := e.BrowserLogin(other.mgr).Get(fmt.Sprintf("/%s/planning/actual?project_id=%d", other.acc.Slug, o.project)); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("another account's project: %d", r.Status)
		}
	})
}
