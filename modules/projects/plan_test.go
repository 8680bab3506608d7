package projects_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestEditTaskPage: the edit form changes every field at once, like a PATCH — assignees with
// estimates typed in hours, dates that move the successors, recurrence — and a refused form
// comes back with the message next to its field, having written nothing.
func TestEditTaskPage(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		w.join(pw.pid, w.member, "member")
		edit := pw.page("/tasks/%d/edit", pw.sharedTask)
		b := w.e.BrowserLogin(w.manager)
		html := want(t, "edit page", b.Get(edit), http.StatusOK).String()
		for _, s := range []string{`value="Design mockups"`, `name="assignee" value="` + fmt.Sprint(w.member.ID) + `" checked`, "Margin review"} {
			if !strings.Contains(html, s) {
				t.Errorf("the edit page lacks %s", s)
			}
		}
		form := url.Values{"title": {"Design mockups v2"}, "list_id": {fmt.Sprint(pw.shared)}, "description": {"**Two** rounds"},
			"starts_on": {"2025-03-03"}, "due_on": {"2025-03-12"}, "priority": {"high"}, "recurrence.every": {"none"},
			"assignee": {fmt.Sprint(w.member.ID), fmt.Sprint(w.manager.ID)}, "estimate_" + fmt.Sprint(w.member.ID): {"1,5"}}
		r := want(t, "save", b.SubmitForm(edit, edit, form), http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != pw.page("/tasks/%d", pw.sharedTask) {
			t.Errorf("after saving: %s", loc)
		}
		got := w.want(w.as(w.manager).Get(w.path("/tasks/%d", pw.sharedTask)), http.StatusOK).Map()
		if got["title"] != "Design mockups v2" || got["priority"] != "high" || got["due_on"] != "2025-03-12" || got["description"] != "**Two** rounds" {
			t.Errorf("after the edit: %v", got)
		}
		as, _ := got["assignees"].([]any)
		if len(as) != 2 {
			t.Fatalf("assignees after the edit: %v", as)
		}
		for _, a := range as {
			m := a.(map[string]any)
			if num(m["user_id"]) == w.member.ID && num(m["estimate_minutes"]) != 90 {
				t.Errorf("1,5 hours is %v minutes", m["estimate_minutes"])
			}
		}
		// The successor (Margin review, 11–14 March) starts the working day after the 12th.
		if succ := w.want(w.as(w.manager).Get(w.path("/tasks/%d", pw.innerTask)), http.StatusOK).Map(); succ["starts_on"] != "2025-03-13" {
			t.Errorf("the successor starts on %v after its predecessor moved", succ["starts_on"])
		}

		// Refused: due before start, an estimate that is not hours; nothing changes.
		for name, c := range map[string]struct {
			change url.Values
			field  string
		}{
			"due before start": {url.Values{"due_on": {"2025-03-01"}}, "due_on"},
			"estimate":         {url.Values{"estimate_" + fmt.Sprint(w.member.ID): {"soon"}}, "assignees"},
			"interval":         {url.Values{"recurrence.every": {"week"}, "recurrence.interval": {"99"}}, "recurrence.interval"},
			"empty title":      {url.Values{"title": {" "}}, "title"},
		} {
			bad := url.Values{}
			for k, v := range form {
				bad[k] = v
			}
			for k, v := range c.change {
				bad[k] = v
			}
			bad.Set("title", "Should not be saved")
			if c.field == "title" {
				bad.Set("title", " ")
			}
			body := want(t, name, b.SubmitForm(edit, edit, bad), http.StatusUnprocessableEntity).String()
			if !strings.Contains(body, `id="e-`+c.field+`"`) && !(c.field == "assignees" && strings.Contains(body, "fieldset class=\"assignees has-error")) {
				t.Errorf("%s: no error next to %s", name, c.field)
			}
			if !strings.Contains(body, `value="`+bad.Get("title")+`"`) && c.field != "title" {
				t.Errorf("%s: the typed title is lost", name)
			}
		}
		if got := w.want(w.as(w.manager).Get(w.path("/tasks/%d", pw.sharedTask)), http.StatusOK).Map(); got["title"] != "Design mockups v2" {
			t.Errorf("a refused form wrote: %v", got["title"])
		}
		// Who may not write tasks does not get the form; nobody outside sees it.
		check(t, "client edit page", w.e.BrowserLogin(w.clientX).Get(edit), http.StatusForbidden)
		check(t, "client Y edit page", w.as(w.clientY).Get(edit), http.StatusForbidden, http.StatusNotFound)
		other := w.e.NewAccount()
		check(t, "stranger", w.e.As(other.Owner).Get(strings.Replace(edit, "/"+w.acc.Slug+"/", "/"+other.Slug+"/", 1)), http.StatusNotFound)
	})
}

// TestDependencyForms: a manager makes a task wait for another from its edit page, sees a
// cycle refused with the cycle named next to the choice, and removes the dependency.
func TestDependencyForms(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		third := w.task(w.manager, pw.pid, pw.internal, "Sign off", map[string]any{"starts_on": "2025-03-03", "due_on": "2025-03-04"})
		b := w.e.BrowserLogin(w.manager)
		edit := pw.page("/tasks/%d/edit", third)
		action := pw.page("/tasks/%d/dependencies", third)
		r := want(t, "add", b.SubmitForm(edit, action, url.Values{"predecessor_id": {fmt.Sprint(pw.innerTask)}}), http.StatusSeeOther)
		if !strings.HasPrefix(r.Header.Get("Location"), edit) {
			t.Errorf("after adding: %s", r.Header.Get("Location"))
		}
		got := w.want(w.as(w.manager).Get(w.path("/tasks/%d", third)), http.StatusOK).Map()
		if preds, _ := got["predecessor_ids"].([]any); len(preds) != 1 || num(preds[0]) != pw.innerTask {
			t.Fatalf("predecessors: %v", got["predecessor_ids"])
		}
		if got["starts_on"] != "2025-03-17" { // Margin review is due Fri 14 March
			t.Errorf("the new successor starts on %v", got["starts_on"])
		}
		// Design mockups → Margin review → Sign off: Design mockups waiting for Sign off closes a cycle.
		body := want(t, "cycle", b.SubmitForm(pw.page("/tasks/%d/edit", pw.sharedTask), pw.page("/tasks/%d/dependencies", pw.sharedTask),
			url.Values{"predecessor_id": {fmt.Sprint(third)}}), http.StatusUnprocessableEntity).String()
		if !strings.Contains(body, `id="e-predecessor_id"`) || !strings.Contains(body, "Sign off") {
			t.Errorf("the cycle is not explained next to the choice")
		}
		want(t, "self", b.SubmitForm(edit, action, url.Values{"predecessor_id": {fmt.Sprint(third)}}), http.StatusUnprocessableEntity)
		want(t, "not a task", b.SubmitForm(edit, action, url.Values{"predecessor_id": {"x"}}), http.StatusUnprocessableEntity)
		want(t, "remove", b.SubmitForm(edit, pw.page("/tasks/%d/dependencies/%d/remove", third, pw.innerTask), nil), http.StatusSeeOther)
		if preds, _ := w.want(w.as(w.manager).Get(w.path("/tasks/%d", third)), http.StatusOK).Map()["predecessor_ids"].([]any); len(preds) != 0 {
			t.Errorf("after removing: %v", preds)
		}
	})
}

// TestMilestoneAndSharedListForms: milestones are planned from the overview, and a list added
// with a client company checked is that company's to see — and no other's.
func TestMilestoneAndSharedListForms(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		w.join(pw.pid, w.clientY, "client")
		b := w.e.BrowserLogin(w.manager)
		overview := pw.page("/projects/%d", pw.pid)
		want(t, "milestone", b.SubmitForm(overview, pw.page("/projects/%d/milestones", pw.pid), url.Values{"name": {"Beta"}, "due_on": {"2099-05-01"}}), http.StatusSeeOther)
		if !strings.Contains(b.Get(overview).String(), "Beta") {
			t.Errorf("the new milestone is not on the overview")
		}
		body := want(t, "milestone without a date", b.SubmitForm(overview, pw.page("/projects/%d/milestones", pw.pid), url.Values{"name": {"Gamma"}}), http.StatusUnprocessableEntity).String()
		if !strings.Contains(body, `id="e-due_on"`) || !strings.Contains(body, `value="Gamma"`) {
			t.Errorf("a refused milestone does not say why next to the date, or loses the name")
		}

		tasks := pw.page("/projects/%d/tasks", pw.pid)
		html := b.Get(tasks).String()
		if !strings.Contains(html, `name="company_id" value="`+fmt.Sprint(w.coX)+`"`) || !strings.Contains(html, `name="milestone_id"`) {
			t.Fatalf("the add-list form offers no client companies or milestones")
		}
		want(t, "shared list", b.SubmitForm(tasks, pw.page("/projects/%d/lists", pw.pid), url.Values{"name": {"For Y"}, "company_id": {fmt.Sprint(w.coY)}}), http.StatusSeeOther)
		names := func() string {
			var out []string
			for _, it := range w.list(w.clientY, w.path("/projects/%d/lists", pw.pid)).Items {
				out = append(out, fmt.Sprint(it["name"]))
			}
			return strings.Join(out, ",")
		}
		if got := names(); got != "For Y" {
			t.Errorf("client Y sees the lists %q", got)
		}
		for _, it := range w.list(w.clientX, w.path("/projects/%d/lists", pw.pid)).Items {
			if it["name"] == "For Y" {
				t.Errorf("client X sees Y's list")
			}
		}
		// A member may add lists but not share them: the form has no companies for them,
		// and a forged choice is refused.
		w.join(pw.pid, w.member, "member")
		mb := w.e.BrowserLogin(w.member)
		if strings.Contains(mb.Get(tasks).String(), `name="company_id"`) {
			t.Errorf("a member is offered to share lists with clients")
		}
		check(t, "member shares", mb.SubmitForm(tasks, pw.page("/projects/%d/lists", pw.pid), url.Values{"name": {"Forged"}, "company_id": {fmt.Sprint(w.coX)}}), http.StatusForbidden, http.StatusUnprocessableEntity)
	})
}

// An app a project turns off loses its page, not only its tab.
func TestAppsOffHaveNoPage(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		w.want(w.as(w.manager).Patch(w.path("/projects/%d", pw.pid), map[string]any{"apps": []string{"tasks"}}), http.StatusOK)
		check(t, "list", w.as(w.manager).Get(pw.page("/projects/%d/tasks", pw.pid)), http.StatusOK)
		for _, app := range []string{"board", "gantt", "gantt.svg", "calendar"} {
			check(t, app, w.as(w.manager).Get(pw.page("/projects/%d/%s", pw.pid, app)), http.StatusNotFound)
		}
		if html := w.as(w.manager).Get(pw.page("/projects/%d", pw.pid)).String(); strings.Contains(html, "/board\"") {
			t.Errorf("the overview still links to the board")
		}
	})
}

// An assignee who has left the project keeps a name and initials on the board and the list.
func TestFormerMemberStillNamed(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		w.join(pw.pid, w.member2, "member")
		w.want(w.as(w.manager).Patch(w.path("/tasks/%d", pw.innerTask), map[string]any{"assignees": []map[string]any{{"user_id": w.member2.ID}}}), http.StatusOK)
		w.want(w.as(w.manager).Delete(w.path("/projects/%d/members/%d", pw.pid, w.member2.ID)), http.StatusNoContent)
		name := w.member2.Name
		for _, p := range []string{"/projects/%d/board", "/projects/%d/tasks"} {
			if html := w.as(w.manager).Get(pw.page(p, pw.pid)).String(); !strings.Contains(html, name) {
				t.Errorf("%s does not name the former member %s", fmt.Sprintf(p, pw.pid), name)
			}
		}
	})
}

// Milestones change after they are planned: renamed, moved, completed and reopened, deleted
// (their lists stay, in no milestone); from the API and from the overview's buttons.
func TestMilestoneChanges(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		ms := w.list(w.manager, w.path("/projects/%d/milestones", pw.pid)).Items
		if len(ms) != 1 {
			t.Fatalf("milestones: %v", ms)
		}
		mid := num(ms[0]["id"])
		path := w.path("/projects/%d/milestones/%d", pw.pid, mid)
		got := w.want(w.as(w.member).Patch(path, map[string]any{"name": "Launch day", "due_on": "2025-04-02"}), http.StatusOK).Map()
		if got["name"] != "Launch day" || got["due_on"] != "2025-04-02" || got["completed_at"] != nil {
			t.Errorf("after the change: %v", got)
		}
		if got := w.want(w.as(w.member).Patch(path, map[string]any{"completed": true}), http.StatusOK).Map(); got["completed_at"] == nil {
			t.Errorf("not completed: %v", got)
		}
		if got := w.want(w.as(w.member).Patch(path, map[string]any{"completed": false}), http.StatusOK).Map(); got["completed_at"] != nil {
			t.Errorf("not reopened: %v", got)
		}
		wantField(t, "bad day", w.as(w.member).Patch(path, map[string]any{"due_on": "2025-13-01"}), http.StatusUnprocessableEntity, "due_on")
		wantField(t, "empty name", w.as(w.member).Patch(path, map[string]any{"name": " "}), http.StatusUnprocessableEntity, "name")
		check(t, "client", w.as(w.clientX).Patch(path, map[string]any{"name": "Nope"}), http.StatusForbidden)
		other := w.e.NewAccount()
		check(t, "stranger", w.e.As(other.Owner).Patch(strings.Replace(path, "/"+w.acc.Slug+"/", "/"+other.Slug+"/", 1), map[string]any{"name": "Nope"}), http.StatusNotFound)

		// From the overview: complete, then delete; a list in the milestone stays.
		inMilestone := idOf(t, w.want(w.as(w.manager).Post(w.path("/projects/%d/lists", pw.pid), map[string]any{"name": "Phase 1", "milestone_id": mid}), http.StatusCreated))
		b := w.e.BrowserLogin(w.manager)
		overview := pw.page("/projects/%d", pw.pid)
		w.want(w.as(w.manager).Patch(path, map[string]any{"due_on": "2099-01-01"}), http.StatusOK) // upcoming: on the overview
		if html := b.Get(overview).String(); !strings.Contains(html, fmt.Sprintf("/milestones/%d/complete", mid)) {
			t.Fatalf("the overview has no button to complete the milestone")
		}
		// Renamed and moved from its form; a bad day comes back next to the field.
		edit := pw.page("/projects/%d/milestones/%d/edit", pw.pid, mid)
		want(t, "edit page", b.Get(edit), http.StatusOK)
		body := want(t, "bad day", b.SubmitForm(edit, edit, url.Values{"name": {"Go live"}, "due_on": {"not a day"}}), http.StatusUnprocessableEntity).String()
		if !strings.Contains(body, `id="e-due_on"`) || !strings.Contains(body, `value="Go live"`) {
			t.Errorf("a refused milestone form does not keep the name or explain the day")
		}
		want(t, "save", b.SubmitForm(edit, edit, url.Values{"name": {"Go live"}, "due_on": {"2099-02-01"}}), http.StatusSeeOther)
		if got := w.want(w.as(w.manager).Get(w.path("/projects/%d/milestones", pw.pid)), http.StatusOK).String(); !strings.Contains(got, "Go live") || !strings.Contains(got, "2099-02-01") {
			t.Errorf("after the form: %s", got)
		}
		check(t, "client edit page", w.e.BrowserLogin(w.clientX).Get(edit), http.StatusForbidden)
		want(t, "complete", b.SubmitForm(overview, pw.page("/projects/%d/milestones/%d/complete", pw.pid, mid), nil), http.StatusSeeOther)
		if got := w.want(w.as(w.manager).Get(w.path("/projects/%d/milestones", pw.pid)), http.StatusOK).Map(); !strings.Contains(fmt.Sprint(got), "completed_at:20") {
			t.Errorf("the overview's button did not complete it: %v", got)
		}
		want(t, "delete", b.SubmitForm(overview, pw.page("/projects/%d/milestones/%d/delete", pw.pid, mid), nil), http.StatusSeeOther)
		if ms := w.list(w.manager, w.path("/projects/%d/milestones", pw.pid)).Items; len(ms) != 0 {
			t.Errorf("after deleting: %v", ms)
		}
		for _, l := range w.list(w.manager, w.path("/projects/%d/lists", pw.pid)).Items {
			if num(l["id"]) == inMilestone && l["milestone_id"] != nil {
				t.Errorf("the list still names the deleted milestone: %v", l)
			}
		}
	})
}
