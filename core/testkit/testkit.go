// Package testkit boots a real App for tests: on a temporary SQLite file always, and on
// PostgreSQL too when GROUPCAMP_TEST_POSTGRES_URL is set (each App gets a fresh schema, dropped
// at the end). It serves the App on a real loopback port, creates accounts and users of any
// role through the real services, and returns HTTP clients for the API and for pages.
//
// Each App has its own database (a schema per App rather than per package): tests then need no
// care about unique slugs or emails, and a PostgreSQL schema plus migrations costs a few tens
// of milliseconds.
package testkit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver for schema setup

	"groupcamp/core/app"
	"groupcamp/core/config"
	"groupcamp/core/mail"
	"groupcamp/core/obs"
)

// PostgresEnv names the variable that switches the PostgreSQL runs on.
const PostgresEnv = "GROUPCAMP_TEST_POSTGRES_URL"

// RedisEnv names the variable that points the suites at a real Redis.
const RedisEnv = "GROUPCAMP_TEST_REDIS_URL"

// Options tune an Env.
type Options struct {
	Modules []app.Module
	// Config adjusts the configuration before the App starts.
	Config func(*config.Config)
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

	password string
	seq      int
}

// Databases lists the databases the suites run on here: sqlite always, postgres when set.
func Databases() []string {
	if os.Getenv(PostgresEnv) != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// EachDB runs fn as a subtest on every database of Databases, each with a fresh App.
func EachDB(t *testing.T, opts Options, fn func(t *testing.T, e *Env)) {
	for _, kind := range Databases() {
		t.Run(kind, func(t *testing.T) {
			fn(t, Start(t, kind, opts))
		})
	}
}

// Start boots an App on the given database kind and stops it when the test ends.
func Start(t testing.TB, kind string, opts Options) *Env {
	t.Helper()
	dir := t.TempDir()
	var dbURL string
	switch kind {
	case "sqlite":
		dbURL = "sqlite://" + filepath.Join(dir, "test.db")
	case "postgres":
		dbURL = freshSchema(t)
	default:
		t.Fatalf("testkit: unknown database %q", kind)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{
		"GROUPCAMP_DATA_DIR":     dir,
		"GROUPCAMP_DATABASE_URL": dbURL,
		"GROUPCAMP_ADDR":         ln.Addr().String(),
		"GROUPCAMP_BASE_URL":     "http://" + ln.Addr().String(),
		"GROUPCAMP_LOG_LEVEL":    "warn",
		"GROUPCAMP_REDIS_URL":    os.Getenv(RedisEnv), // empty: the embedded broker
	}
	cfg, err := config.Load(nil, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
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
	a, err := app.New(cfg, app.Options{Logger: obs.NewLogger(io.Discard, "error"), Mail: sender, JobNamespace: "t-" + randHex(6)}, opts.Modules...)
	if err != nil {
		t.Fatalf("testkit: start app on %s: %v", kind, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, ln, 5*time.Second) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("testkit: serve: %v", err)
		}
		a.Close()
	})
	return &Env{T: t, DB: kind, App: a, URL: "http://" + ln.Addr().String(), Mailbox: box, password: "test-" + randHex(8) + "-password"}
}

// PostgresURL returns the URL of a fresh, empty schema on the test PostgreSQL (dropped when
// the test ends), for tests that need a database without an App; it skips the test when
// GROUPCAMP_TEST_POSTGRES_URL is not set.
func PostgresURL(t testing.TB) string {
	t.Helper()
	return freshSchema(t)
}

// freshSchema creates a schema on the test PostgreSQL and returns a URL that uses it.
func freshSchema(t testing.TB) string {
	t.Helper()
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip("testkit: " + PostgresEnv + " is not set")
	}
	schema := "t_" + randHex(8)
	sqldb, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	if _, err := sqldb.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("testkit: create schema: %v", err)
	}
	t.Cleanup(func() {
		d, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer d.Close()
		_, _ = d.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

func (e *Env) next(prefix string) string {
	e.seq++
	return fmt.Sprintf("%s%d%s", prefix, e.seq, strings.ToLower(randHex(2)))
}
