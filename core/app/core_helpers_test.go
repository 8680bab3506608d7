package app_test

// Helpers shared by the Core API tests of this package: the request each capability route is
// exercised with, the role matrix, and small assertions on responses.

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/example"
)

// wantStatus fails the test unless r has one of the statuses; it also fails on any 5xx.
func wantStatus(t testing.TB, what string, r *testkit.Response, want ...int) {
	t.Helper()
	for _, w := range want {
		if r.Status == w {
			return
		}
	}
	t.Fatalf("%s: status %d, want %v; body: %.600s", what, r.Status, want, r.Body)
}

// checkStatus is wantStatus that lets the test go on.
func checkStatus(t testing.TB, what string, r *testkit.Response, want ...int) bool {
	t.Helper()
	for _, w := range want {
		if r.Status == w {
			return true
		}
	}
	t.Errorf("%s: status %d, want %v; body: %.600s", what, r.Status, want, r.Body)
	return false
}

// wantProblem checks that r is an RFC 9457 problem with the status and, when fields are
// given, a field-level message for each of them.
func wantProblem(t testing.TB, what string, r *testkit.Response, status int, fields ...string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("%s: status %d, want %d; body: %.600s", what, r.Status, status, r.Body)
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("%s: Content-Type %q, want application/problem+json", what, ct)
	}
	m := r.Map()
	if int(num(m["status"])) != status || m["title"] == "" || m["type"] == nil {
		t.Errorf("%s: not a problem document: %s", what, r.Body)
	}
	errs := r.FieldErrors()
	for _, f := range fields {
		if strings.TrimSpace(errs[f]) == "" {
			t.Errorf("%s: no message for field %q in %s", what, f, r.Body)
		}
	}
}

func num(v any) float64 {
	f, _ := v.(float64)
	return f
}

// idOf reads the integer "id" of a JSON object body, or of the object under key.
func idOf(t testing.TB, r *testkit.Response, key ...string) int64 {
	t.Helper()
	m := r.Map()
	for _, k := range key {
		sub, ok := m[k].(map[string]any)
		if !ok {
			t.Fatalf("no %q object in %s", k, r.Body)
		}
		m = sub
	}
	id := int64(num(m["id"]))
	if id <= 0 {
		t.Fatalf("no id in %s", r.Body)
	}
	return id
}

// listItems decodes a list envelope {items, next_cursor}.
type listPage struct {
	Items      []map[string]any `json:"items"`
	NextCursor string           `json:"next_cursor"`
}

func readList(t testing.TB, r *testkit.Response) listPage {
	t.Helper()
	var p listPage
	r.JSON(t, &p)
	if p.Items == nil {
		t.Fatalf("list without items: %s", r.Body)
	}
	return p
}

// invitation invites a person (without accepting) and returns their user id and the
// invitation token from the returned link.
func invitation(t testing.TB, e *testkit.Env, by *testkit.User, slug string, body map[string]any) (int64, string) {
	t.Helper()
	r := e.As(by).Post("/api/v1/"+slug+"/users", body)
	wantStatus(t, "invite "+fmt.Sprint(body["email"]), r, http.StatusCreated)
	url, _ := r.Map()["invitation_url"].(string)
	if url == "" {
		t.Fatalf("invite: no invitation_url in %s", r.Body)
	}
	return idOf(t, r, "user"), url[strings.LastIndexByte(url, '/')+1:]
}

// newTeam creates a team and returns its id.
func newTeam(t testing.TB, e *testkit.Env, by *testkit.User, slug, name string) int64 {
	t.Helper()
	r := e.As(by).Post("/api/v1/"+slug+"/teams", map[string]any{"name": name})
	wantStatus(t, "create team "+name, r, http.StatusCreated)
	return idOf(t, r)
}

// withExample are the options of an App with core and the example module of
// core/testkit/example, which plugs into every seam of the Registry: the walkers then cover a
// module's routes too, without core knowing a business module.
func withExample() testkit.Options {
	return testkit.Options{Modules: []app.Module{example.New()}}
}

// anyPath fills a route's parameters with the slug given and "1".
func anyPath(path, slug string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		switch {
		case s == ":slug":
			segs[i] = slug
		case strings.HasPrefix(s, ":"):
			segs[i] = "1"
		}
	}
	return strings.Join(segs, "/")
}

// containsFold reports whether body mentions s, ignoring case.
func containsFold(body []byte, s string) bool {
	return strings.Contains(strings.ToLower(string(body)), strings.ToLower(s))
}
