package shell_test

import (
	"net/http"
	"net/url"
	"testing"

	"groupcamp/core/testkit"
)

// evilNext are sign-in targets that browsers resolve to another site.
var evilNext = []string{"/\t/evil.test", "//evil.test", "/\\evil.test", "/%2F/evil.test", "/%09/evil.test", "https://evil.test", "/\n/evil.test"}

// The sign-in page's "next" (query and form) is a target from the request: anything but a
// path of this site sends the browser home instead.
func TestSignInNextStaysOnTheSite(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		u := e.NewUser(acc, "member")
		for _, next := range evilNext {
			// POST /login with next.
			b := e.Browser()
			r := b.SubmitForm("/login", "/login", url.Values{"email": {u.Email}, "password": {u.Password}, "next": {next}})
			if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/" {
				t.Errorf("POST /login next=%q: %d Location %q, want 303 /", next, r.Status, r.Header.Get("Location"))
			}
			// GET /login?next= once signed in.
			r = b.Get("/login?next=" + url.QueryEscape(next))
			if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/" {
				t.Errorf("GET /login?next=%q: %d Location %q, want 303 /", next, r.Status, r.Header.Get("Location"))
			}
		}
		// The raw form of the report: /login?next=/%09/evil.test.
		b := e.BrowserLogin(u)
		if r := b.Get("/login?next=/%09/evil.test"); r.Header.Get("Location") != "/" {
			t.Errorf("GET /login?next=/%%09/evil.test: Location %q", r.Header.Get("Location"))
		}
		// A path of the site is kept.
		local := "/" + acc.Slug + "?tab=1"
		if r := b.Get("/login?next=" + url.QueryEscape(local)); r.Header.Get("Location") != local {
			t.Errorf("local next: Location %q, want %q", r.Header.Get("Location"), local)
		}
		r := e.Browser().SubmitForm("/login", "/login", url.Values{"email": {u.Email}, "password": {u.Password}, "next": {local}})
		if r.Header.Get("Location") != local {
			t.Errorf("POST local next: Location %q, want %q", r.Header.Get("Location"), local)
		}
	})
}
