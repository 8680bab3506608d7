package privacy_test

// Helpers of the privacy tests: an App with every module, the grep of a whole database (and
// of its files) for a person's traces, and the rows an account still has.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strings"
	"testing"

	"groupcamp/core/app"
	"groupcamp/core/db"
	"groupcamp/core/testkit"
	"groupcamp/modules"
	"groupcamp/modules/privacy"
)

func TestMain(m *testing.M) { testkit.Main(m) }

func options() testkit.Options { return testkit.Options{Modules: modules.All()} }

// eachDB runs fn on every test database, on the package's shared App.
func eachDB(t *testing.T, fn func(t *testing.T, e *testkit.Env)) {
	testkit.EachShared(t, options(), fn)
}

// eachOwnDB runs fn on an App of its own on every database: for the tests that read the
// database's files, which other tests must not be writing.
func eachOwnDB(t *testing.T, fn func(t *testing.T, e *testkit.Env)) {
	testkit.EachOwn(t, options(), fn)
}

// service is the privacy module's service in e's App.
func service(t testing.TB, e *testkit.Env) *privacy.Service {
	for _, m := range e.Modules {
		if p, ok := m.(*privacy.Module); ok {
			return p.Service()
		}
	}
	panic("no privacy module")
}

// tables lists every table of the database.
func tables(t *testing.T, a *app.App) []string {
	t.Helper()
	var out []string
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`
	if db.IsPostgres(a.DB) {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`
	}
	if err := a.DB.NewRaw(q).Scan(context.Background(), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// grep returns "table: value" for every cell of every table that holds one of needles.
func grep(t *testing.T, a *app.App, needles ...string) []string {
	t.Helper()
	var hits []string
	ctx := context.Background()
	for _, table := range tables(t, a) {
		rows, err := a.DB.QueryContext(ctx, "SELECT * FROM "+table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				s := fmt.Sprint(v)
				if b, ok := v.([]byte); ok {
					s = string(b)
				}
				for _, n := range needles {
					if strings.Contains(strings.ToLower(s), strings.ToLower(n)) {
						hits = append(hits, fmt.Sprintf("%s.%s: %.200s", table, cols[i], s))
					}
				}
			}
		}
		rows.Close()
	}
	return hits
}

// grepFiles searches the SQLite database file and its write-ahead log, byte by byte: deleted
// rows linger in free pages and in the log unless they are zeroed and checkpointed.
func grepFiles(t *testing.T, e *testkit.Env, needles ...string) []string {
	t.Helper()
	if e.DB != "sqlite" {
		return nil
	}
	path := strings.TrimPrefix(e.App.Config.DatabaseURL, "sqlite://")
	var hits []string
	for _, f := range []string{path, path + "-wal"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, n := range needles {
			if bytes.Contains(b, []byte(n)) {
				hits = append(hits, f+": "+n)
			}
		}
	}
	return hits
}

// rowsOf counts the rows of the account in every table that has an account_id.
func rowsOf(t *testing.T, a *app.App, accountID int64) map[string]int {
	t.Helper()
	ctx := context.Background()
	list, err := db.AccountTables(ctx, a.DB)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, table := range list {
		n, err := a.DB.NewSelect().TableExpr(table).Where("account_id = ?", accountID).Count(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			out[table] = int(n)
		}
	}
	return out
}
