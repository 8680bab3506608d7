package timesheet_test

import (
	"fmt"
	"net/http"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules"
	"groupcamp/modules/timesheet"
)

func TestMain(m *testing.M) { testkit.Main(m) }

func options() testkit.Options { return testkit.Options{Modules: modules.All()} }

// eachDB runs fn on every test database, on the package's shared App.
func eachDB(t *testing.T, fn func(t *testing.T, e *testkit.Env)) {
	testkit.EachShared(t, options(), fn)
}

// office is an account with a manager who leads a project, a member, a second (unrelated)
// manager and a category.
type office struct {
	e                      *testkit.Env
	acc                    *testkit.Account
	base                   string
	owner, lead, mgr2, mem *testkit.User
	project, other, cat    int64
}

func newOffice(t *testing.T, e *testkit.Env) *office {
	t.Helper()
	o := &office{e: e, acc: e.NewAccount()}
	o.base = "/api/v1/" + o.acc.Slug
	o.owner = o.acc.Owner
	o.lead = e.NewUser(o.acc, actor.RoleManager)
	o.mgr2 = e.NewUser(o.acc, actor.RoleManager)
	o.mem = e.NewUser(o.acc, actor.RoleMember)
	o.project = o.created(t, e.As(o.owner), "/projects", map[string]any{"name": "Website", "leader_id": o.lead.ID})
	o.other = o.created(t, e.As(o.owner), "/projects", map[string]any{"name": "Intranet"})
	o.cat = o.created(t, e.As(o.owner), "/time-categories", map[string]any{"name": "Training"})
	return o
}

// created posts body under the account's API and returns the id of what it made.
func (o *office) created(t *testing.T, c *testkit.Client, path string, body any) int64 {
	t.Helper()
	r := c.Post(o.base+path, body)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST %s: %d %s", path, r.Status, r.Body)
	}
	var v struct{ ID int64 }
	r.JSON(t, &v)
	return v.ID
}

// week reads a person's week.
func (o *office) week(t *testing.T, c *testkit.Client, u *testkit.User, week string) timesheet.Timesheet {
	t.Helper()
	r := c.Get(fmt.Sprintf("%s/timesheets/%d/%s", o.base, u.ID, week))
	if r.Status != http.StatusOK {
		t.Fatalf("GET week %s of %s: %d %s", week, u.Email, r.Status, r.Body)
	}
	var ts timesheet.Timesheet
	r.JSON(t, &ts)
	return ts
}

// entries counts a person's entries as the owner sees them.
func (o *office) entries(t *testing.T, u *testkit.User) int {
	t.Helper()
	r := o.e.As(o.owner).Get(fmt.Sprintf("%s/time-entries?user=%d&limit=200", o.base, u.ID))
	if r.Status != http.StatusOK {
		t.Fatalf("entries: %d %s", r.Status, r.Body)
	}
	var l struct{ Items []timesheet.Entry }
	r.JSON(t, &l)
	return len(l.Items)
}
