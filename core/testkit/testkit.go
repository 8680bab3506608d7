// Package testkit boots a real App for tests: on a temporary SQLite file always, and on
// PostgreSQL too when GROUPCAMP_TEST_POSTGRES_URL is set (each App gets a fresh schema, dropped
// at the end). It serves the App on a real loopback port, creates accounts and users of any
// role through the real services, and returns HTTP clients for the API and for pages.
//
// Each App has its own database (a schema per App rather than per package): tests then need no
// care about unique slugs or emails, and a PostgreSQL schema plus migrations costs a few tens
// of milliseconds. Tests that need no App of their own share one per package and database
// (Shared) and run beside each other, each in accounts of its own; TestMain stops those Apps.
package testkit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver for schema setup

	"groupcamp/core/app"
	"groupcamp/core/auth/password"
	"groupcamp/core/config"
	"groupcamp/core/mail"
	"groupcamp/core/obs"
)

// Every test process that boots Apps hashes passwords at the test cost (see
// password.LightenForTests): the suites sign up and sign in thousands of people, and
// argon2id at the server's cost made that minutes of CI. core/auth/password's own tests keep
// the server's cost.
func init() { password.LightenForTests() }

// PostgresEnv names the variable that switches the PostgreSQL runs on.
const PostgresEnv = "GROUPCAMP_TEST_POSTGRES_URL"

// RedisEnv names the variable that points the suites at a real Redis.
const RedisEnv = "GROUPCAMP_TEST_REDIS_URL"

// Options tune an Env.
type Options struct {
	Modules []app.Module
	// Config adjusts the configuration before the App starts.
	Config func(*config.Config)
	// BeforeServe runs once the App is built and before it serves and starts its background
	// work (a query hook, say: bun's hooks may not change once queries run).
	BeforeServe func(*app.App)
}

// Env is one running App and what a test needs to drive it.
type Env struct {
	T   testing.TB
	DB  string // "sqlite" or "postgres"
	App *app.App
	URL string // http://127.0.0.1:PORT
	// Mailbox receives what the App mails (Last waits for mail still queued), unless
	// Options.Config set an SMTP server.
	Mailbox *mail.DevMailbox
	// Modules are the modules the App runs (on a shared App, those of the call that booted it).
	Modules []app.Module

	password string
	seq      *atomic.Int64 // shared by the views of a shared App
	// mine lists the accounts NewAccount made through this view of a shared App (nil on an
	// App of the test's own): Snapshot counts their rows only.
	mine *[]int64
}

// DatabasesEnv names the variable that narrows the databases of the suites' EachDB-style
// runs to a comma-separated list ("postgres", "sqlite"). CI uses it to run the plain pass on
// PostgreSQL only and the -race pass on SQLite only, so no test body runs twice on SQLite
// (see .ci/run). Tests that name a database themselves (browser stories, the walkers on
// SQLite) are not narrowed.
const DatabasesEnv = "GROUPCAMP_TEST_DATABASES"

// Databases lists the databases the suites run on here: sqlite always, postgres when set,
// narrowed by GROUPCAMP_TEST_DATABASES when that is set.
func Databases() []string {
	all := []string{"sqlite"}
	if os.Getenv(PostgresEnv) != "" {
		all = append(all, "postgres")
	}
	only := os.Getenv(DatabasesEnv)
	if only == "" {
		return all
	}
	var kept []string
	for _, kind := range all {
		for _, want := range strings.Split(only, ",") {
			if strings.TrimSpace(want) == kind {
				kept = append(kept, kind)
			}
		}
	}
	return kept
}

// EachDB runs fn as a subtest on every database of Databases, each with a fresh App.
func EachDB(t *testing.T, opts Options, fn func(t *testing.T, e *Env)) {
	for _, kind := range Databases() {
		t.Run(kind, func(t *testing.T) {
			fn(t, Start(t, kind, opts))
		})
	}
}

// EachShared runs fn in parallel on every database of Databases, beside the package's other
// tests, on the package's shared App (Shared): fn makes its own accounts.
func EachShared(t *testing.T, opts Options, fn func(t *testing.T, e *Env)) {
	t.Parallel()
	for _, kind := range Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			fn(t, Shared(t, kind, opts))
		})
	}
}

// EachOwn runs fn in parallel on every database of Databases, each with an App of its own:
// for the tests that move the App's clock, read its files, or must not see other tests' work.
func EachOwn(t *testing.T, opts Options, fn func(t *testing.T, e *Env)) {
	t.Parallel()
	for _, kind := range Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			fn(t, Start(t, kind, opts))
		})
	}
}

// Start boots an App on the given database kind and stops it when the test ends.
func Start(t testing.TB, kind string, opts Options) *Env {
	t.Helper()
	dir := t.TempDir()
	e, stop, err := boot(kind, dir, opts)
	if errors.Is(err, errNoPostgres) {
		t.Skip("testkit: " + PostgresEnv + " is not set")
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := stop(); err != nil {
			t.Errorf("testkit: %v", err)
		}
	})
	e.T = t
	return e
}

var errNoPostgres = errors.New("testkit: " + PostgresEnv + " is not set")

// boot starts an App on kind with its data in dir, and returns it with the function that
// stops it and drops its database.
func boot(kind, dir string, opts Options) (*Env, func() error, error) {
	var dbURL string
	giveBack := func() {}
	switch kind {
	case "sqlite":
		path := filepath.Join(dir, "test.db")
		if err := migratedSQLite(path); err != nil {
			return nil, nil, err
		}
		dbURL = "sqlite://" + path
	case "postgres":
		var err error
		if dbURL, giveBack, err = lendSchema(); err != nil {
			return nil, nil, err
		}
	default:
		return nil, nil, fmt.Errorf("testkit: unknown database %q", kind)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		giveBack()
		return nil, nil, err
	}
	env := map[string]string{
		"GROUPCAMP_DATA_DIR":     dir,
		"GROUPCAMP_DATABASE_URL": dbURL,
		"GROUPCAMP_ADDR":         ln.Addr().String(),
		"GROUPCAMP_BASE_URL":     "http://" + ln.Addr().String(),
		"GROUPCAMP_LOG_LEVEL":    "warn",
		"GROUPCAMP_REDIS_URL":    os.Getenv(RedisEnv), // empty: the embedded broker
		// Tests wait for jobs: poll as the server did before its idle poll became a second
		// (50 ms on Redis; 200 ms on the embedded broker, whose polls cost this process CPU).
		"GROUPCAMP_JOB_POLL": "200ms",
	}
	if env["GROUPCAMP_REDIS_URL"] != "" {
		env["GROUPCAMP_JOB_POLL"] = "50ms"
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		ln.Close()
		giveBack()
		return nil, nil, err
	}
	if opts.Config != nil {
		opts.Config(cfg)
	}
	// The App mails through the dev mailbox, unless the test configured an SMTP server (then
	// the mailbox stays empty).
	box := mail.NewDevMailbox(1000)
	var sender mail.Sender = box
	if cfg.SMTPURL != "" {
		sender = nil
	}
	mods := independent(opts.Modules)
	a, err := app.New(cfg, app.Options{Logger: obs.NewLogger(io.Discard, "error"), Mail: sender, JobNamespace: "t-" + randHex(6)}, mods...)
	if err != nil {
		ln.Close()
		giveBack()
		return nil, nil, fmt.Errorf("testkit: start app on %s: %w", kind, err)
	}
	if opts.BeforeServe != nil {
		opts.BeforeServe(a)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln, 5*time.Second) }()
	stop := func() error {
		cancel()
		err := <-done
		a.Close()
		giveBack()
		if err != nil {
			return fmt.Errorf("serve: %w", err)
		}
		return nil
	}
	e := &Env{DB: kind, App: a, URL: "http://" + ln.Addr().String(), Mailbox: box, Modules: mods, password: "test-" + randHex(8) + "-password", seq: new(atomic.Int64)}
	return e, stop, nil
}

// sharedApp is one App of the package, booted on first use by Shared.
type sharedApp struct {
	once sync.Once
	env  *Env
	stop func() error
	dir  string
	err  error
}

var (
	sharedMu   sync.Mutex
	sharedApps = map[string]*sharedApp{}
)

// Shared returns a view, for t, of the package's one App on the database kind: booted on the
// first call with opts (later calls' opts are ignored; their module names must match), and
// stopped by StopShared, which the package's TestMain calls after m.Run.
//
// Tests on a shared App run beside each other (t.Parallel): each makes its own accounts with
// NewAccount, and must not change what the App shares — its configuration, a service's clock,
// its mail server — nor count rows of the whole database (Snapshot, Count) or wait for all
// background work (Settle) while others write; such tests use Start. The view's T is t; its
// Mailbox is shared (look mail up by address).
func Shared(t testing.TB, kind string, opts Options) *Env {
	t.Helper()
	if kind == "postgres" && os.Getenv(PostgresEnv) == "" {
		t.Skip("testkit: " + PostgresEnv + " is not set")
	}
	names := make([]string, len(opts.Modules))
	for i, m := range opts.Modules {
		names[i] = m.Name()
	}
	key := kind + "|" + strings.Join(names, ",")
	sharedMu.Lock()
	s := sharedApps[key]
	if s == nil {
		s = &sharedApp{}
		sharedApps[key] = s
	}
	sharedMu.Unlock()
	s.once.Do(func() {
		if s.dir, s.err = os.MkdirTemp("", "groupcamp-shared-"); s.err != nil {
			return
		}
		s.env, s.stop, s.err = boot(kind, s.dir, opts)
	})
	if s.err != nil {
		t.Fatalf("testkit: shared App on %s: %v", kind, s.err)
	}
	view := *s.env
	view.T = t
	view.mine = new([]int64)
	return &view
}

// StopShared stops the Apps Shared booted, drops their databases and removes their folders.
// Call it from TestMain after m.Run; it reports what failed on stderr.
func StopShared() {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	for key, s := range sharedApps {
		if s.stop != nil {
			if err := s.stop(); err != nil {
				fmt.Fprintf(os.Stderr, "testkit: stop the shared App %s: %v\n", key, err)
			}
		}
		if s.dir != "" {
			os.RemoveAll(s.dir)
		}
		delete(sharedApps, key)
	}
}

// Main runs the package's tests, then stops its shared Apps: func TestMain(m *testing.M) {
// testkit.Main(m) }, for packages that need nothing else there.
func Main(m *testing.M) {
	code := m.Run()
	StopShared()
	os.Exit(code)
}

// PostgresURL returns the URL of a fresh, empty schema on the test PostgreSQL (dropped when
// the test ends), for tests that need a database without an App; it skips the test when
// GROUPCAMP_TEST_POSTGRES_URL is not set.
func PostgresURL(t testing.TB) string {
	t.Helper()
	return freshSchema(t)
}

// lentSchema lends a migrated, empty schema of the pool (see pgpool.go) until the test ends.
func lentSchema(t testing.TB) string {
	t.Helper()
	u, release, err := lendSchema()
	if errors.Is(err, errNoPostgres) {
		t.Skip(err.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(release)
	return u
}

// freshSchema creates a schema on the test PostgreSQL, dropped when the test ends, and
// returns a URL that uses it.
func freshSchema(t testing.TB) string {
	t.Helper()
	u, drop, err := newSchema()
	if errors.Is(err, errNoPostgres) {
		t.Skip(err.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	return u
}

// newSchema creates a schema on the test PostgreSQL and returns a URL that uses it, and the
// function that drops it.
func newSchema() (string, func(), error) {
	base := os.Getenv(PostgresEnv)
	if base == "" {
		return "", nil, errNoPostgres
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, err
	}
	schema := "t_" + randHex(8)
	sqldb, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	defer sqldb.Close()
	if _, err := sqldb.Exec("CREATE SCHEMA " + schema); err != nil {
		return "", nil, fmt.Errorf("testkit: create schema: %w", err)
	}
	drop := func() {
		d, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer d.Close()
		_, _ = d.Exec("DROP SCHEMA " + schema + " CASCADE")
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), drop, nil
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (e *Env) next(prefix string) string {
	return fmt.Sprintf("%s%d%s", prefix, e.seq.Add(1), strings.ToLower(randHex(2)))
}
