package projects_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// dates reads a task's days through the API.
func (w *world) dates(id int64) (string, string) {
	w.t.Helper()
	m := w.want(w.as(w.manager).Get(w.path("/tasks/%d", id)), http.StatusOK).Map()
	s, _ := m["starts_on"].(string)
	d, _ := m["due_on"].(string)
	return s, d
}

// The Gantt without a script: each bar links to its task's date form, which saves through
// the Service (the successor follows) and goes back to the Gantt with a message.
func TestGanttDateForm(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pw := newPagesWorld(t, w)
		b := w.e.BrowserLogin(w.manager)
		gantt := pw.page("/projects/%d/gantt?scale=week", pw.pid)
		page := want(t, "gantt", b.Get(gantt), http.StatusOK).String()
		form := pw.page("/tasks/%d/dates", pw.sharedTask)
		link := form + "?back=" + url.QueryEscape(gantt)
		if !strings.Contains(page, `<svg xmlns="http://www.w3.org/2000/svg" class="gantt"`) || !strings.Contains(page, `data-ppd="6"`) ||
			!strings.Contains(page, `href="`+strings.ReplaceAll(link, "&", "&amp;")+`"`) || !strings.Contains(page, fmt.Sprintf(`data-id="%d"`, pw.sharedTask)) {
			t.Fatalf("the Gantt page has no inline chart with bar links to the date form")
		}
		if strings.Contains(page, "<style>") {
			t.Errorf("the inline chart carries a <style> the CSP blocks")
		}
		r := want(t, "date form", b.Get(link), http.StatusOK).String()
		if !strings.Contains(r, `value="2025-03-03"`) || !strings.Contains(r, `value="2025-03-10"`) || !strings.Contains(r, `name="back" value="`+strings.ReplaceAll(gantt, "&", "&amp;")) {
			t.Fatalf("the date form does not hold the task's days and the way back")
		}
		// Move the due day two days later: Margin review (after it, 11–14 March) follows.
		res := want(t, "save", b.SubmitForm(link, form, url.Values{"starts_on": {"2025-03-05"}, "due_on": {"2025-03-12"}, "back": {gantt}}), http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != gantt {
			t.Errorf("back to %q, want the Gantt", loc)
		}
		if s, d := w.dates(pw.sharedTask); s != "2025-03-05" || d != "2025-03-12" {
			t.Errorf("the task's days: %s %s", s, d)
		}
		if s, d := w.dates(pw.innerTask); s != "2025-03-13" || d != "2025-03-18" {
			t.Errorf("the successor's days: %s %s, want 13–18 March", s, d)
		}
		if !strings.Contains(b.Get(gantt).String(), "the tasks that wait for it moved too") {
			t.Errorf("no message after the move")
		}
		// Bad dates: a message next to the field, nothing saved.
		before := w.snapshot()
		for field, v := range map[string]url.Values{
			"due_on":    {"starts_on": {"2025-03-05"}, "due_on": {"2025-03-01"}},
			"starts_on": {"starts_on": {"31/12/2025"}, "due_on": {"2025-03-12"}},
		} {
			r := want(t, "bad "+field, b.SubmitForm(link, form, v), http.StatusUnprocessableEntity).String()
			if !strings.Contains(r, `id="e-`+field+`"`) {
				t.Errorf("no message next to %s", field)
			}
		}
		if after := w.snapshot(); after != before {
			t.Errorf("refused forms wrote: %s → %s", before, after)
		}
		if s, d := w.dates(pw.sharedTask); s != "2025-03-05" || d != "2025-03-12" {
			t.Errorf("a refused form changed the days: %s %s", s, d)
		}
		// Somewhere else than this account is no way back.
		res = want(t, "evil back", b.SubmitForm(link, form, url.Values{"starts_on": {"2025-03-05"}, "due_on": {"2025-03-12"}, "back": {"//evil.example/"}}), http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != pw.page("/projects/%d/gantt", pw.pid) {
			t.Errorf("back to %q", loc)
		}
		// A member may move tasks; a client may not, and sees no bar links.
		mb := w.e.BrowserLogin(w.member)
		want(t, "member saves", mb.SubmitForm(link, form, url.Values{"starts_on": {"2025-03-06"}, "due_on": {"2025-03-12"}}), http.StatusSeeOther)
		client := w.e.BrowserLogin(w.clientX)
		check(t, "client's date form", client.Get(link), http.StatusForbidden)
		check(t, "client saves", client.SubmitForm(pw.page("/projects/%d/gantt", pw.pid), form, url.Values{"starts_on": {"2025-03-01"}}), http.StatusForbidden)
		cp := want(t, "client's gantt", client.Get(pw.page("/projects/%d/gantt", pw.pid)), http.StatusOK).String()
		if strings.Contains(cp, "barlink") || strings.Contains(cp, "data-write") || strings.Contains(cp, "Margin review") {
			t.Errorf("the client's Gantt offers moves or shows internal work")
		}
		if s, _ := w.dates(pw.sharedTask); s != "2025-03-06" {
			t.Errorf("the client changed the days, or the member did not: %s", s)
		}
		// A task of another account, or one the viewer cannot see: 404.
		other := w.e.NewAccount()
		check(t, "stranger", w.e.BrowserLogin(other.Owner).Get(strings.Replace(link, "/"+w.acc.Slug+"/", "/"+other.Slug+"/", 1)), http.StatusNotFound)
		check(t, "no such task", b.Get(pw.page("/tasks/999999/dates")), http.StatusNotFound)
	})
}
