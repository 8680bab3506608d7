// Package search is the search port and index of GroupCamp (issue 17): every module that has
// something to find feeds it through hooks.SearchSource, and one box in the shell searches
// them all, showing a person only what they may see.
//
// # Who finds what
//
// A document carries its audience: a few keys in its source's words ("project:12" for the
// members of project 12, "project:12:co:5" for the clients of company 5 in it), plus core's
// "staff" (every colleague of the account: owner, admin, manager, member) and "admins" (owner
// and admins). A person holds keys too: core's by their role, and each source's Audience
// (the projects they are a member of, the shares of their client company). A document is
// found when the two sets meet, and that test is part of the query that matches and ranks —
// the index never returns a hit to be filtered afterwards, so neither the page nor its length
// tells anyone of a document they may not see. Keys are stored hashed with the account's id
// (token), which keeps the match inside the account as well.
//
// # How the index follows the modules
//
// A module that changes something searchable calls Touch with the refs it changed, in the
// change's transaction: Touch writes a "search.stale" event to the outbox, and the index's
// subscriber asks the sources for those documents as they are now (Refresh). What the source
// no longer returns — deleted, trashed, archived — leaves the index. So the index survives
// restarts (an event waits in the outbox) and follows every change, whatever it was; and
// `groupcamp search reindex` rebuilds an account, or all, from the sources (Reindex).
// Erasing a person purges the documents by or about them (privacy.go).
//
// # The index
//
// SQLite: FTS5 with the unicode61 tokenizer, diacritics removed, prefix indexes; ranked by
// bm25 (the title weighs ten times the body) over the words alone, each match kept only when
// one of its rows of search_aud holds a token of the person — a probe per match in the same
// statement, which then pages — and highlighted by snippet() for the page only. PostgreSQL: a
// tsvector of the groupcamp_search configuration (simple + unaccent when the extension can be
// installed — the migration falls back to simple, accents then matter) in a GIN index, the
// audience in a GIN-indexed text[]; ranked by ts_rank, highlighted by ts_headline. The person's words are
// never read as query syntax: the text is cut into words (letters and digits), each is
// quoted, and the last is a prefix ("desig" finds "design").
package search

import (
	"context"
	"fmt"
	"hash/fnv"
	"log/slog"
	"slices"
	"strconv"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/hooks"
)

// EventStale is the event Touch writes: documents to refresh from their sources.
const EventStale = "search.stale"

// Core's audience keys, held by role (see the package documentation).
const (
	KeyStaff  = "staff"
	KeyAdmins = "admins"
)

// Stale is the payload of a search.stale event.
type Stale struct {
	Refs []hooks.Ref `json:"refs"`
}

// Touch tells the index, in the change's transaction, that the documents of refs (and those
// beneath them) changed, appeared or went: the index refreshes them from their source once
// the event is relayed. Call it with the change's tx so that the refresh exists exactly when
// the change does.
func Touch(ctx context.Context, tx bun.IDB, accountID int64, refs ...hooks.Ref) error {
	if len(refs) == 0 {
		return nil
	}
	_, err := events.Emit(ctx, tx, accountID, EventStale, Stale{Refs: refs})
	return err
}

// Service is the search: the index, its sources, the query.
type Service struct {
	DB  *bun.DB
	Log *slog.Logger
	// Hooks hold the sources the modules fed (read at each call: complete once the App is
	// built). Core's own source (people) is added by New.
	Hooks *hooks.Set
	core  []hooks.Named[hooks.SearchSource]
}

// New returns the search on db, with core's sources (people of the account).
func New(d *bun.DB, set *hooks.Set, log *slog.Logger) *Service {
	s := &Service{DB: d, Hooks: set, Log: log}
	s.core = []hooks.Named[hooks.SearchSource]{{Module: "core", Hook: People{DB: d}}}
	return s
}

// Subscribe makes the index follow the search.stale events of bus. Both subscribers take
// their events in batches (events.OnBatch): a batch of task creations refreshes its tasks in
// one pass per account — one read of what the index holds, one of the sources, one write —
// instead of one pass per event.
func (s *Service) Subscribe(bus *events.Bus) {
	bus.OnBatch(EventStale, "search.refresh", func(ctx context.Context, tx bun.Tx, evs []*events.Event) error {
		return s.refreshEach(ctx, tx, evs, func(ev *events.Event) ([]hooks.Ref, error) {
			var st Stale
			if err := ev.Decode(&st); err != nil {
				return nil, fmt.Errorf("search: %w", err)
			}
			return st.Refs, nil
		})
	})
	// People appear, change role and go with identity's events.
	for _, typ := range []string{"user.invited", "invitation.accepted", "user.role_changed", "user.deactivated", "user.reactivated", "user.renamed"} {
		bus.OnBatch(typ, "search.people", func(ctx context.Context, tx bun.Tx, evs []*events.Event) error {
			return s.refreshEach(ctx, tx, evs, func(ev *events.Event) ([]hooks.Ref, error) {
				var p struct {
					UserID int64 `json:"user_id"`
				}
				if err := ev.Decode(&p); err != nil || p.UserID == 0 {
					return nil, nil // nothing names a person: nothing to refresh
				}
				return []hooks.Ref{{Kind: KindPerson, ID: p.UserID}}, nil
			})
		})
	}
}

// refreshEach refreshes what evs name (refsOf reads it from an event), one Refresh per
// account, in the accounts' order of appearance.
func (s *Service) refreshEach(ctx context.Context, tx bun.Tx, evs []*events.Event, refsOf func(*events.Event) ([]hooks.Ref, error)) error {
	byAccount := map[int64][]hooks.Ref{}
	var accounts []int64
	for _, ev := range evs {
		refs, err := refsOf(ev)
		if err != nil {
			return err
		}
		if len(refs) == 0 {
			continue
		}
		if _, ok := byAccount[ev.AccountID]; !ok {
			accounts = append(accounts, ev.AccountID)
		}
		byAccount[ev.AccountID] = append(byAccount[ev.AccountID], refs...)
	}
	for _, id := range accounts {
		if err := s.Refresh(ctx, tx, id, byAccount[id]); err != nil {
			return err
		}
	}
	return nil
}

// sources are core's and the modules'.
func (s *Service) sources() []hooks.Named[hooks.SearchSource] {
	out := slices.Clone(s.core)
	if s.Hooks != nil {
		out = append(out, s.Hooks.Search...)
	}
	return out
}

// Kinds are the document kinds of every source, in their order.
func (s *Service) Kinds() []string {
	var out []string
	for _, src := range s.sources() {
		out = append(out, src.Hook.Kinds()...)
	}
	return out
}

func (s *Service) sourceOf(kind string) hooks.SearchSource {
	for _, src := range s.sources() {
		if slices.Contains(src.Hook.Kinds(), kind) {
			return src.Hook
		}
	}
	return nil
}

// Refresh brings the documents of refs (and those beneath them) up to date in idb: what the
// sources return is written, what they no longer return is removed.
func (s *Service) Refresh(ctx context.Context, idb bun.IDB, accountID int64, refs []hooks.Ref) error {
	refs = dedupRefs(refs)
	if len(refs) == 0 {
		return nil
	}
	ix := indexFor(idb)
	covered, err := ix.covered(ctx, idb, accountID, refs)
	if err != nil {
		return err
	}
	bySource := map[hooks.SearchSource][]hooks.Ref{}
	var order []hooks.SearchSource
	for _, r := range refs {
		src := s.sourceOf(r.Kind)
		if src == nil {
			continue // a kind nobody offers any more: its documents just go
		}
		if _, ok := bySource[src]; !ok {
			order = append(order, src)
		}
		bySource[src] = append(bySource[src], r)
		if r.Kind != "project" {
			continue
		}
		// The project's ref covers the documents of other sources under the project too.
		for _, o := range s.sources() {
			if pd, ok := o.Hook.(hooks.ProjectDocuments); ok && pd.ProjectDocuments() && o.Hook != src {
				if _, ok := bySource[o.Hook]; !ok {
					order = append(order, o.Hook)
				}
				bySource[o.Hook] = append(bySource[o.Hook], r)
			}
		}
	}
	var docs []hooks.Document
	for _, src := range order {
		if err := src.Documents(ctx, idb, accountID, bySource[src], func(d hooks.Document) error {
			if d.AccountID == accountID {
				docs = append(docs, d)
			}
			return nil
		}); err != nil {
			return err
		}
	}
	kept, err := ix.put(ctx, idb, docs)
	if err != nil {
		return err
	}
	var gone []int64
	for _, id := range covered {
		if !kept[id] {
			gone = append(gone, id)
		}
	}
	return ix.remove(ctx, idb, gone)
}

// Reindex rebuilds the index of an account from its sources: every document is written
// again and what no source returns any more is removed. It works in batches, so a large
// account does not hold one long transaction.
func (s *Service) Reindex(ctx context.Context, accountID int64) (int, error) {
	started := db.Now()
	ix := indexFor(s.DB)
	n := 0
	batch := make([]hooks.Document, 0, reindexBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			_, err := ix.put(ctx, tx, batch)
			return err
		})
		n += len(batch)
		batch = batch[:0]
		return err
	}
	for _, src := range s.sources() {
		if err := src.Hook.Documents(ctx, s.DB, accountID, nil, func(d hooks.Document) error {
			if d.AccountID != accountID {
				return nil
			}
			batch = append(batch, d)
			if len(batch) == reindexBatch {
				return flush()
			}
			return nil
		}); err != nil {
			return n, fmt.Errorf("search: reindex %s: %w", src.Module, err)
		}
	}
	if err := flush(); err != nil {
		return n, err
	}
	if n > 10*reindexBatch {
		if err := s.Optimize(ctx); err != nil {
			return n, err
		}
	}
	// What was not written since the start is no longer offered by any source.
	return n, s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return ix.removeOlder(ctx, tx, accountID, started)
	})
}

// ReindexAll rebuilds every account's index.
func (s *Service) ReindexAll(ctx context.Context) (int, error) {
	var ids []int64
	if err := s.DB.NewSelect().Table("accounts").Column("id").Order("id").Scan(ctx, &ids); err != nil {
		return 0, err
	}
	total := 0
	for _, id := range ids {
		n, err := s.Reindex(ctx, id)
		total += n
		if err != nil {
			return total, fmt.Errorf("account %d: %w", id, err)
		}
	}
	return total, nil
}

const reindexBatch = 500

// Keys are the audience keys the actor holds: core's by role, then each source's.
func (s *Service) Keys(ctx context.Context, a *actor.Actor) ([]string, error) {
	var keys []string
	switch a.Role {
	case actor.RoleOwner, actor.RoleAdmin:
		keys = append(keys, KeyStaff, KeyAdmins)
	case actor.RoleManager, actor.RoleMember:
		keys = append(keys, KeyStaff)
	}
	for _, src := range s.sources() {
		k, err := src.Hook.Audience(ctx, a)
		if err != nil {
			return nil, fmt.Errorf("search: audience of %s: %w", src.Module, err)
		}
		keys = append(keys, k...)
	}
	return keys, nil
}

// token is an audience key as the index stores it: hashed with the account, so that one
// account's key never matches another's, and so that it is one word for FTS5 ("a" and 16
// lowercase hex digits — the unicode61 tokenizer keeps it whole).
func token(accountID int64, key string) string {
	h := fnv.New64a()
	h.Write([]byte(strconv.FormatInt(accountID, 10)))
	h.Write([]byte{0})
	h.Write([]byte(key))
	return fmt.Sprintf("a%016x", h.Sum64())
}

func tokens(accountID int64, keys []string) []string {
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		t := token(accountID, k)
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

func dedupRefs(refs []hooks.Ref) []hooks.Ref {
	out := make([]hooks.Ref, 0, len(refs))
	for _, r := range refs {
		if r.Kind != "" && r.ID > 0 && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

// Erase empties the account's index (the reindex's tests, and an operator who wants to start
// over before `groupcamp search reindex`).
func (s *Service) Erase(ctx context.Context, accountID int64) error {
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		_, err := indexFor(tx).removeWhere(ctx, tx, accountID, "1 = 1")
		return err
	})
}

// ReindexSlug rebuilds the index of the account with the slug.
func (s *Service) ReindexSlug(ctx context.Context, slug string) (int, error) {
	var id int64
	if err := s.DB.NewSelect().Table("accounts").Column("id").Where("slug = ?", slug).Scan(ctx, &id); err != nil {
		if db.IsNotFound(err) {
			return 0, fmt.Errorf("no account %q", slug)
		}
		return 0, err
	}
	return s.Reindex(ctx, id)
}

// Put writes documents straight into the index, in batches of one transaction each — a
// bulk load (benchmark seeding, a migration of another index); modules use Touch.
func (s *Service) Put(ctx context.Context, docs []hooks.Document) error {
	const batch = 5000
	ix := indexFor(s.DB)
	for start := 0; start < len(docs); start += batch {
		part := docs[start:min(start+batch, len(docs))]
		if err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			_, err := ix.put(ctx, tx, part)
			return err
		}); err != nil {
			return err
		}
	}
	return nil
}

// Optimize compacts the index after a bulk load or a reindex: on SQLite the FTS5 segments are
// merged into one (a query then reads one b-tree per word instead of dozens; FTS5's automerge
// keeps the count low between two optimizations), on PostgreSQL the table's statistics are
// refreshed for the planner.
func (s *Service) Optimize(ctx context.Context) error {
	if db.IsPostgres(s.DB) {
		_, err := s.DB.ExecContext(ctx, "ANALYZE search_docs")
		return err
	}
	_, err := s.DB.ExecContext(ctx, "INSERT INTO search_fts (search_fts) VALUES ('optimize')")
	return err
}
