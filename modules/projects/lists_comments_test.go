package projects_test

// Issue 11: changing and deleting task lists, and the author's edit or deletion of a comment.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"groupcamp/core/testkit"
	"testing"
)

// listItem is the list lid of the project's lists, as the owner reads them.
func (w *world) listItem(pid, lid int64) map[string]any {
	w.t.Helper()
	for _, it := range w.list(w.owner, w.path("/projects/%d/lists", pid)).Items {
		if num(it["id"]) == lid {
			return it
		}
	}
	return nil
}

func TestListPatch(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, map[string]any{"guests_allowed": true})
		w.join(pid, w.member, "member")
		w.join(pid, w.clientX, "client")
		ms := idOf(t, w.want(w.as(w.owner).Post(w.path("/projects/%d/milestones", pid), map[string]any{"name": "M", "due_on": "2030-01-01"}), http.StatusCreated))
		other := w.project(w.owner, nil)
		msOther := idOf(t, w.want(w.as(w.owner).Post(w.path("/projects/%d/milestones", other), map[string]any{"name": "Elsewhere", "due_on": "2030-01-01"}), http.StatusCreated))
		lid := w.taskList(pid, "Backlog")
		path := w.path("/projects/%d/lists/%d", pid, lid)
		m := w.as(w.member)

		got := w.want(m.Patch(path, map[string]any{"name": " Sprint 1 ", "milestone_id": ms}), http.StatusOK).Map()
		if got["name"] != "Sprint 1" || num(got["milestone_id"]) != ms || got["visibility"] != "internal" {
			t.Fatalf("renamed and moved: %v", got)
		}
		if got := w.want(m.Patch(path, map[string]any{"milestone_id": nil}), http.StatusOK).Map(); got["milestone_id"] != nil || got["name"] != "Sprint 1" {
			t.Fatalf("out of its milestone: %v", got)
		}
		// Bad input: a field-level 422 each, nothing changed.
		wantField(t, "empty name", m.Patch(path, map[string]any{"name": "  "}), http.StatusUnprocessableEntity, "name")
		wantField(t, "long name", m.Patch(path, map[string]any{"name": strings.Repeat("n", 201)}), http.StatusUnprocessableEntity, "name")
		wantField(t, "another project's milestone", m.Patch(path, map[string]any{"milestone_id": msOther}), http.StatusUnprocessableEntity, "milestone_id")
		wantField(t, "no such milestone", m.Patch(path, map[string]any{"milestone_id": 999999}), http.StatusUnprocessableEntity, "milestone_id")
		wantField(t, "bad visibility", w.as(w.manager).Patch(path, map[string]any{"visibility": "public"}), http.StatusUnprocessableEntity, "visibility")
		wantField(t, "shared with nobody", w.as(w.manager).Patch(path, map[string]any{"visibility": "clients"}), http.StatusUnprocessableEntity, "company_ids")
		wantField(t, "internal with companies", w.as(w.manager).Patch(path, map[string]any{"company_ids": []int64{w.coX}}), http.StatusUnprocessableEntity, "company_ids")
		check(t, "unknown field", m.Patch(path, map[string]any{"nmae": "x"}), http.StatusBadRequest)
		if it := w.listItem(pid, lid); it["name"] != "Sprint 1" || it["milestone_id"] != nil {
			t.Fatalf("refused patches changed the list: %v", it)
		}

		// Sharing is a project manager's: a member gets 403, the manager shares.
		wantField(t, "member shares", m.Patch(path, map[string]any{"visibility": "clients", "company_ids": []int64{w.coX}}), http.StatusForbidden, "visibility")
		check(t, "client sees nothing yet", w.as(w.clientX).Get(w.path("/projects/%d/lists", pid)), http.StatusOK)
		if n := len(w.list(w.clientX, w.path("/projects/%d/lists", pid)).Items); n != 0 {
			t.Fatalf("the client sees %d lists before sharing", n)
		}
		got = w.want(w.as(w.manager).Patch(path, map[string]any{"visibility": "clients", "company_ids": []int64{w.coX, w.coX}}), http.StatusOK).Map()
		if got["visibility"] != "clients" || fmt.Sprint(got["company_ids"]) != fmt.Sprint([]any{float64(w.coX)}) {
			t.Fatalf("shared: %v", got)
		}
		if n := len(w.list(w.clientX, w.path("/projects/%d/lists", pid)).Items); n != 1 {
			t.Fatalf("the client sees %d lists after sharing", n)
		}
		// A member may still rename a shared list (its sharing untouched)...
		w.want(m.Patch(path, map[string]any{"name": "Sprint 2", "visibility": "clients", "company_ids": []int64{w.coX}}), http.StatusOK)
		// ...but not take it back from the clients.
		check(t, "member unshares", m.Patch(path, map[string]any{"visibility": "internal"}), http.StatusForbidden)
		if got := w.want(w.as(w.manager).Patch(path, map[string]any{"visibility": "internal"}), http.StatusOK).Map(); got["visibility"] != "internal" || len(got["company_ids"].([]any)) != 0 {
			t.Fatalf("unshared: %v", got)
		}
		// A client may not change lists; another account's owner finds nothing.
		check(t, "client", w.as(w.clientX).Patch(path, map[string]any{"name": "x"}), http.StatusForbidden)
		acc2 := w.e.NewAccount()
		check(t, "other account", w.e.As(acc2.Owner).Patch(fmt.Sprintf("/api/v1/%s/projects/%d/lists/%d", acc2.Slug, pid, lid), map[string]any{"name": "x"}), http.StatusNotFound)
		check(t, "list of another project", m.Patch(w.path("/projects/%d/lists/%d", other, lid), map[string]any{"name": "x"}), http.StatusNotFound)
	})
}

func TestListDelete(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, nil)
		w.join(pid, w.member, "member")
		full, empty, keep := w.taskList(pid, "Full"), w.taskList(pid, "Empty"), w.taskList(pid, "Keep")
		t1 := w.task(w.owner, pid, full, "One", nil)
		t2 := w.task(w.owner, pid, full, "Two", nil)
		t3 := w.task(w.owner, pid, keep, "Three", nil)
		w.want(w.as(w.owner).Post(w.path("/tasks/%d/dependencies", t3), map[string]any{"predecessor_id": t1}), http.StatusCreated)
		w.want(w.as(w.member).Post(w.path("/tasks/%d/comments", t1), map[string]any{"body": "gone soon"}), http.StatusCreated)
		m := w.as(w.member)
		path := w.path("/projects/%d/lists/%d", pid, full)

		wantField(t, "holds tasks", m.Delete(path), http.StatusConflict, "")
		wantField(t, "odd tasks", m.Delete(path+"?tasks=trash"), http.StatusUnprocessableEntity, "tasks")
		check(t, "client", w.as(w.clientX).Delete(path+"?tasks=delete"), http.StatusForbidden)
		acc2 := w.e.NewAccount()
		check(t, "other account", w.e.As(acc2.Owner).Delete(fmt.Sprintf("/api/v1/%s/projects/%d/lists/%d?tasks=delete", acc2.Slug, pid, full)), http.StatusNotFound)
		w.want(w.as(w.owner).Get(w.path("/tasks/%d", t1)), http.StatusOK)

		w.want(m.Delete(w.path("/projects/%d/lists/%d", pid, empty)), http.StatusNoContent)
		w.want(m.Delete(path+"?tasks=delete"), http.StatusNoContent)
		for _, id := range []int64{t1, t2} {
			check(t, "deleted task", w.as(w.owner).Get(w.path("/tasks/%d", id)), http.StatusNotFound)
		}
		got := w.want(w.as(w.owner).Get(w.path("/tasks/%d", t3)), http.StatusOK).Map()
		if got["title"] != "Three" {
			t.Fatalf("the other list's task: %v", got)
		}
		if ids := w.list(w.owner, w.path("/projects/%d/lists", pid)).ids(); len(ids) != 1 || ids[0] != keep {
			t.Fatalf("lists left: %v", ids)
		}
		check(t, "again", m.Delete(path), http.StatusNotFound)
		var verbs []string
		for _, a := range w.list(w.owner, w.path("/projects/%d/activity", pid)).Items {
			verbs = append(verbs, fmt.Sprint(a["verb"]))
		}
		if s := strings.Join(verbs, " "); !strings.Contains(s, "list.deleted task.trashed task.trashed list.deleted") {
			t.Fatalf("the feed: %s", s)
		}

		// The deleted lists wait in the trash with the tasks that went with them; a client
		// sees no trash, another account nothing.
		var trash struct{ Items []map[string]any }
		w.want(m.Get(w.path("/projects/%d/trash/lists", pid)), http.StatusOK).JSON(t, &trash)
		if len(trash.Items) != 2 || num(trash.Items[0]["id"]) != full || num(trash.Items[0]["trashed_tasks"]) != 2 || trash.Items[0]["purge_after"] == nil {
			t.Fatalf("the trash of lists: %v", trash.Items)
		}
		check(t, "client's trash", w.as(w.clientX).Get(w.path("/projects/%d/trash/lists", pid)), http.StatusForbidden)
		check(t, "other account restores", w.e.As(acc2.Owner).Post(fmt.Sprintf("/api/v1/%s/projects/%d/lists/%d/restore", acc2.Slug, pid, full), nil), http.StatusNotFound)
		if ids := w.list(w.owner, w.path("/projects/%d/trash", pid)).ids(); len(ids) != 2 {
			t.Fatalf("the tasks in the trash: %v", ids)
		}
		// The trash page shows the lists, each with a button that restores it with its tasks.
		b := w.e.BrowserLogin(w.member)
		trashPage := fmt.Sprintf("/%s/projects/%d/trash", w.acc.Slug, pid)
		body := w.want(b.Get(trashPage), http.StatusOK).String()
		for _, want := range []string{"Deleted lists", "Full", "Restore with its 2 tasks"} {
			if !strings.Contains(body, want) {
				t.Errorf("the trash page lacks %q", want)
			}
		}
		// Restoring the list brings back its two tasks, with their comment and dependency.
		w.want(b.SubmitForm(trashPage, fmt.Sprintf("/%s/projects/%d/lists/%d/restore", w.acc.Slug, pid, full), url.Values{}), http.StatusSeeOther)
		if ids := w.list(w.owner, w.path("/projects/%d/lists", pid)).ids(); !slices.Contains(ids, full) {
			t.Fatalf("the restored list is not among the lists: %v", ids)
		}
		for _, id := range []int64{t1, t2} {
			w.want(w.as(w.owner).Get(w.path("/tasks/%d", id)), http.StatusOK)
		}
		if cs := w.list(w.owner, w.path("/tasks/%d/comments", t1)).Items; len(cs) != 1 {
			t.Fatalf("the comment of a restored task: %v", cs)
		}
		// A task trashed on its own before its list stays in the trash when the list comes back;
		// restoring it alone later brings the list back too.
		w.want(m.Delete(w.path("/tasks/%d", t2)), http.StatusNoContent)
		w.want(m.Delete(path+"?tasks=delete"), http.StatusNoContent)
		w.want(m.Post(path+"/restore", nil), http.StatusOK)
		check(t, "task trashed before its list", w.as(w.owner).Get(w.path("/tasks/%d", t2)), http.StatusNotFound)
		w.want(m.Delete(path+"?tasks=delete"), http.StatusNoContent)
		w.want(m.Post(w.path("/tasks/%d/restore", t2), nil), http.StatusOK)
		if ids := w.list(w.owner, w.path("/projects/%d/tasks?list_id=%d", pid, full)).ids(); !slices.Equal(ids, []int64{t2}) {
			t.Fatalf("the list back with one task: %v", ids)
		}
		r := w.want(m.Post(path+"/restore", nil), http.StatusOK).Map() // in use: nothing changes
		if r["name"] != "Full" || r["trashed_at"] != nil {
			t.Fatalf("the list: %v", r)
		}
	})
}

// TestListTrashPurged: a list deleted more than 30 days ago goes for good with its tasks, and
// cannot be restored any more (410 before the purge, 404 after).
func TestListTrashPurged(t *testing.T) {
	eachOwnDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, nil)
		list, empty := w.taskList(pid, "Old"), w.taskList(pid, "Empty")
		task := w.task(w.owner, pid, list, "Old task", nil)
		m := w.as(w.manager)
		w.want(m.Delete(w.path("/projects/%d/lists/%d?tasks=delete", pid, list)), http.StatusNoContent)
		w.want(m.Delete(w.path("/projects/%d/lists/%d", pid, empty)), http.StatusNoContent)
		w.svc.Now = func() time.Time { return time.Now().Add(31 * 24 * time.Hour) }
		check(t, "restore too late", m.Post(w.path("/projects/%d/lists/%d/restore", pid, list), nil), http.StatusGone)
		n, err := w.svc.PurgeTaskTrash(context.Background())
		if err != nil || n != 1 {
			t.Fatalf("purge: %d, %v", n, err)
		}
		check(t, "restore after the purge", m.Post(w.path("/projects/%d/lists/%d/restore", pid, list), nil), http.StatusNotFound)
		check(t, "the empty list too", m.Post(w.path("/projects/%d/lists/%d/restore", pid, empty), nil), http.StatusNotFound)
		check(t, "its task", m.Post(w.path("/tasks/%d/restore", task), nil), http.StatusNotFound)
	})
}

// TestConcurrentListPatchesKeepBothFields: one PATCH renames the list, the other moves it
// between two milestones.
func TestConcurrentListPatchesKeepBothFields(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.owner, nil)
		var ms [2]int64
		for i := range ms {
			ms[i] = idOf(t, w.want(w.as(w.owner).Post(w.path("/projects/%d/milestones", pid), map[string]any{"name": fmt.Sprint("M", i), "due_on": "2030-01-01"}), http.StatusCreated))
		}
		lid := w.taskList(pid, "L")
		path := w.path("/projects/%d/lists/%d", pid, lid)
		raceRead(t, w, 30, path, func() map[string]any { return w.listItem(pid, lid) },
			func(i int) map[string]any { return map[string]any{"name": fmt.Sprintf("L %d", i)} },
			func(i int) map[string]any { return map[string]any{"milestone_id": ms[i%2]} },
			func(i int, got map[string]any) string {
				if got["name"] != fmt.Sprintf("L %d", i) || num(got["milestone_id"]) != ms[i%2] {
					return fmt.Sprint(got)
				}
				return ""
			})
	})
}

func TestCommentEditAndDelete(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, map[string]any{"guests_allowed": true})
		w.join(pid, w.member, "member")
		w.join(pid, w.member2, "member")
		w.join(pid, w.clientX, "client")
		shared, internal := w.taskList(pid, "Shared", w.coX), w.taskList(pid, "Internal")
		ts, ti := w.task(w.owner, pid, shared, "Shared task", nil), w.task(w.owner, pid, internal, "Internal task", nil)
		byMember := idOf(t, w.want(w.as(w.member).Post(w.path("/tasks/%d/comments", ts), map[string]any{"body": "first try"}), http.StatusCreated))
		byClient := idOf(t, w.want(w.as(w.clientX).Post(w.path("/tasks/%d/comments", ts), map[string]any{"body": "from the client"}), http.StatusCreated))
		inside := idOf(t, w.want(w.as(w.member).Post(w.path("/tasks/%d/comments", ti), map[string]any{"body": "internal"}), http.StatusCreated))
		cpath := func(id int64) string { return w.path("/comments/%d", id) }

		// The author edits: marked edited, mentions recomputed.
		got := w.want(w.as(w.member).Patch(cpath(byMember), map[string]any{"body": "second try, @" + w.member2.Name}), http.StatusOK).Map()
		if got["body"] != "second try, @"+w.member2.Name || got["edited_at"] == nil || fmt.Sprint(got["mentioned_user_ids"]) != fmt.Sprint([]any{float64(w.member2.ID)}) {
			t.Fatalf("edited: %v", got)
		}
		items := w.list(w.owner, w.path("/tasks/%d/comments", ts)).Items
		if len(items) != 2 || items[0]["edited_at"] == nil || items[1]["edited_at"] != nil || items[0]["author_name"] != w.member.Name {
			t.Fatalf("the task's comments: %v", items)
		}
		// Bad input.
		wantField(t, "empty body", w.as(w.member).Patch(cpath(byMember), map[string]any{"body": " "}), http.StatusUnprocessableEntity, "body")
		wantField(t, "long body", w.as(w.member).Patch(cpath(byMember), map[string]any{"body": strings.Repeat("b", 10001)}), http.StatusUnprocessableEntity, "body")
		// Nobody else edits: another member, an admin, the owner — 403; a client edits their own.
		check(t, "other member edits", w.as(w.member2).Patch(cpath(byMember), map[string]any{"body": "x"}), http.StatusForbidden)
		check(t, "admin edits", w.as(w.admin).Patch(cpath(byMember), map[string]any{"body": "x"}), http.StatusForbidden)
		check(t, "owner edits", w.as(w.owner).Patch(cpath(byMember), map[string]any{"body": "x"}), http.StatusForbidden)
		w.want(w.as(w.clientX).Patch(cpath(byClient), map[string]any{"body": "from the client, fixed"}), http.StatusOK)
		check(t, "client edits another's", w.as(w.clientX).Patch(cpath(byMember), map[string]any{"body": "x"}), http.StatusForbidden)
		// Who cannot see the comment finds nothing: a client on an internal task, a client of
		// another company, another account.
		check(t, "client, internal comment", w.as(w.clientX).Patch(cpath(inside), map[string]any{"body": "x"}), http.StatusNotFound)
		check(t, "client, internal comment, delete", w.as(w.clientX).Delete(cpath(inside)), http.StatusNotFound)
		check(t, "client of another company", w.as(w.clientY).Patch(cpath(byClient), map[string]any{"body": "x"}), http.StatusNotFound)
		acc2 := w.e.NewAccount()
		check(t, "other account", w.e.As(acc2.Owner).Patch(fmt.Sprintf("/api/v1/%s/comments/%d", acc2.Slug, byMember), map[string]any{"body": "x"}), http.StatusNotFound)
		check(t, "other account, delete", w.e.As(acc2.Owner).Delete(fmt.Sprintf("/api/v1/%s/comments/%d", acc2.Slug, byMember)), http.StatusNotFound)

		// Delete: another member or the client — 403; an admin deletes any; the author theirs.
		check(t, "other member deletes", w.as(w.member2).Delete(cpath(byMember)), http.StatusForbidden)
		check(t, "client deletes another's", w.as(w.clientX).Delete(cpath(byMember)), http.StatusForbidden)
		w.want(w.as(w.admin).Delete(cpath(byClient)), http.StatusNoContent)
		w.want(w.as(w.member).Delete(cpath(byMember)), http.StatusNoContent)
		check(t, "deleted", w.as(w.member).Patch(cpath(byMember), map[string]any{"body": "x"}), http.StatusNotFound)
		if n := len(w.list(w.owner, w.path("/tasks/%d/comments", ts)).Items); n != 0 {
			t.Fatalf("%d comments left", n)
		}
		// In an archived project nothing changes.
		w.want(w.as(w.manager).Post(w.path("/projects/%d/archive", pid), nil), http.StatusOK)
		check(t, "archived", w.as(w.member).Patch(cpath(inside), map[string]any{"body": "x"}), http.StatusConflict)
	})
}

// TestListPagesDelete: the list's form page renames it; deleting a list that holds tasks from
// its page is refused with the reason beside the box, and done once the box is checked.
func TestListPagesDelete(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.owner, nil)
		w.join(pid, w.member, "member")
		lid := w.taskList(pid, "L")
		tid := w.task(w.owner, pid, lid, "T", nil)
		b := w.e.Browser()
		b.Token = w.member.Token
		page := fmt.Sprintf("/%s/projects/%d/lists/%d", w.acc.Slug, pid, lid)
		r := b.Get(page + "/edit")
		check(t, "the form", r, http.StatusOK)
		if body := string(r.Body); !strings.Contains(body, `value="L"`) || !strings.Contains(body, `name="tasks"`) {
			t.Fatalf("the form page: %.2000s", body)
		}
		check(t, "rename", b.Form(page+"/edit", map[string][]string{"name": {"Renamed"}}), http.StatusSeeOther)
		if it := w.listItem(pid, lid); it["name"] != "Renamed" {
			t.Fatalf("after the form: %v", it)
		}
		r = b.Form(page+"/delete", nil)
		check(t, "delete, box unchecked", r, http.StatusConflict)
		if body := string(r.Body); !strings.Contains(body, "move or delete them first") || !strings.Contains(body, "<details open>") {
			t.Fatalf("the refusal: %.3000s", body)
		}
		w.want(w.as(w.owner).Get(w.path("/tasks/%d", tid)), http.StatusOK)
		check(t, "delete, box checked", b.Form(page+"/delete", map[string][]string{"tasks": {"delete"}}), http.StatusSeeOther)
		check(t, "the task went too", w.as(w.owner).Get(w.path("/tasks/%d", tid)), http.StatusNotFound)
	})
}

// TestCommentPages: the task page marks an edited comment and offers Edit to its author only,
// Delete to its author and to project managers; the edit page saves.
func TestCommentPages(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.owner, nil)
		w.join(pid, w.member, "member")
		w.join(pid, w.member2, "member")
		tid := w.task(w.owner, pid, w.taskList(pid, "L"), "T", nil)
		cid := idOf(t, w.want(w.as(w.member).Post(w.path("/tasks/%d/comments", tid), map[string]any{"body": "hello"}), http.StatusCreated))
		taskPage := fmt.Sprintf("/%s/tasks/%d", w.acc.Slug, tid)
		edit := fmt.Sprintf("/%s/comments/%d/edit", w.acc.Slug, cid)
		del := fmt.Sprintf("/%s/comments/%d/delete", w.acc.Slug, cid)
		as := func(u *testkit.User) *testkit.Client { b := w.e.Browser(); b.Token = u.Token; return b }
		for _, x := range []struct {
			u          *testkit.User
			edit, dele bool
		}{{w.member, true, true}, {w.member2, false, false}, {w.manager, false, true}, {w.owner, false, true}} {
			body := string(w.want(as(x.u).Get(taskPage), http.StatusOK).Body)
			if strings.Contains(body, `href="`+edit+`"`) != x.edit || strings.Contains(body, `action="`+del+`"`) != x.dele {
				t.Errorf("%s: edit %v, delete %v offered; want %v, %v", x.u.Role, strings.Contains(body, edit), strings.Contains(body, del), x.edit, x.dele)
			}
		}
		check(t, "another's edit page", as(w.member2).Form(edit, map[string][]string{"body": {"x"}}), http.StatusForbidden)
		check(t, "empty body", as(w.member).Form(edit, map[string][]string{"body": {""}}), http.StatusUnprocessableEntity)
		check(t, "save", as(w.member).Form(edit, map[string][]string{"body": {"hello again"}}), http.StatusSeeOther)
		body := string(w.want(as(w.member).Get(taskPage), http.StatusOK).Body)
		if !strings.Contains(body, "hello again") || !strings.Contains(body, "(edited)") {
			t.Fatalf("the task page after the edit: %.3000s", body)
		}
		check(t, "another deletes", as(w.member2).Form(del, nil), http.StatusForbidden)
		check(t, "the author deletes", as(w.member).Form(del, nil), http.StatusSeeOther)
		if n := len(w.list(w.owner, w.path("/tasks/%d/comments", tid)).Items); n != 0 {
			t.Fatalf("%d comments left", n)
		}
	})
}
