package projects_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// Descriptions and comments are Markdown, shown as HTML on the task page; nothing a person
// writes there may run in a colleague's or a client's browser.
func TestTaskPageRendersSanitizedMarkdown(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, map[string]any{"name": "Docs"})
		list := w.taskList(pid, "Writing")
		id := w.task(w.manager, pid, list, "Style guide", map[string]any{
			"description": "**Bold** plan\n\n- [site](https://example.com)\n- <script>alert(1)</script>\n- [bad](javascript:alert(1))"})
		w.want(w.as(w.member).Post(w.path("/tasks/%d/comments", id), map[string]any{"body": "_agreed_ <img src=x onerror=alert(1)>"}), http.StatusCreated)

		html := string(w.want(w.as(w.manager).Get(fmt.Sprintf("/%s/tasks/%d", w.acc.Slug, id)), http.StatusOK).Body)
		for _, want := range []string{"<strong>Bold</strong>", `href="https://example.com"`, "<em>agreed</em>"} {
			if !strings.Contains(html, want) {
				t.Errorf("task page lacks %s", want)
			}
		}
		for _, bad := range []string{"<script>alert", "javascript:alert", "onerror=alert", "onerror=\"alert"} {
			if strings.Contains(html, bad) {
				t.Errorf("task page holds %s", bad)
			}
		}
		// The API keeps the text as written: rendering is the page's business.
		got := w.want(w.as(w.manager).Get(w.path("/tasks/%d", id)), http.StatusOK).Map()
		if d, _ := got["description"].(string); !strings.Contains(d, "<script>") {
			t.Errorf("the API should return the description as written, got %q", d)
		}
	})
}
