package projects_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"groupcamp/core/testkit"
)

// TestClientVisibility: a client of company X sees only the projects they are a client member
// of (that allow guests), and inside them only the lists shared with X and what those hold —
// in every list, count, task, comment, milestone, member and activity endpoint; every other id
// is a 404. A client of company Y sees nothing of X's lists. The titles of what a client may
// not see carry markers (INTERNAL, XONLY, YONLY) that no answer to them may contain.
func TestClientVisibility(t *testing.T) {
	eachOwnDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, map[string]any{"name": "Shared project", "guests_allowed": true})
		w.join(pid, w.clientX, "client")
		w.join(pid, w.clientY, "client")
		w.join(pid, w.member, "member")
		milestone := func(name string) int64 {
			return idOf(t, w.want(w.as(w.owner).Post(w.path("/projects/%d/milestones", pid), map[string]any{"name": name, "due_on": "2026-06-30"}), http.StatusCreated))
		}
		mInternal, mX, mY := milestone("Milestone INTERNAL"), milestone("Milestone XONLY"), milestone("Milestone YONLY")
		newList := func(name string, ms int64, companies ...int64) int64 {
			body := map[string]any{"name": name, "milestone_id": ms}
			if len(companies) > 0 {
				body["visibility"], body["company_ids"] = "clients", companies
			}
			return idOf(t, w.want(w.as(w.owner).Post(w.path("/projects/%d/lists", pid), body), http.StatusCreated))
		}
		lInternal := newList("List INTERNAL", mInternal)
		lX := newList("List XONLY", mX, w.coX)
		lY := newList("List YONLY", mY, w.coY)
		lBoth := newList("List for both", 0, w.coX, w.coY)
		tasksOf := map[int64][]int64{}
		for _, l := range []struct {
			id     int64
			marker string
		}{{lInternal, "INTERNAL"}, {lX, "XONLY"}, {lY, "YONLY"}, {lBoth, "BOTH"}} {
			for i := range 3 {
				id := w.task(w.member, pid, l.id, fmt.Sprintf("Task %s %d", l.marker, i), map[string]any{"due_on": "2026-05-04",
					"assignees": []map[string]any{{"user_id": w.member.ID}}})
				w.want(w.as(w.member).Post(w.path("/tasks/%d/comments", id), map[string]any{"body": "Comment on " + l.marker}), http.StatusCreated)
				tasksOf[l.id] = append(tasksOf[l.id], id)
			}
		}
		// Links across lists: a client sees the ends they may see only.
		w.want(w.as(w.member).Post(w.path("/tasks/%d/dependencies", tasksOf[lX][0]), map[string]any{"predecessor_id": tasksOf[lInternal][0]}), http.StatusCreated)
		w.want(w.as(w.member).Post(w.path("/tasks/%d/dependencies", tasksOf[lX][1]), map[string]any{"predecessor_id": tasksOf[lBoth][0]}), http.StatusCreated)
		// Projects the clients must not see: X's list in a project X's client is no member of;
		// a project that no longer allows guests.
		other := w.project(w.manager, map[string]any{"name": "Other INTERNAL XONLY YONLY", "guests_allowed": true})
		otherList := w.taskList(other, "Other list XONLY", w.coX)
		otherTask := w.task(w.member, other, otherList, "Other task XONLY", nil)
		closed := w.project(w.manager, map[string]any{"name": "Closed INTERNAL XONLY YONLY", "guests_allowed": true})
		w.join(closed, w.clientX, "client")
		closedList := w.taskList(closed, "Closed list XONLY", w.coX)
		closedTask := w.task(w.member, closed, closedList, "Closed task XONLY", nil)
		w.want(w.as(w.manager).Patch(w.path("/projects/%d", closed), map[string]any{"guests_allowed": false}), http.StatusOK)

		for _, c := range []struct {
			who     *testkit.User
			own     int64   // the list shared with this client's company only
			hidden  []int64 // lists this client may not see in the project
			markers []string
		}{
			{w.clientX, lX, []int64{lInternal, lY}, []string{"INTERNAL", "YONLY", w.clientY.Email}},
			{w.clientY, lY, []int64{lInternal, lX}, []string{"INTERNAL", "XONLY", w.clientX.Email}},
		} {
			who := c.who
			name := who.Email
			cl := w.as(who)
			get := func(path string) *testkit.Response {
				t.Helper()
				r := cl.Get(path)
				for _, m := range c.markers {
					if strings.Contains(string(r.Body), m) {
						t.Errorf("%s GET %s reveals %q: %.400s", name, path, m, r.Body)
					}
				}
				return r
			}
			visible := append(append([]int64{}, tasksOf[c.own]...), tasksOf[lBoth]...)

			// The projects: only the shared one, with the counts of what the client sees.
			var ps page
			want(t, name+" projects", get(w.path("/projects")), http.StatusOK).JSON(t, &ps)
			if !slices.Equal(ps.ids(), []int64{pid}) {
				t.Errorf("%s sees projects %v, want [%d]", name, ps.ids(), pid)
			}
			counts := want(t, name+" project", get(w.path("/projects/%d", pid)), http.StatusOK).Map()["counts"].(map[string]any)
			if num(counts["lists"]) != 2 || num(counts["tasks"]) != 6 || num(counts["open_tasks"]) != 6 {
				t.Errorf("%s counts %v, want 2 lists and 6 tasks", name, counts)
			}
			if ids := w.list(who, w.path("/projects?state=archived")).ids(); len(ids) != 0 {
				t.Errorf("%s archived: %v", name, ids)
			}

			// Lists, milestones, tasks, members, activity of the project.
			var ls page
			want(t, name+" lists", get(w.path("/projects/%d/lists", pid)), http.StatusOK).JSON(t, &ls)
			if !slices.Equal(ls.ids(), []int64{c.own, lBoth}) {
				t.Errorf("%s sees lists %v, want %d and %d", name, ls.ids(), c.own, lBoth)
			}
			for _, it := range ls.Items {
				if len(it["company_ids"].([]any)) != 1 {
					t.Errorf("%s sees the companies of list %v: %v", name, it["id"], it["company_ids"])
				}
			}
			var msp page
			want(t, name+" milestones", get(w.path("/projects/%d/milestones", pid)), http.StatusOK).JSON(t, &msp)
			if wantMs := map[int64]int64{lX: mX, lY: mY}[c.own]; !slices.Equal(msp.ids(), []int64{wantMs}) {
				t.Errorf("%s sees milestones %v, want [%d]", name, msp.ids(), wantMs)
			}
			var ts page
			want(t, name+" tasks", get(w.path("/projects/%d/tasks?limit=200", pid)), http.StatusOK).JSON(t, &ts)
			if got := ts.ids(); !sameSet(got, visible) {
				t.Errorf("%s sees tasks %v, want %v", name, got, visible)
			}
			for _, q := range []string{"?list_id=%d", "?status=open&list_id=%d"} {
				if ids := w.list(who, w.path("/projects/%d/tasks"+q, pid, lInternal)).ids(); len(ids) != 0 {
					t.Errorf("%s filters the internal list: %v", name, ids)
				}
			}
			if ids := w.list(who, w.path("/projects/%d/tasks?due_before=2027-01-01&limit=200", pid)).ids(); !sameSet(ids, visible) {
				t.Errorf("%s due_before: %v", name, ids)
			}
			if ids := w.list(who, w.path("/my-tasks")).ids(); len(ids) != 0 {
				t.Errorf("%s my tasks: %v", name, ids)
			}
			var members page
			want(t, name+" members", get(w.path("/projects/%d/members", pid)), http.StatusOK).JSON(t, &members)
			for _, m := range members.Items {
				if m["role"] == "client" && num(m["user_id"]) != who.ID {
					t.Errorf("%s sees another client among the members: %v", name, m)
				}
			}
			var feed page
			want(t, name+" activity", get(w.path("/projects/%d/activity?limit=200", pid)), http.StatusOK).JSON(t, &feed)
			if len(feed.Items) == 0 {
				t.Errorf("%s sees no activity", name)
			}
			for _, it := range feed.Items {
				if l := num(it["list_id"]); l != c.own && l != lBoth {
					t.Errorf("%s sees activity about list %d: %v", name, l, it)
				}
			}

			// Each visible task, its comments; the links to hidden tasks are not shown.
			for _, id := range visible {
				task := want(t, name+" task", get(w.path("/tasks/%d", id)), http.StatusOK).Map()
				for _, key := range []string{"predecessor_ids", "successor_ids"} {
					for _, other := range task[key].([]any) {
						if !slices.Contains(visible, num(other)) {
							t.Errorf("%s sees a link of task %d to hidden task %v", name, id, other)
						}
					}
				}
				if cs := w.list(who, w.path("/tasks/%d/comments", id)); len(cs.Items) != 1 {
					t.Errorf("%s comments of %d: %v", name, id, cs.Items)
				}
			}
			w.want(cl.Post(w.path("/tasks/%d/comments", visible[0]), map[string]any{"body": "A question"}), http.StatusCreated)

			// Every hidden id is a 404, reading and writing.
			var hidden []int64
			for _, l := range c.hidden {
				hidden = append(hidden, tasksOf[l]...)
			}
			hidden = append(hidden, otherTask, closedTask)
			for _, id := range hidden {
				for _, p := range []string{"/tasks/%d", "/tasks/%d/comments"} {
					check(t, name+" GET hidden "+p, get(w.path(p, id)), http.StatusNotFound)
				}
				check(t, name+" comments on a hidden task", cl.Post(w.path("/tasks/%d/comments", id), map[string]any{"body": "Hello"}), http.StatusNotFound)
			}
			for _, p := range []int64{other, closed} {
				for _, sub := range []string{"", "/lists", "/tasks", "/milestones", "/members", "/activity"} {
					check(t, name+" GET hidden project"+sub, get(w.path("/projects/%d"+sub, p)), http.StatusNotFound)
				}
			}
		}
		// The clients wrote a comment each, on a visible task; nothing else changed for them.
		if n := w.e.Count("comments"); n != 12+2 {
			t.Errorf("%d comments, want 14", n)
		}
	})
}

func sameSet(a, b []int64) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestColleaguesAndSupport: an invite-only project is seen by its members, the owner and the
// admins — not by other managers and members, whatever their capabilities; an open project by
// every colleague, who may work in it but not run it without projects:manage; platform support
// reads everything under the owner's data grant, writes nothing, and reaches nothing without it.
func TestColleaguesAndSupport(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		secret := w.project(w.admin, map[string]any{"name": "Secret", "access": "invite"})
		secretList := w.taskList(secret, "Inner")
		secretTask := w.task(w.admin, secret, secretList, "Inner task", nil)
		open := w.project(w.manager, nil)
		openList := w.taskList(open, "Open list")

		for _, u := range []*testkit.User{w.manager, w.member} {
			for _, p := range []string{"/projects/%d", "/projects/%d/tasks", "/projects/%d/lists", "/projects/%d/activity"} {
				check(t, u.Email+" GET "+p, w.as(u).Get(w.path(p, secret)), http.StatusNotFound)
			}
			check(t, u.Email+" GET the task", w.as(u).Get(w.path("/tasks/%d", secretTask)), http.StatusNotFound)
			check(t, u.Email+" writes in it", w.as(u).Post(w.path("/projects/%d/tasks", secret), map[string]any{"list_id": secretList, "title": "x"}), http.StatusNotFound)
		}
		check(t, "manager patches it", w.as(w.manager).Patch(w.path("/projects/%d", secret), map[string]any{"name": "Mine"}), http.StatusNotFound)
		check(t, "owner reads it", w.as(w.owner).Get(w.path("/tasks/%d", secretTask)), http.StatusOK)
		w.join(secret, w.member, "member")
		check(t, "member once a member", w.as(w.member).Get(w.path("/tasks/%d", secretTask)), http.StatusOK)
		wantField(t, "member2 assigned in it", w.as(w.member).Post(w.path("/projects/%d/tasks", secret), map[string]any{"list_id": secretList, "title": "x",
			"assignees": []map[string]any{{"user_id": w.member2.ID}}}), 422, "assignees")

		// The open project: every colleague works in it; running it needs projects:manage.
		w.task(w.member2, open, openList, "Anyone's task", nil)
		check(t, "member patches the project", w.as(w.member2).Patch(w.path("/projects/%d", open), map[string]any{"name": "x"}), http.StatusForbidden)
		check(t, "member archives the project", w.as(w.member2).Post(w.path("/projects/%d/archive", open), nil), http.StatusForbidden)
		check(t, "client of no project", w.as(w.clientX).Get(w.path("/projects/%d", open)), http.StatusNotFound)

		// Support: nothing without a grant; under a data grant every project, read-only.
		support := w.e.NewPlatformUser("support")
		check(t, "support without a grant", w.as(support).Get(w.path("/projects")), http.StatusNotFound)
		w.want(w.as(w.owner).Post(w.path("/support-grants"), map[string]any{"scope": "data", "reason": "ticket 42",
			"expires_at": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}), http.StatusCreated)
		if ids := w.list(support, w.path("/projects")).ids(); !slices.Contains(ids, secret) || !slices.Contains(ids, open) {
			t.Errorf("support under a data grant sees %v", ids)
		}
		check(t, "support reads a task", w.as(support).Get(w.path("/tasks/%d", secretTask)), http.StatusOK)
		check(t, "support reads the activity", w.as(support).Get(w.path("/projects/%d/activity", secret)), http.StatusOK)
		before := w.snapshot()
		check(t, "support creates a task", w.as(support).Post(w.path("/projects/%d/tasks", secret), map[string]any{"list_id": secretList, "title": "x"}), http.StatusForbidden)
		check(t, "support comments", w.as(support).Post(w.path("/tasks/%d/comments", secretTask), map[string]any{"body": "hi"}), http.StatusForbidden)
		check(t, "support stars", w.as(support).Put(w.path("/projects/%d/star", secret), nil), http.StatusForbidden)
		if after := w.snapshot(); after != before {
			t.Errorf("support wrote something:\n%s\n%s", before, after)
		}
	})
}
