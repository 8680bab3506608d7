package intranet

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
)

// wikiCols are a page's columns but its body (lists leave it out).
const wikiCols = "w.id, w.account_id, w.space_id, w.title, w.revision, w.updated_by, w.created_at, w.updated_at"

func (s *Service) wikiQuery(tn db.Tenant, a *actor.Actor, out any, cols string) *bun.SelectQuery {
	q := tn.Select(out).ColumnExpr(cols).
		ColumnExpr("(SELECT sp.name FROM intranet_spaces AS sp WHERE sp.id = w.space_id) AS space_name")
	return s.visibleSpaces(authorName(q, "w.updated_by", "updated_by_name"), a, "w.space_id")
}

// WikiPages lists the pages of the actor's spaces (or of one), by title; the list leaves
// the bodies out.
func (s *Service) WikiPages(ctx context.Context, a *actor.Actor, p api.KeyPage, spaceID int64) (api.List[WikiPage], error) {
	out := []WikiPage{}
	q := s.wikiQuery(s.tenant(a.AccountID()), a, &out, wikiCols).OrderExpr("w.title, w.id").Limit(int64(p.Limit + 1))
	if p.After > 0 {
		q = q.Where("(w.title > ? OR (w.title = ? AND w.id > ?))", p.Key, p.Key, p.After)
	}
	if spaceID > 0 {
		q = q.Where("w.space_id = ?", spaceID)
	}
	if err := q.Scan(ctx); err != nil {
		return api.List[WikiPage]{}, err
	}
	res := api.List[WikiPage]{Items: out}
	if len(out) > p.Limit {
		res.Items = out[:p.Limit]
		last := res.Items[p.Limit-1]
		res.NextCursor = api.KeyCursor(last.Title, last.ID)
	}
	return res, nil
}

// WikiPage is one page the actor may see, at its latest revision (404 otherwise).
func (s *Service) WikiPage(ctx context.Context, a *actor.Actor, id int64) (WikiPage, error) {
	return s.wikiPage(ctx, s.tenant(a.AccountID()), a, id)
}

func (s *Service) wikiPage(ctx context.Context, tn db.Tenant, a *actor.Actor, id int64) (WikiPage, error) {
	var w WikiPage
	err := s.wikiQuery(tn, a, &w, "w.*").Where("w.id = ?", id).Scan(ctx)
	if db.IsNotFound(err) {
		return w, problem.NotFound()
	}
	return w, err
}

func (s *Service) checkWiki(f *problem.Fields, in WikiInput) (string, string, error) {
	title := checkTitle(f, "title", in.Title, MaxTitle)
	body, err := checkBody(f, "body", in.Body, MaxWiki)
	return title, body, err
}

// CreateWiki writes a new page in a space: its revision 1.
func (s *Service) CreateWiki(ctx context.Context, a *actor.Actor, in WikiInput) (WikiPage, error) {
	tn := s.tenant(a.AccountID())
	var f problem.Fields
	title, body, err := s.checkWiki(&f, in)
	if err != nil {
		return WikiPage{}, err
	}
	if !a.May("intranet", "write") {
		return WikiPage{}, problem.Forbidden("Clients read a project's wiki; its colleagues write it.")
	}
	if err := s.spaceOrProject(ctx, tn, a, &f, &in.SpaceID, in.ProjectID); err != nil {
		return WikiPage{}, err
	}
	if err := f.Err(); err != nil {
		return WikiPage{}, err
	}
	if err := s.writable(ctx, tn, a, in.SpaceID); err != nil {
		return WikiPage{}, err
	}
	now := s.now()
	by := a.UserID
	w := WikiPage{SpaceID: in.SpaceID, Title: title, Body: body, Revision: 1, UpdatedBy: &by, CreatedAt: now, UpdatedAt: now}
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if _, err := tn.Insert(&w).Exec(ctx); err != nil {
			return err
		}
		rev := Revision{PageID: w.ID, Revision: 1, Title: title, Body: body, AuthorID: &by, CreatedAt: now}
		if _, err := tn.Insert(&rev).Exec(ctx); err != nil {
			return err
		}
		if err := touch(ctx, tn, hooks.Ref{Kind: KindWiki, ID: w.ID}); err != nil {
			return err
		}
		return record(ctx, tn, a, "intranet.wiki_created", "wiki", w.ID, map[string]any{"title": title, "space_id": w.SpaceID})
	})
	if err != nil {
		return WikiPage{}, err
	}
	return s.wikiPage(ctx, tn, a, w.ID)
}

// SaveWiki saves a new revision of a page. The edit names the revision it started from
// (base_revision); when someone saved a newer one meanwhile, the save is refused with 409 —
// never a silent overwrite — and the editor merges by hand (the page shows the diff).
func (s *Service) SaveWiki(ctx context.Context, a *actor.Actor, id int64, in WikiInput) (WikiPage, error) {
	tn := s.tenant(a.AccountID())
	var f problem.Fields
	title, body, err := s.checkWiki(&f, in)
	if err != nil {
		return WikiPage{}, err
	}
	f.Check(in.BaseRevision >= 1, "base_revision", "is required: the revision your edit started from")
	if err := f.Err(); err != nil {
		return WikiPage{}, err
	}
	return s.newRevision(ctx, tn, a, id, in.BaseRevision, title, body, 0)
}

// newRevision writes revision base+1 of a page, in one transaction that checks base is still
// the latest (the conditional update is the lock: two saves from the same base, one wins).
func (s *Service) newRevision(ctx context.Context, tn db.Tenant, a *actor.Actor, id int64, base int, title, body string, restored int) (WikiPage, error) {
	w, err := s.wikiPage(ctx, tn, a, id)
	if err != nil {
		return WikiPage{}, err
	}
	if !a.May("intranet", "write") {
		return WikiPage{}, problem.Forbidden("Clients read a project's wiki; its colleagues write it.")
	}
	if err := s.writable(ctx, tn, a, w.SpaceID); err != nil {
		return WikiPage{}, err
	}
	now := s.now()
	by := a.UserID
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		res, err := tn.Update((*WikiPage)(nil)).Set("title = ?", title).Set("body = ?", body).Set("revision = revision + 1").
			Set("updated_by = ?", by).Set("updated_at = ?", now).Where("w.id = ? AND w.revision = ?", id, base).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return problem.Conflict("base_revision", fmt.Sprintf("revision %d is no longer the latest: someone saved the page meanwhile; compare and merge, then save again", base))
		}
		rev := Revision{PageID: id, Revision: base + 1, Title: title, Body: body, AuthorID: &by, RestoredFrom: restored, CreatedAt: now}
		if _, err := tn.Insert(&rev).Exec(ctx); err != nil {
			return err
		}
		if err := touch(ctx, tn, hooks.Ref{Kind: KindWiki, ID: id}); err != nil {
			return err
		}
		action, details := "intranet.wiki_saved", map[string]any{"title": title, "revision": base + 1}
		if restored > 0 {
			action, details["restored_from"] = "intranet.wiki_restored", restored
		}
		return record(ctx, tn, a, action, "wiki", id, details)
	})
	if err != nil {
		return WikiPage{}, err
	}
	return s.wikiPage(ctx, tn, a, id)
}

// Revisions lists a page's revisions, newest first, without their bodies.
func (s *Service) Revisions(ctx context.Context, a *actor.Actor, id int64, p api.Page) (api.List[Revision], error) {
	tn := s.tenant(a.AccountID())
	if _, err := s.wikiPage(ctx, tn, a, id); err != nil {
		return api.List[Revision]{}, err
	}
	out := []Revision{}
	q := authorName(tn.Select(&out).ColumnExpr("v.id, v.page_id, v.revision, v.title, v.author_id, v.restored_from, v.created_at"), "v.author_id", "author_name").
		Where("v.page_id = ?", id).OrderExpr("v.revision DESC").Limit(int64(p.Limit + 1))
	if p.After > 0 {
		q = q.Where("v.revision < ?", p.After)
	}
	if err := q.Scan(ctx); err != nil {
		return api.List[Revision]{}, err
	}
	return api.MakeList(out, p, func(r Revision) int64 { return int64(r.Revision) }), nil
}

// Revision is one revision of a page, with its body.
func (s *Service) Revision(ctx context.Context, a *actor.Actor, id int64, n int) (Revision, error) {
	tn := s.tenant(a.AccountID())
	if _, err := s.wikiPage(ctx, tn, a, id); err != nil {
		return Revision{}, err
	}
	return s.revision(ctx, tn, id, n)
}

func (s *Service) revision(ctx context.Context, tn db.Tenant, id int64, n int) (Revision, error) {
	var r Revision
	err := authorName(tn.Select(&r).ColumnExpr("v.*"), "v.author_id", "author_name").Where("v.page_id = ? AND v.revision = ?", id, n).Scan(ctx)
	if db.IsNotFound(err) {
		return r, problem.NotFound()
	}
	return r, err
}

// Diff is the word-level difference from revision from to revision to of a page; without
// them (0), the page's last change (the revision before the latest, to the latest).
func (s *Service) Diff(ctx context.Context, a *actor.Actor, id int64, from, to int) (Diff, error) {
	tn := s.tenant(a.AccountID())
	w, err := s.wikiPage(ctx, tn, a, id)
	if err != nil {
		return Diff{}, err
	}
	if from == 0 && to == 0 {
		from, to = max(w.Revision-1, 1), w.Revision
	}
	var f problem.Fields
	f.Check(from >= 1, "from", "must be a revision number (1, 2, ...)")
	f.Check(to >= 1, "to", "must be a revision number (1, 2, ...)")
	if err := f.Err(); err != nil {
		return Diff{}, err
	}
	var revs []Revision
	if err := tn.Select(&revs).Where("v.page_id = ? AND v.revision IN (?)", id, bun.In([]int{from, to})).Scan(ctx); err != nil {
		return Diff{}, err
	}
	var a1, b1 *Revision
	for i := range revs {
		if revs[i].Revision == from {
			a1 = &revs[i]
		}
		if revs[i].Revision == to {
			b1 = &revs[i]
		}
	}
	if a1 == nil {
		f.Add("from", "is not a revision of this page")
	}
	if b1 == nil {
		f.Add("to", "is not a revision of this page")
	}
	if err := f.Err(); err != nil {
		return Diff{}, err
	}
	return Diff{From: from, To: to, Title: WordDiff(a1.Title, b1.Title), Body: WordDiff(a1.Body, b1.Body)}, nil
}

// Restore makes revision n the page's content again, as a new revision (nothing is lost).
func (s *Service) Restore(ctx context.Context, a *actor.Actor, id int64, n int) (WikiPage, error) {
	tn := s.tenant(a.AccountID())
	w, err := s.wikiPage(ctx, tn, a, id)
	if err != nil {
		return w, err
	}
	r, err := s.revision(ctx, tn, id, n)
	if err != nil {
		return w, err
	}
	return s.newRevision(ctx, tn, a, id, w.Revision, r.Title, r.Body, n)
}
