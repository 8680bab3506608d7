package projects_test

// Task details over the API: custom statuses (and the base status that follows them),
// labels and the ?label= filter, checklists with their counts and limits, bad input, other
// accounts and what clients see.

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/modules/projects"
)

// The "nothing was written" checks count the tables of task details too.
func init() {
	tables = append(tables, "task_statuses", "labels", "task_labels", "task_checklist_items")
}

// detailsWorld is a project shared with client X through one list, with an internal list, a
// task in each.
type detailsWorld struct {
	*world
	pid, shared, internal int64
	sharedTask, innerTask int64
}

func newDetailsWorld(t *testing.T, w *world) *detailsWorld {
	t.Helper()
	d := &detailsWorld{world: w}
	d.pid = w.project(w.manager, map[string]any{"name": "Details", "guests_allowed": true})
	w.join(d.pid, w.clientX, "client")
	d.shared = w.taskList(d.pid, "Shared", w.coX)
	d.internal = w.taskList(d.pid, "Internal")
	d.sharedTask = w.task(w.member, d.pid, d.shared, "Shared task", map[string]any{"assignees": []map[string]any{{"user_id": w.member.ID}}})
	d.innerTask = w.task(w.member, d.pid, d.internal, "Inner task", nil)
	return d
}

func (d *detailsWorld) status(name, base string, extra map[string]any) map[string]any {
	d.t.Helper()
	body := map[string]any{"name": name, "base": base}
	for k, v := range extra {
		body[k] = v
	}
	return d.want(d.as(d.manager).Post(d.path("/projects/%d/statuses", d.pid), body), http.StatusCreated).Map()
}

func (d *detailsWorld) getTask(id int64) map[string]any {
	d.t.Helper()
	return d.want(d.as(d.manager).Get(d.path("/tasks/%d", id)), http.StatusOK).Map()
}

func TestCustomStatuses(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		d := newDetailsWorld(t, w)
		review := d.status("Review", "in_progress", map[string]any{"color": "purple"})
		if review["key"] != "review" || review["color"] != "purple" || review["base"] != "in_progress" {
			t.Fatalf("created status: %v", review)
		}
		if v := d.status("Vérifié ✓", "done", map[string]any{"key": "verified"}); v["name"] != "Vérifié ✓" {
			t.Errorf("a status named in French: %v", v)
		}
		backlog := d.status("Backlog", "open", nil)
		second := d.status("Review", "in_progress", nil)
		if second["key"] != "review-2" || backlog["color"] != "gray" {
			t.Errorf("a second Review got the key %v; the default colour is %v", second["key"], backlog["color"])
		}
		// Board order: by base status, then position.
		var list page
		w.want(w.as(w.clientX).Get(w.path("/projects/%d/statuses", d.pid)), http.StatusOK).JSON(t, &list)
		var keys []string
		for _, it := range list.Items {
			keys = append(keys, it["key"].(string))
		}
		if strings.Join(keys, ",") != "backlog,review,review-2,verified" {
			t.Errorf("statuses in the order %v", keys)
		}
		// Moving review-2 first among in_progress.
		w.want(w.as(w.manager).Patch(w.path("/projects/%d/statuses/%d", d.pid, num(second["id"])), map[string]any{"position": 0, "name": "Second look"}), http.StatusOK)
		w.want(w.as(w.manager).Get(w.path("/projects/%d/statuses", d.pid)), http.StatusOK).JSON(t, &list)
		keys = keys[:0]
		for _, it := range list.Items {
			keys = append(keys, it["key"].(string))
		}
		if strings.Join(keys, ",") != "backlog,review-2,review,verified" || list.Items[1]["name"] != "Second look" {
			t.Errorf("after the move: %v %v", keys, list.Items[1])
		}

		// Setting a custom status sets its base; done completes the task with its event.
		task := w.path("/tasks/%d", d.sharedTask)
		r := w.want(w.as(w.member).Patch(task, map[string]any{"custom_status": "review"}), http.StatusOK).Map()
		if r["custom_status"] != "review" || r["status"] != "in_progress" {
			t.Errorf("after custom_status review: %v / %v", r["custom_status"], r["status"])
		}
		before := len(w.events("task.completed"))
		r = w.want(w.as(w.member).Patch(task, map[string]any{"custom_status": "verified"}), http.StatusOK).Map()
		if r["status"] != "done" || r["completed_at"] == nil || len(w.events("task.completed")) != before+1 {
			t.Errorf("a done-based status does not complete the task: %v, %d events", r["status"], len(w.events("task.completed"))-before)
		}
		// Filters keep working on the base status.
		done := w.list(w.manager, w.path("/projects/%d/tasks?status=done", d.pid))
		if !slices.Equal(done.ids(), []int64{d.sharedTask}) {
			t.Errorf("?status=done: %v", done.ids())
		}
		// Setting a base status clears the custom one.
		r = w.want(w.as(w.member).Patch(task, map[string]any{"status": "in_progress"}), http.StatusOK).Map()
		if r["custom_status"] != "" || r["status"] != "in_progress" {
			t.Errorf("after status in_progress: %q / %v", r["custom_status"], r["status"])
		}
		// Both, agreeing: fine; disagreeing: 422 on status.
		w.want(w.as(w.member).Patch(task, map[string]any{"custom_status": "review", "status": "in_progress"}), http.StatusOK)
		wantField(t, "status against custom", w.as(w.member).Patch(task, map[string]any{"custom_status": "review", "status": "open"}), http.StatusUnprocessableEntity, "status")
		// Completing the last part takes the task out of its in-progress custom status.
		w.want(w.as(w.member).Patch(task, map[string]any{"progress": []map[string]any{{"user_id": w.member.ID, "progress": 50}}}), http.StatusOK)
		r = w.want(w.as(w.member).Patch(task, map[string]any{"progress": []map[string]any{{"user_id": w.member.ID, "progress": 100}}}), http.StatusOK).Map()
		if r["status"] != "done" || r["custom_status"] != "" {
			t.Errorf("completed by progress: %v / %q", r["status"], r["custom_status"])
		}
		// A new task may start in a custom status.
		created := w.want(w.as(w.member).Post(w.path("/projects/%d/tasks", d.pid), map[string]any{"list_id": d.internal, "title": "Later", "custom_status": "backlog"}), http.StatusCreated).Map()
		if created["custom_status"] != "backlog" || created["status"] != "open" {
			t.Errorf("created in backlog: %v", created)
		}
		// ... but not in a done one: completing is a change of its own, with its event.
		wantField(t, "created done", w.as(w.member).Post(w.path("/projects/%d/tasks", d.pid), map[string]any{"list_id": d.internal, "title": "Done already", "custom_status": "verified"}), http.StatusUnprocessableEntity, "custom_status")
		// Rebasing a status in use is refused; deleting it moves its tasks to its base.
		w.want(w.as(w.member).Patch(task, map[string]any{"custom_status": "review"}), http.StatusOK)
		wantField(t, "rebase in use", w.as(w.manager).Patch(w.path("/projects/%d/statuses/%d", d.pid, num(review["id"])), map[string]any{"base": "open"}), http.StatusUnprocessableEntity, "base")
		w.want(w.as(w.manager).Delete(w.path("/projects/%d/statuses/%d", d.pid, num(review["id"]))), http.StatusNoContent)
		if got := d.getTask(d.sharedTask); got["custom_status"] != "" || got["status"] != "in_progress" {
			t.Errorf("after deleting its status, the task is %v / %q", got["status"], got["custom_status"])
		}
		wantField(t, "deleted status", w.as(w.member).Patch(task, map[string]any{"custom_status": "review"}), http.StatusUnprocessableEntity, "custom_status")
		// Rebasing an unused status is fine.
		w.want(w.as(w.manager).Patch(w.path("/projects/%d/statuses/%d", d.pid, num(second["id"])), map[string]any{"base": "done"}), http.StatusOK)
		// A member may not manage statuses.
		w.want(w.as(w.member).Post(w.path("/projects/%d/statuses", d.pid), map[string]any{"name": "Nope", "base": "open"}), http.StatusForbidden)
	})
}

func TestStatusesBadInput(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		d := newDetailsWorld(t, w)
		base := w.path("/projects/%d/statuses", d.pid)
		snap := w.snapshot()
		for _, c := range []struct {
			body  map[string]any
			field string
		}{
			{map[string]any{"base": "open"}, "name"},
			{map[string]any{"name": strings.Repeat("x", 51), "base": "open"}, "name"},
			{map[string]any{"name": "X"}, "base"},
			{map[string]any{"name": "X", "base": "closed"}, "base"},
			{map[string]any{"name": "X", "base": "open", "color": "#ff0000"}, "color"},
			{map[string]any{"name": "X", "base": "open", "key": "done"}, "key"},
			{map[string]any{"name": "X", "base": "open", "key": "Has Space"}, "key"},
			{map[string]any{"name": "X", "base": "open", "position": -1}, "position"},
		} {
			wantField(t, fmt.Sprint(c.body), w.as(w.manager).Post(base, c.body), http.StatusUnprocessableEntity, c.field)
		}
		if got := w.snapshot(); got != snap {
			t.Errorf("refused statuses wrote something:\n%s\n%s", snap, got)
		}
		d.status("Review", "in_progress", map[string]any{"key": "review"})
		wantField(t, "key taken", w.as(w.manager).Post(base, map[string]any{"name": "Other", "base": "open", "key": "review"}), http.StatusUnprocessableEntity, "key")
		for i := 1; i < 20; i++ {
			d.status(fmt.Sprintf("S%d", i), "open", nil)
		}
		wantField(t, "too many", w.as(w.manager).Post(base, map[string]any{"name": "One more", "base": "open"}), http.StatusUnprocessableEntity, "name")
		// Unknown ids: 404.
		w.want(w.as(w.manager).Patch(base+"/999999", map[string]any{"name": "x"}), http.StatusNotFound)
		w.want(w.as(w.manager).Delete(base+"/999999"), http.StatusNotFound)
		wantField(t, "unknown custom status", w.as(w.member).Patch(w.path("/tasks/%d", d.sharedTask), map[string]any{"custom_status": "nope"}), http.StatusUnprocessableEntity, "custom_status")
		wantField(t, "unknown custom status on create", w.as(w.member).Post(w.path("/projects/%d/tasks", d.pid), map[string]any{"list_id": d.shared, "title": "x", "custom_status": "nope"}), http.StatusUnprocessableEntity, "custom_status")
		// A status of another project is unknown here.
		other := w.project(w.manager, map[string]any{"name": "Other"})
		w.want(w.as(w.manager).Post(w.path("/projects/%d/statuses", other), map[string]any{"name": "Elsewhere", "base": "open", "key": "elsewhere"}), http.StatusCreated)
		wantField(t, "status of another project", w.as(w.member).Patch(w.path("/tasks/%d", d.sharedTask), map[string]any{"custom_status": "elsewhere"}), http.StatusUnprocessableEntity, "custom_status")
	})
}

func TestLabels(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		d := newDetailsWorld(t, w)
		base := w.path("/projects/%d/labels", d.pid)
		bug := idOf(t, w.want(w.as(w.manager).Post(base, map[string]any{"name": "Bug", "color": "red"}), http.StatusCreated))
		budget := idOf(t, w.want(w.as(w.manager).Post(base, map[string]any{"name": "Budget"}), http.StatusCreated))
		wantField(t, "same name", w.as(w.manager).Post(base, map[string]any{"name": "bug"}), http.StatusUnprocessableEntity, "name")
		wantField(t, "too long", w.as(w.manager).Post(base, map[string]any{"name": strings.Repeat("é", 51)}), http.StatusUnprocessableEntity, "name")
		wantField(t, "bad colour", w.as(w.manager).Post(base, map[string]any{"name": "X", "color": "red;"}), http.StatusUnprocessableEntity, "color")
		w.want(w.as(w.member).Post(base, map[string]any{"name": "Member label"}), http.StatusForbidden)

		// Tasks carry label ids in, {id,name,color} out.
		r := w.want(w.as(w.member).Patch(w.path("/tasks/%d", d.sharedTask), map[string]any{"labels": []int64{bug, bug}}), http.StatusOK).Map()
		ls, _ := r["labels"].([]any)
		if len(ls) != 1 || ls[0].(map[string]any)["name"] != "Bug" || ls[0].(map[string]any)["color"] != "red" {
			t.Errorf("labels of the task: %v", r["labels"])
		}
		created := w.want(w.as(w.member).Post(w.path("/projects/%d/tasks", d.pid), map[string]any{"list_id": d.internal, "title": "Costs", "labels": []int64{budget, bug}}), http.StatusCreated).Map()
		if ls, _ := created["labels"].([]any); len(ls) != 2 {
			t.Errorf("labels of a new task: %v", created["labels"])
		}
		costs := num(created["id"])
		w.want(w.as(w.member).Patch(w.path("/tasks/%d", d.innerTask), map[string]any{"labels": []int64{budget}}), http.StatusOK)

		// The filter, on a project's tasks and on my tasks.
		if got := w.list(w.manager, w.path("/projects/%d/tasks?label=%d", d.pid, bug)).ids(); !slices.Equal(got, []int64{d.sharedTask, costs}) {
			t.Errorf("?label=bug: %v", got)
		}
		if got := w.list(w.member, w.path("/my-tasks?label=%d", bug)).ids(); !slices.Equal(got, []int64{d.sharedTask}) {
			t.Errorf("my tasks ?label=bug: %v", got)
		}
		list := w.list(w.manager, w.path("/projects/%d/tasks", d.pid))
		for _, it := range list.Items {
			if _, ok := it["labels"].([]any); !ok {
				t.Errorf("task %v has no labels array in the list", it["id"])
			}
		}
		wantField(t, "unknown label filter", w.as(w.manager).Get(w.path("/projects/%d/tasks?label=999999", d.pid)), http.StatusUnprocessableEntity, "label")
		// Labels by name, as a person types them: on a task, in a change, in the filter.
		named := w.want(w.as(w.member).Post(w.path("/projects/%d/tasks", d.pid), map[string]any{"list_id": d.internal, "title": "Named",
			"label_names": []string{"budget", " BUG "}}), http.StatusCreated).Map()
		if ls, _ := named["labels"].([]any); len(ls) != 2 || ls[0].(map[string]any)["name"] != "Budget" || ls[1].(map[string]any)["name"] != "Bug" {
			t.Errorf("labels by name on a new task: %v", named["labels"])
		}
		namedID := num(named["id"])
		r = w.want(w.as(w.member).Patch(w.path("/tasks/%d", namedID), map[string]any{"label_names": []string{"Budget"}}), http.StatusOK).Map()
		if ls, _ := r["labels"].([]any); len(ls) != 1 || num(ls[0].(map[string]any)["id"]) != budget {
			t.Errorf("labels by name in a change: %v", r["labels"])
		}
		if got := w.list(w.manager, w.path("/projects/%d/tasks?label=bug", d.pid)).ids(); !slices.Equal(got, []int64{d.sharedTask, costs}) {
			t.Errorf("?label=bug by name: %v", got)
		}
		wantField(t, "unknown label name", w.as(w.member).Patch(w.path("/tasks/%d", namedID), map[string]any{"label_names": []string{"Nope"}}), http.StatusUnprocessableEntity, "label_names")
		wantField(t, "label name across projects", w.as(w.member).Get(w.path("/my-tasks?label=bug")), http.StatusUnprocessableEntity, "label")
		w.want(w.as(w.member).Delete(w.path("/tasks/%d", namedID)), http.StatusNoContent)
		wantField(t, "bad label filter", w.as(w.manager).Get(w.path("/projects/%d/tasks?label=abc", d.pid)), http.StatusUnprocessableEntity, "label")

		// Bad labels on a task: unknown, of another project, too many. Nothing changes.
		other := w.project(w.manager, map[string]any{"name": "Other"})
		foreign := idOf(t, w.want(w.as(w.manager).Post(w.path("/projects/%d/labels", other), map[string]any{"name": "Foreign"}), http.StatusCreated))
		snap := w.snapshot()
		for _, ids := range [][]int64{{999999}, {foreign}, {bug, foreign}} {
			wantField(t, fmt.Sprint("labels ", ids), w.as(w.member).Patch(w.path("/tasks/%d", d.sharedTask), map[string]any{"labels": ids}), http.StatusUnprocessableEntity, "labels")
		}
		many := make([]int64, 21)
		for i := range many {
			many[i] = int64(i + 1)
		}
		wantField(t, "too many labels", w.as(w.member).Patch(w.path("/tasks/%d", d.sharedTask), map[string]any{"labels": many}), http.StatusUnprocessableEntity, "labels")
		wantField(t, "foreign label on create", w.as(w.member).Post(w.path("/projects/%d/tasks", d.pid), map[string]any{"list_id": d.internal, "title": "x", "labels": []int64{foreign}}), http.StatusUnprocessableEntity, "labels")
		if got := w.snapshot(); got != snap {
			t.Errorf("refused labels wrote something:\n%s\n%s", snap, got)
		}

		// A client sees the labels of the tasks they see, not the others.
		var cl page
		w.want(w.as(w.clientX).Get(base), http.StatusOK).JSON(t, &cl)
		if len(cl.Items) != 1 || cl.Items[0]["name"] != "Bug" {
			t.Errorf("client X sees the labels %v", cl.Items)
		}
		var all page
		w.want(w.as(w.manager).Get(base), http.StatusOK).JSON(t, &all)
		if len(all.Items) != 2 {
			t.Errorf("the manager sees %d labels", len(all.Items))
		}
		if got := w.list(w.clientX, w.path("/projects/%d/tasks?label=%d", d.pid, budget)).ids(); len(got) != 0 {
			t.Errorf("client X filters internal tasks by label: %v", got)
		}

		// Rename, then delete: the label goes off every task.
		w.want(w.as(w.manager).Patch(base+fmt.Sprintf("/%d", bug), map[string]any{"name": "Defect", "color": "orange"}), http.StatusOK)
		if ls := d.getTask(d.sharedTask)["labels"].([]any); ls[0].(map[string]any)["name"] != "Defect" {
			t.Errorf("renamed label on the task: %v", ls)
		}
		wantField(t, "rename onto another", w.as(w.manager).Patch(base+fmt.Sprintf("/%d", bug), map[string]any{"name": "BUDGET"}), http.StatusUnprocessableEntity, "name")
		w.want(w.as(w.manager).Delete(base+fmt.Sprintf("/%d", bug)), http.StatusNoContent)
		if ls := d.getTask(d.sharedTask)["labels"].([]any); len(ls) != 0 {
			t.Errorf("a deleted label stays on the task: %v", ls)
		}
		w.want(w.as(w.manager).Delete(base+fmt.Sprintf("/%d", bug)), http.StatusNotFound)
		// The label of another project is not found under this one.
		w.want(w.as(w.manager).Patch(base+fmt.Sprintf("/%d", foreign), map[string]any{"name": "x"}), http.StatusNotFound)
	})
}

func TestChecklist(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		d := newDetailsWorld(t, w)
		cl := w.path("/tasks/%d/checklist", d.sharedTask)
		var ids []int64
		for _, text := range []string{"Draft", "Review", "Send"} {
			ids = append(ids, idOf(t, w.want(w.as(w.member).Post(cl, map[string]any{"text": text}), http.StatusCreated)))
		}
		first := idOf(t, w.want(w.as(w.member).Post(cl, map[string]any{"text": "Gather notes", "position": 0}), http.StatusCreated))
		w.want(w.as(w.member).Patch(fmt.Sprintf("%s/%d", cl, ids[0]), map[string]any{"done": true}), http.StatusOK)
		w.want(w.as(w.member).Patch(fmt.Sprintf("%s/%d", cl, first), map[string]any{"done": true, "text": "Gather the notes"}), http.StatusOK)
		// Move "Send" to the top.
		w.want(w.as(w.member).Patch(fmt.Sprintf("%s/%d", cl, ids[2]), map[string]any{"position": 0}), http.StatusOK)
		got := w.want(w.as(w.clientX).Get(cl), http.StatusOK).Map()
		var texts []string
		for _, it := range got["items"].([]any) {
			texts = append(texts, it.(map[string]any)["text"].(string))
		}
		if strings.Join(texts, "|") != "Send|Gather the notes|Draft|Review" || num(got["done"]) != 2 || num(got["total"]) != 4 {
			t.Errorf("checklist: %v done %v total %v", texts, got["done"], got["total"])
		}
		// The task carries the items and the counts; a list carries the counts.
		task := d.getTask(d.sharedTask)
		if items, _ := task["checklist"].([]any); len(items) != 4 || num(task["checklist_done"]) != 2 || num(task["checklist_total"]) != 4 {
			t.Errorf("task: %d items, %v/%v", len(items), task["checklist_done"], task["checklist_total"])
		}
		for _, it := range w.list(w.manager, w.path("/projects/%d/tasks", d.pid)).Items {
			if num(it["id"]) == d.sharedTask && (num(it["checklist_done"]) != 2 || num(it["checklist_total"]) != 4) {
				t.Errorf("counts in the list: %v/%v", it["checklist_done"], it["checklist_total"])
			}
			if num(it["id"]) == d.innerTask && num(it["checklist_total"]) != 0 {
				t.Errorf("inner task counts %v", it["checklist_total"])
			}
		}
		// Untick, remove.
		w.want(w.as(w.member).Patch(fmt.Sprintf("%s/%d", cl, ids[0]), map[string]any{"done": false}), http.StatusOK)
		w.want(w.as(w.member).Delete(fmt.Sprintf("%s/%d", cl, ids[1])), http.StatusNoContent)
		if task := d.getTask(d.sharedTask); num(task["checklist_done"]) != 1 || num(task["checklist_total"]) != 3 {
			t.Errorf("after untick and remove: %v/%v", task["checklist_done"], task["checklist_total"])
		}
		w.want(w.as(w.member).Delete(fmt.Sprintf("%s/%d", cl, ids[1])), http.StatusNotFound)

		// Bad input writes nothing.
		snap := w.snapshot()
		wantField(t, "empty", w.as(w.member).Post(cl, map[string]any{"text": "  "}), http.StatusUnprocessableEntity, "text")
		wantField(t, "too long", w.as(w.member).Post(cl, map[string]any{"text": strings.Repeat("x", 501)}), http.StatusUnprocessableEntity, "text")
		wantField(t, "bad position", w.as(w.member).Post(cl, map[string]any{"text": "x", "position": -2}), http.StatusUnprocessableEntity, "position")
		wantField(t, "edit to empty", w.as(w.member).Patch(fmt.Sprintf("%s/%d", cl, ids[0]), map[string]any{"text": ""}), http.StatusUnprocessableEntity, "text")
		// An item of another task is not found through this one.
		otherItem := idOf(t, w.want(w.as(w.member).Post(w.path("/tasks/%d/checklist", d.innerTask), map[string]any{"text": "Inner step"}), http.StatusCreated))
		snap = w.snapshot()
		w.want(w.as(w.member).Patch(fmt.Sprintf("%s/%d", cl, otherItem), map[string]any{"done": true}), http.StatusNotFound)
		w.want(w.as(w.member).Delete(fmt.Sprintf("%s/%d", cl, otherItem)), http.StatusNotFound)
		if got := w.snapshot(); got != snap {
			t.Errorf("refused checklist changes wrote something:\n%s\n%s", snap, got)
		}
		// Clients: only the checklists of the tasks they see, and no changes.
		w.want(w.as(w.clientX).Get(w.path("/tasks/%d/checklist", d.innerTask)), http.StatusNotFound)
		w.want(w.as(w.clientY).Get(cl), http.StatusNotFound)
		w.want(w.as(w.clientX).Post(cl, map[string]any{"text": "x"}), http.StatusForbidden)

		// At most 100 items.
		for i := num(w.want(w.as(w.member).Get(cl), http.StatusOK).Map()["total"]); i < 100; i++ {
			w.want(w.as(w.member).Post(cl, map[string]any{"text": fmt.Sprint("Step ", i)}), http.StatusCreated)
		}
		wantField(t, "101st", w.as(w.member).Post(cl, map[string]any{"text": "One too many"}), http.StatusUnprocessableEntity, "text")
		if n := num(w.want(w.as(w.member).Get(cl), http.StatusOK).Map()["total"]); n != 100 {
			t.Errorf("the checklist holds %d items", n)
		}
	})
}

// TestTaskDetailsOtherAccount checks that ids of another account are 404 in paths and 422 in
// bodies.
func TestTaskDetailsOtherAccount(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		d := newDetailsWorld(t, w)
		st := d.status("Review", "in_progress", nil)
		label := idOf(t, w.want(w.as(w.manager).Post(w.path("/projects/%d/labels", d.pid), map[string]any{"name": "Bug"}), http.StatusCreated))
		item := idOf(t, w.want(w.as(w.member).Post(w.path("/tasks/%d/checklist", d.sharedTask), map[string]any{"text": "Step"}), http.StatusCreated))

		other := w.e.NewAccount()
		stranger := w.e.As(other.Owner)
		op := func(format string, args ...any) string { return "/api/v1/" + other.Slug + fmt.Sprintf(format, args...) }
		name, text := map[string]any{"name": "x"}, map[string]any{"text": "x"}
		for _, r := range []struct {
			method, path string
			body         any
		}{
			{"GET", op("/projects/%d/statuses", d.pid), nil}, {"PATCH", op("/projects/%d/statuses/%d", d.pid, num(st["id"])), name},
			{"DELETE", op("/projects/%d/statuses/%d", d.pid, num(st["id"])), nil}, {"GET", op("/projects/%d/labels", d.pid), nil},
			{"PATCH", op("/projects/%d/labels/%d", d.pid, label), name}, {"DELETE", op("/projects/%d/labels/%d", d.pid, label), nil},
			{"GET", op("/tasks/%d/checklist", d.sharedTask), nil}, {"POST", op("/tasks/%d/checklist", d.sharedTask), text},
			{"PATCH", op("/tasks/%d/checklist/%d", d.sharedTask, item), text}, {"DELETE", op("/tasks/%d/checklist/%d", d.sharedTask, item), nil},
		} {
			check(t, "stranger "+r.method+" "+r.path, stranger.Do(r.method, r.path, r.body), http.StatusNotFound)
		}
		// The other account's own project cannot use our label or status.
		opid := idOf(t, stranger.Post(op("/projects"), map[string]any{"name": "Theirs"}))
		olist := idOf(t, stranger.Post(op("/projects/%d/lists", opid), map[string]any{"name": "L"}))
		wantField(t, "our label in their task", stranger.Post(op("/projects/%d/tasks", opid), map[string]any{"list_id": olist, "title": "x", "labels": []int64{label}}), http.StatusUnprocessableEntity, "labels")
		wantField(t, "our status in their task", stranger.Post(op("/projects/%d/tasks", opid), map[string]any{"list_id": olist, "title": "x", "custom_status": "review"}), http.StatusUnprocessableEntity, "custom_status")
		wantField(t, "our label as their filter", stranger.Get(op("/my-tasks?label=%d", label)), http.StatusUnprocessableEntity, "label")
	})
}

// seedDetails gives a seeded project (ids: its tasks) what the board shows of task details:
// two custom columns with tasks in them, labels on a quarter of the tasks and a checklist of
// three items on a fifth.
func seedDetails(tb testing.TB, svc *projects.Service, owner *actor.Actor, pid int64, ids []int64) {
	tb.Helper()
	ctx := context.Background()
	for _, st := range []projects.StatusInput{{Name: "Backlog", Base: projects.StatusOpen}, {Name: "Review", Base: projects.StatusInProgress, Color: "purple"}} {
		if _, err := svc.CreateStatus(ctx, owner, pid, st); err != nil {
			tb.Fatal(err)
		}
	}
	var labels []int64
	for _, name := range []string{"Bug", "Design", "Copy"} {
		l, err := svc.CreateLabel(ctx, owner, pid, projects.LabelInput{Name: name, Color: "red"})
		if err != nil {
			tb.Fatal(err)
		}
		labels = append(labels, l.ID)
	}
	for i, id := range ids {
		var patch projects.TaskPatch
		if i%4 == 0 {
			patch.Labels = &[]int64{labels[i%3], labels[(i+1)%3]}
		}
		if i%7 == 1 {
			key := []string{"backlog", "review"}[i%2]
			patch.CustomStatus = &key
		}
		if patch.Labels != nil || patch.CustomStatus != nil {
			if _, err := svc.UpdateTask(ctx, owner, id, patch); err != nil {
				tb.Fatal(err)
			}
		}
		if i%5 == 0 {
			for j := range 3 {
				if _, err := svc.AddChecklistItem(ctx, owner, id, projects.ChecklistInput{Text: fmt.Sprint("Step ", j), Done: j == 0}); err != nil {
					tb.Fatal(err)
				}
			}
		}
	}
}
