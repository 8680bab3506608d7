package app_test

import (
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
)

// TestRoleMatrixIsComplete checks policies/matrix.csv itself: every capability has a row for
// each of the seven roles, and every capability a route checks is in the matrix.
func TestRoleMatrixIsComplete(t *testing.T) {
	e := testkit.Start(t, "sqlite", withExample())
	m := walk.Matrix(t, e)
	if len(m) == 0 {
		t.Fatal("the matrix is empty")
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
	// (A request also makes sure the server runs before the test ends: an App stopped while
	// its listener is still starting never stops.)
	wantStatus(t, "healthz", e.Anonymous().Get("/healthz"), http.StatusOK)
	routes := walk.Routes(e)
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

// TestRoleMatrixOverHTTP calls every capability route, API and page, of core and of the
// example module as each of the seven roles, with ids that exist (walk.RoleMatrix).
func TestRoleMatrixOverHTTP(t *testing.T) {
	testkit.EachDB(t, withExample(), func(t *testing.T, e *testkit.Env) {
		walk.RoleMatrix(t, e)
	})
}
