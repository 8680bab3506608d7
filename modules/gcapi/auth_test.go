package gcapi_test

import (
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/modules/gcapi"
)

// TestKeyPairs: the owner creates, lists and revokes key pairs through our API; the secret is
// answered once; a member may not; another account's key is 404; bad input is a 422 on its
// field and writes nothing.
func TestKeyPairs(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		w := newWorld(t, e)
		base := "/api/v1/" + w.acc.Slug + "/gcapi-keys"
		list := w.api(t, "GET", "/gcapi-keys", nil, http.StatusOK)
		items, _ := list["items"].([]any)
		if len(items) != 2 {
			t.Fatalf("want the world's 2 keys: %v", list)
		}
		for _, it := range items {
			m := it.(map[string]any)
			if _, has := m["secret"]; has {
				t.Fatalf("a listed key shows its secret: %v", m)
			}
			if m["application"] != "provisioning" && m["application"] != "reporting" {
				t.Fatalf("application: %v", m)
			}
		}
		owner := e.As(w.acc.Owner)
		if res := owner.Post(base, map[string]any{"application": "reports-2"}); res.Status != http.StatusUnprocessableEntity || res.FieldErrors()["application"] == "" {
			t.Fatalf("bad application: %d %s", res.Status, res.Body)
		}
		if res := owner.Post(base, map[string]any{"application": "reporting-1", "label": strings.Repeat("x", 101)}); res.Status != http.StatusUnprocessableEntity || res.FieldErrors()["label"] == "" {
			t.Fatalf("long label: %d %s", res.Status, res.Body)
		}
		if res := e.As(w.member).Get(base); res.Status != http.StatusForbidden {
			t.Fatalf("a member lists keys: %d", res.Status)
		}
		other := newWorld(t, e)
		if res := e.As(other.acc.Owner).Delete("/api/v1/" + other.acc.Slug + "/gcapi-keys/" + w.rep.key); res.Status != http.StatusNotFound {
			t.Fatalf("another account revokes the key: %d %s", res.Status, res.Body)
		}
		w.rep.call("GET", "/task/v1/tasks", "").want(t, http.StatusOK)
		if res := owner.Delete(base + "/" + w.rep.key); res.Status != http.StatusNoContent {
			t.Fatalf("revoke: %d %s", res.Status, res.Body)
		}
		// Revoked: refused at once.
		a := w.rep.call("GET", "/task/v1/tasks", "").want(t, http.StatusUnauthorized)
		if a.Body["error"] != "unauthorized" {
			t.Fatalf("revoked key: %s", a.Raw)
		}
	})
}

// TestRefusals: every way a request fails authentication answers 401 {"error":
// "unauthorized"}, and a correctly signed one passes (with a trailing slash too).
func TestRefusals(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		w := newWorld(t, e)
		s := w.prov
		s.call("GET", "/core/v1/users", "").want(t, http.StatusOK)
		// The path as sent: a trailing slash is signed with it.
		s.call("GET", "/core/v1/users/", "").want(t, http.StatusOK)
		// "provisionning-1", GroupCamp's own example's spelling, is the same application.
		typo := *s
		typo.app = "provisionning-1"
		typo.call("GET", "/core/v1/users", "").want(t, http.StatusOK)

		refused := func(name string, a answer) {
			t.Helper()
			if a.Status != http.StatusUnauthorized || a.Body["error"] != "unauthorized" {
				t.Errorf("%s: %d %s", name, a.Status, a.Raw)
			}
		}
		refused("bad signature", s.callSigned("GET", "/core/v1/users", "", "AAAA"+gcapi.Sign([]byte(s.secret), "GET", "/core/v1/users", nil)[4:]))
		refused("signed by another secret", s.callSigned("GET", "/core/v1/users", "", gcapi.Sign([]byte("not the secret"), "GET", "/core/v1/users", nil)))
		refused("query string signed", s.callSigned("GET", "/core/v1/users?state=ok", "", gcapi.Sign([]byte(s.secret), "GET", "/core/v1/users?state=ok", nil)))
		refused("other method signed", s.callSigned("GET", "/core/v1/users", "", gcapi.Sign([]byte(s.secret), "POST", "/core/v1/users", nil)))
		refused("body changed", s.callSigned("POST", "/core/v1/orga/invited", `{"name":"B"}`, gcapi.Sign([]byte(s.secret), "POST", "/core/v1/orga/invited", []byte(`{"name":"A"}`))))
		// A key of the other application.
		refused("reporting key on provisioning", w.rep.call("GET", "/core/v1/users", ""))
		wrongApp := *w.rep
		wrongApp.app = "provisioning-1"
		refused("reporting key declared as provisioning", wrongApp.call("GET", "/core/v1/users", ""))
		refused("provisioning key on reporting", s.call("GET", "/task/v1/tasks", ""))
		unknown := *s
		unknown.key = "GCNOSUCHKEY"
		refused("unknown key", unknown.call("GET", "/core/v1/users", ""))
		nobody := *s
		nobody.acting = "nobody@example.invalid"
		refused("acting person unknown", nobody.call("GET", "/core/v1/users", ""))
		none := *s
		none.acting = ""
		refused("no acting person", none.call("GET", "/core/v1/users", ""))
		// Someone of another account cannot act here.
		other := newWorld(t, e)
		stranger := *s
		stranger.acting = other.acc.Owner.Email
		refused("acting person of another account", stranger.call("GET", "/core/v1/users", ""))
		// The acting person may be named by id.
		byID := *s
		byID.acting = idOf(map[string]any{"id": float64(w.member.ID)})
		byID.call("GET", "/core/v1/users", "").want(t, http.StatusOK)
		// No Authorization at all.
		req, _ := http.NewRequest("GET", e.URL+"/core/v1/users", nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("no credentials: %d", res.StatusCode)
		}
	})
}

// TestThrottle: a key beyond its burst gets 429 too_many_requests.
func TestThrottle(t *testing.T) {
	t.Parallel()
	mods := options()
	for _, m := range mods.Modules {
		if g, ok := m.(*gcapi.Module); ok {
			g.PerSecond, g.Burst = 0.001, 3
		}
	}
	e := testkit.Start(t, "sqlite", mods)
	w := newWorld(t, e)
	var last answer
	for i := 0; i < 5; i++ {
		last = w.rep.call("GET", "/task/v1/tasks", "")
	}
	if last.Status != http.StatusTooManyRequests || last.Body["error"] != "too_many_requests" {
		t.Fatalf("after the burst: %d %s", last.Status, last.Raw)
	}
	// Another key of the account has its own budget.
	w.newScript(t, "reporting-1").call("GET", "/task/v1/tasks", "").want(t, http.StatusOK)
}

// TestReservedSlugs: GroupCamp's top-level words are no account's slug.
func TestReservedSlugs(t *testing.T) {
	e := testkit.Shared(t, "sqlite", options())
	for _, slug := range gcapi.Reserved {
		r := e.Anonymous().Post("/api/v1/signup", map[string]any{"account_name": "Company " + slug, "slug": slug, "country": "FR",
			"owner_name": "Owner", "email": slug + "-owner@example.test", "password": "correct horse battery staple"})
		if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["slug"] == "" {
			t.Errorf("signup as %q: %d %s", slug, r.Status, r.Body)
		}
	}
}
