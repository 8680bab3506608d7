package db

import (
	"context"
	"strings"

	"github.com/uptrace/bun"
)

// Watch calls changed whenever a statement that may write one of tables has taken effect: at
// once after the statement (outside a transaction it has then), and again after the COMMIT of
// its transaction, when other connections can first read it. Caches of what those tables hold
// drop their entries in changed; a lookup that began before the call must not store what it
// read (it may have read the state before the commit), which a generation counter taken before
// the lookup and compared at the store decides.
//
// It is a bun query hook: a statement is recognized by its text (an INSERT, UPDATE, DELETE or
// REPLACE naming the table anywhere — a false positive merely drops a cache), and the
// transaction by the context bun gives from BEGIN to the callback and to COMMIT.
func Watch(bdb *bun.DB, changed func(), tables ...string) {
	bdb.AddQueryHook(&watchHook{tables: tables, changed: changed})
}

type watchHook struct {
	tables  []string
	changed func()
}

type watchKey struct{}

// touched marks a transaction that wrote a watched table.
type touched struct{ wrote bool }

func (h *watchHook) BeforeQuery(ctx context.Context, ev *bun.QueryEvent) context.Context {
	if ev.Query == "BEGIN" {
		return context.WithValue(ctx, watchKey{}, &touched{})
	}
	return ctx
}

func (h *watchHook) AfterQuery(ctx context.Context, ev *bun.QueryEvent) {
	switch ev.Query {
	case "BEGIN", "ROLLBACK":
		return
	case "COMMIT":
		if t, ok := ctx.Value(watchKey{}).(*touched); ok && t.wrote {
			t.wrote = false
			h.changed()
		}
		return
	}
	if !h.writes(ev.Query) {
		return
	}
	if t, ok := ctx.Value(watchKey{}).(*touched); ok {
		t.wrote = true
	}
	h.changed()
}

// writes reports whether q may write a watched table.
func (h *watchHook) writes(q string) bool {
	q = strings.TrimLeft(q, " \t\r\n(")
	if len(q) < 6 {
		return false
	}
	switch q[0] | 0x20 {
	case 'i', 'u', 'd', 'r', 'w': // INSERT, UPDATE, DELETE, REPLACE, WITH ... (maybe a write)
	default:
		return false
	}
	if (q[0]|0x20) == 'w' && !containsFold(q, "insert") && !containsFold(q, "update") && !containsFold(q, "delete") {
		return false
	}
	for _, t := range h.tables {
		if strings.Contains(q, t) {
			return true
		}
	}
	return false
}

func containsFold(s, sub string) bool {
	return strings.Contains(s, sub) || strings.Contains(s, strings.ToUpper(sub))
}
