package host_test

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/config"
	"groupcamp/core/testkit"
	"groupcamp/modules"
	"groupcamp/plugins/host"
)

// pluginsDir holds the example plugins, built once for the package by TestMain (go build of
// plugins/examples/*, manifests with their real SHA-256): every test reuses the binaries.
var pluginsDir string

// examples are the folders under plugins/examples, by the name they install as.
var examples = map[string]string{"status-report": "statusreport", "webhook-forwarder": "webhookforwarder", "bad": "bad"}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "groupcamp-plugins-")
	if err != nil {
		panic(err)
	}
	if err := install(dir); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	pluginsDir = dir
	defer os.RemoveAll(dir) // testkit.Main exits: this runs only on a panic
	testkit.Main(m)
}

// install builds the examples in one go build (one link step each, compiled once) into
// dir/<name>/<name>, each with its manifest and the binary's SHA-256.
func install(dir string) error {
	bin := filepath.Join(dir, "bin")
	args := []string{"build", "-o", bin + string(filepath.Separator)}
	for _, folder := range examples {
		args = append(args, "../examples/"+folder)
	}
	cmd := exec.Command("go", args...)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("build the examples: %w", err)
	}
	for name, folder := range examples {
		out := filepath.Join(dir, name)
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		if err := os.Rename(filepath.Join(bin, folder), filepath.Join(out, name)); err != nil {
			return err
		}
		raw, err := os.ReadFile(filepath.Join("../examples", folder, host.ManifestFile))
		if err != nil {
			return err
		}
		// The checksum goes in as text: re-encoding the manifest would sort its keys, and the
		// settings form follows the order its schema was written in.
		sum, err := host.FileSHA256(filepath.Join(out, name))
		if err != nil {
			return err
		}
		b := bytes.Replace(raw, []byte(`"sha256": ""`), []byte(`"sha256": "`+sum+`"`), 1)
		if bytes.Equal(b, raw) {
			return fmt.Errorf("%s: no empty \"sha256\" to fill in", folder)
		}
		if err := os.WriteFile(filepath.Join(out, host.ManifestFile), b, 0o644); err != nil {
			return err
		}
	}
	return os.Remove(bin)
}

// callTimeout is the tests' deadline on a plugin call: short, so the hanging plugin costs
// little; the examples answer in a few milliseconds.
const callTimeout = time.Second

// options boot every module with the examples installed; the restart back-off is nil so a
// crashed plugin comes back on the next call (the budget still counts).
func options() testkit.Options {
	ms := modules.All()
	for _, m := range ms {
		if p, ok := m.(*host.Module); ok {
			p.Tune = func(s *host.Supervisor) { s.CallTimeout = callTimeout; s.Backoff = []time.Duration{0} }
		}
	}
	return testkit.Options{Modules: ms, Config: func(c *config.Config) { c.PluginsDir = pluginsDir }}
}

// each runs fn in parallel on every test database, with an App of its own (its own plugin
// processes and crash budgets): for the tests that crash or hang a plugin. Each App gets
// modules of its own (options per database): a module holds its service, and one registered
// in two Apps would answer for the last.
func each(t *testing.T, fn func(t *testing.T, e *testkit.Env)) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			fn(t, testkit.Start(t, kind, options()))
		})
	}
}

// shared runs fn in parallel on every test database, on the package's shared App: for the
// tests that only use well-behaved plugins, each in accounts of its own.
func shared(t *testing.T, fn func(t *testing.T, e *testkit.Env)) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			fn(t, testkit.Shared(t, kind, options()))
		})
	}
}

// service is the plugins module's service of the App.
func service(t testing.TB, e *testkit.Env) *host.Service {
	for _, m := range e.Modules {
		if p, ok := m.(*host.Module); ok {
			return p.Service()
		}
	}
	t.Fatal("no plugins module")
	return nil
}

// office is an account with a client company and its client, a project of that company the
// client is a member of, with a milestone, a list shared with clients (one task of two done)
// and an internal list.
type office struct {
	e        *testkit.Env
	acc      *testkit.Account
	base     string
	owner    *testkit.User
	member   *testkit.User
	cli      *testkit.User
	project  int64
	internal int64
}

func newOffice(t testing.TB, e *testkit.Env) *office {
	t.Helper()
	o := &office{e: e, acc: e.NewAccount()}
	o.base = "/api/v1/" + o.acc.Slug
	o.owner = o.acc.Owner
	o.member = e.NewUser(o.acc, actor.RoleMember)
	co := e.ClientCompany(o.acc)
	o.cli = e.NewClient(o.acc, co)
	own := e.As(o.owner)
	o.project = o.created(t, own, "/projects", map[string]any{"name": "Website", "client_company_id": co, "guests_allowed": true})
	o.internal = o.created(t, own, "/projects", map[string]any{"name": "Secret internal"})
	if r := own.Put(fmt.Sprintf("%s/projects/%d/members/%d", o.base, o.project, o.cli.ID), map[string]any{"role": "client"}); r.Status/100 != 2 {
		t.Fatalf("client member: %d %s", r.Status, r.Body)
	}
	ms := o.created(t, own, fmt.Sprintf("/projects/%d/milestones", o.project), map[string]any{"name": "Launch", "due_on": "2027-01-15"})
	shared := o.created(t, own, fmt.Sprintf("/projects/%d/lists", o.project), map[string]any{"name": "Deliverables", "milestone_id": ms, "visibility": "clients", "company_ids": []int64{co}})
	hidden := o.created(t, own, fmt.Sprintf("/projects/%d/lists", o.project), map[string]any{"name": "Internal chores", "milestone_id": ms, "visibility": "internal"})
	done := o.created(t, own, fmt.Sprintf("/projects/%d/tasks", o.project), map[string]any{"list_id": shared, "title": "Design"})
	o.created(t, own, fmt.Sprintf("/projects/%d/tasks", o.project), map[string]any{"list_id": shared, "title": "Build"})
	o.created(t, own, fmt.Sprintf("/projects/%d/tasks", o.project), map[string]any{"list_id": hidden, "title": "Budget review"})
	if r := own.Patch(fmt.Sprintf("%s/tasks/%d", o.base, done), map[string]any{"status": "done"}); r.Status != http.StatusOK {
		t.Fatalf("complete: %d %s", r.Status, r.Body)
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

// enable enables a plugin as the owner, with the capabilities given (nil: all asked).
func (o *office) enable(t testing.TB, name string, caps []string, settings map[string]any) host.Plugin {
	t.Helper()
	body := map[string]any{}
	if caps != nil {
		body["capabilities"] = caps
	}
	if settings != nil {
		body["settings"] = settings
	}
	r := o.e.As(o.owner).Post(o.base+"/plugins/"+name+"/enable", body)
	if r.Status != http.StatusOK {
		t.Fatalf("enable %s: %d %s", name, r.Status, r.Body)
	}
	var p host.Plugin
	r.JSON(t, &p)
	return p
}
