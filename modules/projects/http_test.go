package projects_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestProjectLifecycle drives the API through a project's life: create, read, change, members,
// stars, milestones, lists, archive (read-only), trash (hidden, restorable), restore, purge.
func TestProjectLifecycle(t *testing.T) {
	eachOwnDB(t, func(t *testing.T, w *world) {
		mgr := w.as(w.manager)
		w.category("Design", nil)
		r := w.want(mgr.Post(w.path("/projects"), map[string]any{"name": "  Website  ", "code": "WEB-1", "client_company_id": w.coX,
			"category": "Design", "tags": []string{"web", "Web", "urgent"}, "starts_on": "2026-01-05", "ends_on": "2026-03-31",
			"access": "invite", "guests_allowed": true, "assistant_leader_id": w.member.ID}), http.StatusCreated)
		p := r.Map()
		pid := num(p["id"])
		if p["name"] != "Website" || p["code"] != "WEB-1" || num(p["leader_id"]) != w.manager.ID || p["state"] != "active" ||
			p["starts_on"] != "2026-01-05" || p["access"] != "invite" || fmt.Sprint(p["tags"]) != "[web urgent]" {
			t.Errorf("created project: %s", r.Body)
		}
		// The leader and the assistant are managers of the project; an invite-only project is
		// seen by its members, the owner and admins only.
		var ms page
		w.want(mgr.Get(w.path("/projects/%d/members", pid)), http.StatusOK).JSON(t, &ms)
		if len(ms.Items) != 2 || ms.Items[0]["role"] != "manager" || ms.Items[1]["role"] != "manager" {
			t.Errorf("members: %v", ms.Items)
		}
		check(t, "member2 GET invite-only project", w.as(w.member2).Get(w.path("/projects/%d", pid)), http.StatusNotFound)
		check(t, "admin GET invite-only project", w.as(w.admin).Get(w.path("/projects/%d", pid)), http.StatusOK)
		if ids := w.list(w.member2, w.path("/projects")).ids(); slices.Contains(ids, pid) {
			t.Errorf("member2 lists the invite-only project: %v", ids)
		}
		w.join(pid, w.member2, "member")
		check(t, "member2 after joining", w.as(w.member2).Get(w.path("/projects/%d", pid)), http.StatusOK)
		wantField(t, "leader leaves", w.as(w.owner).Delete(w.path("/projects/%d/members/%d", pid, w.manager.ID)), http.StatusConflict, "user_id")
		wantField(t, "colleague as client", w.as(w.owner).Put(w.path("/projects/%d/members/%d", pid, w.member2.ID), map[string]any{"role": "client"}), 422, "role")
		wantField(t, "client as member", w.as(w.owner).Put(w.path("/projects/%d/members/%d", pid, w.clientX.ID), map[string]any{"role": "member"}), 422, "role")
		w.join(pid, w.clientX, "client")

		// Change it; a duplicate code is a 409 on the field.
		other := w.project(w.manager, map[string]any{"code": "OTHER"})
		wantField(t, "duplicate code", mgr.Patch(w.path("/projects/%d", other), map[string]any{"code": "WEB-1"}), http.StatusConflict, "code")
		r = w.want(mgr.Patch(w.path("/projects/%d", pid), map[string]any{"name": "Website 2", "ends_on": "", "leader_id": w.member2.ID}), http.StatusOK)
		if p := r.Map(); p["name"] != "Website 2" || p["ends_on"] != nil || num(p["leader_id"]) != w.member2.ID {
			t.Errorf("patched: %s", r.Body)
		}
		wantField(t, "ends before start", mgr.Patch(w.path("/projects/%d", pid), map[string]any{"ends_on": "2025-12-31"}), 422, "ends_on")

		// Stars are per person.
		w.want(w.as(w.member2).Put(w.path("/projects/%d/star", pid), nil), http.StatusNoContent)
		if ids := w.list(w.member2, w.path("/projects?starred=true")).ids(); !slices.Equal(ids, []int64{pid}) {
			t.Errorf("member2's starred projects: %v", ids)
		}
		if ids := w.list(w.manager, w.path("/projects?starred=true")).ids(); len(ids) != 0 {
			t.Errorf("manager's starred projects: %v", ids)
		}

		// Milestones and lists.
		ms1 := idOf(t, w.want(mgr.Post(w.path("/projects/%d/milestones", pid), map[string]any{"name": "Beta", "due_on": "2026-02-27"}), http.StatusCreated))
		wantField(t, "milestone without day", mgr.Post(w.path("/projects/%d/milestones", pid), map[string]any{"name": "No day"}), 422, "due_on")
		l1 := idOf(t, w.want(mgr.Post(w.path("/projects/%d/lists", pid), map[string]any{"name": "Design", "milestone_id": ms1, "visibility": "clients", "company_ids": []int64{w.coX}}), http.StatusCreated))
		wantField(t, "a member shares a list", w.as(w.member2).Post(w.path("/projects/%d/lists", pid), map[string]any{"name": "Shared", "visibility": "clients", "company_ids": []int64{w.coX}}), http.StatusForbidden, "visibility")
		l2 := idOf(t, w.want(w.as(w.member2).Post(w.path("/projects/%d/lists", pid), map[string]any{"name": "Internal"}), http.StatusCreated))
		w.task(w.member2, pid, l1, "Sketch", nil)
		w.task(w.member2, pid, l2, "Budget", nil)
		lists := w.list(w.manager, w.path("/projects/%d/lists", pid))
		if len(lists.Items) != 2 || num(lists.Items[0]["position"]) != 1 || num(lists.Items[1]["position"]) != 2 ||
			fmt.Sprint(lists.Items[0]["company_ids"]) != fmt.Sprint([]any{float64(w.coX)}) || num(lists.Items[0]["counts"].(map[string]any)["tasks"]) != 1 {
			t.Errorf("lists: %v", lists.Items)
		}
		counts := w.want(mgr.Get(w.path("/projects/%d", pid)), http.StatusOK).Map()["counts"].(map[string]any)
		if num(counts["lists"]) != 2 || num(counts["tasks"]) != 2 || num(counts["open_tasks"]) != 2 {
			t.Errorf("counts: %v", counts)
		}

		// Archived: readable, read-only; the event is in the outbox.
		w.want(mgr.Post(w.path("/projects/%d/archive", pid), nil), http.StatusOK)
		if evs := w.events("project.archived"); len(evs) != 1 || num(evs[0]["project_id"]) != pid {
			t.Errorf("project.archived events: %v", evs)
		}
		check(t, "read an archived project", w.as(w.member2).Get(w.path("/projects/%d/tasks", pid)), http.StatusOK)
		wantField(t, "task in an archived project", w.as(w.member2).Post(w.path("/projects/%d/tasks", pid), map[string]any{"list_id": l2, "title": "x"}), http.StatusConflict, "")
		if ids := w.list(w.manager, w.path("/projects?state=archived")).ids(); !slices.Contains(ids, pid) {
			t.Errorf("archived list: %v", ids)
		}
		w.want(mgr.Post(w.path("/projects/%d/restore", pid), nil), http.StatusOK)
		w.task(w.member2, pid, l2, "After restore", nil)

		// Trash: gone for readers, listed in the trash for managers, restorable.
		r = w.want(mgr.Delete(w.path("/projects/%d", pid)), http.StatusOK)
		if p := r.Map(); p["state"] != "trash" || p["purge_after"] == nil {
			t.Errorf("trashed: %s", r.Body)
		}
		check(t, "member reads a trashed project", w.as(w.member2).Get(w.path("/projects/%d", pid)), http.StatusNotFound)
		check(t, "member reads the tasks of a trashed project", w.as(w.member2).Get(w.path("/projects/%d/tasks", pid)), http.StatusNotFound)
		check(t, "manager reads the tasks of a trashed project", mgr.Get(w.path("/projects/%d/tasks", pid)), http.StatusNotFound)
		check(t, "member lists the trash", w.as(w.member2).Get(w.path("/projects?state=trash")), http.StatusForbidden)
		if ids := w.list(w.manager, w.path("/projects?state=trash")).ids(); !slices.Equal(ids, []int64{pid}) {
			t.Errorf("trash: %v", ids)
		}
		w.want(mgr.Post(w.path("/projects/%d/restore", pid), nil), http.StatusOK)
		check(t, "member after restore", w.as(w.member2).Get(w.path("/projects/%d", pid)), http.StatusOK)

		// After 30 days in the trash a project can no longer be restored, and the purge deletes
		// it with everything in it.
		w.want(mgr.Delete(w.path("/projects/%d", pid)), http.StatusOK)
		w.svc.Now = func() time.Time { return time.Now().Add(31 * 24 * time.Hour) }
		defer func() { w.svc.Now = nil }()
		check(t, "restore after 31 days", mgr.Post(w.path("/projects/%d/restore", pid), nil), http.StatusGone)
		n, err := w.svc.PurgeTrash(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("purge: %d %v", n, err)
		}
		for _, table := range []string{"task_lists", "tasks", "milestones", "project_members", "project_stars", "activity"} {
			var left int64
			left, err = w.e.App.DB.NewSelect().Table(table).Where("project_id = ?", pid).Count(context.Background())
			if err != nil || left != 0 {
				t.Errorf("%s rows of the purged project: %d %v", table, left, err)
			}
		}
		check(t, "purged project", mgr.Get(w.path("/projects/%d", pid)), http.StatusNotFound)
	})
}

// TestTasksAPI: tasks with assignees, filters, pagination, my tasks, progress and completion,
// dependencies, comments with mentions, the activity feed.
func TestTasksAPI(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, map[string]any{"guests_allowed": true})
		w.join(pid, w.clientX, "client")
		list := w.taskList(pid, "Work", w.coX)
		other := w.taskList(pid, "Other")
		mem := w.as(w.member)

		r := w.want(mem.Post(w.path("/projects/%d/tasks", pid), map[string]any{"list_id": list, "title": "Write spec", "description": "# Spec\n\n- one\n- two",
			"starts_on": "2026-03-02", "due_on": "2026-03-06", "priority": "high",
			"assignees": []map[string]any{{"user_id": w.member.ID, "estimate_minutes": 240}, {"user_id": w.member2.ID, "estimate_minutes": 60}}}), http.StatusCreated)
		spec := r.Map()
		sid := num(spec["id"])
		if spec["status"] != "open" || spec["priority"] != "high" || len(spec["assignees"].([]any)) != 2 || spec["description"] != "# Spec\n\n- one\n- two" {
			t.Errorf("created task: %s", r.Body)
		}
		if evs := w.events("task.created"); len(evs) != 1 || num(evs[0]["task_id"]) != sid {
			t.Errorf("task.created: %v", evs)
		}
		if evs := w.events("task.assigned"); len(evs) != 1 || fmt.Sprint(evs[0]["user_ids"]) != fmt.Sprint([]any{float64(w.member.ID), float64(w.member2.ID)}) {
			t.Errorf("task.assigned: %v", evs)
		}
		wantField(t, "client assignee", mem.Post(w.path("/projects/%d/tasks", pid), map[string]any{"list_id": list, "title": "x", "assignees": []map[string]any{{"user_id": w.clientX.ID}}}), 422, "assignees")
		wantField(t, "list of another project", mem.Post(w.path("/projects/%d/tasks", w.project(w.manager, nil)), map[string]any{"list_id": list, "title": "x"}), 422, "list_id")

		// 120 more tasks: pages of 50 in id order, filters.
		for i := range 120 {
			body := map[string]any{"due_on": fmt.Sprintf("2026-04-%02d", i%28+1)}
			if i%3 == 0 {
				body["assignees"] = []map[string]any{{"user_id": w.member2.ID}}
			}
			w.task(w.member, pid, other, fmt.Sprintf("Task %03d", i), body)
		}
		var all []int64
		next := w.path("/projects/%d/tasks", pid)
		for next != "" {
			p := w.list(w.member, next)
			all = append(all, p.ids()...)
			if len(p.Items) > 50 {
				t.Fatalf("page of %d", len(p.Items))
			}
			next = ""
			if p.NextCursor != "" {
				next = w.path("/projects/%d/tasks?cursor=%s", pid, p.NextCursor)
			}
		}
		if len(all) != 121 || !slices.IsSorted(all) {
			t.Errorf("paged %d tasks, sorted %v", len(all), slices.IsSorted(all))
		}
		if p := w.list(w.member, w.path("/projects/%d/tasks?limit=200", pid)); len(p.Items) != 121 || p.NextCursor != "" {
			t.Errorf("limit 200: %d items, cursor %q", len(p.Items), p.NextCursor)
		}
		if p := w.list(w.member, w.path("/projects/%d/tasks?limit=200&assignee=%d", pid, w.member2.ID)); len(p.Items) != 41 {
			t.Errorf("assignee filter: %d", len(p.Items))
		}
		if p := w.list(w.member, w.path("/projects/%d/tasks?limit=200&due_before=2026-04-03", pid)); len(p.Items) != 1+5*2 {
			t.Errorf("due_before filter: %d", len(p.Items))
		}
		if p := w.list(w.member2, w.path("/my-tasks?limit=200")); len(p.Items) != 41 {
			t.Errorf("member2's tasks: %d", len(p.Items))
		}
		wantField(t, "bad status filter", mem.Get(w.path("/projects/%d/tasks?status=closed", pid)), 422, "status")
		wantField(t, "bad due_before", mem.Get(w.path("/projects/%d/tasks?due_before=tomorrow", pid)), 422, "due_before")
		wantField(t, "bad limit", mem.Get(w.path("/projects/%d/tasks?limit=201", pid)), 422, "limit")

		// Progress: one part done puts the task in progress; the last part completes it.
		r = w.want(mem.Patch(w.path("/tasks/%d", sid), map[string]any{"progress": []map[string]any{{"user_id": w.member.ID, "progress": 100}}}), http.StatusOK)
		if m := r.Map(); m["status"] != "in_progress" || m["completed_at"] != nil {
			t.Errorf("half done: %s", r.Body)
		}
		wantField(t, "progress of someone not assigned", mem.Patch(w.path("/tasks/%d", sid), map[string]any{"progress": []map[string]any{{"user_id": w.manager.ID, "progress": 10}}}), 422, "progress")
		wantField(t, "progress over 100", mem.Patch(w.path("/tasks/%d", sid), map[string]any{"progress": []map[string]any{{"user_id": w.member.ID, "progress": 101}}}), 422, "progress")
		r = w.want(w.as(w.member2).Patch(w.path("/tasks/%d", sid), map[string]any{"progress": []map[string]any{{"user_id": w.member2.ID, "progress": 100}}}), http.StatusOK)
		if m := r.Map(); m["status"] != "done" || m["completed_at"] == nil {
			t.Errorf("all parts done: %s", r.Body)
		}
		if evs := w.events("task.completed"); len(evs) != 1 || num(evs[0]["task_id"]) != sid {
			t.Errorf("task.completed: %v", evs)
		}
		// Reopened, it stays open; assigning someone new emits task.assigned for them only.
		r = w.want(mem.Patch(w.path("/tasks/%d", sid), map[string]any{"status": "open", "assignees": []map[string]any{{"user_id": w.member.ID}, {"user_id": w.manager.ID, "estimate_minutes": 30}}}), http.StatusOK)
		if m := r.Map(); m["status"] != "open" || m["completed_at"] != nil || len(m["assignees"].([]any)) != 2 {
			t.Errorf("reopened: %s", r.Body)
		}
		if evs := w.events("task.assigned"); fmt.Sprint(evs[len(evs)-1]["user_ids"]) != fmt.Sprint([]any{float64(w.manager.ID)}) {
			t.Errorf("last task.assigned: %v", evs[len(evs)-1])
		}
		// Setting it done completes every part.
		r = w.want(mem.Patch(w.path("/tasks/%d", sid), map[string]any{"status": "done"}), http.StatusOK)
		for _, a := range r.Map()["assignees"].([]any) {
			if x := a.(map[string]any); num(x["progress"]) != 100 || x["completed_at"] == nil {
				t.Errorf("assignee of a done task: %v", x)
			}
		}

		// Comments: mentions of members who see the task, by full name or email.
		w.join(pid, w.member2, "member")
		body := fmt.Sprintf("Thanks @%s and @%s, and @%s too. Not @nobody; mail %s", w.member2.Name, strings.ToUpper(w.clientX.Email), w.manager.Name, w.member.Email)
		r = w.want(w.as(w.member).Post(w.path("/tasks/%d/comments", sid), map[string]any{"body": body}), http.StatusCreated)
		got := r.Map()["mentioned_user_ids"]
		want := []int64{w.member2.ID, w.clientX.ID, w.manager.ID}
		slices.Sort(want)
		if fmt.Sprint(got) != fmt.Sprint(toAny(want)) {
			t.Errorf("mentions %v, want %v", got, want)
		}
		if evs := w.events("comment.added"); len(evs) != 1 || fmt.Sprint(evs[0]["mentioned_user_ids"]) != fmt.Sprint(toAny(want)) {
			t.Errorf("comment.added: %v", evs)
		}
		w.want(w.as(w.clientX).Post(w.path("/tasks/%d/comments", sid), map[string]any{"body": "From the client"}), http.StatusCreated)
		if p := w.list(w.member, w.path("/tasks/%d/comments", sid)); len(p.Items) != 2 || p.Items[1]["author_name"] != w.clientX.Name {
			t.Errorf("comments: %v", p.Items)
		}
		wantField(t, "empty comment", mem.Post(w.path("/tasks/%d/comments", sid), map[string]any{"body": "  "}), 422, "body")

		// The feed, newest first, paged.
		feed := w.list(w.manager, w.path("/projects/%d/activity?limit=5", pid))
		if len(feed.Items) != 5 || feed.Items[0]["verb"] != "comment.added" || feed.NextCursor == "" || num(feed.Items[0]["id"]) < num(feed.Items[4]["id"]) {
			t.Errorf("feed: %v", feed.Items)
		}
		older := w.list(w.manager, w.path("/projects/%d/activity?limit=5&cursor=%s", pid, feed.NextCursor))
		if num(older.Items[0]["id"]) >= num(feed.Items[4]["id"]) {
			t.Errorf("second page of the feed starts at %v", older.Items[0]["id"])
		}

		// Delete.
		w.want(mem.Delete(w.path("/tasks/%d", sid)), http.StatusNoContent)
		check(t, "deleted task", mem.Get(w.path("/tasks/%d", sid)), http.StatusNotFound)
		check(t, "comments of a deleted task", mem.Get(w.path("/tasks/%d/comments", sid)), http.StatusNotFound)
	})
}

func toAny(ids []int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = float64(id)
	}
	return out
}
