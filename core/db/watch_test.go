package db

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/uptrace/bun"
)

func TestWatch(t *testing.T) {
	bdb, err := Open("sqlite://" + t.TempDir() + "/w.db")
	if err != nil {
		t.Fatal(err)
	}
	defer bdb.Close()
	ctx := t.Context()
	var calls atomic.Int32
	Watch(bdb, func() { calls.Add(1) }, "memberships")
	for _, q := range []string{"CREATE TABLE memberships (id INTEGER PRIMARY KEY, role TEXT)", "CREATE TABLE other (id INTEGER)"} {
		if _, err := bdb.ExecContext(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := bdb.NewRaw("INSERT INTO memberships (id, role) VALUES (1, 'member')").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("after an insert: %d calls", n)
	}
	var role string
	if err := bdb.NewRaw("SELECT role FROM memberships WHERE id = 1").Scan(ctx, &role); err != nil {
		t.Fatal(err)
	}
	if _, err := bdb.NewRaw("INSERT INTO other (id) VALUES (1)").Exec(ctx); err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("reads and other tables: %d calls", n)
	}
	err = bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewRaw("UPDATE memberships SET role = 'admin' WHERE id = 1").Exec(ctx)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 3 {
		t.Fatalf("a transaction: %d calls, want one at the statement and one at the commit", n)
	}
	_ = bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewRaw("UPDATE memberships SET role = 'owner' WHERE id = 1").Exec(ctx); err != nil {
			return err
		}
		return errors.New("roll back")
	})
	if n := calls.Load(); n != 4 {
		t.Fatalf("a rolled back transaction: %d calls", n)
	}
}

// TestWatchNamesTheWrittenTable: a write is recognized by the table it writes, not by a
// table it reads (planning makes its resources with INSERT ... SELECT ... FROM memberships on
// every read: that must not drop the membership caches of every request).
func TestWatchNamesTheWrittenTable(t *testing.T) {
	h := &watchHook{tables: []string{"memberships", "accounts"}}
	for q, want := range map[string]bool{
		`INSERT INTO "memberships" ("account_id") VALUES (1)`:                                   true,
		`INSERT INTO memberships(account_id) VALUES (1)`:                                        true,
		`INSERT OR IGNORE INTO main.memberships (id) VALUES (1)`:                                true,
		`UPDATE "memberships" AS "m" SET "role" = 'admin'`:                                      true,
		`UPDATE OR REPLACE accounts SET name = 'x'`:                                             true,
		`DELETE FROM "accounts" WHERE id = 1`:                                                   true,
		`REPLACE INTO memberships (id) VALUES (1)`:                                              true,
		`WITH gone AS (DELETE FROM memberships RETURNING id) SELECT 1`:                          true,
		`INSERT INTO planning_resources (account_id) SELECT m.account_id FROM memberships AS m`: false,
		`UPDATE search_docs SET title = (SELECT name FROM accounts WHERE id = 1)`:               false,
		`DELETE FROM outbox WHERE account_id IN (SELECT id FROM accounts)`:                      false,
		`SELECT * FROM memberships`:                                                             false,
		`WITH x AS (SELECT 1) SELECT * FROM memberships`:                                        false,
	} {
		if got := h.writes(q); got != want {
			t.Errorf("writes(%q) = %v, want %v", q, got, want)
		}
	}
}
