// Package walk holds the cross-cutting test walkers: they call every route the App registered
// — core's and every module's, API and pages — with ids that exist, as every role, and hold
// each to the rules of the house (DESIGN.md §5, §11):
//
//   - RoleMatrix: each role gets what the role matrix says — success when allowed, 403 when
//     the role lacks the capability, 404 for platform users who are not members;
//   - Tenancy: a user of another account gets 404 on every route with this account's slug and
//     on every id of this account under their own slug, and nothing is written;
//   - OddInput: odd bodies and odd form values never answer 5xx, and errors are problem+json.
//
// The ids come from each module's app.Fixtures (and core's own), so the walkers know no module
// by name: a module that registers its Fixtures is covered by writing nothing else. The module
// list's test (modules/walk_test.go) runs them over every module; core/app's tests run them
// over core and the example module of core/testkit/example.
package walk

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/testkit"
)

// World is one account with a user of every role, and the objects every fixture made in it.
type World struct {
	E      *testkit.Env
	Acc    *testkit.Account
	Users  map[string]*testkit.User // by role, testkit.AllRoles
	Params map[string]app.Params    // by module ("core" for the kernel)
	n      *atomic.Int64
}

// NewWorld creates an account with a user of each role and runs every module's Seed in it.
func NewWorld(t testing.TB, e *testkit.Env) *World {
	t.Helper()
	w := &World{E: e, Acc: e.NewAccount(), Users: map[string]*testkit.User{}, Params: map[string]app.Params{}, n: new(atomic.Int64)}
	for _, role := range testkit.AllRoles {
		if role == actor.RoleOwner {
			w.Users[role] = w.Acc.Owner
			continue
		}
		w.Users[role] = e.NewUser(w.Acc, role)
	}
	for _, f := range e.App.Fixtures() {
		p, err := f.Fixtures.Seed(w.client())
		if err != nil {
			t.Fatalf("walk: seed of %s: %v", f.Module, err)
		}
		w.Params[f.Module] = p
	}
	return w
}

// N is a fresh number for unique names.
func (w *World) N() int { return int(w.n.Add(1)) }

// Fill puts the world's values in a route's parameters: the slug, then each parameter from
// the route's module's params, core's, or any module's (a route may name another's object),
// by "previous-segment/:param" then ":param". known is false when a parameter has no value
// (it gets "1").
func (w *World) Fill(r api.Route) (path string, known bool) {
	return w.FillAs(r, w.Acc.Slug)
}

// FillAs is Fill with another account's slug (the world's ids under a foreign slug).
func (w *World) FillAs(r api.Route, slug string) (path string, known bool) {
	known = true
	segs := strings.Split(r.Path, "/")
	for i, s := range segs {
		// A wildcard (WebDAV's "/dav/:slug/*") is filled like a parameter, from the key "*".
		if !strings.HasPrefix(s, ":") && s != "*" {
			continue
		}
		if s == ":slug" {
			segs[i] = slug
			continue
		}
		prev := ""
		if i > 0 {
			prev = segs[i-1]
		}
		v, ok := w.lookup(r.Module, prev+"/"+s, s)
		if !ok {
			v, known = "1", false
		}
		segs[i] = v
	}
	return strings.Join(segs, "/"), known
}

func (w *World) lookup(module string, keys ...string) (string, bool) {
	order := []string{module, "core"}
	for _, f := range w.E.App.Fixtures() {
		order = append(order, f.Module)
	}
	for _, m := range order {
		for _, k := range keys {
			if v, ok := w.Params[m][k]; ok {
				return v, true
			}
		}
	}
	return "", false
}

// Body is a valid body for a write route from its module's fixtures; nil and true for GET and
// HEAD; {} and false when the module has none.
func (w *World) Body(r api.Route) (any, bool) {
	if f := w.fixtures(r.Module); f != nil {
		if body, ok := f.Body(r.Method, r.Path, w.Params[moduleName(r.Module)], w.N()); ok {
			return body, true
		}
	}
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return nil, true
	}
	return map[string]any{}, false
}

// Prepare lets the route's module put the account in the state an allowed call needs, and
// returns the path to call.
func (w *World) Prepare(t testing.TB, r api.Route, filled string) string {
	t.Helper()
	f := w.fixtures(r.Module)
	if f == nil {
		return filled
	}
	p, err := f.Prepare(w.client(), r.Method, r.Path, filled, w.Params[moduleName(r.Module)])
	if err != nil {
		t.Fatalf("walk: prepare %s %s: %v", r.Method, filled, err)
	}
	return p
}

func (w *World) fixtures(module string) app.Fixtures {
	for _, f := range w.E.App.Fixtures() {
		if f.Module == moduleName(module) {
			return f.Fixtures
		}
	}
	return nil
}

func moduleName(m string) string {
	if m == "" {
		return "core"
	}
	return m
}

// Call calls the route as u: API routes with u's token and a JSON body; pages like a browser
// (no redirect followed), a write as a form with the values of body.
func (w *World) Call(u *testkit.User, r api.Route, path string, body any) *testkit.Response {
	if r.IsAPI() {
		return w.E.As(u).Do(r.Method, path, body)
	}
	b := w.E.Browser()
	b.Token = u.Token
	if r.Method != http.MethodPost {
		// GET and HEAD, and the methods of WebDAV's pages (PROPFIND, MKCOL...): no form.
		return b.Do(r.Method, path, nil)
	}
	return b.Form(path, formValues(body))
}

// formValues turns a JSON-like body into form values (strings, numbers, bools, lists of them).
func formValues(body any) url.Values {
	v := url.Values{}
	m, ok := body.(map[string]any)
	if !ok {
		return v
	}
	for k, x := range m {
		switch x := x.(type) {
		case []string:
			v[k] = x
		case []int64:
			for _, n := range x {
				v.Add(k, fmt.Sprint(n))
			}
		case nil:
		default:
			v.Set(k, fmt.Sprint(x))
		}
	}
	return v
}

// client is the fixtures' view of the world: the API as the owner.
func (w *World) client() app.FixtureClient { return fixtureClient{w} }

type fixtureClient struct{ w *World }

func (c fixtureClient) Do(method, path string, body any) (int, []byte) {
	r := c.w.E.As(c.w.Acc.Owner).Do(method, path, body)
	return r.Status, r.Body
}
func (c fixtureClient) DoAs(role, method, path string, body any) (int, []byte) {
	r := c.w.E.As(c.w.Users[role]).Do(method, path, body)
	return r.Status, r.Body
}
func (c fixtureClient) Slug() string           { return c.w.Acc.Slug }
func (c fixtureClient) User(role string) int64 { return c.w.Users[role].ID }
func (c fixtureClient) ClientCompany() int64   { return c.w.E.ClientCompany(c.w.Acc) }
func (c fixtureClient) N() int                 { return c.w.N() }

// Routes are the routes the walkers call: every route guarded by a capability in an account.
func Routes(e *testkit.Env) []api.Route {
	var out []api.Route
	for _, r := range e.App.Routes.All() {
		if r.Guard.Capability() != "" {
			out = append(out, r)
		}
	}
	return out
}

// isProblem reports whether r is an RFC 9457 problem document.
func isProblem(r *testkit.Response) bool {
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
		return false
	}
	var m map[string]any
	return json.Unmarshal(r.Body, &m) == nil && m["title"] != nil
}
