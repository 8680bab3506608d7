package db

import (
	"context"
	"time"

	"github.com/uptrace/bun"
)

// writeGate lets the transactions of this process into SQLite one at a time, in Go.
//
// On SQLite every transaction here is a write transaction (_txlock=immediate) and SQLite
// admits one writer at a time. Without the gate the others each take a pooled connection and
// wait in SQLite's busy handler, which sleeps 1, 2, 5, 10 ... 100 ms between attempts: the
// lock sits free between a commit and the next attempt, the CPU idles, and whoever has waited
// longest sleeps longest. Measured with cmd/gcload at concurrency 16 on 2 cores: creating
// teams went from ~3,150 to ~3,800 req/s with p99 from 36 to 13 ms and max from 200-640 to
// 21-47 ms; creating tasks from 500-660 to 1,150-1,300 req/s with p99 from 130-200 to 32-48 ms.
// With the gate, writers queue before they take a connection (readers keep the pool), and the
// next one begins the moment the previous one ends.
//
// It is a bun query hook: BEGIN waits for the gate before database/sql takes a connection;
// the COMMIT or ROLLBACK of that transaction, or a BEGIN that failed, gives it back. SQLite's
// busy timeout stays behind it for what the gate does not see: other processes (migrate,
// backup) and single statements outside a transaction.
type writeGate struct {
	slot chan struct{}
	// wait bounds the wait for the gate, as the busy timeout bounds the wait for the lock;
	// after it the transaction goes to SQLite's own locking, as without the gate, rather
	// than wait forever behind a transaction that never ends.
	wait time.Duration
}

type gateKey struct{}

// held marks the context of a transaction that holds the gate; it gives it back once.
type held struct{ done bool }

func newWriteGate(wait time.Duration) *writeGate {
	return &writeGate{slot: make(chan struct{}, 1), wait: wait}
}

// BeforeQuery takes the gate for a BEGIN.
func (g *writeGate) BeforeQuery(ctx context.Context, ev *bun.QueryEvent) context.Context {
	if ev.Query != "BEGIN" {
		return ctx
	}
	if h, ok := ctx.Value(gateKey{}).(*held); ok && !h.done {
		// A transaction begun on the DB inside another's callback, with its context: it
		// would wait for its own caller. Let it go to SQLite, which fails it at the busy
		// timeout as it always did, and mark it so that its end does not give back the
		// caller's gate.
		return context.WithValue(ctx, gateKey{}, &held{done: true})
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slot <- struct{}{}:
		return context.WithValue(ctx, gateKey{}, &held{})
	case <-ctx.Done(): // BEGIN then fails on the done context
	case <-t.C:
	}
	return ctx
}

// AfterQuery gives the gate back at the end of the transaction that holds it.
func (g *writeGate) AfterQuery(ctx context.Context, ev *bun.QueryEvent) {
	switch ev.Query {
	case "BEGIN":
		if ev.Err == nil {
			return
		}
	case "COMMIT", "ROLLBACK":
	default:
		return
	}
	if h, ok := ctx.Value(gateKey{}).(*held); ok && !h.done {
		h.done = true
		<-g.slot
	}
}
