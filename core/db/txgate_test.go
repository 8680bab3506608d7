package db

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/uptrace/bun"
)

func openTemp(t *testing.T) *bun.DB {
	t.Helper()
	d, err := Open("sqlite://" + filepath.Join(t.TempDir(), "gate.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Exec("CREATE TABLE rows (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	return d
}

// TestWriteGateSerializesTransactions: many writers at once all succeed, one transaction at a
// time, while reads go on beside them.
func TestWriteGateSerializesTransactions(t *testing.T) {
	d := openTemp(t)
	ctx := context.Background()
	var inside, most atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for w := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				err := d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
					n := inside.Add(1)
					defer inside.Add(-1)
					for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
					}
					_, err := tx.NewRaw("INSERT INTO rows (n) VALUES (?)", w*100+i).Exec(ctx)
					return err
				})
				if err != nil {
					errs <- err
					return
				}
				var c int
				if err := d.NewRaw("SELECT COUNT(*) FROM rows").Scan(ctx, &c); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	var c int
	if err := d.NewRaw("SELECT COUNT(*) FROM rows").Scan(ctx, &c); err != nil || c != 32*20 {
		t.Fatalf("rows %d (%v), want %d", c, err, 32*20)
	}
	if most.Load() != 1 {
		t.Fatalf("%d transactions ran at once", most.Load())
	}
}

// TestWriteGateIsGivenBack after a commit, an error (rollback), a panic, a failed BEGIN and a
// nested transaction: the next transaction starts at once.
func TestWriteGateIsGivenBack(t *testing.T) {
	d := openTemp(t)
	ctx := context.Background()
	quick := func(what string) {
		t.Helper()
		c, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		if err := d.RunInTx(c, nil, func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.NewRaw("INSERT INTO rows (n) VALUES (1)").Exec(ctx)
			return err
		}); err != nil {
			t.Fatalf("a transaction after %s: %v (the gate was not given back)", what, err)
		}
	}
	quick("nothing")
	quick("a commit")

	boom := errors.New("boom")
	if err := d.RunInTx(ctx, nil, func(context.Context, bun.Tx) error { return boom }); !errors.Is(err, boom) {
		t.Fatal(err)
	}
	quick("a rollback")

	func() {
		defer func() { _ = recover() }()
		_ = d.RunInTx(ctx, nil, func(context.Context, bun.Tx) error { panic("in a transaction") })
	}()
	quick("a panic")

	done, cancel := context.WithCancel(ctx)
	cancel()
	if err := d.RunInTx(done, nil, func(context.Context, bun.Tx) error { return nil }); err == nil {
		t.Fatal("a transaction on a cancelled context began")
	}
	quick("a BEGIN that failed")

	if err := d.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return tx.RunInTx(ctx, nil, func(ctx context.Context, sp bun.Tx) error {
			_, err := sp.NewRaw("INSERT INTO rows (n) VALUES (2)").Exec(ctx)
			return err
		})
	}); err != nil {
		t.Fatalf("nested transaction: %v", err)
	}
	quick("a nested transaction")

	// A transaction that holds the gate makes the next one wait for it, not fail.
	started, release := make(chan struct{}), make(chan struct{})
	go func() {
		_ = d.RunInTx(ctx, nil, func(context.Context, bun.Tx) error {
			close(started)
			<-release
			return nil
		})
	}()
	<-started
	time.AfterFunc(100*time.Millisecond, func() { close(release) })
	began := time.Now()
	quick("a transaction that held the gate for 100 ms")
	if w := time.Since(began); w < 90*time.Millisecond {
		t.Fatalf("the second transaction waited %v, not for the first", w)
	}
}
