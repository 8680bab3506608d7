package projects_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestHomeMyWork: the home is "My work" — a member's open tasks by when they are due (overdue,
// today, the next seven days, later) with a button that completes each, their starred projects
// and the milestones due soon, and what others changed since; a client gets the projects shared
// with them and none of the account's head counts.
func TestHomeMyWork(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		today := time.Now().UTC()
		day := func(n int) string { return today.AddDate(0, 0, n).Format("2006-01-02") }
		pid := w.project(w.owner, map[string]any{"name": "Website", "guests_allowed": true})
		w.join(pid, w.member, "member")
		w.join(pid, w.clientX, "client")
		internal := w.taskList(pid, "Internal")
		shared := w.taskList(pid, "Shared", w.coX)
		assign := map[string]any{"assignees": []map[string]any{{"user_id": w.member.ID}}}
		with := func(due string) map[string]any {
			b := map[string]any{"due_on": due}
			for k, v := range assign {
				b[k] = v
			}
			return b
		}
		w.task(w.owner, pid, internal, "Late report", with(day(-2)))
		todayTask := w.task(w.owner, pid, internal, "Call the printer", with(day(0)))
		w.task(w.owner, pid, shared, "Draft the homepage", with(day(3)))
		w.task(w.owner, pid, internal, "Someday cleanup", assign)
		w.task(w.owner, pid, internal, "Not mine", map[string]any{"due_on": day(0)})
		w.want(w.as(w.owner).Post(w.path("/projects/%d/milestones", pid), map[string]any{"name": "Launch", "due_on": day(5)}), http.StatusCreated)
		w.want(w.as(w.member).Put(w.path("/projects/%d/star", pid), nil), http.StatusNoContent)

		b := w.e.BrowserLogin(w.member)
		home := "/" + w.acc.Slug
		page := string(w.want(b.Get(home), http.StatusOK).Body)
		order := []string{"My tasks", "Overdue", "Late report", "Today", "Call the printer", "Next 7 days", "Draft the homepage", "Later", "Someday cleanup"}
		at := 0
		for _, s := range order {
			i := strings.Index(page[at:], s)
			if i < 0 {
				t.Fatalf("the home lacks %q after position %d", s, at)
			}
			at += i
		}
		for _, s := range []string{"Starred projects", "Website", "Launch", "What changed in the last 7 days", "Call the printer"} {
			if !strings.Contains(page, s) {
				t.Errorf("the home lacks %q", s)
			}
		}
		myWork, changes, _ := strings.Cut(page, "What changed")
		if strings.Contains(myWork, "Not mine") {
			t.Error("my tasks show a task assigned to nobody")
		}
		if !strings.Contains(changes, "Not mine") {
			t.Error("what changed lacks the owner's new task")
		}
		if strings.Contains(page, ">The account<") {
			t.Error("a member sees the account's head counts")
		}

		// Tick to complete: back on the home, the task gone from it and done.
		r := b.SubmitForm(home, fmt.Sprintf("/%s/tasks/%d/status", w.acc.Slug, todayTask), url.Values{"status": {"done"}, "back": {home}})
		w.want(r, http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != home {
			t.Errorf("completing from the home goes to %q", loc)
		}
		task := w.want(w.as(w.member).Get(w.path("/tasks/%d", todayTask)), http.StatusOK).Map()
		if task["status"] != "done" {
			t.Errorf("the ticked task is %v", task["status"])
		}
		page = string(w.want(b.Get(home), http.StatusOK).Body)
		if myWork, _, _ := strings.Cut(page, "What changed"); strings.Contains(myWork, "Call the printer") {
			t.Error("a completed task is still among my tasks")
		}

		// The client: the projects shared with them, the shared milestone lines, no head counts,
		// no internal task in what changed.
		c := w.e.BrowserLogin(w.clientX)
		cpage := string(w.want(c.Get(home), http.StatusOK).Body)
		for _, s := range []string{"Your projects", "Website", "Draft the homepage"} {
			if !strings.Contains(cpage, s) {
				t.Errorf("the client's home lacks %q", s)
			}
		}
		for _, s := range []string{"My tasks", "Late report", "Someday cleanup", "Not mine", ">The account<", "People"} {
			if strings.Contains(cpage, s) {
				t.Errorf("the client's home shows %q", s)
			}
		}
		// The owner, who runs the account, sees its figures.
		o := w.e.BrowserLogin(w.owner)
		if opage := string(w.want(o.Get(home), http.StatusOK).Body); !strings.Contains(opage, ">The account<") {
			t.Error("the owner's home lacks the account's figures")
		}
	})
}

// TestProjectsCountedForTheAccount: the projects feed the account's "projects" counter
// (hooks.Counter), which the support console shows (it showed 0) and a plan's quota will use;
// the trash does not count.
func TestProjectsCountedForTheAccount(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		for range 3 {
			w.project(w.manager, nil)
		}
		trashed := w.project(w.manager, nil)
		w.want(w.as(w.manager).Delete(w.path("/projects/%d", trashed)), http.StatusOK)
		support := w.e.NewPlatformUser("support")
		r := w.want(w.e.As(support).Get("/api/v1/platform/accounts/"+w.acc.Slug), http.StatusOK).Map()
		counters, _ := r["counters"].(map[string]any)
		if counters["projects"] != float64(3) {
			t.Errorf("the support console counts %v projects, want 3: %v", counters["projects"], r)
		}
	})
}
