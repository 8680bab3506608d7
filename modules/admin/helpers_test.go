package admin_test

// Helpers shared by the tests of this package: a real App with the admin module on every
// database, browser-like sessions that post forms with the _csrf field, and small assertions
// on HTML answers.

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/app"
	"groupcamp/core/config"
	"groupcamp/core/testkit"
	"groupcamp/modules/admin"
)

// testkitOptions boots the App with the admin module.
func testkitOptions() testkit.Options {
	return testkit.Options{Modules: []app.Module{admin.New()}}
}

// eachDB runs fn on every test database, beside the other tests, on the package's shared App
// with the admin module: fn makes its own accounts.
func eachDB(t *testing.T, fn func(t *testing.T, e *testkit.Env)) {
	testkit.EachShared(t, testkitOptions(), fn)
}

// startWith boots an App with the admin module on SQLite, with the configuration adjusted.
func startWith(t *testing.T, cfg func(*config.Config)) *testkit.Env {
	opts := testkitOptions()
	opts.Config = cfg
	return testkit.Start(t, "sqlite", opts)
}

// session is a signed-in browser: a cookie jar holding the session cookie, and the CSRF
// token every form posts as _csrf.
type session struct {
	t    testing.TB
	c    *testkit.Client
	csrf string
	lang string // Accept-Language, when set
}

// signIn signs u in through POST /api/v1/login, which sets the session cookie, and keeps the
// CSRF token of its answer.
func signIn(t testing.TB, e *testkit.Env, u *testkit.User) *session {
	t.Helper()
	c := e.Browser()
	r := c.Post("/api/v1/login", map[string]string{"email": u.Email, "password": u.Password})
	if r.Status != http.StatusOK {
		t.Fatalf("login %s: %d %s", u.Email, r.Status, r.Body)
	}
	var out struct {
		CSRF string `json:"csrf_token"`
	}
	r.JSON(t, &out)
	if out.CSRF == "" {
		t.Fatalf("login: no csrf_token in %s", r.Body)
	}
	return &session{t: t, c: c, csrf: out.CSRF}
}

func (s *session) headers() http.Header {
	h := http.Header{}
	if s.lang != "" {
		h.Set("Accept-Language", s.lang)
	}
	return h
}

// get fetches a page.
func (s *session) get(path string) *testkit.Response {
	s.t.Helper()
	return s.c.Send(http.MethodGet, path, s.headers(), nil)
}

// post submits a form the way a browser does, with the _csrf field.
func (s *session) post(path string, form url.Values) *testkit.Response {
	s.t.Helper()
	v := url.Values{"_csrf": {s.csrf}}
	for k, vs := range form {
		v[k] = vs
	}
	return s.postRaw(path, v)
}

// postRaw submits exactly the given fields (no _csrf added).
func (s *session) postRaw(path string, form url.Values) *testkit.Response {
	s.t.Helper()
	h := s.headers()
	h.Set("Content-Type", "application/x-www-form-urlencoded")
	return s.c.Send(http.MethodPost, path, h, strings.NewReader(form.Encode()))
}

// form builds url.Values from name, value pairs.
func form(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

// wantStatus fails the test unless r has the status.
func wantStatus(t testing.TB, what string, r *testkit.Response, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("%s: status %d, want %d; body: %.1500s", what, r.Status, want, r.Body)
	}
}

// wantRedirect checks a 303 to the given path and returns it.
func wantRedirect(t testing.TB, what string, r *testkit.Response, to string) {
	t.Helper()
	wantStatus(t, what, r, http.StatusSeeOther)
	if got := r.Header.Get("Location"); got != to {
		t.Fatalf("%s: redirects to %q, want %q", what, got, to)
	}
}

// text is the body with HTML entities decoded, for looking for visible words.
func text(r *testkit.Response) string { return html.UnescapeString(string(r.Body)) }

// wantText fails unless the page shows every one of the strings.
func wantText(t testing.TB, what string, r *testkit.Response, want ...string) {
	t.Helper()
	body := text(r)
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s: the page lacks %q; body: %.3000s", what, w, body)
		}
	}
}

// wantNoText fails when the page shows one of the strings.
func wantNoText(t testing.TB, what string, r *testkit.Response, unwanted ...string) {
	t.Helper()
	body := text(r)
	for _, w := range unwanted {
		if strings.Contains(body, w) {
			t.Errorf("%s: the page shows %q", what, w)
		}
	}
}

// fieldError returns the message shown next to a field (the element with id e-<field>).
func fieldError(r *testkit.Response, field string) string {
	body := string(r.Body)
	i := strings.Index(body, `id="e-`+field+`"`)
	if i < 0 {
		return ""
	}
	rest := body[i:]
	start := strings.IndexByte(rest, '>')
	end := strings.Index(rest, "</")
	if start < 0 || end < start {
		return ""
	}
	return html.UnescapeString(rest[start+1 : end])
}

// between returns the text of s after start up to end, or "".
func between(s, start, end string) string {
	i := strings.Index(s, start)
	if i < 0 {
		return ""
	}
	s = s[i+len(start):]
	j := strings.Index(s, end)
	if j < 0 {
		return ""
	}
	return s[:j]
}

// ownerActor is enough of an actor to read an account through the identity service.
func ownerActor(acc *testkit.Account) *actor.Actor {
	return &actor.Actor{UserID: acc.Owner.ID, Account: &actor.Account{ID: acc.ID, Slug: acc.Slug}}
}
