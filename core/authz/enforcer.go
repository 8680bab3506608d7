// Package authz decides who may do what. Two layers, always both (DESIGN.md §5):
// the capability, answered by Casbin from policies/ ("may this role do this action on this
// object type in this account?"), and the scope, which the services decide row by row.
//
// Gate turns a route's api.Guard into Fiber middleware: it authenticates the request,
// resolves the account from :slug and the user's role in it (non-members get 404), and asks
// the enforcer for the capability (403 when the role lacks it). Platform support, who is no
// member, reaches an account only under its owner's "data" grant (Gate.Support), read-only.
//
// A request made with a personal API token is also held to the token's scopes (auth.Scopes:
// read-only, or limited to the routes whose guard object lies under a module prefix), which
// the Gate checks against the route's Guard before the role's capability: a scope only takes
// away. Services that ask about a second capability (actor.May) still get the role's answer —
// it decides which rows a person sees, and a read-only token must see what its owner sees;
// the scopes act on routes, where a token's writes are refused by method.
package authz

import (
	"fmt"
	"sync"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	stringadapter "github.com/casbin/casbin/v2/persist/string-adapter"
	"github.com/casbin/casbin/v2/util"

	"groupcamp/policies"
)

// Enforcer answers capability questions; it is safe for concurrent use and caches decisions.
type Enforcer struct {
	e *casbin.SyncedCachedEnforcer
	// table holds every decision, worked out by Casbin once at load, while every rule is a
	// template of all accounts ("*"): then a decision does not depend on the account, and a
	// request asks a map instead of Casbin (whose cache builds a key per call: ten
	// allocations on every request). nil when a rule names an account: Casbin decides.
	table map[decision]bool
}

// decision is a question of the capability table: may role do action on object?
type decision struct{ role, object, action string }

// NewEnforcer loads the embedded model and policy.
func NewEnforcer() (*Enforcer, error) {
	return NewEnforcerFrom(policies.Model, policies.Policy)
}

// loaded keeps the enforcers this process built, by their model and policy: an Enforcer
// never changes after its load, and working out its decision table costs ~90 ms of CPU,
// which a test process that boots hundreds of Apps on the same policy paid at every boot.
var loaded struct {
	sync.Mutex
	by map[[2]string]*Enforcer
}

// NewEnforcerFrom loads a model and a policy given as text (tests use it for variants). The
// same texts give the same Enforcer, built once per process.
func NewEnforcerFrom(modelText, policyText string) (*Enforcer, error) {
	key := [2]string{modelText, policyText}
	loaded.Lock()
	defer loaded.Unlock()
	if en := loaded.by[key]; en != nil {
		return en, nil
	}
	en, err := newEnforcer(modelText, policyText)
	if err != nil {
		return nil, err
	}
	if loaded.by == nil || len(loaded.by) >= 32 {
		loaded.by = map[[2]string]*Enforcer{}
	}
	loaded.by[key] = en
	return en, nil
}

func newEnforcer(modelText, policyText string) (*Enforcer, error) {
	m, err := model.NewModelFromString(modelText)
	if err != nil {
		return nil, fmt.Errorf("authz: model: %w", err)
	}
	e, err := casbin.NewSyncedCachedEnforcer(m, stringadapter.NewAdapter(policyText))
	if err != nil {
		return nil, fmt.Errorf("authz: policy: %w", err)
	}
	// Role templates are written for every account ("*"): let g match domains by pattern.
	e.AddNamedDomainMatchingFunc("g", "keyMatch", util.KeyMatch)
	if err := e.LoadPolicy(); err != nil {
		return nil, fmt.Errorf("authz: load: %w", err)
	}
	en := &Enforcer{e: e}
	table, err := en.decisions()
	if err != nil {
		return nil, err
	}
	en.table = table
	return en, nil
}

// decisions asks Casbin every question the policy can answer yes to — each role it names
// (subjects and inherited roles) with each object:action of its rules — in an account of no
// rule's naming, or returns nil when a rule holds for some accounts only.
func (en *Enforcer) decisions() (map[decision]bool, error) {
	rules, err := en.e.GetPolicy()
	if err != nil {
		return nil, fmt.Errorf("authz: policy: %w", err)
	}
	groups, err := en.e.GetGroupingPolicy()
	if err != nil {
		return nil, fmt.Errorf("authz: roles: %w", err)
	}
	roles := map[string]bool{}
	for _, g := range groups {
		if len(g) < 3 || g[2] != "*" {
			return nil, nil
		}
		roles[g[0]], roles[g[1]] = true, true
	}
	type capability struct{ object, action string }
	caps := map[capability]bool{}
	for _, r := range rules {
		if len(r) < 4 || r[1] != "*" {
			return nil, nil
		}
		roles[r[0]] = true
		caps[capability{r[2], r[3]}] = true
	}
	table := make(map[decision]bool, len(roles)*len(caps))
	for role := range roles {
		for c := range caps {
			ok, err := en.e.Enforce(role, "any-account", c.object, c.action)
			if err != nil {
				return nil, fmt.Errorf("authz: %s %s:%s: %w", role, c.object, c.action, err)
			}
			if ok {
				table[decision{role, c.object, c.action}] = true
			}
		}
	}
	return table, nil
}

// Allowed reports whether role may do action on object in the account with that slug.
func (en *Enforcer) Allowed(role, slug, object, action string) bool {
	if role == "" {
		return false
	}
	if en.table != nil {
		return en.table[decision{role, object, action}]
	}
	ok, err := en.e.Enforce(role, slug, object, action)
	return err == nil && ok
}

// Capabilities lists every object:action the policy mentions.
func (en *Enforcer) Capabilities() []string {
	rules, _ := en.e.GetPolicy()
	seen := map[string]bool{}
	var out []string
	for _, r := range rules {
		c := r[2] + ":" + r[3]
		if !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}
