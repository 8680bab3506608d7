package planning_test

import (
	"net/http"
	"strconv"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules"
)

func TestMain(m *testing.M) { testkit.Main(m) }

func options() testkit.Options { return testkit.Options{Modules: modules.All()} }

// eachDB runs fn on every test database, on the package's shared App.
func eachDB(t *testing.T, fn func(t *testing.T, e *testkit.Env)) {
	testkit.EachShared(t, options(), fn)
}

// office is an account with a manager and a member in one team, a client, and a project.
type office struct {
	e               *testkit.Env
	acc             *testkit.Account
	base            string
	owner, mgr, mem *testkit.User
	cli             *testkit.User
	team, project   int64
}

func newOffice(t testing.TB, e *testkit.Env) *office {
	t.Helper()
	o := &office{e: e, acc: e.NewAccount()}
	o.base = "/api/v1/" + o.acc.Slug
	o.owner = o.acc.Owner
	o.mgr = e.NewUser(o.acc, actor.RoleManager)
	o.mem = e.NewUser(o.acc, actor.RoleMember)
	o.cli = e.NewClient(o.acc, e.ClientCompany(o.acc))
	o.project = o.created(t, e.As(o.owner), "/projects", map[string]any{"name": "Website"})
	o.team = o.created(t, e.As(o.owner), "/teams", map[string]any{"name": "Studio"})
	for _, u := range []*testkit.User{o.mgr, o.mem} {
		if r := e.As(o.owner).Put(o.base+"/teams/"+itoa(o.team)+"/members/"+itoa(u.ID), nil); r.Status != http.StatusNoContent {
			t.Fatalf("team member: %d %s", r.Status, r.Body)
		}
	}
	return o
}

// created posts body under the account's API and returns the id of what it made.
func (o *office) created(t testing.TB, c *testkit.Client, path string, body any) int64 {
	t.Helper()
	r := c.Post(o.base+path, body)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST %s: %d %s", path, r.Status, r.Body)
	}
	var v struct{ ID int64 }
	r.JSON(t, &v)
	return v.ID
}

// resourceOf is the id of the person resource of u.
func (o *office) resourceOf(t testing.TB, u *testkit.User) int64 {
	t.Helper()
	var l struct {
		Items []struct {
			ID     int64
			UserID *int64 `json:"user_id"`
		}
	}
	o.e.As(o.owner).Get(o.base+"/resources").JSON(t, &l)
	for _, r := range l.Items {
		if r.UserID != nil && *r.UserID == u.ID {
			return r.ID
		}
	}
	t.Fatalf("no resource for user %d", u.ID)
	return 0
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// holiday is the id of the account's first kind of leave (Holiday).
func (o *office) holiday(t testing.TB) int64 {
	t.Helper()
	var l struct{ Items []struct{ ID int64 } }
	o.e.As(o.mem).Get(o.base+"/absence-types").JSON(t, &l)
	return l.Items[0].ID
}
