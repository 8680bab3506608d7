package shell_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"groupcamp/core/config"
	"groupcamp/core/testkit"
)

// What a signed-in person sees is never kept by a cache (shared proxy, browser history):
// authenticated pages and API answers carry Cache-Control: no-store; public pages and the
// static assets do not.
func TestAuthenticatedAnswersAreNotStored(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		u := e.NewUser(acc, "member")
		b := e.BrowserLogin(u)
		api := e.As(u)
		noStore := func(what string, r *testkit.Response, status int) {
			t.Helper()
			if r.Status != status {
				t.Errorf("%s: status %d, want %d", what, r.Status, status)
			}
			if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
				t.Errorf("%s: Cache-Control %q, want no-store", what, cc)
			}
		}
		noStore("page /profile", b.Get("/profile"), http.StatusOK)
		noStore("account home", b.Get("/"+acc.Slug), http.StatusOK)
		noStore("API me", api.Get("/api/v1/me"), http.StatusOK)
		noStore("API users", api.Get("/api/v1/"+acc.Slug+"/users"), http.StatusOK)
		noStore("API token list", api.Get("/api/v1/tokens"), http.StatusOK)
		noStore("API forbidden", api.Get("/api/v1/"+acc.Slug+"/audit"), http.StatusForbidden)
		noStore("API without credential", e.Anonymous().Get("/api/v1/me"), http.StatusUnauthorized)
		// The login answer carries a token, public route or not.
		noStore("API login", e.Anonymous().Post("/api/v1/login", map[string]string{"email": u.Email, "password": u.Password}), http.StatusOK)

		login := e.Anonymous().Get("/login")
		if cc := login.Header.Get("Cache-Control"); strings.Contains(cc, "no-store") {
			t.Errorf("public sign-in page: Cache-Control %q", cc)
		}
		css := regexp.MustCompile(`href="(/static/[0-9a-f]+/app\.css)"`).FindSubmatch(login.Body)
		if css == nil {
			t.Fatal("no stylesheet link")
		}
		if cc := b.Get(string(css[1])).Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || strings.Contains(cc, "no-store") {
			t.Errorf("static asset (signed in): Cache-Control %q", cc)
		}
	})
}

// The anonymous forms' CSRF cookie is Secure when the public URL is https, like the session's.
func TestPreSignInCookieSecureUnderHTTPS(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		base   string
		secure bool
	}{{"https://gc.example.test", true}, {"", false}} {
		e := testkit.Start(t, "sqlite", testkit.Options{Config: func(cfg *config.Config) {
			if c.base != "" {
				cfg.BaseURL = c.base
			}
		}})
		var pre *http.Cookie
		for _, ck := range (&http.Response{Header: e.Anonymous().Get("/login").Header}).Cookies() {
			if ck.Name == "groupcamp_pre" {
				pre = ck
			}
		}
		if pre == nil {
			t.Fatalf("%s: no pre-sign-in cookie", e.URL)
		}
		if pre.Secure != c.secure || !pre.HttpOnly || pre.SameSite != http.SameSiteLaxMode {
			t.Errorf("base %q: pre-sign-in cookie Secure=%v HttpOnly=%v SameSite=%v, want Secure=%v", c.base, pre.Secure, pre.HttpOnly, pre.SameSite, c.secure)
		}
	}
}
