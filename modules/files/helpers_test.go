package files_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"

	"groupcamp/core/actor"
	configpkg "groupcamp/core/config"
	"groupcamp/core/testkit"
	"groupcamp/modules"
	"groupcamp/modules/files/storage/s3test"
)

func TestMain(m *testing.M) { testkit.Main(m) }

func options() testkit.Options { return testkit.Options{Modules: modules.All()} }

// eachDB runs fn on every test database, on the package's shared App of that database, each
// App on its blob store as deployments pair them: SQLite with the local directory (one
// server, nothing to set up), PostgreSQL with S3-compatible storage (the scale-out path; an
// in-process S3 server, s3test). So the package's HTTP suite — every test through eachDB —
// passes on both stores, once each, at no extra cost; the CI's two passes (PostgreSQL, then
// SQLite) run one store each. Tests that call testkit.Shared themselves get the local store
// on SQLite, the same App.
func eachDB(t *testing.T, fn func(t *testing.T, e *testkit.Env)) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			fn(t, testkit.Shared(t, kind, sharedOptions(t, kind)))
		})
	}
}

// sharedOptions are the options of the package's shared App on kind: on PostgreSQL, its blobs
// in the package's S3 server.
func sharedOptions(t *testing.T, kind string) testkit.Options {
	opts := options()
	if kind != "postgres" {
		return opts
	}
	s3Once.Do(func() { s3URL, _, s3Err = s3test.Start("groupcamp-shared") }) // stops with the process
	if s3Err != nil {
		t.Fatalf("the shared S3 server: %v", s3Err)
	}
	opts.Config = func(c *config) { c.BlobURL = s3URL }
	return opts
}

var (
	s3Once sync.Once
	s3URL  string
	s3Err  error
)

// onS3 reports whether e's blobs are on S3 (the shared App on PostgreSQL).
func onS3(e *testkit.Env) bool { return strings.HasPrefix(e.App.Config.BlobURL, "s3://") }

// office is an account with a manager, a member, a client of a client company, a project the
// member is not in (invitation only) and a shared folder.
type office struct {
	e               *testkit.Env
	acc             *testkit.Account
	base            string
	owner, mgr, mem *testkit.User
	cli             *testkit.User
	company         int64
	project, closed int64
	folder          int64
}

func newOffice(t testing.TB, e *testkit.Env) *office {
	t.Helper()
	o := &office{e: e, acc: e.NewAccount()}
	o.base = "/api/v1/" + o.acc.Slug
	o.owner = o.acc.Owner
	o.mgr = e.NewUser(o.acc, actor.RoleManager)
	o.mem = e.NewUser(o.acc, actor.RoleMember)
	o.company = e.ClientCompany(o.acc)
	o.cli = e.NewClient(o.acc, o.company)
	o.project = o.created(t, e.As(o.owner), "/projects", map[string]any{"name": "Website"})
	o.closed = o.created(t, e.As(o.owner), "/projects", map[string]any{"name": "Secret", "access": "invite"})
	o.folder = o.created(t, e.As(o.mem), "/folders", map[string]any{"name": "Deliverables"})
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

// multipartBody is a multipart form with one part "file" named name holding content.
func multipartBody(name string, content []byte) (*bytes.Buffer, string) {
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	part, _ := w.CreateFormFile("file", name)
	part.Write(content)
	w.Close()
	return &b, w.FormDataContentType()
}

// upload sends content as a multipart upload to path as c.
func upload(c *testkit.Client, path, name string, content []byte) *testkit.Response {
	body, ct := multipartBody(name, content)
	h := http.Header{"Content-Type": {ct}}
	return c.Send("POST", path, h, body)
}

// uploaded uploads a file into the folder and returns its id.
func (o *office) uploaded(t testing.TB, c *testkit.Client, folder int64, name string, content []byte) int64 {
	t.Helper()
	r := upload(c, fmt.Sprintf("%s/folders/%d/files", o.base, folder), name, content)
	if r.Status != http.StatusCreated {
		t.Fatalf("upload %s: %d %s", name, r.Status, r.Body)
	}
	var v struct{ ID int64 }
	r.JSON(t, &v)
	return v.ID
}

type config = configpkg.Config

func jsonDecode(r io.Reader, v any) error { return json.NewDecoder(r).Decode(v) }

// actorOf is the office's member as the service sees them on a request.
func actorOf(t testing.TB, e *testkit.Env, o *office) *actor.Actor {
	return &actor.Actor{UserID: o.mem.ID, Name: o.mem.Name, Role: actor.RoleMember, Account: &actor.Account{ID: o.acc.ID, Slug: o.acc.Slug},
		Can: func(object, action string) bool {
			return e.App.Enforcer.Allowed(actor.RoleMember, o.acc.Slug, object, action)
		}}
}
