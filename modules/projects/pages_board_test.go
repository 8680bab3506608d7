package projects_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestBoardEscapesCards checks the cards the board writes in Go (not through html/template):
// a title and a name with markup in them are shown as text, and a reader without the right
// to move tasks gets neither buttons nor draggable cards.
func TestBoardEscapesCards(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		w.task(w.manager, pw.pid, pw.shared, `<script>alert("x")</script> & co`, map[string]any{"due_on": "2025-01-10",
			"assignees": []map[string]any{{"user_id": w.member.ID}}})
		board := pw.page("/projects/%d/board", pw.pid)
		html := want(t, "board", w.e.BrowserLogin(w.member).Get(board), http.StatusOK).String()
		if strings.Contains(html, "<script>alert") || !strings.Contains(html, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co</a>`) {
			t.Errorf("the title is not escaped on the board")
		}
		if !strings.Contains(html, `<span class="due late">`) || !strings.Contains(html, `draggable="true"`) || !strings.Contains(html, `aria-label="Move to the next column">→</button>`) {
			t.Errorf("the card lost its late due date, its dragging or its buttons")
		}
		guest := want(t, "board as client", w.e.BrowserLogin(w.clientX).Get(board), http.StatusOK).String()
		if strings.Contains(guest, `draggable="true"`) || strings.Contains(guest, `data-dir=`) || !strings.Contains(guest, "Design mockups") {
			t.Errorf("a client sees move controls, or not the shared task")
		}
	})
}

// TestAddListFromThePage checks the list page's form for a new list: a name adds an internal
// list (and the task form appears); no name is refused with the form again.
func TestAddListFromThePage(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, map[string]any{"name": "Empty"})
		tasks := "/" + w.acc.Slug + "/projects/" + itoa(pid) + "/tasks"
		b := w.e.BrowserLogin(w.manager)
		if html := want(t, "tasks", b.Get(tasks), http.StatusOK).String(); strings.Contains(html, `id="new-task"`) || !strings.Contains(html, `id="new-list"`) {
			t.Fatalf("a project without lists shows the task form, or not the list form")
		}
		want(t, "no name", b.SubmitForm(tasks, "/"+w.acc.Slug+"/projects/"+itoa(pid)+"/lists", url.Values{"name": {" "}}), http.StatusUnprocessableEntity)
		r := want(t, "add", b.SubmitForm(tasks, "/"+w.acc.Slug+"/projects/"+itoa(pid)+"/lists", url.Values{"name": {"Launch"}}), http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != tasks {
			t.Errorf("after adding a list: %q", loc)
		}
		if html := want(t, "tasks", b.Get(tasks), http.StatusOK).String(); !strings.Contains(html, `id="new-task"`) || !strings.Contains(html, ">Launch</option>") {
			t.Errorf("the new list is not offered to the task form")
		}
	})
}
