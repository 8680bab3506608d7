package projects_test

// Issue 11: a deleted task goes to its project's trash, out of every view, and comes back
// whole with a restore within 30 days; then the purge deletes it.

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestTaskTrash(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		today := time.Now().UTC()
		day := func(n int) string { return today.AddDate(0, 0, n).Format("2006-01-02") }
		pid := w.project(w.manager, map[string]any{"name": "Fair", "guests_allowed": true})
		w.join(pid, w.member, "member")
		w.join(pid, w.clientX, "client")
		shared := w.taskList(pid, "Stand", w.coX)
		first := w.task(w.manager, pid, shared, "Book the stand", map[string]any{"starts_on": day(0), "due_on": day(1),
			"assignees": []map[string]any{{"user_id": w.member.ID, "estimate_minutes": 90}}})
		gone := w.task(w.manager, pid, shared, "Print the flyers", map[string]any{"starts_on": day(2), "due_on": day(3),
			"assignees": []map[string]any{{"user_id": w.member.ID}}})
		after := w.task(w.manager, pid, shared, "Hand out the flyers", map[string]any{"starts_on": day(6), "due_on": day(7)})
		w.want(w.as(w.manager).Post(w.path("/tasks/%d/dependencies", gone), map[string]any{"predecessor_id": first}), http.StatusCreated)
		w.want(w.as(w.manager).Post(w.path("/tasks/%d/dependencies", after), map[string]any{"predecessor_id": gone}), http.StatusCreated)
		w.want(w.as(w.member).Post(w.path("/tasks/%d/comments", gone), map[string]any{"body": "Proofs are ready"}), http.StatusCreated)
		w.want(w.as(w.member).Post(w.path("/tasks/%d/checklist", gone), map[string]any{"text": "Order paper"}), http.StatusCreated)
		m := w.as(w.member)

		// The member deletes the task: it goes to the trash.
		check(t, "client deletes", w.as(w.clientX).Delete(w.path("/tasks/%d", gone)), http.StatusForbidden)
		w.want(m.Delete(w.path("/tasks/%d", gone)), http.StatusNoContent)
		for what, path := range map[string]string{"task": "/tasks/%d", "comments": "/tasks/%d/comments", "checklist": "/tasks/%d/checklist"} {
			check(t, "trashed "+what, m.Get(w.path(path, gone)), http.StatusNotFound)
		}
		check(t, "patch a trashed task", m.Patch(w.path("/tasks/%d", gone), map[string]any{"title": "x"}), http.StatusNotFound)
		check(t, "delete it again", m.Delete(w.path("/tasks/%d", gone)), http.StatusNotFound)
		check(t, "comment on it", m.Post(w.path("/tasks/%d/comments", gone), map[string]any{"body": "x"}), http.StatusNotFound)
		wantField(t, "wait for a trashed task", w.as(w.manager).Post(w.path("/tasks/%d/dependencies", first), map[string]any{"predecessor_id": gone}), http.StatusUnprocessableEntity, "predecessor_id")
		// A link through the trashed task would close a cycle once it is back: refused too.
		wantField(t, "cycle through the trash", w.as(w.manager).Post(w.path("/tasks/%d/dependencies", first), map[string]any{"predecessor_id": after}), http.StatusUnprocessableEntity, "predecessor_id")

		// Out of every list.
		for what, path := range map[string]string{
			"tasks":        w.path("/projects/%d/tasks", pid),
			"my tasks":     w.path("/my-tasks"),
			"client tasks": w.path("/projects/%d/tasks", pid),
		} {
			u := w.member
			if what == "client tasks" {
				u = w.clientX
			}
			if ids := w.list(u, path).ids(); slices.Contains(ids, gone) {
				t.Errorf("%s lists the trashed task: %v", what, ids)
			}
		}
		if got := w.want(m.Get(w.path("/tasks/%d", after)), http.StatusOK).Map(); len(got["predecessor_ids"].([]any)) != 0 {
			t.Errorf("the successor still waits for a trashed task: %v", got["predecessor_ids"])
		}
		if got := w.want(m.Get(w.path("/tasks/%d", first)), http.StatusOK).Map(); len(got["successor_ids"].([]any)) != 0 {
			t.Errorf("the predecessor still leads to a trashed task: %v", got["successor_ids"])
		}
		p := w.want(m.Get(w.path("/projects/%d", pid)), http.StatusOK).Map()
		if c := p["counts"].(map[string]any); num(c["tasks"]) != 2 {
			t.Errorf("counts with a task in the trash: %v", c)
		}
		wantCounters(t, w, pid)
		for _, page := range []string{"/projects/%d/tasks", "/projects/%d/board", "/projects/%d/gantt", "/projects/%d/gantt.svg"} {
			if body := string(w.want(m.Get("/"+w.acc.Slug+strings.Replace(page, "%d", itoa(pid), 1)), http.StatusOK).Body); strings.Contains(body, "Print the flyers") {
				t.Errorf("%s shows the trashed task", page)
			}
		}
		cal := "/" + w.acc.Slug + "/my-calendar?month=" + today.Format("2006-01")
		if body := string(w.want(m.Get(cal), http.StatusOK).Body); strings.Contains(body, "Print the flyers") || !strings.Contains(body, "Book the stand") {
			t.Errorf("the calendar shows the trashed task, or not the other")
		}
		home := string(w.want(w.e.BrowserLogin(w.member).Get("/"+w.acc.Slug), http.StatusOK).Body)
		if myWork, _, _ := strings.Cut(home, "What changed"); strings.Contains(myWork, "Print the flyers") || !strings.Contains(myWork, "Book the stand") {
			t.Errorf("the home's tasks show the trashed task, or not the other")
		}
		if body := string(w.want(m.Get(w.path("/projects/%d/export.zip", pid)), http.StatusOK).Body); strings.Contains(body, "Print the flyers") {
			t.Errorf("the export holds the trashed task")
		}
		copied := w.project(w.manager, map[string]any{"name": "Fair 2", "template_id": pid})
		if n := len(w.list(w.manager, w.path("/projects/%d/tasks", copied)).Items); n != 2 {
			t.Errorf("a copy of the project has %d tasks, want 2 (not the trashed one)", n)
		}

		// The trash lists it, for those who change tasks.
		check(t, "client reads the trash", w.as(w.clientX).Get(w.path("/projects/%d/trash", pid)), http.StatusForbidden)
		trash := w.list(w.member2, w.path("/projects/%d/trash", pid))
		if len(trash.Items) != 1 || num(trash.Items[0]["id"]) != gone || trash.Items[0]["trashed_at"] == nil {
			t.Fatalf("trash: %v", trash.Items)
		}
		at, _ := time.Parse(time.RFC3339, trash.Items[0]["trashed_at"].(string))
		until, _ := time.Parse(time.RFC3339, trash.Items[0]["purge_after"].(string))
		if d := until.Sub(at); d != 30*24*time.Hour {
			t.Errorf("purged %s after its deletion, want 30 days", d)
		}
		if page := string(w.want(m.Get("/"+w.acc.Slug+"/projects/"+itoa(pid)+"/trash"), http.StatusOK).Body); !strings.Contains(page, "Print the flyers") || !strings.Contains(page, "Restore") {
			t.Errorf("the trash page lacks the task or its Restore")
		}

		// While it is in the trash its predecessor moves: nothing after it moves...
		w.want(w.as(w.manager).Patch(w.path("/tasks/%d", first), map[string]any{"due_on": day(9)}), http.StatusOK)
		if got := w.want(m.Get(w.path("/tasks/%d", after)), http.StatusOK).Map(); got["starts_on"] != day(6) {
			t.Errorf("a task after a trashed one moved: %v", got["starts_on"])
		}
		// ...until it is back: then it starts after its predecessor, and its successor after it.
		check(t, "client restores", w.as(w.clientX).Post(w.path("/tasks/%d/restore", gone), nil), http.StatusForbidden)
		check(t, "restore no task", m.Post(w.path("/tasks/%d/restore", 99999999), nil), http.StatusNotFound)
		other := w.e.NewAccount()
		check(t, "another account restores", w.e.As(other.Owner).Post("/api/v1/"+other.Slug+"/tasks/"+itoa(gone)+"/restore", nil), http.StatusNotFound)
		got := w.want(m.Post(w.path("/tasks/%d/restore", gone), nil), http.StatusOK).Map()
		if got["title"] != "Print the flyers" || got["trashed_at"] != nil || got["checklist_total"] != float64(1) || len(got["assignees"].([]any)) != 1 {
			t.Errorf("restored: %v", got)
		}
		if !slices.Equal(toIDs(got["predecessor_ids"]), []int64{first}) || !slices.Equal(toIDs(got["successor_ids"]), []int64{after}) {
			t.Errorf("restored links: %v %v", got["predecessor_ids"], got["successor_ids"])
		}
		if got["starts_on"].(string) <= day(9) {
			t.Errorf("the restored task starts %v, before its predecessor is due (%s)", got["starts_on"], day(9))
		}
		if next := w.want(m.Get(w.path("/tasks/%d", after)), http.StatusOK).Map(); next["starts_on"].(string) <= got["due_on"].(string) {
			t.Errorf("its successor starts %v, before it is due (%v)", next["starts_on"], got["due_on"])
		}
		if cs := w.list(w.member, w.path("/tasks/%d/comments", gone)); len(cs.Items) != 1 {
			t.Errorf("the comment did not come back: %v", cs.Items)
		}
		w.want(m.Post(w.path("/tasks/%d/restore", gone), nil), http.StatusOK) // in use: nothing to do
		if n := len(w.list(w.member, w.path("/projects/%d/trash", pid)).Items); n != 0 {
			t.Errorf("the trash holds %d tasks after the restore", n)
		}
		wantCounters(t, w, pid)
		verbs := []string{}
		for _, a := range w.list(w.manager, w.path("/projects/%d/activity", pid)).Items {
			verbs = append(verbs, a["verb"].(string))
		}
		if s := strings.Join(verbs, " "); !strings.Contains(s, "task.restored") || !strings.Contains(s, "task.trashed") {
			t.Errorf("the feed: %s", s)
		}

		// An archived project is read-only: no delete, no restore.
		w.want(m.Delete(w.path("/tasks/%d", gone)), http.StatusNoContent)
		w.want(w.as(w.manager).Post(w.path("/projects/%d/archive", pid), nil), http.StatusOK)
		check(t, "restore in an archived project", m.Post(w.path("/tasks/%d/restore", gone), nil), http.StatusConflict)
		check(t, "delete in an archived project", m.Delete(w.path("/tasks/%d", first)), http.StatusConflict)
	})
}

// TestTaskTrashPurge: after 30 days a trashed task can no longer be restored, and the daily
// purge deletes it with its rows; younger ones stay.
func TestTaskTrashPurge(t *testing.T) {
	eachOwnDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, nil)
		lid := w.taskList(pid, "L")
		old := w.task(w.manager, pid, lid, "Old", map[string]any{"assignees": []map[string]any{{"user_id": w.member.ID}}})
		w.want(w.as(w.manager).Post(w.path("/tasks/%d/comments", old), map[string]any{"body": "bye"}), http.StatusCreated)
		young := w.task(w.manager, pid, lid, "Young", nil)
		w.want(w.as(w.manager).Delete(w.path("/tasks/%d", old)), http.StatusNoContent)
		w.svc.Now = func() time.Time { return time.Now().Add(20 * 24 * time.Hour) }
		defer func() { w.svc.Now = nil }()
		w.want(w.as(w.manager).Delete(w.path("/tasks/%d", young)), http.StatusNoContent)
		w.svc.Now = func() time.Time { return time.Now().Add(31 * 24 * time.Hour) }
		check(t, "restore after 31 days", w.as(w.manager).Post(w.path("/tasks/%d/restore", old), nil), http.StatusGone)
		n, err := w.svc.PurgeTaskTrash(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("purge: %d %v", n, err)
		}
		ctx := context.Background()
		for _, table := range []string{"tasks", "task_assignees", "comments"} {
			col := "task_id"
			if table == "tasks" {
				col = "id"
			}
			if left, err := w.e.App.DB.NewSelect().Table(table).Where(col+" = ?", old).Count(ctx); err != nil || left != 0 {
				t.Errorf("%s rows of the purged task: %d %v", table, left, err)
			}
		}
		if ids := w.list(w.manager, w.path("/projects/%d/trash", pid)).ids(); !slices.Equal(ids, []int64{young}) {
			t.Errorf("the trash after the purge: %v", ids)
		}
		w.want(w.as(w.manager).Post(w.path("/tasks/%d/restore", young), nil), http.StatusOK)
		wantCounters(t, w, pid)
	})
}

func toIDs(v any) []int64 {
	var out []int64
	for _, x := range v.([]any) {
		out = append(out, num(x))
	}
	return out
}
