package projects_test

// Task details on the pages: the board's custom columns, labels and checklist counts; the
// task page's checklist, labels and status forms; the Workflow page; what clients see.

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// boardColumns are the data-status values of a board's columns, in order.
func boardColumns(html string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<section class="column[^"]*" data-status="([^"]+)"`).FindAllStringSubmatch(html, -1) {
		out = append(out, m[1])
	}
	return out
}

// columnHTML is the markup of one column of a board.
func columnHTML(html, status string) string {
	i := strings.Index(html, `data-status="`+status+`"`)
	if i < 0 {
		return ""
	}
	rest := html[i:]
	if j := strings.Index(rest, "</section>"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

func TestBoardCustomColumns(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		d := newDetailsWorld(t, w)
		d.status("Review", "in_progress", map[string]any{"color": "purple"})
		d.status("Shipped", "done", map[string]any{"color": "green"})
		d.status("Backlog", "open", nil)
		bug := idOf(t, w.want(w.as(w.manager).Post(w.path("/projects/%d/labels", d.pid), map[string]any{"name": "Bug", "color": "red"}), http.StatusCreated))
		budget := idOf(t, w.want(w.as(w.manager).Post(w.path("/projects/%d/labels", d.pid), map[string]any{"name": "Budget <b>", "color": "yellow"}), http.StatusCreated))
		w.want(w.as(w.member).Patch(w.path("/tasks/%d", d.sharedTask), map[string]any{"custom_status": "review", "labels": []int64{bug}}), http.StatusOK)
		w.want(w.as(w.member).Patch(w.path("/tasks/%d", d.innerTask), map[string]any{"labels": []int64{budget}}), http.StatusOK)
		for i, text := range []string{"One", "Two"} {
			id := idOf(t, w.want(w.as(w.member).Post(w.path("/tasks/%d/checklist", d.sharedTask), map[string]any{"text": text}), http.StatusCreated))
			if i == 0 {
				w.want(w.as(w.member).Patch(w.path("/tasks/%d/checklist/%d", d.sharedTask, id), map[string]any{"done": true}), http.StatusOK)
			}
		}

		board := "/" + w.acc.Slug + fmt.Sprintf("/projects/%d/board", d.pid)
		b := w.e.BrowserLogin(w.member)
		html := want(t, "board", b.Get(board), http.StatusOK).String()
		if got := strings.Join(boardColumns(html), ","); got != "open,backlog,in_progress,review,done,shipped" {
			t.Errorf("board columns %s", got)
		}
		review := columnHTML(html, "review")
		if !strings.Contains(html, `<section class="column col-purple" data-status="review"`) {
			t.Errorf("the Review column is not purple")
		}
		for _, s := range []string{`data-prev="in_progress" data-next="done"`, ">Review <span", "Shared task",
			`<span class="chip chip-red">Bug</span>`, "☑ 1/2"} {
			if !strings.Contains(review, s) {
				t.Errorf("the Review column lacks %q:\n%.1500s", s, review)
			}
		}
		if open := columnHTML(html, "open"); !strings.Contains(open, "Inner task") || !strings.Contains(open, `chip-yellow">Budget &lt;b&gt;</span>`) {
			t.Errorf("the Open column lacks the inner task with its escaped label")
		}
		// The no-JS buttons move a card into a custom column and out of it.
		action := "/" + w.acc.Slug + fmt.Sprintf("/tasks/%d/status", d.innerTask)
		want(t, "to backlog", b.SubmitForm(board, action, url.Values{"status": {"backlog"}, "back": {board}}), http.StatusSeeOther)
		if got := d.getTask(d.innerTask); got["custom_status"] != "backlog" || got["status"] != "open" {
			t.Errorf("after → Backlog: %v / %v", got["custom_status"], got["status"])
		}
		// What kanban.js sends: the header token, a 204; "shipped" completes the task.
		h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Requested-With": {"fetch"}, "X-Csrf-Token": {testkit.CSRFIn(b.Get(board).Body)}}
		want(t, "fetch to shipped", b.Send(http.MethodPost, action, h, strings.NewReader("status=shipped")), http.StatusNoContent)
		if got := d.getTask(d.innerTask); got["custom_status"] != "shipped" || got["status"] != "done" {
			t.Errorf("after the drop on Shipped: %v / %v", got["custom_status"], got["status"])
		}
		want(t, "fetch to open", b.Send(http.MethodPost, action, h, strings.NewReader("status=open")), http.StatusNoContent)
		if got := d.getTask(d.innerTask); got["custom_status"] != "" || got["status"] != "open" {
			t.Errorf("after the drop on Open: %v / %v", got["custom_status"], got["status"])
		}
		want(t, "fetch to nowhere", b.Send(http.MethodPost, action, h, strings.NewReader("status=nowhere")), http.StatusUnprocessableEntity)

		// The client sees the custom columns, the shared task's label, not the inner task's.
		guest := want(t, "board as client", w.e.BrowserLogin(w.clientX).Get(board), http.StatusOK).String()
		if !strings.Contains(guest, ">Review <span") || !strings.Contains(guest, "chip-red\">Bug") || strings.Contains(guest, "Budget") || strings.Contains(guest, "Inner task") {
			t.Errorf("the client's board shows the wrong details")
		}
		// The task list shows chips and the custom status, and filters by label.
		tasks := "/" + w.acc.Slug + fmt.Sprintf("/projects/%d/tasks", d.pid)
		list := want(t, "tasks", b.Get(tasks+fmt.Sprintf("?label=%d", bug)), http.StatusOK).String()
		if !strings.Contains(list, "Shared task") || strings.Contains(list, "Inner task") || !strings.Contains(list, `<span class="chip chip-purple">Review</span>`) {
			t.Errorf("the task list filtered by Bug is wrong:\n%.3000s", list)
		}
	})
}

func TestTaskPageDetails(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		d := newDetailsWorld(t, w)
		d.status("Review", "in_progress", nil)
		bug := idOf(t, w.want(w.as(w.manager).Post(w.path("/projects/%d/labels", d.pid), map[string]any{"name": "Bug", "color": "red"}), http.StatusCreated))
		ux := idOf(t, w.want(w.as(w.manager).Post(w.path("/projects/%d/labels", d.pid), map[string]any{"name": "UX", "color": "blue"}), http.StatusCreated))
		page := "/" + w.acc.Slug + fmt.Sprintf("/tasks/%d", d.sharedTask)
		b := w.e.BrowserLogin(w.member)
		html := want(t, "task page", b.Get(page), http.StatusOK).String()
		for _, s := range []string{"No checklist yet", `action="` + page + `/checklist"`, `name="label" value="` + fmt.Sprint(bug) + `"`, `<option value="review">Review</option>`} {
			if !strings.Contains(html, s) {
				t.Errorf("the task page lacks %q", s)
			}
		}
		// Checklist: add, refuse empty, tick, untick, remove.
		r := want(t, "add item", b.SubmitForm(page, page+"/checklist", url.Values{"text": {"Write the copy"}}), http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != page+"#checklist" {
			t.Errorf("after adding: %q", loc)
		}
		r = want(t, "empty item", b.SubmitForm(page, page+"/checklist", url.Values{"text": {"  "}}), http.StatusUnprocessableEntity)
		if !strings.Contains(r.String(), `id="e-text"`) {
			t.Errorf("no message next to the new item")
		}
		want(t, "too long", b.SubmitForm(page, page+"/checklist", url.Values{"text": {strings.Repeat("x", 501)}}), http.StatusUnprocessableEntity)
		items := d.want(d.as(d.manager).Get(w.path("/tasks/%d/checklist", d.sharedTask)), http.StatusOK).Map()["items"].([]any)
		item := num(items[0].(map[string]any)["id"])
		itemURL := fmt.Sprintf("%s/checklist/%d", page, item)
		want(t, "tick", b.SubmitForm(page, itemURL, url.Values{"done": {"1"}}), http.StatusSeeOther)
		html = b.Get(page).String()
		if !strings.Contains(html, `class="is-done"`) || !strings.Contains(html, `aria-pressed="true"`) || !strings.Contains(html, "1/1") {
			t.Errorf("the ticked item is not shown done")
		}
		want(t, "bad tick", b.SubmitForm(page, itemURL, url.Values{"done": {"maybe"}}), http.StatusUnprocessableEntity)
		want(t, "untick", b.SubmitForm(page, itemURL, url.Values{"done": {"0"}}), http.StatusSeeOther)
		if got := d.getTask(d.sharedTask); num(got["checklist_done"]) != 0 {
			t.Errorf("after untick: %v done", got["checklist_done"])
		}
		if !strings.Contains(b.Get(page).String(), `data-confirm="Remove “Write the copy” from the checklist?"`) {
			t.Errorf("removing an item asks no confirmation")
		}
		want(t, "remove", b.SubmitForm(page, itemURL+"/delete", url.Values{}), http.StatusSeeOther)
		want(t, "remove again", b.SubmitForm(page, itemURL+"/delete", url.Values{}), http.StatusNotFound)

		// Labels: tick two, then none; an unknown label is refused.
		want(t, "labels", b.SubmitForm(page, page+"/labels", url.Values{"label": {fmt.Sprint(bug), fmt.Sprint(ux)}}), http.StatusSeeOther)
		if ls := d.getTask(d.sharedTask)["labels"].([]any); len(ls) != 2 {
			t.Errorf("labels after the form: %v", ls)
		}
		if html := b.Get(page).String(); !strings.Contains(html, `value="`+fmt.Sprint(ux)+`" checked`) || !strings.Contains(html, `<span class="chip chip-blue">UX</span>`) {
			t.Errorf("the task page does not show the labels chosen")
		}
		r = want(t, "unknown label", b.SubmitForm(page, page+"/labels", url.Values{"label": {"999999"}}), http.StatusUnprocessableEntity)
		if !strings.Contains(r.String(), `class="error" role="alert"`) {
			t.Errorf("no message for the refused labels")
		}
		want(t, "no labels", b.SubmitForm(page, page+"/labels", url.Values{}), http.StatusSeeOther)
		if ls := d.getTask(d.sharedTask)["labels"].([]any); len(ls) != 0 {
			t.Errorf("labels after unticking all: %v", ls)
		}
		// Status: the custom one, from the task page's choice.
		want(t, "status", b.SubmitForm(page, page+"/status", url.Values{"status": {"review"}, "back": {page}}), http.StatusSeeOther)
		if got := d.getTask(d.sharedTask); got["custom_status"] != "review" || got["status"] != "in_progress" {
			t.Errorf("after choosing Review: %v / %v", got["custom_status"], got["status"])
		}
		if html := b.Get(page).String(); !strings.Contains(html, `<option value="review" selected>Review</option>`) || !strings.Contains(html, "The task&#39;s status is changed.") {
			t.Errorf("the task page does not show its custom status or the message")
		}

		// A client sees the checklist and labels of the shared task, without forms; not the inner task.
		want(t, "label for the client", b.SubmitForm(page, page+"/labels", url.Values{"label": {fmt.Sprint(bug)}}), http.StatusSeeOther)
		client := w.e.BrowserLogin(w.clientX)
		guest := want(t, "client page", client.Get(page), http.StatusOK).String()
		if !strings.Contains(guest, `<span class="chip chip-red">Bug</span>`) || strings.Contains(guest, page+"/checklist\"") || strings.Contains(guest, `name="label"`) {
			t.Errorf("the client's task page shows the wrong details")
		}
		want(t, "client adds an item", client.SubmitForm(page, page+"/checklist", url.Values{"text": {"x"}}), http.StatusForbidden)
		inner := "/" + w.acc.Slug + fmt.Sprintf("/tasks/%d", d.innerTask)
		want(t, "client, inner task item", client.SubmitForm(page, inner+"/checklist", url.Values{"text": {"x"}}), http.StatusForbidden)
		want(t, "member, another account's task", w.e.BrowserLogin(w.e.NewAccount().Owner).Get(inner), http.StatusNotFound)
	})
}

func TestWorkflowPage(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		d := newDetailsWorld(t, w)
		wf := "/" + w.acc.Slug + fmt.Sprintf("/projects/%d/workflow", d.pid)
		want(t, "member", w.e.BrowserLogin(w.member).Get(wf), http.StatusForbidden)
		want(t, "client", w.e.BrowserLogin(w.clientX).Get(wf), http.StatusForbidden)
		if strings.Contains(w.e.BrowserLogin(w.member).Get("/"+w.acc.Slug+fmt.Sprintf("/projects/%d", d.pid)).String(), "/workflow") {
			t.Errorf("a member sees the Workflow tab")
		}
		b := w.e.BrowserLogin(w.manager)
		html := want(t, "workflow", b.Get(wf), http.StatusOK).String()
		if !strings.Contains(html, "No labels yet.") || !strings.Contains(html, `aria-current="page">Workflow</a>`) {
			t.Errorf("the empty Workflow page lacks its empty states or its tab")
		}
		// Add statuses, a refused one keeping what was typed.
		r := want(t, "no name", b.SubmitForm(wf, wf+"/statuses", url.Values{"status_name": {" "}, "status_base": {"in_progress"}, "status_color": {"blue"}}), http.StatusUnprocessableEntity)
		if !strings.Contains(r.String(), `id="e-status_name"`) {
			t.Errorf("no message next to the status name")
		}
		want(t, "bad colour", b.SubmitForm(wf, wf+"/statuses", url.Values{"status_name": {"X"}, "status_base": {"open"}, "status_color": {"chartreuse"}}), http.StatusUnprocessableEntity)
		for _, name := range []string{"Review", "QA"} {
			want(t, "add "+name, b.SubmitForm(wf, wf+"/statuses", url.Values{"status_name": {name}, "status_base": {"in_progress"}, "status_color": {"purple"}}), http.StatusSeeOther)
		}
		var list page
		w.want(w.as(w.manager).Get(w.path("/projects/%d/statuses", d.pid)), http.StatusOK).JSON(t, &list)
		if len(list.Items) != 2 {
			t.Fatalf("%d statuses after the forms", len(list.Items))
		}
		review, qa := num(list.Items[0]["id"]), num(list.Items[1]["id"])
		// Move QA up, rename and recolour Review, refuse an empty name next to its row.
		want(t, "move", b.SubmitForm(wf, fmt.Sprintf("%s/statuses/%d/move", wf, qa), url.Values{"dir": {"up"}}), http.StatusSeeOther)
		pre := fmt.Sprintf("st%d_", review)
		want(t, "rename", b.SubmitForm(wf, fmt.Sprintf("%s/statuses/%d", wf, review), url.Values{pre + "name": {"Peer review"}, pre + "color": {"teal"}}), http.StatusSeeOther)
		r = want(t, "rename to nothing", b.SubmitForm(wf, fmt.Sprintf("%s/statuses/%d", wf, review), url.Values{pre + "name": {""}, pre + "color": {"teal"}}), http.StatusUnprocessableEntity)
		if !strings.Contains(r.String(), `id="e-`+pre+`name"`) {
			t.Errorf("no message next to the renamed status")
		}
		w.want(w.as(w.manager).Get(w.path("/projects/%d/statuses", d.pid)), http.StatusOK).JSON(t, &list)
		if num(list.Items[0]["id"]) != qa || list.Items[1]["name"] != "Peer review" || list.Items[1]["color"] != "teal" {
			t.Errorf("after move and rename: %v", list.Items)
		}
		// Delete Review with a task in it: the confirmation says so; the task goes back to in progress.
		w.want(w.as(w.member).Patch(w.path("/tasks/%d", d.sharedTask), map[string]any{"custom_status": list.Items[1]["key"]}), http.StatusOK)
		if html := b.Get(wf).String(); !strings.Contains(html, "Delete “Peer review”? Its 1 task goes back to In progress.") {
			t.Errorf("the delete confirmation does not say what happens")
		}
		want(t, "delete", b.SubmitForm(wf, fmt.Sprintf("%s/statuses/%d/delete", wf, review), url.Values{}), http.StatusSeeOther)
		if got := d.getTask(d.sharedTask); got["custom_status"] != "" || got["status"] != "in_progress" {
			t.Errorf("after deleting its status: %v / %v", got["custom_status"], got["status"])
		}
		// Labels: add, refuse a duplicate, rename, delete.
		want(t, "add label", b.SubmitForm(wf, wf+"/labels", url.Values{"label_name": {"Bug"}, "label_color": {"red"}}), http.StatusSeeOther)
		r = want(t, "duplicate label", b.SubmitForm(wf, wf+"/labels", url.Values{"label_name": {"bug"}, "label_color": {"red"}}), http.StatusUnprocessableEntity)
		if !strings.Contains(r.String(), `id="e-label_name"`) || !strings.Contains(r.String(), `value="bug"`) {
			t.Errorf("the refused label lost its message or its value")
		}
		var labels page
		w.want(w.as(w.manager).Get(w.path("/projects/%d/labels", d.pid)), http.StatusOK).JSON(t, &labels)
		label := num(labels.Items[0]["id"])
		lp := fmt.Sprintf("lb%d_", label)
		want(t, "rename label", b.SubmitForm(wf, fmt.Sprintf("%s/labels/%d", wf, label), url.Values{lp + "name": {"Defect"}, lp + "color": {"orange"}}), http.StatusSeeOther)
		if html := b.Get(wf).String(); !strings.Contains(html, `<span class="chip chip-orange">Defect</span>`) || !strings.Contains(html, "data-confirm=\"Delete the label “Defect”?") {
			t.Errorf("the renamed label is not shown, or its deletion asks nothing")
		}
		want(t, "delete label", b.SubmitForm(wf, fmt.Sprintf("%s/labels/%d/delete", wf, label), url.Values{}), http.StatusSeeOther)
		want(t, "delete label again", b.SubmitForm(wf, fmt.Sprintf("%s/labels/%d/delete", wf, label), url.Values{}), http.StatusNotFound)
		// Another project's status is not found under this one.
		other := w.project(w.manager, map[string]any{"name": "Other"})
		st := idOf(t, w.want(w.as(w.manager).Post(w.path("/projects/%d/statuses", other), map[string]any{"name": "Theirs", "base": "open"}), http.StatusCreated))
		want(t, "another project's status", b.SubmitForm(wf, fmt.Sprintf("%s/statuses/%d/delete", wf, st), url.Values{}), http.StatusNotFound)
	})
}
