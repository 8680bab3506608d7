package extranet_test

import (
	"fmt"
	"net/http"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules"
	"groupcamp/modules/extranet"
)

func TestMain(m *testing.M) { testkit.Main(m) }

func options() testkit.Options { return testkit.Options{Modules: modules.All()} }

// eachDB runs fn on every test database, on the package's shared App.
func eachDB(t *testing.T, fn func(t *testing.T, e *testkit.Env)) {
	testkit.EachShared(t, options(), fn)
}

// office is an account with a manager and a member, a client company with a client person
// (Acme), another client company with its own client (Globex), a project whose client is Acme
// (Website), a project with no client (Internal), and a folder shared with Acme holding a file,
// and an internal folder holding another.
type office struct {
	e                   *testkit.Env
	acc                 *testkit.Account
	base                string
	owner, mgr, mem     *testkit.User
	cli, other          *testkit.User
	acme, globex        int64
	project, internal   int64
	sharedFile, secFile int64
}

func newOffice(t testing.TB, e *testkit.Env) *office {
	t.Helper()
	o := &office{e: e, acc: e.NewAccount()}
	o.base = "/api/v1/" + o.acc.Slug
	o.owner = o.acc.Owner
	o.mgr = e.NewUser(o.acc, actor.RoleManager)
	o.mem = e.NewUser(o.acc, actor.RoleMember)
	o.acme = e.ClientCompany(o.acc)
	o.cli = e.NewClient(o.acc, o.acme)
	o.globex = o.created(t, e.As(o.owner), "/companies", map[string]any{"name": "Globex", "kind": "client"})
	o.other = e.NewClient(o.acc, o.globex)
	o.project = o.created(t, e.As(o.owner), "/projects", map[string]any{"name": "Website", "client_company_id": o.acme})
	o.internal = o.created(t, e.As(o.owner), "/projects", map[string]any{"name": "Internal"})
	shared := o.created(t, e.As(o.mem), "/folders", map[string]any{"name": "For Acme", "visibility": "clients", "company_ids": []int64{o.acme}})
	o.sharedFile = o.created(t, e.As(o.mem), fmt.Sprintf("/folders/%d/files", shared), map[string]any{"name": "mockups.txt", "content": "three variants"})
	internal := o.created(t, e.As(o.mem), "/folders", map[string]any{"name": "Internal notes"})
	o.secFile = o.created(t, e.As(o.mem), fmt.Sprintf("/folders/%d/files", internal), map[string]any{"name": "costs.txt", "content": "margins"})
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

// submit makes a deliverable of Website for Acme as the member.
func (o *office) submit(t testing.TB, title string) int64 {
	t.Helper()
	return o.created(t, o.e.As(o.mem), "/deliverables", map[string]any{"project_id": o.project, "company_id": o.acme, "title": title, "description": "first draft"})
}

// get reads a deliverable as c.
func (o *office) get(t testing.TB, c *testkit.Client, id int64) extranet.DeliverableView {
	t.Helper()
	r := c.Get(fmt.Sprintf("%s/deliverables/%d", o.base, id))
	if r.Status != http.StatusOK {
		t.Fatalf("GET deliverable %d: %d %s", id, r.Status, r.Body)
	}
	var v extranet.DeliverableView
	r.JSON(t, &v)
	return v
}

// wantField checks a 422 naming field.
func wantField(t testing.TB, r *testkit.Response, field string) {
	t.Helper()
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("want 422 on %s, got %d %s", field, r.Status, r.Body)
	}
	var p struct {
		Errors []struct{ Field string }
	}
	r.JSON(t, &p)
	for _, e := range p.Errors {
		if e.Field == field {
			return
		}
	}
	t.Fatalf("the 422 does not name %s: %s", field, r.Body)
}
