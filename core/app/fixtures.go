package app

import "fmt"

// Fixtures is what a module gives the cross-cutting test walkers (core/testkit/walk): the
// role matrix, the other-account walk and the odd-input walk call every route of every module
// — API and pages — with ids that exist, without core knowing any module. A module implements
// it in fixtures.go beside module.go and hands it to Registry.Fixtures; it lives in the
// module's code, not in a _test file, because the walkers run from other packages (the module
// list's tests), the way the load tool's seed does. It only calls the module's own API.
type Fixtures interface {
	// Seed makes one of each of the module's objects in the account of c, through the API as
	// the account's owner, and returns the values of the route parameters that name them.
	Seed(c FixtureClient) (Params, error)
	// Body is a valid body for the module's write route (method and path as registered; n
	// makes names unique), nil for a route that takes none; ok is false when the module has
	// none to give (the walker then only checks that the route never answers 5xx).
	Body(method, path string, p Params, n int) (body any, ok bool)
	// Prepare runs before an allowed role calls the route and expects success: it puts the
	// account in the state the call needs (something to delete, a project not archived by an
	// earlier call) and returns the path to call — filled, or another one.
	Prepare(c FixtureClient, method, path, filled string, p Params) (string, error)
}

// FixtureClient calls the API of one account as its owner, for Fixtures.
type FixtureClient interface {
	// Do sends a JSON body (nil for none) and returns the status and the body of the answer.
	Do(method, path string, body any) (status int, answer []byte)
	// DoAs is Do as the walker's user of the role: something only its author may change is
	// made by the least role allowed to change it, so that every allowed role may.
	DoAs(role, method, path string, body any) (status int, answer []byte)
	// Slug is the account's.
	Slug() string
	// User is the id of the walker's user of the role ("client", "member", ...) in the account.
	User(role string) int64
	// ClientCompany is the account's client company (the walker's client belongs to it).
	ClientCompany() int64
	// N is a fresh number, to make names unique.
	N() int
}

// Params are the values of route parameters. A key is a parameter with the path segment
// before it ("projects/:id", "members/:user_id") or the parameter alone (":pred_id"); the
// walkers fill a segment from the first key that exists.
type Params map[string]string

// NamedFixtures are a module's fixtures with its name ("core" for the kernel's own).
type NamedFixtures struct {
	Module   string
	Fixtures Fixtures
}

// Fixtures are core's and every module's, in the order of the module list.
func (a *App) Fixtures() []NamedFixtures { return a.fixtures }

// ID is the value of key as a number, for request bodies (0 when absent).
func (p Params) ID(key string) int64 {
	var id int64
	fmt.Sscan(p[key], &id)
	return id
}
