package app_test

import (
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// TestRoleMatrixIsComplete checks policies/matrix.csv itself: every capability has a row for
// each of the seven roles, and every capability a route checks is in the matrix.
func TestRoleMatrixIsComplete(t *testing.T) {
	m := readMatrix(t)
	if len(m) == 0 {
		t.Fatal("matrix.csv is empty")
	}
	for c, roles := range m {
		for _, role := range testkit.AllRoles {
			if _, ok := roles[role]; !ok {
				t.Errorf("matrix.csv: %s has no row for %s", c, role)
			}
		}
		if len(roles) != len(testkit.AllRoles) {
			t.Errorf("matrix.csv: %s has rows for %d roles, want %d", c, len(roles), len(testkit.AllRoles))
		}
		if !roles[actor.RoleOwner] && roles[actor.RoleAdmin] {
			t.Errorf("matrix.csv: %s is allowed to admin but not to the owner", c)
		}
	}
	e := testkit.Start(t, "sqlite", withModules())
	// (A request also makes sure the server runs before the test ends: an App stopped while
	// its listener is still starting never stops.)
	wantStatus(t, "healthz", e.Anonymous().Get("/healthz"), http.StatusOK)
	routes := capabilityRoutes(e)
	if len(routes) == 0 {
		t.Fatal("no capability routes")
	}
	for _, r := range routes {
		if _, ok := m[r.Guard.Capability()]; !ok {
			t.Errorf("%s %s checks %s, which matrix.csv does not list", r.Method, r.Path, r.Guard.Capability())
		}
	}
	// And the enforcer the App loaded agrees with every row.
	for c, roles := range m {
		obj, act, _ := strings.Cut(c, ":")
		for role, allow := range roles {
			if got := e.App.Enforcer.Allowed(role, "any-account", obj, act); got != allow {
				t.Errorf("enforcer: %s %s = %v, matrix.csv says %v", role, c, got, allow)
			}
		}
	}
}

// TestRoleMatrixOverHTTP calls every capability route as each of the seven roles, with ids
// that exist, and checks the answer against policies/matrix.csv: a member of the account whose
// role lacks the capability gets 403, a platform user (not a member) gets 404, and an allowed
// role gets a success.
func TestRoleMatrixOverHTTP(t *testing.T) {
	m := readMatrix(t)
	testkit.EachDB(t, withModules(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		users := map[string]*testkit.User{}
		for _, role := range testkit.AllRoles {
			users[role] = e.NewUser(acc, role)
		}
		// The person and the team the routes are called on: a colleague who never signs in.
		target, _ := invitation(t, e, acc.Owner, acc.Slug, map[string]any{"name": "Target Person", "email": "target@" + acc.Slug + ".test", "role": "member"})
		fx := fixture{Slug: acc.Slug, UserID: target, TeamID: newTeam(t, e, acc.Owner, acc.Slug, "Matrix team"),
			GrantID: newGrant(t, e, acc.Owner, acc.Slug), RequestID: newSupportRequest(t, e, acc.Owner, acc.Slug)}
		projectFixture(t, e, acc.Owner, users[actor.RoleClient], acc, &fx)
		emails := []string{"target@" + acc.Slug + ".test"}
		for _, u := range users {
			if u.Role != actor.PlatformSupport && u.Role != actor.PlatformPartner {
				emails = append(emails, u.Email)
			}
		}

		routes := capabilityRoutes(e)
		n := 0
		for _, r := range routes {
			c := r.Guard.Capability()
			path, knownPath := routePath(r.Path, fx)
			for _, role := range testkit.AllRoles {
				n++
				body, knownBody := routeBody(r, fx, n)
				allow, listed := m[c][role]
				if !listed {
					t.Errorf("%s: no matrix row for %s", c, role)
					continue
				}
				if r.Method == http.MethodDelete && r.Path == "/api/v1/:slug/teams/:id/members/:user_id" && allow {
					// Removing needs someone to remove.
					wantStatus(t, "put target in team", e.As(acc.Owner).Put(path, nil), http.StatusNoContent)
				}
				call := path
				if allow && role != actor.PlatformSupport && role != actor.PlatformPartner {
					call = prepareProjects(t, e, acc.Owner, r, &fx, path)
				}
				res := e.As(users[role]).Do(r.Method, call, body)
				what := role + " " + r.Method + " " + call + " (" + c + ")"
				switch {
				case role == actor.PlatformSupport || role == actor.PlatformPartner:
					// Not a member of the account, and no data grant: the account does not exist for
					// them. (support's "allow" rows hold only under the owner's data grant, for
					// GET/HEAD: core/consent's TestDataGrant covers them; a partner never reaches
					// an account route.)
					wantProblem(t, what, res, http.StatusNotFound)
					if allow && role == actor.PlatformPartner {
						t.Errorf("%s: the matrix allows a partner, who never reaches an account route", what)
					}
				case !allow:
					wantProblem(t, what, res, http.StatusForbidden)
					for _, email := range emails {
						if containsFold(res.Body, email) {
							t.Errorf("%s: the 403 reveals %s", what, email)
						}
					}
				case knownPath && knownBody:
					// Real ids and a valid body: the call succeeds.
					if res.Status < 200 || res.Status > 299 {
						t.Errorf("%s: allowed by the matrix, got %d %s", what, res.Status, res.Body)
					}
				default:
					// A route this file has no ids or body for: the guard lets it through, and
					// the handler answers without a server error.
					if res.Status == http.StatusUnauthorized || res.Status == http.StatusForbidden || res.Status >= 500 {
						t.Errorf("%s: allowed by the matrix, got %d %s", what, res.Status, res.Body)
					}
				}
			}
		}
		if n == 0 {
			t.Fatal("no requests made")
		}
	})
}
