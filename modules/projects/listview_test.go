package projects_test

// Issue 11: the list view groups the tasks by task list, ticks a task done from its line,
// adds a task with an assignee and a due day, shows the priority and the start day, and
// sorts.

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestListView(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, map[string]any{"name": "Fair", "guests_allowed": true})
		w.join(pid, w.member, "member")
		w.join(pid, w.clientX, "client")
		stand := w.taskList(pid, "Stand")
		print := w.taskList(pid, "Print")
		w.taskList(pid, "Empty list")
		book := w.task(w.manager, pid, stand, "Book the stand", map[string]any{"priority": "low", "starts_on": "2030-01-06", "due_on": "2030-01-10"})
		w.task(w.manager, pid, stand, "Build the stand", map[string]any{"priority": "urgent", "due_on": "2030-01-03"})
		w.task(w.manager, pid, print, "Print the flyers", map[string]any{"priority": "high"})
		page := "/" + w.acc.Slug + "/projects/" + itoa(pid) + "/tasks"
		m := w.as(w.member)

		body := string(w.want(m.Get(page), http.StatusOK).Body)
		// One group per list, in the lists' order, each task in its own; the new columns.
		at := 0
		for _, s := range []string{`id="list-` + itoa(stand) + `"`, "Book the stand", "Build the stand", `id="list-` + itoa(print) + `"`, "Print the flyers", "Empty list", "No task in this list yet."} {
			i := strings.Index(body[at:], s)
			if i < 0 {
				t.Fatalf("the grouped list lacks %q after position %d", s, at)
			}
			at += i
		}
		for _, s := range []string{"Start", "Priority", "Urgent", `data-sort="2030-01-06"`, "Mark Book the stand done", `name="assignee_id"`} {
			if !strings.Contains(body, s) {
				t.Errorf("the list view lacks %q", s)
			}
		}
		// Sorted by priority, each group from the most pressing.
		body = string(w.want(m.Get(page+"?sort=priority"), http.StatusOK).Body)
		if strings.Index(body, "Build the stand") > strings.Index(body, "Book the stand") {
			t.Errorf("sorted by priority, the urgent task comes after the low one")
		}
		body = string(w.want(m.Get(page+"?sort=due_on&group=none"), http.StatusOK).Body)
		if !strings.Contains(body, `id="tasks-table"`) || strings.Contains(body, `class="card listgroup"`) {
			t.Errorf("group=none is not one table")
		}
		if b, p, f := strings.Index(body, "Build the stand"), strings.Index(body, "Book the stand"), strings.Index(body, "Print the flyers"); !(b < p && p < f) {
			t.Errorf("sorted by due day: build %d, book %d, flyers (no day) %d", b, p, f)
		}
		// A filter shows the lists with matches only.
		if body := string(w.want(m.Get(page+"?status=done"), http.StatusOK).Body); strings.Contains(body, "Empty list") && strings.Contains(body, `id="list-`) {
			t.Errorf("a filter shows lists without matches")
		}
		for _, q := range []string{"?sort=owner", "?group=label"} {
			r := m.Get(page + q)
			if r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest {
				t.Errorf("%s: %d", q, r.Status)
			}
		}
		// A client sees no tick (they do not change tasks) and no quick add.
		w.task(w.manager, pid, w.taskList(pid, "Shared", w.coX), "Shared work", nil)
		body = string(w.want(w.as(w.clientX).Get(page), http.StatusOK).Body)
		if strings.Contains(body, "Mark Shared work done") || strings.Contains(body, `name="assignee_id"`) || strings.Contains(body, "Book the stand") {
			t.Errorf("the client's list view offers ticks or the quick add, or shows internal work")
		}

		// Tick: done, back to the same view; tick again: open.
		b := w.e.BrowserLogin(w.member)
		back := page + "?sort=priority"
		r := b.SubmitForm(back, "/"+w.acc.Slug+"/tasks/"+itoa(book)+"/status", url.Values{"status": {"done"}, "back": {back}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != back {
			t.Errorf("tick: %d to %q", r.Status, r.Header.Get("Location"))
		}
		if got := w.want(m.Get(w.path("/tasks/%d", book)), http.StatusOK).Map(); got["status"] != "done" {
			t.Errorf("ticked: %v", got["status"])
		}
		if body := string(w.want(m.Get(page), http.StatusOK).Body); !strings.Contains(body, "Reopen Book the stand") {
			t.Errorf("a done task offers no reopen")
		}

		// Quick add with an assignee and a due day; a client or a stranger as assignee is
		// refused next to the field, and nothing is added.
		r = b.SubmitForm(page, page, url.Values{"title": {"Order badges"}, "list_id": {itoa(stand)}, "assignee_id": {itoa(w.member.ID)}, "due_on": {"2030-02-01"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("quick add: %d %.300s", r.Status, r.Body)
		}
		var added map[string]any
		for _, it := range w.list(w.member, w.path("/projects/%d/tasks", pid)).Items {
			if it["title"] == "Order badges" {
				added = it
			}
		}
		if added == nil || added["due_on"] != "2030-02-01" || len(added["assignees"].([]any)) != 1 || num(added["assignees"].([]any)[0].(map[string]any)["user_id"]) != w.member.ID {
			t.Errorf("the quick add's task: %v", added)
		}
		before := w.snapshot()
		for _, who := range []string{itoa(w.clientX.ID), "99999999", "x"} {
			r = b.SubmitForm(page, page, url.Values{"title": {"Nope"}, "list_id": {itoa(stand)}, "assignee_id": {who}})
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), `id="e-assignee_id"`) {
				t.Errorf("assignee %s: %d, or no message next to the field", who, r.Status)
			}
		}
		if after := w.snapshot(); after != before {
			t.Errorf("refused quick adds wrote: %s -> %s", before, after)
		}
	})
}
