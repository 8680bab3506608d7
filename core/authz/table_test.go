package authz

import (
	"strings"
	"testing"

	"groupcamp/policies"
)

// TestTableAnswersAsCasbin: the decisions table gives Casbin's answer to every question — each
// role (and an unknown one) with each object:action of the policy (and an unknown one), in
// any account — and a policy with a rule for one account only goes back to Casbin.
func TestTableAnswersAsCasbin(t *testing.T) {
	en, err := NewEnforcer()
	if err != nil {
		t.Fatal(err)
	}
	if en.table == nil {
		t.Fatal("the policy holds templates only, yet no table was built")
	}
	roles := []string{"owner", "admin", "manager", "member", "client", "support", "partner", "nobody"}
	caps := append(en.Capabilities(), "projects:fly", "nothing:read")
	for _, role := range roles {
		for _, c := range caps {
			i := strings.LastIndex(c, ":")
			object, action := c[:i], c[i+1:]
			for _, slug := range []string{"acme", "other-account"} {
				want, err := en.e.Enforce(role, slug, object, action)
				if err != nil {
					t.Fatal(err)
				}
				if got := en.Allowed(role, slug, object, action); got != want {
					t.Errorf("%s %s %s:%s: table %v, Casbin %v", role, slug, object, action, got, want)
				}
			}
		}
	}

	special, err := NewEnforcerFrom(policies.Model, "p, member, acme, projects, read\ng, admin, member, *\n")
	if err != nil {
		t.Fatal(err)
	}
	if special.table != nil {
		t.Fatal("a rule of one account only must leave the decisions to Casbin")
	}
	if !special.Allowed("admin", "acme", "projects", "read") || special.Allowed("admin", "other", "projects", "read") {
		t.Error("the account's own rule is not applied")
	}
}
