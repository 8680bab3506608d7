package search

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
)

// index is the dialect's side of the search: how documents are written, removed and found.
type index struct {
	postgres bool
}

func indexFor(idb bun.IDB) index { return index{postgres: db.IsPostgres(idb)} }

// putBatch bounds the rows of one multi-row statement.
const putBatch = 200

// Highlight markers: control characters, which indexed text never holds (clean removes them),
// so that the highlighted text can be escaped first and marked up after.
const (
	markOpen  = "\x02"
	markClose = "\x03"
)

// clean makes text fit for the index: control characters (the markers among them) become
// spaces, invalid UTF-8 too, and a text longer than maxText is cut at a character boundary (a
// document's first 64 KiB are what is searched and shown).
func clean(s string) string {
	if len(s) > maxText {
		cut := maxText
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || !unicode.IsControl(r) {
			return r
		}
		return ' '
	}, strings.ToValidUTF8(s, " "))
}

const maxText = 64 << 10

// covered lists the ids of the indexed documents that refs cover: each ref's document, the
// documents whose parent it is, and for a project every document of the project. One simple
// select per kind of link, each on its index (an OR across columns would scan the account).
func (ix index) covered(ctx context.Context, idb bun.IDB, accountID int64, refs []hooks.Ref) ([]int64, error) {
	var out []int64
	add := func(q *bun.SelectQuery) error {
		var ids []int64
		if err := q.Scan(ctx, &ids); err != nil {
			return err
		}
		out = append(out, ids...)
		return nil
	}
	sel := func() *bun.SelectQuery {
		return idb.NewSelect().Table("search_docs").Column("id").Where("account_id = ?", accountID)
	}
	byKind := map[string][]int64{}
	parents := make([]string, 0, len(refs))
	var projects []int64
	for _, r := range refs {
		byKind[r.Kind] = append(byKind[r.Kind], r.ID)
		parents = append(parents, r.String())
		if r.Kind == "project" {
			projects = append(projects, r.ID)
		}
	}
	for kind, ids := range byKind {
		if err := add(sel().Where("kind = ? AND ref_id IN (?)", kind, bun.In(ids))); err != nil {
			return nil, err
		}
	}
	if err := add(sel().Where("parent IN (?)", bun.In(parents))); err != nil {
		return nil, err
	}
	if len(projects) > 0 {
		if err := add(sel().Where("project_id IN (?)", bun.In(projects))); err != nil {
			return nil, err
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// put writes docs (insert or replace) and returns the ids it wrote.
func (ix index) put(ctx context.Context, idb bun.IDB, docs []hooks.Document) (map[int64]bool, error) {
	kept := make(map[int64]bool, len(docs))
	now := db.Now()
	for start := 0; start < len(docs); start += putBatch {
		part := docs[start:min(start+putBatch, len(docs))]
		if err := ix.putPart(ctx, idb, part, now, kept); err != nil {
			return nil, err
		}
	}
	return kept, nil
}

type written struct {
	ID    int64  `bun:"id"`
	Kind  string `bun:"kind"`
	RefID int64  `bun:"ref_id"`
}

func (ix index) putPart(ctx context.Context, idb bun.IDB, docs []hooks.Document, now time.Time, kept map[int64]bool) error {
	// One row per ref: a source that calls twice with the same document keeps the last.
	seen := map[hooks.Ref]int{}
	uniq := docs[:0:0]
	for _, d := range docs {
		r := hooks.Ref{Kind: d.Kind, ID: d.ID}
		if i, ok := seen[r]; ok {
			uniq[i] = d
			continue
		}
		seen[r] = len(uniq)
		uniq = append(uniq, d)
	}
	var sb strings.Builder
	args := make([]any, 0, len(uniq)*12)
	sb.WriteString("INSERT INTO search_docs (account_id, kind, ref_id, project_id, parent, author_id, url, updated_at, indexed_at")
	if ix.postgres {
		sb.WriteString(", title, body, aud")
	}
	sb.WriteString(") VALUES ")
	for i, d := range uniq {
		if i > 0 {
			sb.WriteString(", ")
		}
		args = append(args, d.AccountID, d.Kind, d.ID, d.ProjectID, d.Parent, d.AuthorID, d.URL, d.UpdatedAt.UTC(), now)
		if ix.postgres {
			sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			args = append(args, clean(d.Title), clean(d.Body), pgdialect.Array(tokens(d.AccountID, d.Audience)))
		} else {
			sb.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?)")
		}
	}
	sb.WriteString(" ON CONFLICT (account_id, kind, ref_id) DO UPDATE SET project_id = excluded.project_id, parent = excluded.parent, author_id = excluded.author_id, url = excluded.url, updated_at = excluded.updated_at, indexed_at = excluded.indexed_at")
	if ix.postgres {
		sb.WriteString(", title = excluded.title, body = excluded.body, aud = excluded.aud")
	}
	sb.WriteString(" RETURNING id, kind, ref_id")
	var rows []written
	if err := idb.NewRaw(sb.String(), args...).Scan(ctx, &rows); err != nil {
		return fmt.Errorf("search: put: %w", err)
	}
	ids := make([]int64, len(uniq))
	for _, w := range rows {
		kept[w.ID] = true
		ids[seen[hooks.Ref{Kind: w.Kind, ID: w.RefID}]] = w.ID
	}
	if ix.postgres {
		return nil
	}
	// SQLite: the text goes to the FTS5 table under the document's id (replaced whole).
	if _, err := idb.NewRaw("DELETE FROM search_fts WHERE rowid IN (?)", bun.In(ids)).Exec(ctx); err != nil {
		return fmt.Errorf("search: put: %w", err)
	}
	sb.Reset()
	args = args[:0]
	sb.WriteString("INSERT INTO search_fts (rowid, title, body) VALUES ")
	for i, d := range uniq {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(?, ?, ?)")
		args = append(args, ids[i], clean(d.Title), clean(d.Body))
	}
	if _, err := idb.NewRaw(sb.String(), args...).Exec(ctx); err != nil {
		return fmt.Errorf("search: put: %w", err)
	}
	// The audience: one row per token.
	if _, err := idb.NewRaw("DELETE FROM search_aud WHERE doc_id IN (?)", bun.In(ids)).Exec(ctx); err != nil {
		return fmt.Errorf("search: put: %w", err)
	}
	sb.Reset()
	args = args[:0]
	for i, d := range uniq {
		for _, tok := range tokens(d.AccountID, d.Audience) {
			if len(args) == 0 {
				sb.WriteString("INSERT INTO search_aud (doc_id, token) VALUES (?, ?)")
			} else {
				sb.WriteString(", (?, ?)")
			}
			args = append(args, ids[i], tok)
		}
	}
	if len(args) == 0 {
		return nil
	}
	if _, err := idb.NewRaw(sb.String(), args...).Exec(ctx); err != nil {
		return fmt.Errorf("search: put: %w", err)
	}
	return nil
}

// remove deletes documents by id.
func (ix index) remove(ctx context.Context, idb bun.IDB, ids []int64) error {
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		if !ix.postgres {
			if _, err := idb.NewRaw("DELETE FROM search_fts WHERE rowid IN (?)", bun.In(part)).Exec(ctx); err != nil {
				return fmt.Errorf("search: remove: %w", err)
			}
			if _, err := idb.NewRaw("DELETE FROM search_aud WHERE doc_id IN (?)", bun.In(part)).Exec(ctx); err != nil {
				return fmt.Errorf("search: remove: %w", err)
			}
		}
		if _, err := idb.NewRaw("DELETE FROM search_docs WHERE id IN (?)", bun.In(part)).Exec(ctx); err != nil {
			return fmt.Errorf("search: remove: %w", err)
		}
	}
	return nil
}

// removeWhere deletes the account's documents matching the condition (on search_docs).
func (ix index) removeWhere(ctx context.Context, idb bun.IDB, accountID int64, cond string, args ...any) (int, error) {
	var ids []int64
	if err := idb.NewSelect().Table("search_docs").Column("id").Where("account_id = ?", accountID).
		Where(cond, args...).Scan(ctx, &ids); err != nil {
		return 0, err
	}
	return len(ids), ix.remove(ctx, idb, ids)
}

// removeOlder deletes the account's documents last written before t.
func (ix index) removeOlder(ctx context.Context, idb bun.IDB, accountID int64, t time.Time) error {
	_, err := ix.removeWhere(ctx, idb, accountID, "indexed_at < ?", t)
	return err
}
