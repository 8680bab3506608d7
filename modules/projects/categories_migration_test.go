package projects_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/uptrace/bun/migrate"

	"groupcamp/core/db"
	"groupcamp/core/testkit"
	"groupcamp/migrations"
)

// The migration of project categories turns the free-text categories projects had into the
// account's list: one row per account and name ignoring case and spaces, each project
// pointing at its row with the row's spelling; empty categories stay empty.
func TestCategoriesMigrationFromFreeText(t *testing.T) {
	t.Parallel()
	const mine = "20261218110000"
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			url := "sqlite://" + filepath.Join(t.TempDir(), "m.db")
			if kind == "postgres" {
				url = testkit.PostgresURL(t)
			}
			d, err := db.Open(url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d.Close() })
			ctx := context.Background()
			all, err := migrations.All()
			if err != nil {
				t.Fatal(err)
			}
			before := migrate.NewMigrations()
			for _, m := range all.Sorted() {
				if m.Name < mine {
					before.Add(m)
				}
			}
			if _, err := migrations.Run(ctx, d, before); err != nil {
				t.Fatal(err)
			}
			now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			accounts := map[string]int64{}
			for _, slug := range []string{"acme", "other"} {
				if err := d.NewRaw("INSERT INTO accounts (slug, name, country, currency, created_at, updated_at) VALUES (?, ?, 'FR', 'EUR', ?, ?) RETURNING id",
					slug, slug, now, now).Scan(ctx, new(int64)); err != nil {
					t.Fatal(err)
				}
				var id int64
				if err := d.NewRaw("SELECT id FROM accounts WHERE slug = ?", slug).Scan(ctx, &id); err != nil {
					t.Fatal(err)
				}
				accounts[slug] = id
			}
			for i, p := range []struct{ acc, name, category string }{
				{"acme", "A1", "Marketing"}, {"acme", "A2", " marketing "}, {"acme", "A3", "Ops"}, {"acme", "A4", ""},
				{"other", "B1", "marketing"},
			} {
				if _, err := d.NewRaw("INSERT INTO projects (account_id, name, category, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
					accounts[p.acc], p.name, p.category, now.Add(time.Duration(i)*time.Minute), now).Exec(ctx); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := migrations.Run(ctx, d, all); err != nil {
				t.Fatal(err)
			}
			type row struct {
				Account  int64  `bun:"account_id"`
				Name     string `bun:"name"`
				Position int    `bun:"position"`
			}
			var cats []row
			if err := d.NewRaw("SELECT account_id, name, position FROM project_categories ORDER BY account_id, position").Scan(ctx, &cats); err != nil {
				t.Fatal(err)
			}
			want := []row{{accounts["acme"], "Marketing", 1}, {accounts["acme"], "Ops", 2}, {accounts["other"], "marketing", 1}}
			if len(cats) != len(want) {
				t.Fatalf("categories %+v, want %+v", cats, want)
			}
			for i := range want {
				if cats[i] != want[i] {
					t.Errorf("category %d: %+v, want %+v", i, cats[i], want[i])
				}
			}
			var projects []struct {
				Name     string `bun:"name"`
				Category string `bun:"category"`
				CatName  string `bun:"cat_name"`
			}
			if err := d.NewRaw("SELECT p.name, p.category, COALESCE(c.name, '') AS cat_name FROM projects p LEFT JOIN project_categories c ON c.id = p.category_id ORDER BY p.name").Scan(ctx, &projects); err != nil {
				t.Fatal(err)
			}
			wantP := map[string][2]string{"A1": {"Marketing", "Marketing"}, "A2": {"Marketing", "Marketing"}, "A3": {"Ops", "Ops"}, "A4": {"", ""}, "B1": {"marketing", "marketing"}}
			for _, p := range projects {
				if got := [2]string{p.Category, p.CatName}; got != wantP[p.Name] {
					t.Errorf("project %s: category %q, row %q; want %v", p.Name, p.Category, p.CatName, wantP[p.Name])
				}
			}
		})
	}
}
