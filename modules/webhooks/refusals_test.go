package webhooks_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// TestLocalTargetsRefused: without the operator's GROUPCAMP_WEBHOOKS_ALLOW_LOCAL, a URL on
// the server's own network is a 422 on url saying why, and nothing is written; a public one
// is taken.
func TestLocalTargetsRefused(t *testing.T) {
	testkit.EachOwn(t, strict(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		base := "/api/v1/" + acc.Slug + "/webhooks"
		rcv := newReceiver(t, http.StatusOK)
		for url, why := range map[string]string{
			rcv.URL:                                    "loopback",
			"http://127.0.0.1:8080/hook":               "loopback",
			"http://[::1]/hook":                        "loopback",
			"http://[::ffff:127.0.0.1]/hook":           "loopback",
			"http://10.1.2.3/hook":                     "private",
			"https://192.168.0.10/hook":                "private",
			"http://172.16.5.4/hook":                   "private",
			"http://[fd00::1]/hook":                    "private",
			"http://169.254.169.254/latest/meta-data/": "link-local",
			"http://[fe80::1]/hook":                    "link-local",
			"http://0.0.0.0/hook":                      "unspecified",
			"http://239.1.2.3/hook":                    "multicast",
			"http://localhost:9000/hook":               "own network",
			"http://db.internal/hook":                  "own network",
			"http://100.64.0.1/hook":                   "carrier-grade",
		} {
			r := owner.Post(base, map[string]any{"url": url, "events": []string{"*"}})
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.FieldErrors()["url"], why) {
				t.Errorf("%s: %d %s, want 422 on url saying %q", url, r.Status, r.Body, why)
			}
		}
		if n := e.Count("webhooks_hooks"); n != 0 {
			t.Fatalf("%d hooks written", n)
		}
		hook := created(t, owner, base, map[string]any{"url": "https://hooks.invalid/in", "events": []string{"*"}})
		// Changing a hook to a local target is refused the same way.
		r := owner.Patch(fmt.Sprintf("%s/%d", base, idOf(hook)), map[string]any{"url": "http://127.0.0.1/x"})
		if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["url"] == "" {
			t.Fatalf("patch to loopback: %d %s", r.Status, r.Body)
		}
	})
}

// TestBadInput: each bad body is a 4xx naming its field (malformed JSON a 400), and nothing
// is written.
func TestBadInput(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		base := "/api/v1/" + acc.Slug + "/webhooks"
		ok := "https://hooks.invalid/in"
		for _, c := range []struct {
			body  any
			field string
		}{
			{map[string]any{"events": []string{"*"}}, "url"},
			{map[string]any{"url": "ftp://example.com/x", "events": []string{"*"}}, "url"},
			{map[string]any{"url": "https:///nohost", "events": []string{"*"}}, "url"},
			{map[string]any{"url": "https://user:pw@example.com/", "events": []string{"*"}}, "url"},
			{map[string]any{"url": "https://example.com/" + strings.Repeat("a", 2000), "events": []string{"*"}}, "url"},
			{map[string]any{"url": ok}, "events"},
			{map[string]any{"url": ok, "events": []string{}}, "events"},
			{map[string]any{"url": ok, "events": []string{"nope.never"}}, "events"},
			{map[string]any{"url": ok, "events": []string{"mail.queued"}}, "events"},
			{map[string]any{"url": ok, "events": make([]string, 101)}, "events"},
			{map[string]any{"url": ok, "events": []string{"*"}, "secret": "short"}, "secret"},
			{map[string]any{"url": ok, "events": []string{"*"}, "secret": strings.Repeat("s", 201)}, "secret"},
			{map[string]any{"url": ok, "events": []string{"*"}, "description": strings.Repeat("d", 201)}, "description"},
			{map[string]any{"url": 42, "events": []string{"*"}}, "url"},
			{map[string]any{"url": ok, "events": "*"}, "events"},
		} {
			r := owner.Post(base, c.body)
			if r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusBadRequest || r.FieldErrors()[c.field] == "" {
				t.Errorf("%v: %d %s, want a 4xx on %s", c.body, r.Status, r.Body, c.field)
			}
		}
		r := owner.Send("POST", base, http.Header{"Content-Type": {"application/json"}}, strings.NewReader(`{"url": `))
		if r.Status != http.StatusBadRequest {
			t.Errorf("malformed JSON: %d %s", r.Status, r.Body)
		}
		var list struct{ Items []any }
		owner.Get(base).JSON(t, &list)
		if len(list.Items) != 0 {
			t.Fatalf("written: %+v", list.Items)
		}
		if r := owner.Get(base + "/1/deliveries?limit=0"); r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusNotFound {
			t.Errorf("limit=0: %d", r.Status)
		}
	})
}

// TestWhoManages: only the owner and the admins reach the webhooks; an admin of another
// account gets 404 on every id; deleting takes the log with it and is in the audit trail.
func TestWhoManages(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		base := "/api/v1/" + acc.Slug + "/webhooks"
		admin := e.NewUser(acc, actor.RoleAdmin)
		rcv := newReceiver(t, http.StatusOK)
		hook := created(t, e.As(admin), base, map[string]any{"url": rcv.URL, "events": []string{"*"}})
		path := fmt.Sprintf("%s/%d", base, idOf(hook))
		for _, role := range []string{actor.RoleManager, actor.RoleMember} {
			c := e.As(e.NewUser(acc, role))
			for _, r := range []*testkit.Response{c.Get(base), c.Get(path), c.Post(path+"/test", nil), c.Delete(path)} {
				if r.Status != http.StatusForbidden {
					t.Errorf("%s: %d, want 403", role, r.Status)
				}
			}
		}
		other := e.NewAccount()
		c := e.As(other.Owner)
		for _, r := range []*testkit.Response{c.Get(path), c.Get(path + "/deliveries"), c.Post(path+"/test", nil), c.Delete(path),
			c.Get(fmt.Sprintf("/api/v1/%s/webhooks/%d", other.Slug, idOf(hook))), c.Delete(fmt.Sprintf("/api/v1/%s/webhooks/%d", other.Slug, idOf(hook)))} {
			if r.Status != http.StatusNotFound {
				t.Errorf("another account: %d, want 404", r.Status)
			}
		}
		e.As(admin).Post(path+"/test", nil)
		if r := e.As(acc.Owner).Delete(path); r.Status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", r.Status, r.Body)
		}
		if r := e.As(acc.Owner).Get(path + "/deliveries"); r.Status != http.StatusNotFound {
			t.Fatalf("the log of a deleted hook: %d", r.Status)
		}
		if audit := e.As(acc.Owner).Get("/api/v1/" + acc.Slug + "/audit").String(); !strings.Contains(audit, "webhook.deleted") {
			t.Fatalf("audit: %s", audit)
		}
	})
}
