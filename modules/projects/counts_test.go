package projects_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
)

// The lists' task counters (triggers on tasks) follow every change — creation, completion,
// reopening, a move to another list, deletion, an import, a template's copy — and the
// projects' and lists' counts in the API are theirs: a client's only over shared lists.
func TestCountsFollowEveryChange(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w) // shared: Design mockups; internal: Margin review
		extra := w.task(w.manager, pw.pid, pw.shared, "Extra", nil)
		w.want(w.as(w.manager).Patch(w.path("/tasks/%d", pw.sharedTask), map[string]any{"status": "done"}), http.StatusOK)
		w.want(w.as(w.manager).Patch(w.path("/tasks/%d", extra), map[string]any{"list_id": pw.internal}), http.StatusOK)
		w.want(w.as(w.manager).Patch(w.path("/tasks/%d", extra), map[string]any{"status": "done"}), http.StatusOK)
		w.want(w.as(w.manager).Patch(w.path("/tasks/%d", extra), map[string]any{"status": "in_progress"}), http.StatusOK)
		gone := w.task(w.manager, pw.pid, pw.shared, "Gone", nil)
		w.want(w.as(w.manager).Delete(w.path("/tasks/%d", gone)), http.StatusNoContent)
		wantCounters(t, w, pw.pid)

		// shared: 1 task, 1 done; internal: 2 tasks, 0 done.
		p := w.want(w.as(w.manager).Get(w.path("/projects/%d", pw.pid)), http.StatusOK).Map()
		if c := p["counts"].(map[string]any); num(c["tasks"]) != 3 || num(c["open_tasks"]) != 2 || num(c["lists"]) != 2 {
			t.Errorf("manager's counts: %v", c)
		}
		p = w.want(w.as(w.clientX).Get(w.path("/projects/%d", pw.pid)), http.StatusOK).Map()
		if c := p["counts"].(map[string]any); num(c["tasks"]) != 1 || num(c["open_tasks"]) != 0 || num(c["lists"]) != 1 {
			t.Errorf("client's counts: %v", c)
		}
		for _, l := range w.list(w.manager, w.path("/projects/%d/lists", pw.pid)).Items {
			c := l["counts"].(map[string]any)
			if want := map[int64]string{pw.shared: "1/1", pw.internal: "2/0"}[num(l["id"])]; fmt.Sprintf("%d/%d", num(c["tasks"]), num(c["done"])) != want {
				t.Errorf("list %v counts %v, want %s", l["name"], c, want)
			}
		}

		// A copy made from the project counts its copied tasks.
		cp := w.project(w.manager, map[string]any{"name": "Copy", "template_id": pw.pid})
		wantCounters(t, w, cp)
		if c := w.want(w.as(w.manager).Get(w.path("/projects/%d", cp)), http.StatusOK).Map()["counts"].(map[string]any); num(c["tasks"]) != 3 || num(c["open_tasks"]) != 3 {
			t.Errorf("the copy's counts: %v", c)
		}
	})
}

// wantCounters compares every list's counters with a count of its tasks in use (not in the
// trash).
func wantCounters(t *testing.T, w *world, pid int64) {
	t.Helper()
	var rows []struct {
		ID       int64  `bun:"id"`
		Name     string `bun:"name"`
		Counted  int    `bun:"tasks_count"`
		DoneKept int    `bun:"done_count"`
		Tasks    int    `bun:"tasks"`
		Done     int    `bun:"done"`
	}
	err := w.e.App.DB.NewSelect().TableExpr("task_lists AS l").
		ColumnExpr("l.id, l.name, l.tasks_count, l.done_count").
		ColumnExpr("(SELECT COUNT(*) FROM tasks AS t WHERE t.account_id = l.account_id AND t.list_id = l.id AND t.trashed_at IS NULL) AS tasks").
		ColumnExpr("(SELECT COUNT(*) FROM tasks AS t WHERE t.account_id = l.account_id AND t.list_id = l.id AND t.status = 'done' AND t.trashed_at IS NULL) AS done").
		Where("l.project_id = ?", pid).Scan(context.Background(), &rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatalf("project %d has no lists", pid)
	}
	for _, r := range rows {
		if r.Counted != r.Tasks || r.DoneKept != r.Done {
			t.Errorf("list %q keeps %d tasks, %d done; it holds %d, %d done", r.Name, r.Counted, r.DoneKept, r.Tasks, r.Done)
		}
	}
}
