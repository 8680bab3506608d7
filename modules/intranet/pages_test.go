package intranet_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// TestPages: the forms without JavaScript — a refused space, post, topic or reply comes back
// with its message next to the field and what was typed (422, nothing written); good ones lead
// to what they made, with a flash; a member sees no space form and gets 403 posting one.
func TestPages(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		member := e.NewUser(acc, actor.RoleMember)
		e.Settle()
		b := e.BrowserLogin(acc.Owner)
		home := "/" + acc.Slug + "/intranet"
		if r := b.Get(home); r.Status != http.StatusOK || !strings.Contains(r.String(), "No space yet") {
			t.Fatalf("empty home: %d", r.Status)
		}
		before := e.Snapshot()
		r := b.SubmitForm(home, home+"/spaces", url.Values{"name": {"  "}, "description": {"Kept text"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), `id="e-name"`) || !strings.Contains(r.String(), "Kept text") {
			t.Fatalf("refused space: %d %s", r.Status, r.Body)
		}
		if after := e.Snapshot(); after != before {
			t.Fatal("a refused space wrote")
		}
		r = b.SubmitForm(home, home+"/spaces", url.Values{"name": {"Company"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("space: %d %s", r.Status, r.Body)
		}
		space := r.Header.Get("Location")
		r = b.SubmitForm(space+"?new=news", space+"/news", url.Values{"title": {"Hello <b>all</b>"}, "body": {""}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), `id="e-body"`) || !strings.Contains(r.String(), html.EscapeString("Hello <b>all</b>")) {
			t.Fatalf("refused news: %d %s", r.Status, r.Body)
		}
		r = b.SubmitForm(space+"?new=topic", space+"/topics", url.Values{"title": {"Lunch"}, "body": {"Where do we go?"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("topic: %d %s", r.Status, r.Body)
		}
		topic := r.Header.Get("Location")
		r = b.SubmitForm(topic, topic+"/replies", url.Values{"body": {strings.Repeat("x", 101<<10)}})
		if r.Status != http.StatusRequestEntityTooLarge || !strings.Contains(r.String(), `id="e-body"`) {
			t.Fatalf("huge reply: %d", r.Status)
		}
		r = b.SubmitForm(topic, topic+"/replies", url.Values{"body": {"The *usual* place <img src=x onerror=alert(1)>"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("reply: %d %s", r.Status, r.Body)
		}
		if r := b.Get(topic); !strings.Contains(r.String(), "<em>usual</em>") || strings.Contains(r.String(), "<img src=x onerror") || strings.Contains(r.String(), `onerror="`) || !strings.Contains(r.String(), "Your reply is sent.") {
			t.Fatalf("topic page: %s", r.Body)
		}
		m := e.BrowserLogin(member)
		if r := m.Get(home); strings.Contains(r.String(), `action="/`+acc.Slug+`/intranet/spaces"`) {
			t.Error("a member sees the new space form")
		}
		if r := m.SubmitForm(home, home+"/spaces", url.Values{"name": {"Mine"}}); r.Status != http.StatusForbidden {
			t.Errorf("a member creates a space: %d", r.Status)
		}
		if r := m.Get(space); strings.Contains(r.String(), "?new=news") || !strings.Contains(r.String(), "?new=topic") {
			t.Error("a member's space page offers news, or no discussion")
		}
	})
}
