package planning_test

// Races: two edits of one allocation at once both land (a conditional update, no stale
// read-modify-write), and managers approving requests of one person at once cannot spend
// their balance twice (the person's row locked). Run on SQLite and, with
// GROUPCAMP_TEST_POSTGRES_URL, on PostgreSQL (where READ COMMITTED and no lock let both bugs
// through).

import (
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// TestConcurrentAllocationEdits: a drag (dates) and the form (note, minutes) at once, 20 times.
func TestConcurrentAllocationEdits(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mgr := e.As(o.mgr)
		id := o.created(t, mgr, "/allocations", map[string]any{"resource_id": o.resourceOf(t, o.mem), "project_id": o.project,
			"starts_on": "2027-01-04", "ends_on": "2027-01-08", "minutes_per_day": 240})
		path := o.base + "/allocations/" + itoa(id)
		for i := range 20 {
			day := fmt.Sprintf("2027-02-%02d", 10+i%10)
			var wg sync.WaitGroup
			var sa, sb int
			wg.Add(2)
			go func() { defer wg.Done(); sa = mgr.Patch(path, map[string]any{"ends_on": day}).Status }()
			go func() {
				defer wg.Done()
				sb = mgr.Patch(path, map[string]any{"note": fmt.Sprintf("Note %d", i), "minutes_per_day": 100 + i}).Status
			}()
			wg.Wait()
			if sa != http.StatusOK || sb != http.StatusOK {
				t.Fatalf("round %d: statuses %d and %d", i, sa, sb)
			}
			var got struct {
				EndsOn  string `json:"ends_on"`
				Note    string `json:"note"`
				Minutes int    `json:"minutes_per_day"`
			}
			mgr.Get(path).JSON(t, &got)
			if got.EndsOn != day || got.Note != fmt.Sprintf("Note %d", i) || got.Minutes != 100+i {
				t.Fatalf("round %d: lost update: %+v", i, got)
			}
		}
	})
}

// TestConcurrentApprovalsKeepTheBalance: an allowance of 3 days, five requests of 2 days
// approved at once: one passes, the others are refused (422 on type), never 4 days taken.
func TestConcurrentApprovalsKeepTheBalance(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		owner, mem, admin := e.As(o.owner), e.As(o.mem), e.As(e.NewUser(o.acc, actor.RoleAdmin))
		holiday := o.holiday(t)
		if r := owner.Patch(o.base+"/absence-types/"+itoa(holiday), map[string]any{"allowance_days": 3, "carry_over_days": 0}); r.Status != http.StatusOK {
			t.Fatalf("allowance: %d %s", r.Status, r.Body)
		}
		var ids []int64
		// Monday and Tuesday of five weeks (not Easter Monday, 29 March 2027: a public holiday).
		for _, d := range []string{"03-01", "03-08", "03-15", "03-22", "04-05"} {
			start, _ := time.Parse(time.DateOnly, "2027-"+d)
			ids = append(ids, o.created(t, mem, "/absences", map[string]any{"type": holiday,
				"starts_on": start.Format(time.DateOnly), "ends_on": start.AddDate(0, 0, 1).Format(time.DateOnly)}))
		}
		statuses := make([]int, len(ids))
		problems := make([]string, len(ids))
		var wg sync.WaitGroup
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				// The owner, an administrator and the team's manager approve at the same time.
				c := []*testkit.Client{owner, admin, e.As(o.mgr)}[i%3]
				r := c.Post(o.base+"/absences/"+itoa(id)+"/approve", map[string]any{})
				statuses[i], problems[i] = r.Status, r.FieldErrors()["type"]
			}()
		}
		wg.Wait()
		ok := 0
		for i, st := range statuses {
			switch {
			case st == http.StatusOK:
				ok++
			case st != http.StatusUnprocessableEntity || problems[i] == "":
				t.Errorf("approval %d: %d %q", i, st, problems[i])
			}
		}
		var bal struct {
			Items []struct {
				Taken     float64 `json:"taken_days"`
				Remaining float64 `json:"remaining_days"`
			}
		}
		mem.Get(o.base+"/absence-balances?year=2027").JSON(t, &bal)
		if ok != 1 || bal.Items[0].Taken != 2 || bal.Items[0].Remaining != 1 {
			t.Errorf("%d approved (statuses %v), balance %+v", ok, statuses, bal.Items[0])
		}
	})
}

// TestHalfDays: a morning and an afternoon of one day are both approved and take one day; a
// second morning overlaps; a lone afternoon takes 0.5 of the balance and half the capacity.
func TestHalfDays(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mgr, mem := e.As(o.mgr), e.As(o.mem)
		holiday := o.holiday(t)
		ask := func(day, part string) *testkit.Response {
			return mem.Post(o.base+"/absences", map[string]any{"type": holiday, "starts_on": day, "ends_on": day, "part": part})
		}
		approve := func(r *testkit.Response) {
			t.Helper()
			if r.Status != http.StatusCreated {
				t.Fatalf("request: %d %s", r.Status, r.Body)
			}
			var v struct {
				ID   int64
				Days float64
			}
			r.JSON(t, &v)
			if v.Days != 0.5 {
				t.Errorf("a half day takes %v days", v.Days)
			}
			if a := mgr.Post(o.base+"/absences/"+itoa(v.ID)+"/approve", map[string]any{}); a.Status != http.StatusOK {
				t.Fatalf("approve: %d %s", a.Status, a.Body)
			}
		}
		approve(ask("2027-04-05", "morning"))
		approve(ask("2027-04-05", "afternoon"))
		if r := ask("2027-04-05", "morning"); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["starts_on"] == "" {
			t.Errorf("a second morning: %d %s", r.Status, r.Body)
		}
		if r := mem.Post(o.base+"/absences", map[string]any{"type": holiday, "starts_on": "2027-04-06", "ends_on": "2027-04-07", "part": "morning"}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["part"] == "" {
			t.Errorf("half of two days: %d %s", r.Status, r.Body)
		}
		if r := ask("2027-04-06", "evening"); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["part"] == "" {
			t.Errorf("an evening: %d %s", r.Status, r.Body)
		}
		approve(ask("2027-04-08", "afternoon"))
		var bal struct {
			Items []struct {
				Taken float64 `json:"taken_days"`
			}
		}
		mem.Get(o.base+"/absence-balances?year=2027").JSON(t, &bal)
		if bal.Items[0].Taken != 1.5 {
			t.Errorf("taken = %v, want 1.5", bal.Items[0].Taken)
		}
		// A full day of booking on the half day counts half: 480 on a 480-minute day.
		res := o.resourceOf(t, o.mem)
		o.created(t, mgr, "/allocations", map[string]any{"resource_id": res, "project_id": o.project, "starts_on": "2027-04-05", "ends_on": "2027-04-09", "minutes_per_day": 480})
		var w workload
		mem.Get(o.base+"/workload?from=2027-04-05&to=2027-04-11").JSON(t, &w)
		if got := w.Resources[w.of(res)].Weeks[0]; got.Absent != 480+240 || got.Allocated != 3*480+240 {
			t.Errorf("week = %+v", got)
		}
	})
}
