package migrations_test

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"

	"groupcamp/core/db"
	"groupcamp/core/testkit"
	"groupcamp/migrations"
)

// open returns an empty database of the given kind: a temp SQLite file, or a fresh
// PostgreSQL schema (skipped when GROUPCAMP_TEST_POSTGRES_URL is not set).
func open(t *testing.T, kind string) *bun.DB {
	t.Helper()
	url := "sqlite://" + filepath.Join(t.TempDir(), "m.db")
	if kind == "postgres" {
		url = testkit.PostgresURL(t)
	}
	d, err := db.Open(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func eachDB(t *testing.T, fn func(t *testing.T, d *bun.DB)) {
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) { fn(t, open(t, kind)) })
	}
}

// files lists the migration files of this folder, in order.
func files(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob("*.sql")
	if err != nil {
		t.Fatal(err)
	}
	if len(names) == 0 {
		t.Fatal("no migration files found")
	}
	slices.Sort(names)
	return names
}

func TestFileNames(t *testing.T) {
	valid := regexp.MustCompile(`^\d{14}_[a-z][a-z0-9]*_[a-z0-9_]+\.tx\.up\.sql$`)
	seen := map[string]string{}
	for _, f := range files(t) {
		if !valid.MatchString(f) {
			t.Errorf("%s: want TIMESTAMP_MODULE_what.tx.up.sql (every migration runs in a transaction)", f)
		}
		stamp := f[:14]
		if other, dup := seen[stamp]; dup {
			t.Errorf("%s and %s share the timestamp %s: the order would be ambiguous", other, f, stamp)
		}
		seen[stamp] = f
	}
}

func TestUpAppliesEverythingOnceThenNothing(t *testing.T) {
	want := files(t)
	for i, f := range want {
		want[i] = strings.TrimSuffix(f, ".tx.up.sql")
	}
	eachDB(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		applied, err := migrations.Up(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(applied, want) {
			t.Fatalf("first Up applied %v, want %v", applied, want)
		}
		again, err := migrations.Up(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		if len(again) != 0 {
			t.Fatalf("second Up applied %v, want nothing", again)
		}

		list, err := migrations.List(ctx, d)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, s := range list {
			names = append(names, s.Name)
			if !s.Applied {
				t.Errorf("%s is listed as pending after Up", s.Name)
			}
		}
		if !slices.Equal(names, want) {
			t.Fatalf("List = %v, want %v", names, want)
		}

		// The schema is really there, and recorded once per migration.
		for _, table := range []string{"accounts", "users", "memberships", "sessions", "api_tokens", "audit_events"} {
			if _, err := d.NewSelect().TableExpr(table).Count(ctx); err != nil {
				t.Errorf("table %s: %v", table, err)
			}
		}
		n, err := d.NewSelect().TableExpr("schema_migrations").Count(ctx)
		if err != nil || int(n) != len(want) {
			t.Fatalf("schema_migrations holds %d rows (%v), want %d", n, err, len(want))
		}
	})
}

func TestListBeforeUpShowsEverythingPending(t *testing.T) {
	eachDB(t, func(t *testing.T, d *bun.DB) {
		list, err := migrations.List(context.Background(), d)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != len(files(t)) {
			t.Fatalf("List has %d entries, want %d", len(list), len(files(t)))
		}
		for _, s := range list {
			if s.Applied {
				t.Errorf("%s is applied on an empty database", s.Name)
			}
		}
	})
}

// set builds a migration sequence from files held in memory.
func set(t *testing.T, fs fstest.MapFS) *migrate.Migrations {
	t.Helper()
	ms := migrate.NewMigrations()
	if err := ms.Discover(fs); err != nil {
		t.Fatal(err)
	}
	return ms
}

// applied lists what schema_migrations records: the migrations' timestamps.
func applied(t *testing.T, d *bun.DB) []string {
	t.Helper()
	var names []string
	if err := d.NewSelect().TableExpr("schema_migrations").Column("name").OrderExpr("name").Scan(context.Background(), &names); err != nil {
		t.Fatal(err)
	}
	return names
}

func TestFailedMigrationIsNotRecordedAndIsRolledBack(t *testing.T) {
	good := &fstest.MapFile{Data: []byte("CREATE TABLE good_things (id {{.PK}}, name {{.Text}} NOT NULL);\n--bun:split\nINSERT INTO good_things (name) VALUES ('kept');\n")}
	// The failing migration creates a table and a row before its last statement fails:
	// all of it must be rolled back.
	bad := &fstest.MapFile{Data: []byte("CREATE TABLE half_done (id {{.PK}});\n--bun:split\nINSERT INTO half_done (id) VALUES (1);\n--bun:split\nINSERT INTO no_such_table (id) VALUES (1);\n")}
	fixed := &fstest.MapFile{Data: []byte("CREATE TABLE half_done (id {{.PK}});\n--bun:split\nINSERT INTO half_done (id) VALUES (1);\n")}

	eachDB(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		broken := set(t, fstest.MapFS{
			"20990101000000_test_good.tx.up.sql": good,
			"20990101000100_test_bad.tx.up.sql":  bad,
		})
		names, err := migrations.Run(ctx, d, broken)
		if err == nil {
			t.Fatal("a failing migration returned no error")
		}
		if !strings.Contains(err.Error(), "20990101000100") {
			t.Errorf("the error must name the failing migration: %v", err)
		}
		if !slices.Equal(names, []string{"20990101000000_test_good"}) {
			t.Fatalf("Run reported %v as applied, want only the good one", names)
		}
		if got := applied(t, d); !slices.Equal(got, []string{"20990101000000"}) {
			t.Fatalf("schema_migrations = %v, want only the good one", got)
		}
		if n, err := d.NewSelect().TableExpr("good_things").Count(ctx); err != nil || n != 1 {
			t.Fatalf("the good migration's row: %d, %v", n, err)
		}
		if _, err := d.NewSelect().TableExpr("half_done").Count(ctx); err == nil {
			t.Fatal("the failed migration's table survived: it was not rolled back")
		}

		// The next run tries it again (and fails again): still nothing recorded.
		if names, err := migrations.Run(ctx, d, broken); err == nil || len(names) != 0 {
			t.Fatalf("second run: %v, %v; want the same failure and nothing applied", names, err)
		}
		if got := applied(t, d); len(got) != 1 {
			t.Fatalf("schema_migrations after a second failure = %v", got)
		}

		// Once fixed, it applies, and only it.
		names, err = migrations.Run(ctx, d, set(t, fstest.MapFS{
			"20990101000000_test_good.tx.up.sql": good,
			"20990101000100_test_bad.tx.up.sql":  fixed,
		}))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(names, []string{"20990101000100_test_bad"}) {
			t.Fatalf("after the fix Run applied %v", names)
		}
		if n, err := d.NewSelect().TableExpr("half_done").Count(ctx); err != nil || n != 1 {
			t.Fatalf("the fixed migration's row: %d, %v", n, err)
		}
	})
}

func TestMigrationsLeaveNoLock(t *testing.T) {
	eachDB(t, func(t *testing.T, d *bun.DB) {
		ctx := context.Background()
		if _, err := migrations.Run(ctx, d, set(t, fstest.MapFS{
			"20990101000000_test_bad.tx.up.sql": {Data: []byte("SELECT * FROM no_such_table;\n")},
		})); err == nil {
			t.Fatal("expected a failure")
		}
		// A failure must release the lock, or every later start would wait on it.
		if _, err := migrations.Up(ctx, d); err != nil {
			t.Fatalf("Up after a failed run: %v", err)
		}
	})
}
