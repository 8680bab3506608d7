package search

import (
	"context"
	"slices"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// PersonalData is the index's part of a person's GDPR rights. The index is a copy: what it
// holds of a person — their card, what they wrote, text naming them — is kept by the modules
// it copies, which describe and export it. Erasure (run after the modules', which scrub or
// detach their records) purges the copy at once: the documents by or about the person, and
// every document whose text names them (by email or name); those are refreshed from their
// source after the erasure commits (a search.stale event in its transaction), so what the
// account keeps — detached, scrubbed — is found again without the person.
type PersonalData struct {
	DB *bun.DB
}

const catIndex = "search.data.index"

// Tables are the index's tables: they hold copies of names and texts.
func (p PersonalData) Tables() []string {
	// search_fts is SQLite's full-text table; PostgreSQL keeps the text in search_docs.
	if p.DB != nil && p.DB.Dialect().Name() == dialect.SQLite {
		return []string{"search_docs", "search_fts"}
	}
	return []string{"search_docs"}
}

// Describe counts the documents by or about the person in the index.
func (p PersonalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	n, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.DB.NewSelect().Table("search_docs").Where("account_id = ? AND author_id = ?", s.AccountID, s.UserID)
	})
	if err != nil {
		return nil, err
	}
	return []hooks.DataCategory{personal.Category("core", catIndex, n, personal.FieldName, personal.FieldEmail, personal.FieldText)}, nil
}

// Export writes nothing: the index holds copies of what the modules export.
func (PersonalData) Export(context.Context, hooks.Subject, hooks.Exporter) error { return nil }

// Erase purges the person's documents and the documents naming them, and asks their sources
// for them again once the erasure commits.
func (PersonalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, e hooks.Erasure) error {
	ix := indexFor(tx)
	if e.Closure {
		// The whole account goes: its index with it (search_fts has no foreign key).
		_, err := ix.removeWhere(ctx, tx, s.AccountID, "1 = 1")
		return err
	}
	var refs []hooks.Ref
	if err := tx.NewSelect().Table("search_docs").Column("kind").ColumnExpr("ref_id AS id").
		Where("account_id = ? AND author_id = ?", s.AccountID, s.UserID).Scan(ctx, &refs); err != nil {
		return err
	}
	if _, err := ix.removeWhere(ctx, tx, s.AccountID, "author_id = ?", s.UserID); err != nil {
		return err
	}
	needles, err := personal.Of(ctx, tx, s)
	if err != nil {
		return err
	}
	for _, text := range append(needles.Emails, needles.Names...) {
		terms := Terms(text)
		if len(terms) == 0 || len(strings.Join(terms, "")) < 2 {
			continue
		}
		found, ids, err := ix.naming(ctx, tx, s.AccountID, text, terms)
		if err != nil {
			return err
		}
		if err := ix.remove(ctx, tx, ids); err != nil {
			return err
		}
		refs = append(refs, found...)
	}
	// The person's own card is not asked for again (the membership goes; and the sources
	// erase after this one, so asking now would index them as they were); the rest is.
	refs = slices.DeleteFunc(refs, func(r hooks.Ref) bool { return r.Kind == KindPerson && r.ID == s.UserID })
	return Touch(ctx, tx, s.AccountID, dedupRefs(refs)...)
}

// naming finds the account's documents whose text holds the words of terms in a row (all
// audiences: this is the erasure's, not a person's, search).
func (ix index) naming(ctx context.Context, idb bun.IDB, accountID int64, text string, terms []string) ([]hooks.Ref, []int64, error) {
	var rows []struct {
		ID    int64  `bun:"id"`
		Kind  string `bun:"kind"`
		RefID int64  `bun:"ref_id"`
	}
	var err error
	if ix.postgres {
		// The text as written, not a phrase of tsquery words: the parser keeps an email or a
		// hyphenated name as one token beside its parts, so a phrase of the parts missed them.
		// An erasure is rare and the scan is the account's documents only.
		err = idb.NewRaw("SELECT d.id, d.kind, d.ref_id FROM search_docs AS d WHERE d.account_id = ? AND (strpos(lower(d.title), lower(?)) > 0 OR strpos(lower(d.body), lower(?)) > 0)",
			accountID, text, text).Scan(ctx, &rows)
	} else {
		phrase := make([]string, len(terms))
		for i, t := range terms {
			phrase[i] = strings.ReplaceAll(t, `"`, `""`)
		}
		err = idb.NewRaw(`SELECT d.id, d.kind, d.ref_id FROM search_fts JOIN search_docs AS d ON d.id = search_fts.rowid WHERE search_fts MATCH ? AND d.account_id = ?`,
			`{title body} : "`+strings.Join(phrase, " ")+`"`, accountID).Scan(ctx, &rows)
	}
	if err != nil {
		return nil, nil, err
	}
	refs := make([]hooks.Ref, len(rows))
	ids := make([]int64, len(rows))
	for i, r := range rows {
		refs[i], ids[i] = hooks.Ref{Kind: r.Kind, ID: r.RefID}, r.ID
	}
	return refs, ids, nil
}

var _ hooks.PersonalData = PersonalData{}
