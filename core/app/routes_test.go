package app_test

import (
	"net/http"
	"sort"
	"strings"
	"testing"

	"groupcamp/core/api"
	"groupcamp/core/testkit"
)

// TestEveryRouteIsGuarded walks what Fiber really serves: every route must be one the App
// registered with a valid guard, capability routes must name the account (:slug), and every
// route that is not public must refuse an anonymous caller.
func TestEveryRouteIsGuarded(t *testing.T) {
	testkit.EachDB(t, withExample(), func(t *testing.T, e *testkit.Env) {
		type key struct{ method, path string }
		registered := map[key]api.Route{}
		for _, r := range e.App.Routes.All() {
			k := key{r.Method, r.Path}
			if _, dup := registered[k]; dup {
				t.Errorf("%s %s is registered twice", r.Method, r.Path)
			}
			registered[k] = r
		}

		served := e.App.Fiber.GetRoutes(true)
		if len(served) == 0 {
			t.Fatal("Fiber serves no routes")
		}
		seen := map[key]bool{}
		for _, fr := range served {
			k := key{fr.Method, fr.Path}
			if fr.Method == http.MethodHead {
				k.method = http.MethodGet // Fiber answers HEAD with the GET route
			}
			seen[k] = true
			r, ok := registered[k]
			if !ok {
				t.Errorf("Fiber serves %s %s, which was not registered through api.Routes (no guard)", fr.Method, fr.Path)
				continue
			}
			if !r.Guard.Valid() {
				t.Errorf("%s %s has an invalid guard %+v", r.Method, r.Path, r.Guard)
			}
			if r.Guard.Capability() != "" && !strings.Contains(r.Path, ":slug") {
				t.Errorf("%s %s checks %s but has no :slug", r.Method, r.Path, r.Guard.Capability())
			}
		}
		for k := range registered {
			if !seen[k] {
				t.Errorf("%s %s is registered but Fiber does not serve it", k.method, k.path)
			}
		}
		// Anything else Fiber holds is global middleware (Use at "/"), never a handler that
		// could answer a path of its own without a guard.
		all := e.App.Fiber.GetRoutes(false)
		if extra := len(all) - len(served); extra > 0 {
			routes := map[key]int{}
			for _, fr := range served {
				routes[key{fr.Method, fr.Path}]++
			}
			for _, fr := range all {
				k := key{fr.Method, fr.Path}
				if routes[k] > 0 {
					routes[k]--
					continue
				}
				if fr.Path != "/" {
					t.Errorf("middleware mounted at %s %s: mount handlers through api.Routes with a guard", fr.Method, fr.Path)
				}
			}
		}

		// Every guarded route refuses a caller without credentials, and with a made-up token.
		for _, r := range e.App.Routes.All() {
			if r.Guard.Public {
				continue
			}
			path := anyPath(r.Path, "no-such-account")
			if r.IsAPI() {
				res := e.Anonymous().Do(r.Method, path, nil)
				wantProblem(t, "anonymous "+r.Method+" "+path, res, http.StatusUnauthorized)
				res = e.WithToken("gcl_made-up-token").Do(r.Method, path, nil)
				wantProblem(t, "made-up token "+r.Method+" "+path, res, http.StatusUnauthorized)
				continue
			}
			// Pages: a browser without a session is sent to the sign-in page, or refused.
			for _, tok := range []string{"", "gcl_made-up-token"} {
				b := e.Browser() // follows no redirect
				b.Token = tok
				res := b.Do(r.Method, path, nil)
				switch {
				case res.Status == http.StatusSeeOther && r.Method == http.MethodGet:
					if loc := res.Header.Get("Location"); !strings.HasPrefix(loc, "/login") {
						t.Errorf("anonymous %s %s redirects to %q, want the sign-in page", r.Method, path, loc)
					}
				case res.Status == http.StatusUnauthorized:
				default:
					t.Errorf("anonymous %s %s: %d, want 401 or a redirect to the sign-in page", r.Method, path, res.Status)
				}
			}
		}
	})
}

// TestOpenAPIDocumentsEveryRoute checks /api/v1/openapi.json against what Fiber serves.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	testkit.EachDB(t, withExample(), func(t *testing.T, e *testkit.Env) {
		r := e.Anonymous().Get("/api/v1/openapi.json")
		wantStatus(t, "openapi.json", r, http.StatusOK)
		if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("openapi.json Content-Type %q", ct)
		}
		var doc struct {
			OpenAPI string                               `json:"openapi"`
			Paths   map[string]map[string]map[string]any `json:"paths"`
		}
		r.JSON(t, &doc)
		if !strings.HasPrefix(doc.OpenAPI, "3.") {
			t.Errorf("openapi = %q, want 3.x", doc.OpenAPI)
		}
		guards := map[string]api.Guard{}
		for _, rt := range e.App.Routes.All() {
			guards[rt.Method+" "+rt.Path] = rt.Guard
		}

		served := map[string]bool{}
		n := 0
		for _, fr := range e.App.Fiber.GetRoutes(true) {
			if fr.Method == http.MethodHead || !strings.HasPrefix(fr.Path, "/api/v1/") {
				continue
			}
			n++
			p := api.OpenAPIPath(fr.Path)
			m := strings.ToLower(fr.Method)
			served[m+" "+p] = true
			op, ok := doc.Paths[p][m]
			if !ok {
				t.Errorf("%s %s is served but not documented as %s %s", fr.Method, fr.Path, m, p)
				continue
			}
			if s, _ := op["summary"].(string); s == "" {
				t.Errorf("%s %s: no summary", m, p)
			}
			if resp, _ := op["responses"].(map[string]any); len(resp) == 0 {
				t.Errorf("%s %s: no responses", m, p)
			}
			// Path parameters are declared.
			params, _ := op["parameters"].([]any)
			declared := map[string]bool{}
			for _, x := range params {
				if pm, ok := x.(map[string]any); ok && pm["in"] == "path" {
					declared[pm["name"].(string)] = true
				}
			}
			for _, name := range fr.Params {
				if !declared[name] {
					t.Errorf("%s %s: path parameter %q is not declared", m, p, name)
				}
			}
			// The security marking follows the guard.
			g := guards[fr.Method+" "+fr.Path]
			if c := g.Capability(); c != "" && op["x-capability"] != c {
				t.Errorf("%s %s: x-capability %v, want %s", m, p, op["x-capability"], c)
			}
			if sec, ok := op["security"].([]any); g.Public != (ok && len(sec) == 0) {
				t.Errorf("%s %s: public=%v but security=%v", m, p, g.Public, op["security"])
			}
		}
		if n == 0 {
			t.Fatal("no /api/v1 routes served")
		}
		// And nothing is documented that is not served.
		var phantom []string
		for p, ops := range doc.Paths {
			for m := range ops {
				if !served[m+" "+p] {
					phantom = append(phantom, m+" "+p)
				}
			}
		}
		sort.Strings(phantom)
		if len(phantom) > 0 {
			t.Errorf("documented but not served: %v", phantom)
		}
	})
}
