package projects_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// pagesWorld is a project with an internal list and a list shared with company X, a task in
// each, a dependency between them and a milestone; client X is in the project.
type pagesWorld struct {
	*world
	pid, shared, internal int64
	sharedTask, innerTask int64
}

func newPagesWorld(t *testing.T, w *world) *pagesWorld {
	t.Helper()
	pw := &pagesWorld{world: w}
	pw.pid = w.project(w.manager, map[string]any{"name": "Website", "code": "WEB", "guests_allowed": true, "starts_on": "2025-03-03", "ends_on": "2025-06-30"})
	w.join(pw.pid, w.clientX, "client")
	pw.shared = w.taskList(pw.pid, "Shared deliverables", w.coX)
	pw.internal = w.taskList(pw.pid, "Internal budget")
	pw.sharedTask = w.task(w.manager, pw.pid, pw.shared, "Design mockups", map[string]any{"starts_on": "2025-03-03", "due_on": "2025-03-10",
		"assignees": []map[string]any{{"user_id": w.member.ID}}})
	pw.innerTask = w.task(w.manager, pw.pid, pw.internal, "Margin review", map[string]any{"starts_on": "2025-03-11", "due_on": "2025-03-14"})
	w.want(w.as(w.manager).Post(w.path("/tasks/%d/dependencies", pw.innerTask), map[string]any{"predecessor_id": pw.sharedTask}), http.StatusCreated)
	w.want(w.as(w.manager).Post(w.path("/projects/%d/milestones", pw.pid), map[string]any{"name": "Launch", "due_on": "2025-04-01"}), http.StatusCreated)
	return pw
}

func (pw *pagesWorld) page(format string, args ...any) string {
	return "/" + pw.acc.Slug + fmt.Sprintf(format, args...)
}

// projectPages are the pages of the project and of its shared task.
func (pw *pagesWorld) projectPages() []string {
	return []string{
		pw.page("/projects/%d", pw.pid), pw.page("/projects/%d/tasks", pw.pid), pw.page("/projects/%d/board", pw.pid),
		pw.page("/projects/%d/gantt", pw.pid), pw.page("/projects/%d/gantt.svg", pw.pid), pw.page("/tasks/%d", pw.sharedTask),
	}
}

func TestPagesByRole(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		check(t, "list as client Y", w.as(w.clientY).Get(pw.page("/projects")), http.StatusOK)
		for _, u := range []*testkit.User{w.owner, w.admin, w.manager, w.member, w.clientX} {
			for _, p := range append(pw.projectPages(), pw.page("/projects")) {
				check(t, u.Email+" GET "+p, w.as(u).Get(p), http.StatusOK)
			}
		}
		// Client Y is not in the project; client X does not see the internal task.
		for _, p := range pw.projectPages() {
			check(t, "client Y GET "+p, w.as(w.clientY).Get(p), http.StatusNotFound)
		}
		check(t, "client X internal task", w.as(w.clientX).Get(pw.page("/tasks/%d", pw.innerTask)), http.StatusNotFound)
		// Another account's people get 404 for these ids, under their own slug.
		other := w.e.NewAccount()
		for _, p := range pw.projectPages() {
			p = strings.Replace(p, "/"+w.acc.Slug+"/", "/"+other.Slug+"/", 1)
			check(t, "stranger GET "+p, w.e.As(other.Owner).Get(p), http.StatusNotFound)
		}
		// Writes need their capability: a member cannot create projects, a client cannot move tasks.
		member := w.e.BrowserLogin(w.member)
		check(t, "member creates a project", member.SubmitForm(pw.page("/projects"), pw.page("/projects"), url.Values{"name": {"Nope"}}), http.StatusForbidden)
		client := w.e.BrowserLogin(w.clientX)
		check(t, "client moves a task", client.SubmitForm(pw.page("/projects"), pw.page("/tasks/%d/status", pw.sharedTask), url.Values{"status": {"done"}}), http.StatusForbidden)
	})
}

func TestPagesClientSeesOnlySharedWork(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		for _, p := range pw.projectPages()[:5] {
			body := w.as(w.clientX).Get(p).String()
			if strings.Contains(body, "Margin review") || strings.Contains(body, "Internal budget") {
				t.Errorf("client X sees internal work on %s", p)
			}
			if !strings.Contains(w.as(w.manager).Get(p).String(), "Margin review") && !strings.HasSuffix(p, "/gantt") && p != pw.page("/projects/%d", pw.pid) {
				t.Errorf("the manager does not see the internal task on %s", p)
			}
		}
	})
}

func TestBoardButtonsMoveATask(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		b := w.e.BrowserLogin(w.member)
		board := pw.page("/projects/%d/board", pw.pid)
		html := want(t, "board", b.Get(board), http.StatusOK).String()
		action := pw.page("/tasks/%d/status", pw.sharedTask)
		if !strings.Contains(html, `formaction="`+action+`"`) {
			t.Fatalf("no status button for the task on the board")
		}
		r := want(t, "move", b.SubmitForm(board, action, url.Values{"status": {"in_progress"}, "back": {board}}), http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != board {
			t.Errorf("back to %q, want the board", loc)
		}
		if st := w.want(w.as(w.manager).Get(w.path("/tasks/%d", pw.sharedTask)), http.StatusOK).Map()["status"]; st != "in_progress" {
			t.Errorf("status after the move: %v", st)
		}
		// What kanban.js sends: the header token, a 204.
		h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "X-Requested-With": {"fetch"}, "X-Csrf-Token": {testkit.CSRFIn(b.Get(board).Body)}}
		want(t, "fetch move", b.Send(http.MethodPost, action, h, strings.NewReader("status=done")), http.StatusNoContent)
		if st := w.want(w.as(w.manager).Get(w.path("/tasks/%d", pw.sharedTask)), http.StatusOK).Map()["status"]; st != "done" {
			t.Errorf("status after the fetch move: %v", st)
		}
		want(t, "bad status", b.Send(http.MethodPost, action, h, strings.NewReader("status=nonsense")), http.StatusUnprocessableEntity)
	})
}

// wellFormed parses an SVG document and returns its text.
func wellFormed(t *testing.T, body []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(body))
	var text strings.Builder
	root := ""
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed: %v", err)
		}
		switch v := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = v.Name.Local
			}
		case xml.CharData:
			text.Write(v)
		}
	}
	if root != "svg" {
		t.Fatalf("root element %q", root)
	}
	return text.String()
}

func TestGanttSVG(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		svg := pw.page("/projects/%d/gantt.svg", pw.pid)
		r := want(t, "svg", w.as(w.manager).Get(svg+"?scale=week"), http.StatusOK)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "image/svg+xml") {
			t.Errorf("Content-Type %q", ct)
		}
		text := wellFormed(t, r.Body)
		for _, s := range []string{"Design mockups", "Margin review", "Internal budget", "Shared deliverables", "Launch"} {
			if !strings.Contains(text, s) {
				t.Errorf("the manager's Gantt lacks %q", s)
			}
		}
		text = wellFormed(t, want(t, "client svg", w.as(w.clientX).Get(svg), http.StatusOK).Body)
		if !strings.Contains(text, "Design mockups") || strings.Contains(text, "Internal budget") || strings.Contains(text, "Margin review") {
			t.Errorf("the client's Gantt shows the wrong rows: %.500s", text)
		}
		r = want(t, "download", w.as(w.manager).Get(svg+"?download=1"), http.StatusOK)
		if cd := r.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, "WEB-gantt.svg") {
			t.Errorf("Content-Disposition %q", cd)
		}
	})
}

func TestPagesBadInput(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		b := w.e.BrowserLogin(w.manager)
		list := pw.page("/projects")
		r := want(t, "project without name", b.SubmitForm(list, list, url.Values{"name": {" "}, "code": {"X"}, "starts_on": {"2025-05-01"}, "ends_on": {"2025-04-01"}}), http.StatusUnprocessableEntity)
		for _, f := range []string{"name", "ends_on"} {
			if !strings.Contains(r.String(), `id="e-`+f+`"`) {
				t.Errorf("no message next to %s", f)
			}
		}
		if !strings.Contains(r.String(), `value="X"`) {
			t.Errorf("the code typed is lost")
		}
		// The message names the other field by its label, not its JSON key (the API's says starts_on).
		if !strings.Contains(r.String(), "must not be before the start date") {
			t.Errorf("the end date's message does not name the start date by its label")
		}
		tasks := pw.page("/projects/%d/tasks", pw.pid)
		r = want(t, "task without title", b.SubmitForm(tasks, tasks, url.Values{"title": {""}, "list_id": {fmt.Sprint(pw.shared)}, "due_on": {"31/12/2025"}}), http.StatusUnprocessableEntity)
		for _, f := range []string{"title", "due_on"} {
			if !strings.Contains(r.String(), `id="e-`+f+`"`) {
				t.Errorf("no message next to %s", f)
			}
		}
		want(t, "list of another kind", b.SubmitForm(tasks, tasks, url.Values{"title": {"x"}, "list_id": {"abc"}}), http.StatusUnprocessableEntity)
		task := pw.page("/tasks/%d", pw.sharedTask)
		r = want(t, "empty comment", b.SubmitForm(task, task+"/comments", url.Values{"body": {""}}), http.StatusUnprocessableEntity)
		if !strings.Contains(r.String(), `id="e-body"`) {
			t.Errorf("no message next to the comment")
		}
		want(t, "comment", b.SubmitForm(task, task+"/comments", url.Values{"body": {"Looks good"}}), http.StatusSeeOther)
		if !strings.Contains(b.Get(task).String(), "Looks good") {
			t.Errorf("the comment is not on the task page")
		}
		want(t, "bad filter", b.Get(tasks+"?due_before=tomorrow"), http.StatusUnprocessableEntity)
		want(t, "created", b.SubmitForm(list, list, url.Values{"name": {"Brand new"}}), http.StatusSeeOther)
	})
}
