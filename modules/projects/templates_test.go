package projects_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// templateWorld is an invite-only template of the manager's: client company X, a category,
// coloured tags, two apps, members (a member, client X), a milestone, a list shared with X
// under the milestone and an internal list, and two tasks — the second waiting for the first,
// which is half done.
type templateWorld struct {
	*world
	tpl, milestone, shared, internal, first, second int64
	web, other                                      int64 // project categories
}

func newTemplateWorld(t *testing.T, w *world) *templateWorld {
	t.Helper()
	tw := &templateWorld{world: w}
	tw.web, tw.other = w.category("Web", nil), w.category("Other", nil)
	tw.tpl = w.project(w.manager, map[string]any{"name": "Website template", "code": "TPL", "category": "Web", "tags": []string{"web", "fixed price"},
		"tag_colors": map[string]string{"web": "blue"}, "client_company_id": w.coX, "access": "invite", "guests_allowed": true,
		"starts_on": "2025-03-03", "ends_on": "2025-06-30", "apps": []string{"board", "tasks"}, "assistant_leader_id": w.owner.ID})
	w.want(w.as(w.manager).Put(w.path("/projects/%d/members/%d", tw.tpl, w.member.ID), map[string]any{"role": "member"}), http.StatusOK)
	w.want(w.as(w.manager).Put(w.path("/projects/%d/members/%d", tw.tpl, w.clientX.ID), map[string]any{"role": "client"}), http.StatusOK)
	tw.milestone = idOf(t, w.want(w.as(w.manager).Post(w.path("/projects/%d/milestones", tw.tpl), map[string]any{"name": "Launch", "due_on": "2025-04-01"}), http.StatusCreated))
	tw.shared = idOf(t, w.want(w.as(w.manager).Post(w.path("/projects/%d/lists", tw.tpl), map[string]any{"name": "Deliverables",
		"visibility": "clients", "company_ids": []int64{w.coX}, "milestone_id": tw.milestone}), http.StatusCreated))
	tw.internal = idOf(t, w.want(w.as(w.manager).Post(w.path("/projects/%d/lists", tw.tpl), map[string]any{"name": "Budget"}), http.StatusCreated))
	tw.first = w.task(w.manager, tw.tpl, tw.shared, "Mockups", map[string]any{"starts_on": "2025-03-03", "due_on": "2025-03-10", "priority": "high",
		"assignees": []map[string]any{{"user_id": w.member.ID, "estimate_minutes": 120}}})
	tw.second = w.task(w.manager, tw.tpl, tw.internal, "Margins", map[string]any{"starts_on": "2025-03-11", "due_on": "2025-03-14"})
	w.want(w.as(w.manager).Post(w.path("/tasks/%d/dependencies", tw.second), map[string]any{"predecessor_id": tw.first}), http.StatusCreated)
	w.want(w.as(w.member).Patch(w.path("/tasks/%d", tw.first), map[string]any{"progress": []map[string]any{{"user_id": w.member.ID, "progress": 50}}}), http.StatusOK)
	w.want(w.as(w.manager).Patch(w.path("/projects/%d", tw.tpl), map[string]any{"is_template": true}), http.StatusOK)
	return tw
}

func TestTemplateIsListedApart(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		tw := newTemplateWorld(t, w)
		plain := w.project(w.manager, map[string]any{"name": "Plain"})
		if ids := w.list(w.manager, w.path("/projects")).ids(); slices.Contains(ids, tw.tpl) || !slices.Contains(ids, plain) {
			t.Errorf("default list %v: want %d, not the template %d", ids, plain, tw.tpl)
		}
		if ids := w.list(w.manager, w.path("/projects?templates=true")).ids(); !slices.Equal(ids, []int64{tw.tpl}) {
			t.Errorf("templates=true: %v, want the template %d", ids, tw.tpl)
		}
		if ids := w.list(w.manager, w.path("/projects?templates=any")).ids(); len(ids) != 2 {
			t.Errorf("templates=any: %v", ids)
		}
		// Filters of the list: name or code, client, tag.
		if ids := w.list(w.manager, w.path("/projects?templates=any&q=tpl")).ids(); !slices.Equal(ids, []int64{tw.tpl}) {
			t.Errorf("q=tpl: %v", ids)
		}
		if ids := w.list(w.manager, w.path("/projects?templates=any&client_company_id=%d", w.coX)).ids(); !slices.Equal(ids, []int64{tw.tpl}) {
			t.Errorf("client X: %v", ids)
		}
		if ids := w.list(w.manager, w.path("/projects?templates=any&tag=FIXED%%20PRICE")).ids(); !slices.Equal(ids, []int64{tw.tpl}) {
			t.Errorf("tag: %v", ids)
		}
		if ids := w.list(w.manager, w.path("/projects?templates=any&tag=fixed")).ids(); len(ids) != 0 {
			t.Errorf("a part of a tag is no tag: %v", ids)
		}
		wantField(t, "templates=maybe", w.as(w.manager).Get(w.path("/projects?templates=maybe")), http.StatusUnprocessableEntity, "templates")
		// A template's tasks are no one's work: not in "my tasks".
		if ids := w.list(w.member, w.path("/my-tasks")).ids(); slices.Contains(ids, tw.first) {
			t.Errorf("my tasks show a template's task")
		}
		// Settings read back: apps in tab order, a colour for every tag.
		p := w.want(w.as(w.manager).Get(w.path("/projects/%d", tw.tpl)), http.StatusOK).Map()
		if fmt.Sprint(p["apps"]) != "[tasks board]" || p["is_template"] != true {
			t.Errorf("apps %v, is_template %v", p["apps"], p["is_template"])
		}
		colors, _ := p["tag_colors"].(map[string]any)
		if colors["web"] != "blue" || colors["fixed price"] == "" || colors["fixed price"] == nil {
			t.Errorf("tag colours %v", colors)
		}
	})
}

func TestCreateFromTemplate(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		tw := newTemplateWorld(t, w)
		created := len(w.events("task.created"))
		assigned := len(w.events("task.assigned"))
		// 2025-05-05 is 63 days after 2025-03-03.
		np := w.project(w.manager, map[string]any{"name": "Website ACME", "template_id": tw.tpl, "starts_on": "2025-05-05"})
		p := w.want(w.as(w.manager).Get(w.path("/projects/%d", np)), http.StatusOK).Map()
		for k, v := range map[string]any{"category": "Web", "access": "invite", "guests_allowed": true, "ends_on": "2025-09-01",
			"starts_on": "2025-05-05", "is_template": false, "code": "", "client_company_id": float64(w.coX)} {
			if fmt.Sprint(p[k]) != fmt.Sprint(v) {
				t.Errorf("%s = %v, want %v", k, p[k], v)
			}
		}
		if fmt.Sprint(p["tags"]) != "[web fixed price]" || fmt.Sprint(p["apps"]) != "[tasks board]" || p["tag_colors"].(map[string]any)["web"] != "blue" {
			t.Errorf("tags %v, apps %v, colours %v", p["tags"], p["apps"], p["tag_colors"])
		}
		// Members with their roles; the creator leads.
		roles := map[int64]string{}
		for _, m := range w.want(w.as(w.manager).Get(w.path("/projects/%d/members", np)), http.StatusOK).Map()["items"].([]any) {
			m := m.(map[string]any)
			roles[num(m["user_id"])] = m["role"].(string)
		}
		want := map[int64]string{w.manager.ID: "manager", w.member.ID: "member", w.clientX.ID: "client", w.owner.ID: "manager"}
		if fmt.Sprint(roles) != fmt.Sprint(want) {
			t.Errorf("members %v, want %v", roles, want)
		}
		// Milestones and lists, shifted and linked.
		ms := w.list(w.manager, w.path("/projects/%d/milestones", np))
		if len(ms.Items) != 1 || ms.Items[0]["due_on"] != "2025-06-03" || ms.Items[0]["name"] != "Launch" {
			t.Fatalf("milestones %v", ms.Items)
		}
		ls := w.list(w.manager, w.path("/projects/%d/lists", np))
		if len(ls.Items) != 2 {
			t.Fatalf("lists %v", ls.Items)
		}
		shared, internal := ls.Items[0], ls.Items[1]
		if shared["name"] != "Deliverables" || shared["visibility"] != "clients" || fmt.Sprint(shared["company_ids"]) != fmt.Sprint([]any{float64(w.coX)}) ||
			num(shared["milestone_id"]) != num(ms.Items[0]["id"]) {
			t.Errorf("shared list %v", shared)
		}
		if internal["name"] != "Budget" || internal["visibility"] != "internal" || internal["milestone_id"] != nil {
			t.Errorf("internal list %v", internal)
		}
		// Tasks: open, no progress, assignees and estimates, dates shifted, the dependency.
		ts := w.list(w.manager, w.path("/projects/%d/tasks", np))
		if len(ts.Items) != 2 {
			t.Fatalf("tasks %v", ts.Items)
		}
		first, second := ts.Items[0], ts.Items[1]
		as := first["assignees"].([]any)
		if first["title"] != "Mockups" || first["status"] != "open" || first["priority"] != "high" || first["starts_on"] != "2025-05-05" || first["due_on"] != "2025-05-12" ||
			num(first["list_id"]) != num(shared["id"]) || len(as) != 1 {
			t.Fatalf("first task %v", first)
		}
		if a := as[0].(map[string]any); num(a["user_id"]) != w.member.ID || num(a["estimate_minutes"]) != 120 || num(a["progress"]) != 0 || a["completed_at"] != nil {
			t.Errorf("assignee %v", a)
		}
		if second["starts_on"] != "2025-05-13" || second["due_on"] != "2025-05-16" || fmt.Sprint(second["predecessor_ids"]) != fmt.Sprint([]any{first["id"]}) ||
			num(second["list_id"]) != num(internal["id"]) {
			t.Errorf("second task %v", second)
		}
		// The template is untouched.
		if tpl := w.want(w.as(w.manager).Get(w.path("/tasks/%d", tw.first)), http.StatusOK).Map(); tpl["status"] != "in_progress" || tpl["due_on"] != "2025-03-10" {
			t.Errorf("the template's task changed: %v", tpl)
		}
		// What creating the tasks by hand emits: one task.created each, task.assigned for the assigned one.
		if n := len(w.events("task.created")) - created; n != 2 {
			t.Errorf("%d task.created, want 2", n)
		}
		if n := len(w.events("task.assigned")) - assigned; n != 1 {
			t.Errorf("%d task.assigned, want 1", n)
		}
		// The client of X sees the copy's shared list only.
		if ids := w.list(w.clientX, w.path("/projects/%d/lists", np)).ids(); !slices.Equal(ids, []int64{num(shared["id"])}) {
			t.Errorf("client X sees lists %v", ids)
		}

		// Without tasks, and without a start: lists, no tasks, the template's dates.
		bare := w.project(w.admin, map[string]any{"name": "Bare copy", "template_id": tw.tpl, "copy_tasks": false, "category": "Other", "access": "open"})
		p = w.want(w.as(w.admin).Get(w.path("/projects/%d", bare)), http.StatusOK).Map()
		if p["starts_on"] != "2025-03-03" || p["ends_on"] != "2025-06-30" || p["category"] != "Other" || p["access"] != "open" {
			t.Errorf("bare copy %v", p)
		}
		if n := len(w.list(w.admin, w.path("/projects/%d/lists", bare)).Items); n != 2 {
			t.Errorf("%d lists in the bare copy", n)
		}
		if n := len(w.list(w.admin, w.path("/projects/%d/tasks", bare)).Items); n != 0 {
			t.Errorf("%d tasks in the bare copy", n)
		}
		if ms := w.list(w.admin, w.path("/projects/%d/milestones", bare)); ms.Items[0]["due_on"] != "2025-04-01" {
			t.Errorf("milestone of the bare copy %v", ms.Items)
		}
	})
}

func TestTemplateBadInput(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		tw := newTemplateWorld(t, w)
		other := w.e.NewAccount()
		foreign := idOf(t, w.want(w.e.As(other.Owner).Post("/api/v1/"+other.Slug+"/projects", map[string]any{"name": "Theirs"}), http.StatusCreated))
		manager2 := w.e.NewUser(w.acc, actor.RoleManager)
		trashed := w.project(w.manager, map[string]any{"name": "Gone"})
		w.want(w.as(w.manager).Delete(w.path("/projects/%d", trashed)), http.StatusOK)
		before := w.snapshot()
		for _, c := range []struct {
			what  string
			as    *testkit.User
			body  map[string]any
			field string
		}{
			{"another account's", w.manager, map[string]any{"template_id": foreign}, "template_id"},
			{"unknown", w.manager, map[string]any{"template_id": 999999}, "template_id"},
			{"invite-only, not a member", manager2, map[string]any{"template_id": tw.tpl}, "template_id"},
			{"trashed", w.manager, map[string]any{"template_id": trashed}, "template_id"},
			{"bad start", w.manager, map[string]any{"template_id": tw.tpl, "starts_on": "soon"}, "starts_on"},
			{"unknown app", w.manager, map[string]any{"apps": []string{"tasks", "chess"}}, "apps"},
			{"colour of no tag", w.manager, map[string]any{"tags": []string{"a"}, "tag_colors": map[string]string{"b": "red"}}, "tag_colors"},
			{"colour off the palette", w.manager, map[string]any{"tags": []string{"a"}, "tag_colors": map[string]string{"a": "#ff0000"}}, "tag_colors"},
		} {
			b := map[string]any{"name": "From " + c.what}
			for k, v := range c.body {
				b[k] = v
			}
			wantField(t, c.what, w.as(c.as).Post(w.path("/projects"), b), http.StatusUnprocessableEntity, c.field)
		}
		wantField(t, "patch apps", w.as(w.manager).Patch(w.path("/projects/%d", tw.tpl), map[string]any{"apps": []string{"nope"}}), http.StatusUnprocessableEntity, "apps")
		wantField(t, "patch is_template", w.as(w.manager).Patch(w.path("/projects/%d", tw.tpl), map[string]any{"is_template": "yes"}), http.StatusBadRequest, "is_template")
		if after := w.snapshot(); after != before {
			t.Errorf("refused requests wrote:\n%s\n%s", before, after)
		}
		// The member of the invite-only template may not create projects at all.
		check(t, "member", w.as(w.member).Post(w.path("/projects"), map[string]any{"name": "x", "template_id": tw.tpl}), http.StatusForbidden)
		// Changing tags drops the colours of the tags that are gone.
		p := w.want(w.as(w.manager).Patch(w.path("/projects/%d", tw.tpl), map[string]any{"tags": []string{"fixed price"}}), http.StatusOK).Map()
		if colors := p["tag_colors"].(map[string]any); len(colors) != 1 || colors["web"] != nil {
			t.Errorf("colours after the tags changed: %v", colors)
		}
		p = w.want(w.as(w.manager).Patch(w.path("/projects/%d", tw.tpl), map[string]any{"apps": []string{}, "tag_colors": map[string]string{"FIXED PRICE": "green"}}), http.StatusOK).Map()
		if fmt.Sprint(p["apps"]) != "[]" || p["tag_colors"].(map[string]any)["fixed price"] != "green" {
			t.Errorf("apps %v, colours %v", p["apps"], p["tag_colors"])
		}
	})
}

// A project made from a template has its workflow: the custom statuses (Kanban columns) and
// labels, and the copied tasks keep their labels, their checklists (unticked) and how they
// repeat.
func TestTemplateCopiesWorkflow(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		tpl := w.project(w.manager, map[string]any{"name": "Agency template", "is_template": true, "starts_on": "2026-01-05"})
		list := w.taskList(tpl, "Phases")
		task := w.task(w.manager, tpl, list, "Kick-off", map[string]any{"due_on": "2026-01-09", "recurrence": map[string]any{"every": "week", "interval": 2}})
		w.want(w.as(w.manager).Post(w.path("/projects/%d/statuses", tpl), map[string]any{"name": "Review", "base": "in_progress"}), http.StatusCreated)
		label := idOf(t, w.want(w.as(w.manager).Post(w.path("/projects/%d/labels", tpl), map[string]any{"name": "Client", "color": "blue"}), http.StatusCreated))
		w.want(w.as(w.manager).Patch(w.path("/tasks/%d", task), map[string]any{"labels": []int64{label}}), http.StatusOK)
		item := idOf(t, w.want(w.as(w.manager).Post(w.path("/tasks/%d/checklist", task), map[string]any{"text": "Book the room"}), http.StatusCreated))
		w.want(w.as(w.manager).Patch(w.path("/tasks/%d/checklist/%d", task, item), map[string]any{"done": true}), http.StatusOK)

		pid := w.project(w.manager, map[string]any{"name": "Acme launch", "template_id": tpl, "starts_on": "2026-02-02"})
		sts := w.list(w.manager, w.path("/projects/%d/statuses", pid)).Items
		if len(sts) != 1 || sts[0]["name"] != "Review" || sts[0]["base"] != "in_progress" {
			t.Errorf("statuses of the copy: %v", sts)
		}
		lbs := w.list(w.manager, w.path("/projects/%d/labels", pid)).Items
		if len(lbs) != 1 || lbs[0]["name"] != "Client" || num(lbs[0]["id"]) == label {
			t.Fatalf("labels of the copy: %v", lbs)
		}
		ts := w.list(w.manager, w.path("/projects/%d/tasks", pid)).Items
		if len(ts) != 1 {
			t.Fatalf("tasks of the copy: %v", ts)
		}
		got := w.want(w.as(w.manager).Get(w.path("/tasks/%d", num(ts[0]["id"]))), http.StatusOK).Map()
		if ls, _ := got["labels"].([]any); len(ls) != 1 || num(ls[0].(map[string]any)["id"]) != num(lbs[0]["id"]) {
			t.Errorf("the copied task's labels: %v", got["labels"])
		}
		if num(got["checklist_total"]) != 1 || num(got["checklist_done"]) != 0 {
			t.Errorf("the copied task's checklist: %v of %v done", got["checklist_done"], got["checklist_total"])
		}
		if rec, _ := got["recurrence"].(map[string]any); rec["every"] != "week" || num(rec["interval"]) != 2 || got["due_on"] != "2026-02-06" {
			t.Errorf("the copied task's recurrence and due day: %v, %v", got["recurrence"], got["due_on"])
		}
	})
}
