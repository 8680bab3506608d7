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
