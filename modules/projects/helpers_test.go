package projects_test

// Helpers shared by the tests of this package: a real App with the projects module on every
// database, an account with a person of each role and two client companies, and small
// assertions on API answers.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/modules/projects"
)

// start boots an App with a fresh projects module on the given database.
func start(t testing.TB, kind string) (*testkit.Env, *projects.Service) {
	mod := projects.New()
	e := testkit.Start(t, kind, testkit.Options{Modules: []app.Module{mod}})
	return e, mod.Service()
}

// eachDB runs fn on every test database, beside the other tests, in a world of its own on the
// package's shared App. A test that changes what the App shares (the service's clock), runs
// the service's jobs over every account, or counts rows of the whole database uses eachOwnDB.
func eachDB(t *testing.T, fn func(t *testing.T, w *world)) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			e := testkit.Shared(t, kind, testkit.Options{Modules: []app.Module{projects.New()}})
			fn(t, newWorld(t, e, e.Modules[0].(*projects.Module).Service()))
		})
	}
}

// eachOwnDB runs fn on every test database, beside the other tests, each with its own App.
func eachOwnDB(t *testing.T, fn func(t *testing.T, w *world)) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			e, svc := start(t, kind)
			fn(t, newWorld(t, e, svc))
		})
	}
}

// onEachDB runs a browser story on every test database, beside the other tests, each with
// its own App (and tabs of the package's one browser).
func onEachDB(t *testing.T, story func(t *testing.T, kind string)) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			story(t, kind)
		})
	}
}

// world is an account with a person of each role: the owner, an admin, a manager, two
// members, and clients of two client companies X and Y.
type world struct {
	t   testing.TB
	e   *testkit.Env
	svc *projects.Service
	acc *testkit.Account

	owner, admin, manager, member, member2 *testkit.User
	clientX, clientY                       *testkit.User
	coX, coY                               int64
}

func newWorld(t testing.TB, e *testkit.Env, svc *projects.Service) *world {
	t.Helper()
	w := &world{t: t, e: e, svc: svc, acc: e.NewAccount()}
	w.owner = w.acc.Owner
	w.admin = e.NewUser(w.acc, actor.RoleAdmin)
	w.manager = e.NewUser(w.acc, actor.RoleManager)
	w.member = e.NewUser(w.acc, actor.RoleMember)
	w.member2 = e.NewUser(w.acc, actor.RoleMember)
	w.coX = e.ClientCompany(w.acc)
	w.clientX = e.NewClient(w.acc, w.coX)
	w.coY = idOf(t, w.want(e.As(w.owner).Post(w.path("/companies"), map[string]any{"name": "Company Y", "kind": "client"}), http.StatusCreated))
	w.clientY = e.NewClient(w.acc, w.coY)
	return w
}

// path is an API path of the world's account.
func (w *world) path(format string, args ...any) string {
	return "/api/v1/" + w.acc.Slug + fmt.Sprintf(format, args...)
}

func (w *world) as(u *testkit.User) *testkit.Client { return w.e.As(u) }

// want fails the test unless r has one of the statuses, and returns r.
func (w *world) want(r *testkit.Response, status ...int) *testkit.Response {
	w.t.Helper()
	return want(w.t, "", r, status...)
}

func want(t testing.TB, what string, r *testkit.Response, status ...int) *testkit.Response {
	t.Helper()
	for _, s := range status {
		if r.Status == s {
			return r
		}
	}
	t.Fatalf("%s: status %d, want %v; body: %.800s", what, r.Status, status, r.Body)
	return r
}

// check is want that lets the test go on; it reports whether the status was right.
func check(t testing.TB, what string, r *testkit.Response, status ...int) bool {
	t.Helper()
	for _, s := range status {
		if r.Status == s {
			return true
		}
	}
	t.Errorf("%s: status %d, want %v; body: %.800s", what, r.Status, status, r.Body)
	return false
}

// wantField checks that r is a problem with status and a message for field.
func wantField(t testing.TB, what string, r *testkit.Response, status int, field string) {
	t.Helper()
	if !check(t, what, r, status) {
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("%s: Content-Type %q", what, ct)
	}
	if field != "" && strings.TrimSpace(r.FieldErrors()[field]) == "" {
		t.Errorf("%s: no message for field %q in %s", what, field, r.Body)
	}
}

func num(v any) int64 {
	f, _ := v.(float64)
	return int64(f)
}

func idOf(t testing.TB, r *testkit.Response) int64 {
	t.Helper()
	id := num(r.Map()["id"])
	if id <= 0 {
		t.Fatalf("no id in %s", r.Body)
	}
	return id
}

// page is a list envelope.
type page struct {
	Items      []map[string]any `json:"items"`
	NextCursor string           `json:"next_cursor"`
}

func (w *world) list(u *testkit.User, path string) page {
	w.t.Helper()
	var p page
	w.want(w.as(u).Get(path), http.StatusOK).JSON(w.t, &p)
	if p.Items == nil {
		w.t.Fatalf("GET %s: no items in the answer", path)
	}
	return p
}

// ids are the ids of a page's items.
func (p page) ids() []int64 {
	out := make([]int64, len(p.Items))
	for i, it := range p.Items {
		out[i] = num(it["id"])
	}
	return out
}

// project creates a project as u and returns its id; body adds to or overrides a name.
func (w *world) project(u *testkit.User, body map[string]any) int64 {
	w.t.Helper()
	b := map[string]any{"name": "Project " + fmt.Sprint(w.e.Count("projects")+1)}
	for k, v := range body {
		b[k] = v
	}
	return idOf(w.t, w.want(w.as(u).Post(w.path("/projects"), b), http.StatusCreated))
}

// join puts a person in a project with role, as the owner.
func (w *world) join(pid int64, u *testkit.User, role string) {
	w.t.Helper()
	w.want(w.as(w.owner).Put(w.path("/projects/%d/members/%d", pid, u.ID), map[string]any{"role": role}), http.StatusOK)
}

// taskList creates a list in a project as the owner: internal, or shared with companies.
func (w *world) taskList(pid int64, name string, companies ...int64) int64 {
	w.t.Helper()
	body := map[string]any{"name": name}
	if len(companies) > 0 {
		body["visibility"], body["company_ids"] = "clients", companies
	}
	return idOf(w.t, w.want(w.as(w.owner).Post(w.path("/projects/%d/lists", pid), body), http.StatusCreated))
}

// task creates a task in a list as u; body adds fields.
func (w *world) task(u *testkit.User, pid, list int64, title string, body map[string]any) int64 {
	w.t.Helper()
	b := map[string]any{"list_id": list, "title": title}
	for k, v := range body {
		b[k] = v
	}
	return idOf(w.t, w.want(w.as(u).Post(w.path("/projects/%d/tasks", pid), b), http.StatusCreated))
}

// actor is u as the service sees them on an account route.
func (w *world) actor(u *testkit.User) *actor.Actor {
	w.t.Helper()
	return actorFor(w.t, w.e, w.acc.Slug, u)
}

// actorFor is u, in the account with slug, as the authz middleware makes them.
func actorFor(t testing.TB, e *testkit.Env, slug string, u *testkit.User) *actor.Actor {
	t.Helper()
	acc, err := e.App.Identity.AccessFor(context.Background(), slug, u.ID)
	if err != nil || acc == nil {
		t.Fatalf("access of %s: %v", u.Email, err)
	}
	a := &actor.Actor{UserID: u.ID, Name: u.Name, Email: u.Email, Account: &actor.Account{ID: acc.AccountID, Slug: slug, Name: acc.AccountName},
		Role: acc.Role, CompanyID: acc.CompanyID}
	a.Can = func(object, action string) bool { return e.App.Enforcer.Allowed(a.Role, slug, object, action) }
	return a
}

// events returns the payloads of the outbox events of a type, oldest first.
func (w *world) events(typ string) []map[string]any {
	w.t.Helper()
	var rows []struct {
		Payload string `bun:"payload"`
	}
	if err := w.e.App.DB.NewSelect().Table("outbox").Column("payload").Where("type = ? AND account_id = ?", typ, w.acc.ID).OrderExpr("id").Scan(context.Background(), &rows); err != nil {
		w.t.Fatal(err)
	}
	out := make([]map[string]any, len(rows))
	for i, r := range rows {
		out[i] = map[string]any{}
		if err := json.Unmarshal([]byte(r.Payload), &out[i]); err != nil {
			w.t.Fatal(err)
		}
	}
	return out
}

// tables are the tables of the module (for "nothing was written" checks).
var tables = []string{"projects", "project_members", "project_stars", "milestones", "task_lists", "task_list_companies", "tasks",
	"task_assignees", "task_dependencies", "comments", "activity", "outbox", "project_categories"}

// snapshot counts the world's rows in the module's tables, once the background work of
// earlier steps is done (notices about earlier events queue email, which adds outbox rows).
func (w *world) snapshot() string {
	w.e.Settle()
	var b strings.Builder
	for _, t := range tables {
		n, err := w.e.App.DB.NewSelect().TableExpr(t).Where("account_id = ?", w.acc.ID).Count(context.Background())
		if err != nil {
			w.t.Fatalf("count %s: %v", t, err)
		}
		fmt.Fprintf(&b, "%s=%d ", t, n)
	}
	return b.String()
}
