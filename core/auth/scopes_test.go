package auth_test

import (
	"net/http"
	"testing"

	"groupcamp/core/api"
	"groupcamp/core/auth"
	"groupcamp/core/problem"
)

// Every scope against every kind of route: what passes the Gate (the role is checked after).
func TestScopesPermit(t *testing.T) {
	me, platform := api.Authenticated(), api.Platform("*")
	projects, tasks, users := api.Can("projects", "read"), api.Can("projects.tasks", "write"), api.Can("users", "read")
	lookalike := api.Can("projectsx", "read")
	get, post, del, head := http.MethodGet, http.MethodPost, http.MethodDelete, http.MethodHead
	cases := []struct {
		scopes auth.Scopes
		method string
		guard  api.Guard
		ok     bool
	}{
		{nil, post, users, true}, // a session
		{auth.Scopes{"write"}, del, platform, true},
		{auth.Scopes{"read", "write"}, post, me, true},

		{auth.Scopes{"read"}, get, users, true},
		{auth.Scopes{"read"}, head, tasks, true},
		{auth.Scopes{"read"}, get, me, true},
		{auth.Scopes{"read"}, get, platform, true},
		{auth.Scopes{"read"}, post, users, false},
		{auth.Scopes{"read"}, post, me, false},
		{auth.Scopes{"read"}, del, platform, false},

		{auth.Scopes{"projects:read"}, get, projects, true},
		{auth.Scopes{"projects:read"}, get, tasks, true},
		{auth.Scopes{"projects:read"}, get, me, true},
		{auth.Scopes{"projects:read"}, get, users, false},
		{auth.Scopes{"projects:read"}, get, lookalike, false},
		{auth.Scopes{"projects:read"}, get, platform, false},
		{auth.Scopes{"projects:read"}, post, tasks, false},

		{auth.Scopes{"projects.tasks:write"}, post, tasks, true},
		{auth.Scopes{"projects.tasks:write"}, get, tasks, true},
		{auth.Scopes{"projects.tasks:write"}, get, projects, false},
		{auth.Scopes{"projects:write"}, post, tasks, true},
		{auth.Scopes{"projects:write"}, post, users, false},
		{auth.Scopes{"projects:write"}, post, me, false},
		{auth.Scopes{"projects:write"}, post, platform, false},
		{auth.Scopes{"read", "projects:write"}, get, users, true},
		{auth.Scopes{"read", "projects:write"}, post, users, false},
		{auth.Scopes{"users:read", "projects:write"}, get, users, true},
	}
	for _, c := range cases {
		err := c.scopes.Permit(c.method, c.guard)
		if (err == nil) != c.ok {
			t.Errorf("%v %s %+v: %v, want allowed=%v", c.scopes, c.method, c.guard, err, c.ok)
		}
		if p, isP := problem.As(err); err != nil && (!isP || p.Status != http.StatusForbidden) {
			t.Errorf("%v %s %+v: %v, want a 403 problem", c.scopes, c.method, c.guard, err)
		}
	}
}

func TestCheckScopes(t *testing.T) {
	objects := auth.ScopeObjects([]string{"projects:read", "projects.tasks:write", "users:read", "teams:manage", "account:read"})
	var f problem.Fields
	if got := auth.CheckScopes(nil, objects, &f); len(got) != 1 || got[0] != "write" || f.Err() != nil {
		t.Errorf("no scopes = %v, %v; want [write]", got, f.Err())
	}
	for _, ok := range []string{"read", "write", "projects:read", "projects.tasks:write", "users:write", "teams:read", "account:read"} {
		var f problem.Fields
		if got := auth.CheckScopes([]string{ok}, objects, &f); f.Err() != nil || len(got) != 1 {
			t.Errorf("%q refused: %v", ok, f.Err())
		}
	}
	for _, bad := range []string{"", "admin", "read:projects", "projects", "projects:", ":read", "projects:admin", "proj:read", "projects.:read", "*:read", "projects.tasks.x:read"} {
		var f problem.Fields
		auth.CheckScopes([]string{"read", bad}, objects, &f)
		if !f.Has("scopes[1]") {
			t.Errorf("%q accepted", bad)
		}
	}
}
