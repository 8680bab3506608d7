package walk

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
	"groupcamp/migrations"
)

// PersonalDataCoverage fails t for every table of the migrated schema that holds a person —
// a column that references users, or is named like a person's id (user_id, *_user_id,
// author_id, actor_id, *_by, leader_id, ...), or holds an email, an IP address, a browser or a
// person's name (actor_name, invited_name, ...) — and that no personal-data provider
// (hooks.PersonalData) of the module whose migration created it names in Tables(): an
// erasure cannot forget a new table. It checks the tables of core and of the modules the App
// runs, and that every table a provider names exists and is its module's.
func PersonalDataCoverage(t testing.TB, e *testkit.Env) {
	t.Helper()
	modules := []string{"core"}
	for _, m := range e.Modules {
		modules = append(modules, m.Name())
	}
	gaps, err := PersonalDataGaps(context.Background(), e.App.DB, e.App.Hooks.PersonalData, modules)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range gaps {
		t.Error(g)
	}
}

// PersonalDataGaps lists what PersonalDataCoverage fails on, for the tables of the given
// modules ("core" for core's).
func PersonalDataGaps(ctx context.Context, d *bun.DB, providers []hooks.Named[hooks.PersonalData], modules []string) ([]string, error) {
	owners, err := migrations.TableOwners()
	if err != nil {
		return nil, err
	}
	cols, err := Columns(ctx, d)
	if err != nil {
		return nil, err
	}
	named := map[string]map[string]bool{}
	var gaps []string
	for _, p := range providers {
		if named[p.Module] == nil {
			named[p.Module] = map[string]bool{}
		}
		for _, table := range p.Hook.Tables() {
			named[p.Module][table] = true
			switch owner, ok := owners[table]; {
			case cols[table] == nil:
				gaps = append(gaps, fmt.Sprintf("a personal-data provider of %s (%T) names the table %s, which does not exist", p.Module, p.Hook, table))
			case ok && owner != p.Module:
				gaps = append(gaps, fmt.Sprintf("a personal-data provider of %s (%T) names the table %s, which module %s created: each module answers for its own tables", p.Module, p.Hook, table, owner))
			}
		}
	}
	tables := make([]string, 0, len(cols))
	for t := range cols {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	for _, table := range tables {
		owner := owners[table]
		var why []string
		for _, c := range cols[table] {
			if r := personColumn(c); r != "" {
				why = append(why, c.Name+" ("+r+")")
			}
		}
		switch {
		case len(why) == 0:
		case owner == "":
			gaps = append(gaps, fmt.Sprintf("table %s holds %s, and no migration file creates it: name its module", table, strings.Join(why, ", ")))
		case !slices.Contains(modules, owner):
			// Another module's table: checked where that module runs.
		case !named[owner][table]:
			gaps = append(gaps, fmt.Sprintf("table %s (created by %s's migrations) holds %s: no personal-data provider of %s names it in Tables(), so an erasure would leave it — see hooks.PersonalData",
				table, owner, strings.Join(why, ", "), owner))
		}
	}
	return gaps, nil
}

// Column is a column of the schema, and the table its foreign key references ("" for none).
type Column struct {
	Name       string
	References string
}

// Columns reads every table of the database and its columns from the catalog (SQLite's
// pragmas, PostgreSQL's catalog for the current schema).
func Columns(ctx context.Context, d *bun.DB) (map[string][]Column, error) {
	out := map[string][]Column{}
	refs := map[[2]string]string{}
	if db.IsPostgres(d) {
		var cs []struct {
			Table  string `bun:"table_name"`
			Column string `bun:"column_name"`
		}
		if err := d.NewRaw("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position").Scan(ctx, &cs); err != nil {
			return nil, err
		}
		var fks []struct {
			Table  string `bun:"tbl"`
			Column string `bun:"col"`
			Ref    string `bun:"ref"`
		}
		if err := d.NewRaw(`SELECT cl.relname AS tbl, a.attname AS col, rf.relname AS ref
			FROM pg_constraint AS c
			JOIN pg_class AS cl ON cl.oid = c.conrelid
			JOIN pg_class AS rf ON rf.oid = c.confrelid
			JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
			WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`).Scan(ctx, &fks); err != nil {
			return nil, err
		}
		for _, f := range fks {
			refs[[2]string{f.Table, f.Column}] = f.Ref
		}
		for _, c := range cs {
			out[c.Table] = append(out[c.Table], Column{Name: c.Column, References: refs[[2]string{c.Table, c.Column}]})
		}
		return out, nil
	}
	var tables []string
	if err := d.NewRaw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").Scan(ctx, &tables); err != nil {
		return nil, err
	}
	for _, t := range tables {
		var names []string
		if err := d.NewRaw("SELECT name FROM pragma_table_info(?) ORDER BY cid", t).Scan(ctx, &names); err != nil {
			return nil, err
		}
		var fks []struct {
			From  string `bun:"from"`
			Table string `bun:"table"`
		}
		if err := d.NewRaw(`SELECT "from", "table" FROM pragma_foreign_key_list(?)`, t).Scan(ctx, &fks); err != nil {
			return nil, err
		}
		for _, f := range fks {
			refs[[2]string{t, f.From}] = f.Table
		}
		for _, n := range names {
			out[t] = append(out[t], Column{Name: n, References: refs[[2]string{t, n}]})
		}
	}
	return out, nil
}

// personNames are the columns named after a person's name.
var personNames = []string{"actor_name", "author_name", "invited_name", "user_name", "owner_name", "person_name", "full_name", "display_name", "contact_name"}

// personColumn says why a column holds a person ("" when it does not).
func personColumn(c Column) string {
	n := strings.ToLower(c.Name)
	switch {
	case c.References == "users" || c.References == "memberships" && n == "user_id":
		return "references " + c.References
	case n == "user_id", strings.HasSuffix(n, "_user_id"), strings.HasSuffix(n, "_user_ids"), n == "author_id", n == "actor_id",
		n == "assignee_id", n == "leader_id", strings.HasSuffix(n, "_leader_id"), strings.HasSuffix(n, "_by"):
		return "a person's id"
	case n == "email", strings.HasSuffix(n, "_email"):
		return "an email address"
	case n == "ip", strings.HasSuffix(n, "_ip"), n == "ip_address":
		return "an IP address"
	case n == "user_agent":
		return "a browser"
	case slices.Contains(personNames, n):
		return "a person's name"
	}
	return ""
}

// Erase erases the subject through every personal-data provider of the App, in the reverse
// order of the Set (the modules first, core after them, identity last), in one transaction —
// as the privacy module does.
//
// A transaction the database gave up on (a PostgreSQL deadlock with the App's background work,
// such as search indexing the same rows) wrote nothing and runs again, a few times, as the
// privacy module's erasure job would be retried.
func Erase(ctx context.Context, d *bun.DB, set *hooks.Set, s hooks.Subject, e hooks.Erasure) error {
	var err error
	for try := 0; try < 5; try++ {
		if err = eraseOnce(ctx, d, set, s, e); !db.IsContention(err) {
			return err
		}
		time.Sleep(time.Duration(try+1) * 50 * time.Millisecond)
	}
	return err
}

func eraseOnce(ctx context.Context, d *bun.DB, set *hooks.Set, s hooks.Subject, e hooks.Erasure) error {
	return d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for i := len(set.PersonalData) - 1; i >= 0; i-- {
			p := set.PersonalData[i]
			if err := p.Hook.Erase(ctx, tx, s, e); err != nil {
				return fmt.Errorf("%s (%T): %w", p.Module, p.Hook, err)
			}
		}
		return nil
	})
}

// Traces lists where the account's rows still hold any of texts (case-insensitive): "table.column
// (row): text" for every text value of every table with an account_id, in that account — or,
// for accountID 0, of every row of every table of the database.
func Traces(ctx context.Context, d *bun.DB, accountID int64, texts ...string) ([]string, error) {
	cols, err := Columns(ctx, d)
	if err != nil {
		return nil, err
	}
	var out []string
	tables := make([]string, 0, len(cols))
	for t, cs := range cols {
		if accountID == 0 || slices.ContainsFunc(cs, func(c Column) bool { return c.Name == "account_id" }) {
			tables = append(tables, t)
		}
	}
	sort.Strings(tables)
	for _, t := range tables {
		var rows []map[string]any
		q := d.NewSelect().TableExpr("?", bun.Ident(t))
		if accountID != 0 {
			q = q.Where("account_id = ?", accountID)
		}
		if err := q.Scan(ctx, &rows); err != nil {
			return nil, fmt.Errorf("%s: %w", t, err)
		}
		for i, row := range rows {
			for col, v := range row {
				var s string
				switch x := v.(type) {
				case string:
					s = x
				case []byte:
					s = string(x)
				default:
					continue
				}
				for _, needle := range texts {
					if needle != "" && strings.Contains(strings.ToLower(s), strings.ToLower(needle)) {
						out = append(out, fmt.Sprintf("%s.%s (row %d): %.200s", t, col, i, s))
					}
				}
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// Export collects what providers export (hooks.Exporter), by name.
type Export struct {
	mu    sync.Mutex
	Files map[string][]byte
}

// JSON stores v as name.
func (x *Export) JSON(name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return x.put(name, b)
}

// File stores what r holds as name.
func (x *Export) File(name string, r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	return x.put(name, b)
}

func (x *Export) put(name string, b []byte) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.Files == nil {
		x.Files = map[string][]byte{}
	}
	if _, dup := x.Files[name]; dup {
		return fmt.Errorf("export: %s written twice", name)
	}
	x.Files[name] = b
	return nil
}
