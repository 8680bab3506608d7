package projects_test

import (
	"net/http"
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
