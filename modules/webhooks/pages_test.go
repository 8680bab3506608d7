package webhooks_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// TestPages: the admin's forms without JavaScript — a refused URL comes back with its message
// next to the field and what was typed (422, nothing written); a good one shows the hook's page
// with the generated secret once; editing, sending a test, and the log on the page; a member
// gets 403.
func TestPages(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		admin := e.NewUser(acc, actor.RoleAdmin)
		e.Settle() // the admin's invitation goes by before the hook exists
		b := e.BrowserLogin(admin)
		list := "/" + acc.Slug + "/admin/webhooks"
		if r := b.Get(list); r.Status != http.StatusOK || !strings.Contains(r.String(), "No webhook yet") {
			t.Fatalf("empty list: %d", r.Status)
		}
		before := e.Snapshot()
		r := b.SubmitForm(list, list, url.Values{"url": {"ftp://hooks.example/in"}, "events": {"user.invited"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(r.String()), "must be an http:// or https:// URL") || !strings.Contains(r.String(), `value="ftp://hooks.example/in"`) {
			t.Fatalf("refused: %d %s", r.Status, r.Body)
		}
		r = b.SubmitForm(list, list, url.Values{"url": {"https://hooks.invalid/in"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), `id="e-events"`) {
			t.Fatalf("no events: %d %s", r.Status, r.Body)
		}
		if after := e.Snapshot(); after != before {
			t.Fatalf("a refused form wrote:\n%s\n%s", before, after)
		}
		rcv := newReceiver(t, http.StatusAccepted)
		r = b.SubmitForm(list, list, url.Values{"url": {rcv.URL}, "events": {"user.invited", "task.created"}, "description": {"CRM"}})
		if r.Status != http.StatusCreated || !strings.Contains(r.String(), `id="secret-value">whsec_`) {
			t.Fatalf("created: %d %s", r.Status, r.Body)
		}
		var list2 struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
		}
		e.As(admin).Get("/api/v1/"+acc.Slug+"/webhooks").JSON(t, &list2)
		page := fmt.Sprintf("%s/%d", list, list2.Items[0].ID)
		if r := b.Get(page); r.Status != http.StatusOK || strings.Contains(r.String(), "whsec_") {
			t.Fatalf("the page shows the secret again: %d", r.Status)
		}
		if r := b.SubmitForm(page, page, url.Values{"url": {rcv.URL + "/v2"}, "events": {"*"}, "description": {"CRM v2"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("edit: %d %s", r.Status, r.Body)
		}
		if r := b.SubmitForm(page, page+"/test", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("test: %d %s", r.Status, r.Body)
		}
		got := b.Get(page).String()
		for _, want := range []string{"The test was delivered.", "webhook.ping", "202", rcv.URL + "/v2", "CRM v2", `badge ok`} {
			if !strings.Contains(got, want) {
				t.Errorf("the page lacks %q", want)
			}
		}
		if len(rcv.requests()) != 1 {
			t.Fatalf("the receiver got %d", len(rcv.requests()))
		}
		if r := e.BrowserLogin(e.NewUser(acc, actor.RoleMember)).Get(page); r.Status != http.StatusForbidden {
			t.Fatalf("a member: %d", r.Status)
		}
		if r := b.SubmitForm(page, page+"/delete", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("delete: %d", r.Status)
		}
		e.As(admin).Get("/api/v1/"+acc.Slug+"/webhooks").JSON(t, &list2)
		if len(list2.Items) != 0 {
			t.Fatalf("after the delete: %+v", list2.Items)
		}
	})
}
