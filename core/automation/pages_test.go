package automation_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

func TestRulePages(t *testing.T) {
	e := testkit.Start(t, "sqlite", testkit.Options{})
	acc := e.NewAccount()
	b := e.BrowserLogin(acc.Owner)
	page := b.Get("/" + acc.Slug + "/automation")
	if page.Status != http.StatusOK || !strings.Contains(page.String(), "No rules yet") {
		t.Fatalf("rules page: %d", page.Status)
	}
	csrf := testkit.CSRFIn(page.Body)
	// A form with errors comes back with the values kept and messages by the fields.
	r := b.Form("/"+acc.Slug+"/automation", url.Values{"_csrf": {csrf}, "name": {"Tell the owner"}, "event_type": {"user.invited"},
		"action_type": {"notify"}, "message": {""}, "cond_field_0": {"payload.role"}, "cond_op_0": {"bogus"}})
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad form: %d", r.Status)
	}
	for _, want := range []string{`value="Tell the owner"`, "name at least one user or role", "must be 1 to 500 characters", "must be one of"} {
		if !strings.Contains(r.String(), want) {
			t.Errorf("re-rendered form lacks %q", want)
		}
	}
	r = b.Form("/"+acc.Slug+"/automation", url.Values{"_csrf": {csrf}, "name": {"Tell the owner"}, "event_type": {"user.invited"},
		"action_type": {"notify"}, "role_owner": {"on"}, "message": {"Someone was invited"}, "cond_field_0": {"payload.role"}, "cond_op_0": {"ne"}, "cond_value_0": {"client"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	list := b.Get("/" + acc.Slug + "/automation")
	if !strings.Contains(list.String(), "Tell the owner") || !strings.Contains(list.String(), "The rule is created") {
		t.Error("the new rule is not listed with a confirmation")
	}
	// Invite someone, then test the rule on that event.
	e.NewUser(acc, "member")
	var id string
	if i := strings.Index(list.String(), "/"+acc.Slug+"/automation/"); i >= 0 {
		rest := list.String()[i+len("/"+acc.Slug+"/automation/"):]
		id = rest[:strings.IndexByte(rest, '"')]
	}
	show := b.Get("/" + acc.Slug + "/automation/" + id)
	tr := b.Form("/"+acc.Slug+"/automation/"+id+"/test", url.Values{"_csrf": {testkit.CSRFIn(show.Body)}})
	if tr.Status != http.StatusOK || !strings.Contains(tr.String(), "notify every owner") {
		t.Errorf("test page: %d", tr.Status)
	}
	// Members may not see the page.
	m := e.BrowserLogin(e.NewUser(acc, "member"))
	if r := m.Get("/" + acc.Slug + "/automation"); r.Status != http.StatusForbidden {
		t.Errorf("member: %d", r.Status)
	}
}
