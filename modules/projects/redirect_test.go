package projects_test

import (
	"net/http"
	"net/url"
	"testing"
)

// The task status form's "back" is a target from the request: anything but a path of this
// site (after the browser's own normalization) sends the browser to the task instead.
func TestStatusFormBackStaysOnTheSite(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		b := w.e.BrowserLogin(w.member)
		board := pw.page("/projects/%d/board", pw.pid)
		action := pw.page("/tasks/%d/status", pw.sharedTask)
		task := pw.page("/tasks/%d", pw.sharedTask)
		for i, evil := range []string{"/\t/evil.test", "//evil.test", "/\\evil.test", "/%2F/evil.test", "/%09/evil.test", "https://evil.test/", "/\r\n/evil.test"} {
			status := []string{"in_progress", "todo"}[i%2]
			r := want(t, "move", b.SubmitForm(board, action, url.Values{"status": {status}, "back": {evil}}), http.StatusSeeOther)
			if loc := r.Header.Get("Location"); loc != task {
				t.Errorf("back %q: Location %q, want %q", evil, loc, task)
			}
		}
		// A refused change goes back the same way.
		r := want(t, "refused", b.SubmitForm(board, action, url.Values{"status": {"no-such-status"}, "back": {"/\t/evil.test"}}), http.StatusSeeOther)
		if loc := r.Header.Get("Location"); loc != task {
			t.Errorf("refused change: Location %q, want %q", loc, task)
		}
	})
}
