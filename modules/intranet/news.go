package intranet

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
)

// newsQuery selects the posts the actor may see: in their spaces, and published — a scheduled
// post shows before its time only to its author and the administrators.
func (s *Service) newsQuery(tn db.Tenant, a *actor.Actor, out any) *bun.SelectQuery {
	q := tn.Select(out).ColumnExpr("n.*").
		ColumnExpr("(SELECT sp.name FROM intranet_spaces AS sp WHERE sp.id = n.space_id) AS space_name").
		// The probes of the receipts name exactly their primary key (news_id, user_id): with the
		// account as well, PostgreSQL without statistics (a fresh table) chose an anti-join that
		// walked all the person's receipts for each post (3 s for 3,000 posts).
		ColumnExpr("EXISTS (SELECT 1 FROM intranet_news_reads AS nr WHERE nr.news_id = n.id AND nr.user_id = ?) AS is_read", a.UserID)
	q = authorName(q, "n.author_id", "author_name")
	if !seesAll(a) {
		q = q.Where("(n.publish_at <= ? OR n.author_id = ?)", s.now(), a.UserID)
	}
	return s.visibleSpaces(q, a, "n.space_id")
}

// NewsFilter narrows the feed.
type NewsFilter struct {
	SpaceID int64
	Unread  bool
	// Unpinned leaves the pinned posts out (the pages show them above the feed).
	Unpinned bool
}

// News is the feed, newest first (by id: the order they were posted), in pages.
func (s *Service) News(ctx context.Context, a *actor.Actor, p api.Page, f NewsFilter) (api.List[News], error) {
	out := []News{}
	q := s.newsQuery(s.tenant(a.AccountID()), a, &out).OrderExpr("n.id DESC").Limit(int64(p.Limit + 1))
	if p.After > 0 {
		q = q.Where("n.id < ?", p.After)
	}
	if f.SpaceID > 0 {
		q = q.Where("n.space_id = ?", f.SpaceID)
	}
	if f.Unpinned {
		q = q.Where("n.pinned = ?", false)
	}
	if f.Unread {
		q = q.Where("NOT EXISTS (SELECT 1 FROM intranet_news_reads AS nu WHERE nu.news_id = n.id AND nu.user_id = ?)", a.UserID)
	}
	if err := q.Scan(ctx); err != nil {
		return api.List[News]{}, err
	}
	return api.MakeList(out, p, func(n News) int64 { return n.ID }), nil
}

// Pinned are the pinned posts of the feed (or of a space), newest first.
func (s *Service) Pinned(ctx context.Context, a *actor.Actor, spaceID int64) ([]News, error) {
	out := []News{}
	q := s.newsQuery(s.tenant(a.AccountID()), a, &out).Where("n.pinned = ?", true).OrderExpr("n.id DESC").Limit(20)
	if spaceID > 0 {
		q = q.Where("n.space_id = ?", spaceID)
	}
	return out, q.Scan(ctx)
}

// UnreadCount is how many published posts of their spaces the actor has not read. Its own
// query, not newsQuery's: no columns to compute, and no "or my scheduled ones" (published only),
// so that it runs on the index of (space, publish_at) alone, plus one probe per post.
func (s *Service) UnreadCount(ctx context.Context, a *actor.Actor) (Unread, error) {
	q := s.tenant(a.AccountID()).SelectFrom("intranet_news", "n").
		Where("n.publish_at <= ?", s.now()).
		Where("NOT EXISTS (SELECT 1 FROM intranet_news_reads AS nu WHERE nu.news_id = n.id AND nu.user_id = ?)", a.UserID)
	n, err := s.visibleSpaces(q, a, "n.space_id").Count(ctx)
	return Unread{Unread: int(n)}, err
}

// OneNews is one post the actor may see (404 otherwise).
func (s *Service) OneNews(ctx context.Context, a *actor.Actor, id int64) (News, error) {
	tn := s.tenant(a.AccountID())
	n, err := s.oneNews(ctx, tn, a, id)
	if err != nil {
		return n, err
	}
	return n, s.fillReactions(ctx, tn, a, reactNews, 1, func(int) (int64, *[]Reaction) { return id, &n.Reactions })
}

func (s *Service) oneNews(ctx context.Context, tn db.Tenant, a *actor.Actor, id int64) (News, error) {
	var n News
	err := s.newsQuery(tn, a, &n).Where("n.id = ?", id).Scan(ctx)
	if db.IsNotFound(err) {
		return n, problem.NotFound()
	}
	n.Editable = mayEdit(a, n.AuthorID)
	return n, err
}

// CreateNews posts news in a space (administrators and managers: intranet.publish).
func (s *Service) CreateNews(ctx context.Context, a *actor.Actor, in NewsInput) (News, error) {
	if !a.May("intranet", "publish") {
		return News{}, problem.Forbidden("Only administrators and managers post news.")
	}
	tn := s.tenant(a.AccountID())
	var f problem.Fields
	title := checkTitle(&f, "title", in.Title, MaxTitle)
	body, err := checkBody(&f, "body", in.Body, MaxBody)
	if err != nil {
		return News{}, err
	}
	if in.SpaceID <= 0 {
		f.Add("space_id", "is required")
	} else if sp, err := s.space(ctx, tn, a, in.SpaceID); err != nil {
		if p, ok := problem.As(err); !ok || p.Status != 404 {
			return News{}, err
		}
		f.Add("space_id", "is not a space you are in")
	} else if sp.ProjectID != nil {
		// A project's space has no news page under the project, which its clients could open.
		f.Add("space_id", notProjectSpace)
	}
	now := s.now()
	at := now
	if in.PublishAt != nil {
		at = in.PublishAt.UTC().Truncate(time.Microsecond)
		f.Check(at.Before(now.AddDate(1, 0, 0)), "publish_at", "must be within a year")
		if at.Before(now) {
			at = now
		}
	}
	if err := f.Err(); err != nil {
		return News{}, err
	}
	by := a.UserID
	n := News{SpaceID: in.SpaceID, Title: title, Body: body, Pinned: in.Pinned, PublishAt: at, Indexed: !at.After(now), AuthorID: &by, CreatedAt: now, UpdatedAt: now}
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if _, err := tn.Insert(&n).Exec(ctx); err != nil {
			return err
		}
		// The author has read what they wrote.
		if _, err := tn.Exec(ctx, "INSERT INTO intranet_news_reads (account_id, news_id, user_id, read_at) VALUES (?, ?, ?, ?)", n.ID, a.UserID, now); err != nil {
			return err
		}
		if err := touch(ctx, tn, hooks.Ref{Kind: KindNews, ID: n.ID}); err != nil {
			return err
		}
		if n.Indexed {
			if err := s.announceNews(ctx, tn, n); err != nil {
				return err
			}
		}
		return record(ctx, tn, a, "intranet.news_posted", "news", n.ID, map[string]any{"title": n.Title, "space_id": n.SpaceID, "publish_at": n.PublishAt})
	})
	if err != nil {
		return News{}, err
	}
	return s.oneNews(ctx, tn, a, n.ID)
}

// MarkRead records that the actor has read a post (again: nothing changes).
func (s *Service) MarkRead(ctx context.Context, a *actor.Actor, id int64) (News, error) {
	tn := s.tenant(a.AccountID())
	n, err := s.oneNews(ctx, tn, a, id)
	if err != nil {
		return n, err
	}
	if n.Read {
		return n, nil
	}
	q := "INSERT INTO intranet_news_reads (account_id, news_id, user_id, read_at) VALUES (?, ?, ?, ?) ON CONFLICT (news_id, user_id) DO NOTHING"
	if _, err := tn.Exec(ctx, q, id, a.UserID, s.now()); err != nil {
		return n, err
	}
	if err := s.newsRead(ctx, tn, a.UserID, id); err != nil {
		return n, err
	}
	n.Read = true
	return n, nil
}

// Readers is who of the post's space has read it, and who has not.
func (s *Service) Readers(ctx context.Context, a *actor.Actor, id int64) (Readers, error) {
	tn := s.tenant(a.AccountID())
	n, err := s.oneNews(ctx, tn, a, id)
	if err != nil {
		return Readers{}, err
	}
	var sp Space
	if err := tn.Select(&sp).Where("s.id = ?", n.SpaceID).Scan(ctx); err != nil {
		return Readers{}, err
	}
	people, err := s.audience(ctx, s.DB, sp)
	if err != nil {
		return Readers{}, err
	}
	var reads []struct {
		UserID int64     `bun:"user_id"`
		ReadAt time.Time `bun:"read_at"`
	}
	if err := tn.SelectFrom("intranet_news_reads", "nr").ColumnExpr("nr.user_id, nr.read_at").Where("nr.news_id = ?", id).Scan(ctx, &reads); err != nil {
		return Readers{}, err
	}
	at := make(map[int64]time.Time, len(reads))
	for _, r := range reads {
		at[r.UserID] = r.ReadAt
	}
	out := Readers{Readers: []Reader{}, Unread: []Reader{}, Audience: len(people)}
	for _, p := range people {
		if t, ok := at[p.UserID]; ok {
			p.ReadAt = &t
			out.Readers = append(out.Readers, p)
		} else {
			out.Unread = append(out.Unread, p)
		}
	}
	out.Read = len(out.Readers)
	return out, nil
}

// PublishDue offers the search the scheduled posts whose time has come (the minute job), and
// answers how many.
func (s *Service) PublishDue(ctx context.Context) (int, error) {
	var due []struct {
		ID        int64 `bun:"id"`
		AccountID int64 `bun:"account_id"`
	}
	now := s.now()
	if err := s.DB.NewSelect().TableExpr("intranet_news AS n").ColumnExpr("n.id, n.account_id").
		Where("n.indexed = ? AND n.publish_at <= ?", false, now).Limit(1000).Scan(ctx, &due); err != nil {
		return 0, err
	}
	for _, d := range due {
		err := s.tenant(d.AccountID).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
			res, err := tn.Update((*News)(nil)).Set("indexed = ?", true).Where("n.id = ? AND n.indexed = ?", d.ID, false).Exec(ctx)
			if err != nil {
				return err
			}
			if k, _ := res.RowsAffected(); k == 0 {
				return nil // another run published it
			}
			if err := touch(ctx, tn, hooks.Ref{Kind: KindNews, ID: d.ID}); err != nil {
				return err
			}
			var n News
			if err := tn.Select(&n).Where("n.id = ?", d.ID).Scan(ctx); err != nil {
				return err
			}
			return s.announceNews(ctx, tn, n)
		})
		if err != nil {
			return 0, err
		}
	}
	return len(due), nil
}
