package db

import (
	"context"
	"slices"
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
// REPLACE of the table; a WITH statement naming it anywhere — a false positive merely drops a
// cache), and the
// transaction by the context bun gives from BEGIN to the callback and to COMMIT.
func Watch(bdb *bun.DB, changed func(), tables ...string) {
	bdb.AddQueryHook(&watchHook{tables: tables, changed: changed})
}

type watchHook struct {
	tables  []string
	changed func()
}

// watchKey is per hook: two watches (the outbox's and the memberships') each mark their own
// transaction state. With one key for all, the last hook's mark was shared, so a transaction
// that wrote the outbox dropped the membership caches at its commit (and the outbox's watch
// could miss its own).
type watchKey struct{ h *watchHook }

// touched marks a transaction that wrote a watched table.
type touched struct{ wrote bool }

func (h *watchHook) BeforeQuery(ctx context.Context, ev *bun.QueryEvent) context.Context {
	if ev.Query == "BEGIN" {
		return context.WithValue(ctx, watchKey{h}, &touched{})
	}
	return ctx
}

func (h *watchHook) AfterQuery(ctx context.Context, ev *bun.QueryEvent) {
	switch ev.Query {
	case "BEGIN", "ROLLBACK":
		return
	case "COMMIT":
		if t, ok := ctx.Value(watchKey{h}).(*touched); ok && t.wrote {
			t.wrote = false
			h.changed()
		}
		return
	}
	if !h.writes(ev.Query) {
		return
	}
	if t, ok := ctx.Value(watchKey{h}).(*touched); ok {
		t.wrote = true
	}
	h.changed()
}

// writes reports whether q may write a watched table. An INSERT, UPDATE, DELETE or REPLACE
// writes the one table it names first (after INTO, UPDATE or FROM): only that name is
// compared, so that a write elsewhere that reads a watched table (INSERT INTO x SELECT ...
// FROM memberships) does not drop the caches — the planning module's resources are made that
// way on every read. A WITH statement may write any table it names: any mention counts.
func (h *watchHook) writes(q string) bool {
	q = strings.TrimLeft(q, " \t\r\n(")
	if len(q) < 6 {
		return false
	}
	switch q[0] | 0x20 {
	case 'i', 'u', 'd', 'r': // INSERT, UPDATE, DELETE, REPLACE
		if t, ok := target(q); ok {
			return slices.Contains(h.tables, t)
		}
	case 'w': // WITH ... (maybe a write)
		if !containsFold(q, "insert") && !containsFold(q, "update") && !containsFold(q, "delete") {
			return false
		}
	default:
		return false
	}
	for _, t := range h.tables {
		if strings.Contains(q, t) {
			return true
		}
	}
	return false
}

// target is the table an INSERT, UPDATE, DELETE or REPLACE statement writes, unquoted and
// without its schema; ok is false when the text does not read as one (the caller then falls
// back to any mention).
func target(q string) (string, bool) {
	words := strings.Fields(q)
	i := 0
	next := func() string {
		if i >= len(words) {
			return ""
		}
		i++
		return strings.ToUpper(words[i-1])
	}
	switch next() {
	case "INSERT", "REPLACE":
		w := next()
		for w == "OR" || w == "ROLLBACK" || w == "ABORT" || w == "FAIL" || w == "IGNORE" || w == "REPLACE" {
			w = next()
		}
		if w != "INTO" {
			return "", false
		}
	case "UPDATE":
		if w := strings.ToUpper(peek(words, i)); w == "OR" {
			i += 2
		}
	case "DELETE":
		if next() != "FROM" {
			return "", false
		}
	default:
		return "", false
	}
	if i >= len(words) {
		return "", false
	}
	name := words[i]
	if j := strings.IndexAny(name, "( "); j > 0 {
		name = name[:j]
	}
	if j := strings.LastIndexByte(name, '.'); j >= 0 {
		name = name[j+1:]
	}
	name = strings.Trim(name, "\"`[]")
	return name, name != ""
}

func peek(words []string, i int) string {
	if i < len(words) {
		return words[i]
	}
	return ""
}

func containsFold(s, sub string) bool {
	return strings.Contains(s, sub) || strings.Contains(s, strings.ToUpper(sub))
}
