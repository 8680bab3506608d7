package projects_test

// Issue 11: a task's page shows its estimates (each assignee's and their sum) and whether
// clients see it.

import (
	"net/http"
	"strings"
	"testing"
)

func TestTaskPageEstimatesAndVisibility(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, map[string]any{"name": "Fair", "guests_allowed": true})
		w.join(pid, w.member, "member")
		w.join(pid, w.member2, "member")
		w.join(pid, w.clientX, "client")
		shared := w.taskList(pid, "Stand", w.coX, w.coY)
		internal := w.taskList(pid, "Budget")
		st := w.task(w.manager, pid, shared, "Book the stand", map[string]any{"assignees": []map[string]any{
			{"user_id": w.member.ID, "estimate_minutes": 90}, {"user_id": w.member2.ID, "estimate_minutes": 45}}})
		in := w.task(w.manager, pid, internal, "Check the margins", nil)
		page := func(id int64) string { return "/" + w.acc.Slug + "/tasks/" + itoa(id) }

		body := string(w.want(w.as(w.member).Get(page(st)), http.StatusOK).Body)
		for _, s := range []string{"Estimate", "2.25 h", "estimated at 1.5 h", "estimated at 0.75 h", "Visible to clients", "Visible to the clients of Client of " + w.acc.Slug + ", Company Y"} {
			if !strings.Contains(body, s) {
				t.Errorf("the shared task's page lacks %q", s)
			}
		}
		body = string(w.want(w.as(w.member).Get(page(in)), http.StatusOK).Body)
		for _, s := range []string{"Internal: no client sees it", "<dd>—</dd>"} {
			if !strings.Contains(body, s) {
				t.Errorf("the internal task's page lacks %q", s)
			}
		}
		// In French, numbers as the French write them.
		fr := w.want(w.as(w.member).Send(http.MethodGet, page(st), http.Header{"Accept-Language": {"fr"}}, nil), http.StatusOK)
		if body := string(fr.Body); !strings.Contains(body, "2,25 h") || !strings.Contains(body, "Visible par les clients de Client of "+w.acc.Slug+", Company Y") {
			t.Errorf("the French page lacks 2,25 h or the companies")
		}
		// A client sees the task, not whom else it is shared with.
		body = string(w.want(w.as(w.clientX).Get(page(st)), http.StatusOK).Body)
		if strings.Contains(body, "Company Y") || strings.Contains(body, "Visible to the clients of") {
			t.Errorf("a client reads whom the task is shared with")
		}
	})
}
