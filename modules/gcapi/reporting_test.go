package gcapi_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"groupcamp/core/testkit"
)

// reportingWorld is a world with a project, a milestone, a list under it, tasks and time.
type reportingWorld struct {
	*world
	gid, mid, lid string
	tasks         []string
}

func newReporting(t *testing.T, e *testkit.Env, tasks, entries int) *reportingWorld {
	t.Helper()
	w := &reportingWorld{world: newWorld(t, e)}
	w.gid = w.prov.call("POST", "/core/v1/group/project", `{"name": "Reports"}`).want(t, http.StatusOK).result(t)["id"].(string)
	w.prov.call("PUT", "/core/v1/group/"+w.gid+"/user/"+w.member.Email, "").want(t, http.StatusOK)
	p := "/projects/" + w.gid
	w.mid = idOf(w.api(t, "POST", p+"/milestones", map[string]any{"name": "Launch", "due_on": "2030-01-15"}, http.StatusCreated))
	w.lid = idOf(w.api(t, "POST", p+"/lists", map[string]any{"name": "Build", "milestone_id": num(w.mid)}, http.StatusCreated))
	for i := 0; i < tasks; i++ {
		body := map[string]any{"list_id": num(w.lid), "title": fmt.Sprintf("Task %d", i)}
		if i == 0 {
			body["assignees"] = []map[string]any{{"user_id": w.member.ID, "estimate_minutes": 240}}
			body["starts_on"] = "2029-12-01"
		}
		w.tasks = append(w.tasks, idOf(w.api(t, "POST", p+"/tasks", body, http.StatusCreated)))
	}
	for i := 0; i < entries; i++ {
		body := map[string]any{"date": today(), "minutes": 1, "project_id": num(w.gid), "note": fmt.Sprintf("Work %d", i), "billable": true}
		if i == 0 && len(w.tasks) > 0 {
			body["task_id"], body["minutes"] = num(w.tasks[0]), 90
		}
		w.api(t, "POST", "/time-entries", body, http.StatusCreated)
	}
	return w
}

// TestTasks: task/v1 with the "next" mechanism (next_page absolute, absent on the last page),
// a task, a list, a milestone, and the 400s.
func TestTasks(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		w := newReporting(t, e, 101, 1)
		s := w.rep
		first := s.call("GET", "/task/v1/group/"+w.gid+"/tasks", "").want(t, http.StatusOK)
		if len(first.list(t)) != 100 {
			t.Fatalf("first page: %d tasks", len(first.list(t)))
		}
		next, ok := first.Body["next_page"].(string)
		if !ok || !strings.HasPrefix(next, e.URL+"/task/v1/group/"+w.gid+"/tasks?") {
			t.Fatalf("next_page: %v", first.Body["next_page"])
		}
		second := s.next(next).want(t, http.StatusOK)
		if l := second.list(t); len(l) != 1 || l[0]["id"] != w.tasks[100] {
			t.Fatalf("second page: %s", second.Raw)
		}
		if _, has := second.Body["next_page"]; has {
			t.Fatalf("the last page has a next_page: %s", second.Raw)
		}
		// A task: its list, milestone, assignee, dates and time in both units.
		task := s.call("GET", "/task/v1/task/"+w.tasks[0], "").want(t, http.StatusOK).result(t)
		list := task["list"].(map[string]any)
		if task["name"] != "Task 0" || task["is_open"] != true || list["id"] != w.lid || list["milestone"].(map[string]any)["id"] != w.mid {
			t.Fatalf("task: %v", task)
		}
		if b := task["begin"].(map[string]any); b["type"] != "date" || b["date"] != "2029-12-01" {
			t.Fatalf("begin: %v", b)
		}
		if end := task["end"].(map[string]any); end["type"] != "milestone" || end["date"] != "2030-01-15" || end["id"] != w.mid {
			t.Fatalf("end from the milestone: %v", end)
		}
		aff := task["affects"].([]any)[0].(map[string]any)
		if est := aff["estimate"].(map[string]any); est["s"] != float64(240*60) || est["d"] != float64(500) {
			t.Fatalf("estimate (4 h = 14400 s = 500 thousandths of an 8-hour day): %v", est)
		}
		if tt := task["track_time"].(map[string]any)["total"].(map[string]any); tt["s"] != float64(90*60) {
			t.Fatalf("time on the task: %v", tt)
		}
		if l := s.call("GET", "/task/v1/task_list/"+w.lid, "").want(t, http.StatusOK).result(t); l["name"] != "Build" || l["group"].(map[string]any)["id"] != w.gid {
			t.Fatalf("task list: %v", l)
		}
		if m := s.call("GET", "/task/v1/milestone/"+w.mid, "").want(t, http.StatusOK).result(t); m["date"] != "2030-01-15" || m["is_open"] != true {
			t.Fatalf("milestone: %v", m)
		}
		// Filters.
		if l := s.call("GET", fmt.Sprintf("/task/v1/tasks?to=%d&group=%s", w.member.ID, w.gid), "").want(t, http.StatusOK).list(t); len(l) != 1 {
			t.Fatalf("assigned: %d", len(l))
		}
		if l := s.call("GET", "/task/v1/user/"+w.member.Email+"/assigned_tasks", "").want(t, http.StatusOK).list(t); len(l) != 1 {
			t.Fatalf("assigned_tasks: %d", len(l))
		}
		if l := s.call("GET", "/task/v1/group/"+w.gid+"/tasks?state=completed", "").want(t, http.StatusOK).list(t); len(l) != 0 {
			t.Fatalf("completed: %d", len(l))
		}
		if l := s.call("GET", "/task/v1/group/"+w.gid+"/tasks?due_begin=2030-01-15&due_end=2030-01-15", "").want(t, http.StatusOK); len(l.list(t)) != 100 {
			t.Fatalf("due (from the milestone): %d", len(l.list(t)))
		}
		for _, bad := range []string{"/task/v1/group/" + w.gid + "/tasks?state=done", "/task/v1/group/" + w.gid + "/tasks?due_begin=tomorrow",
			"/task/v1/tasks?list=1&list=2", "/task/v1/tasks?group=x", "/task/v1/tasks?after=-1"} {
			if a := s.call("GET", bad, "").want(t, http.StatusBadRequest); a.Body["error"] != "bad_request" || a.Body["detail"] != "get_parameter_error" {
				t.Fatalf("%s: %s", bad, a.Raw)
			}
		}
		// Another account's ids are 404.
		x := newWorld(t, e)
		for _, p := range []string{"/task/v1/task/" + w.tasks[0], "/task/v1/task_list/" + w.lid, "/task/v1/milestone/" + w.mid, "/task/v1/group/" + w.gid + "/tasks"} {
			x.rep.call("GET", p, "").want(t, http.StatusNotFound)
		}
		if l := x.rep.call("GET", "/task/v1/tasks?group="+w.gid, "").want(t, http.StatusOK).list(t); len(l) != 0 {
			t.Fatalf("another account's tasks: %d", len(l))
		}
	})
}

// TestTimelogs: track/v1 with the "full" mechanism (page_count, current_page, next and
// previous pages, 410 once gone), the 42-day limit, the units, and a budget.
func TestTimelogs(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		w := newReporting(t, e, 1, 101)
		s := w.rep
		day := today()
		q := "?start=" + day + "&end=" + day
		first := s.call("GET", "/track/v1/timelogs"+q, "").want(t, http.StatusOK)
		if first.Body["page_count"] != float64(2) || first.Body["current_page"] != float64(1) || len(first.list(t)) != 100 {
			t.Fatalf("first page: %v %v %d", first.Body["page_count"], first.Body["current_page"], len(first.list(t)))
		}
		if _, has := first.Body["previous_page"]; has {
			t.Fatalf("the first page has a previous_page")
		}
		log := first.list(t)[0]
		dur := log["duration"].(map[string]any)
		if log["time_unit"] != "s" || dur["s"] != float64(90*60) || dur["d"] != float64(187) || log["name"] != "Work 0" || log["billable"] != true {
			t.Fatalf("time log: %v", log)
		}
		if o := log["owner"].(map[string]any); o["id"] != w.gid || o["type"] != "group" || o["name"] != "Reports" {
			t.Fatalf("owner: %v", o)
		}
		if o := log["object"].(map[string]any); o["id"] != w.tasks[0] || o["type"] != "task" || o["appli"] != "task" {
			t.Fatalf("object: %v", o)
		}
		if u := log["user"].(map[string]any); u["id"] != fmt.Sprint(w.acc.Owner.ID) {
			t.Fatalf("user: %v", u)
		}
		second := s.next(first.Body["next_page"].(string)).want(t, http.StatusOK)
		if second.Body["current_page"] != float64(2) || len(second.list(t)) != 1 {
			t.Fatalf("second page: %s", second.Raw)
		}
		if _, has := second.Body["next_page"]; has {
			t.Fatalf("the last page has a next_page")
		}
		if back := s.next(second.Body["previous_page"].(string)).want(t, http.StatusOK); back.Body["current_page"] != float64(1) {
			t.Fatalf("previous page: %s", back.Raw)
		}
		// A page that is gone (expired or never made).
		if a := s.call("GET", "/track/v1/timelogs?token=NOSUCHTOKEN&page=2", "").want(t, http.StatusGone); a.Body["error"] != "gone" {
			t.Fatalf("gone: %s", a.Raw)
		}
		// Another account cannot read the pages.
		x := newWorld(t, e)
		x.rep.next(strings.Replace(first.Body["next_page"].(string), "", "", 1)).want(t, http.StatusGone)
		// The project's own listing, any range.
		if g := s.call("GET", "/track/v1/group/"+w.gid+"/timelogs", "").want(t, http.StatusOK); g.Body["page_count"] != float64(2) {
			t.Fatalf("group timelogs: %s", g.Raw)
		}
		x.rep.call("GET", "/track/v1/group/"+w.gid+"/timelogs", "").want(t, http.StatusNotFound)
		// The account-wide listing refuses more than 42 days, and wants its days.
		start := time.Now().UTC().AddDate(0, 0, -43).Format(time.DateOnly)
		for _, bad := range []string{"?start=" + start + "&end=" + day, "", "?start=" + day, "?start=" + day + "&end=yesterday", "?start=" + day + "&end=2000-01-01"} {
			if a := s.call("GET", "/track/v1/timelogs"+bad, "").want(t, http.StatusBadRequest); a.Body["detail"] != "get_parameter_error" {
				t.Fatalf("%q: %s", bad, a.Raw)
			}
		}
		// A budget: none yet, then a total line of 10 hours and 500.00.
		s.call("GET", "/track/v1/budget/"+w.gid, "").want(t, http.StatusNotFound)
		w.api(t, "POST", "/projects/"+w.gid+"/budget-lines", map[string]any{"kind": "total", "minutes": 600, "amount_minor": 50000}, http.StatusCreated)
		b := s.call("GET", "/track/v1/budget/"+w.gid+"?with_detail=1&with_spent=1", "").want(t, http.StatusOK).result(t)
		if b["type"] != "total" || b["time_unit"] != "s" || b["work"] != float64(36000) || b["amount"] != float64(500000) || b["group_id"] != w.gid {
			t.Fatalf("budget: %v", b)
		}
		line := b["lines"].([]any)[0].(map[string]any)
		if line["type"] != "total" || line["time"] != float64(36000) || line["cost"] != float64(500000) || line["unit_cost"] != float64(50000) {
			t.Fatalf("budget line (50.00 an hour): %v", line)
		}
		if _, has := line["spent"]; !has {
			t.Fatalf("with_spent: no spent in %v", line)
		}
		if plain := s.call("GET", "/track/v1/budget/"+w.gid, "").want(t, http.StatusOK).result(t); plain["lines"] != nil {
			t.Fatalf("lines without with_detail: %v", plain)
		}
		s.call("GET", "/track/v1/budget/"+w.gid+"?with_detail=1&with_detail=1", "").want(t, http.StatusBadRequest)
		// The report: the project, its leader, budget and time (90 + 100 minutes, all billable).
		rep := s.call("GET", "/track/v1/report?name=Reports", "").want(t, http.StatusOK).list(t)
		if len(rep) != 1 {
			t.Fatalf("report: %v", rep)
		}
		pr := rep[0]["project"].(map[string]any)
		if pr["group_id"] != w.gid || pr["leader1"].(map[string]any)["id"] != fmt.Sprint(w.acc.Owner.ID) || pr["state"] != "ok" {
			t.Fatalf("report project: %v", pr)
		}
		if b := rep[0]["budget"].(map[string]any); b["work"] != float64(36000) || b["amount"] != float64(500000) {
			t.Fatalf("report budget: %v", b)
		}
		if tt := rep[0]["time_total"].(map[string]any); tt["total_time"] != float64(190*60) || tt["billable_time"] != float64(190*60) || tt["time_unit"] != "s" {
			t.Fatalf("report time: %v", tt)
		}
		if l := s.call("GET", fmt.Sprintf("/track/v1/report?leader=%d", w.member.ID), "").want(t, http.StatusOK).list(t); len(l) != 0 {
			t.Fatalf("report of a member who leads nothing: %v", l)
		}
		if l := s.call("GET", "/track/v1/report?tag_name=", "").want(t, http.StatusOK).list(t); len(l) != 1 {
			t.Fatalf("report of untagged projects: %v", l)
		}
		s.call("GET", "/track/v1/report?project_type=other", "").want(t, http.StatusBadRequest)
		if l := x.rep.call("GET", "/track/v1/report", "").want(t, http.StatusOK).list(t); len(l) != 0 {
			t.Fatalf("another account's report: %v", l)
		}
		x.rep.call("GET", "/track/v1/budget/"+w.gid, "").want(t, http.StatusNotFound)
	})
}

func num(s string) int64 { n, _ := strconv.ParseInt(s, 10, 64); return n }
