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

func (s *Service) topicQuery(tn db.Tenant, a *actor.Actor, out any) *bun.SelectQuery {
	q := tn.Select(out).ColumnExpr("t.*").
		ColumnExpr("(SELECT sp.name FROM intranet_spaces AS sp WHERE sp.id = t.space_id) AS space_name")
	return visibleSpaces(authorName(q, "t.author_id", "author_name"), a, "t.space_id")
}

// Topics lists the discussions of the actor's spaces (or of one), newest first.
func (s *Service) Topics(ctx context.Context, a *actor.Actor, p api.Page, spaceID int64) (api.List[Topic], error) {
	out := []Topic{}
	q := s.topicQuery(s.tenant(a.AccountID()), a, &out).OrderExpr("t.id DESC").Limit(int64(p.Limit + 1))
	if p.After > 0 {
		q = q.Where("t.id < ?", p.After)
	}
	if spaceID > 0 {
		q = q.Where("t.space_id = ?", spaceID)
	}
	if err := q.Scan(ctx); err != nil {
		return api.List[Topic]{}, err
	}
	return api.MakeList(out, p, func(t Topic) int64 { return t.ID }), nil
}

// Topic is one discussion the actor may see (404 otherwise).
func (s *Service) Topic(ctx context.Context, a *actor.Actor, id int64) (Topic, error) {
	return s.topic(ctx, s.tenant(a.AccountID()), a, id)
}

func (s *Service) topic(ctx context.Context, tn db.Tenant, a *actor.Actor, id int64) (Topic, error) {
	var t Topic
	err := s.topicQuery(tn, a, &t).Where("t.id = ?", id).Scan(ctx)
	if db.IsNotFound(err) {
		return t, problem.NotFound()
	}
	return t, err
}

// spaceField checks a space_id of a body: one of the actor's spaces.
func (s *Service) spaceField(ctx context.Context, tn db.Tenant, a *actor.Actor, f *problem.Fields, id int64) error {
	if id <= 0 {
		f.Add("space_id", "is required")
		return nil
	}
	if _, err := s.space(ctx, tn, a, id); err != nil {
		if p, ok := problem.As(err); !ok || p.Status != 404 {
			return err
		}
		f.Add("space_id", "is not a space you are in")
	}
	return nil
}

// CreateTopic opens a discussion in a space; the people of the space named "@Name" are notified.
func (s *Service) CreateTopic(ctx context.Context, a *actor.Actor, in TopicInput) (Topic, error) {
	tn := s.tenant(a.AccountID())
	var f problem.Fields
	title := checkTitle(&f, "title", in.Title, MaxTitle)
	body, err := checkBody(&f, "body", in.Body, MaxBody)
	if err != nil {
		return Topic{}, err
	}
	if err := s.spaceField(ctx, tn, a, &f, in.SpaceID); err != nil {
		return Topic{}, err
	}
	if err := f.Err(); err != nil {
		return Topic{}, err
	}
	now := s.now()
	by := a.UserID
	t := Topic{SpaceID: in.SpaceID, Title: title, Body: body, AuthorID: &by, LastActivityAt: now, CreatedAt: now}
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if _, err := tn.Insert(&t).Exec(ctx); err != nil {
			return err
		}
		if err := touch(ctx, tn, hooks.Ref{Kind: KindTopic, ID: t.ID}); err != nil {
			return err
		}
		if err := record(ctx, tn, a, "intranet.topic_opened", "topic", t.ID, map[string]any{"title": t.Title, "space_id": t.SpaceID}); err != nil {
			return err
		}
		return s.mention(ctx, tn, a, t.SpaceID, body, title, fmt.Sprintf("/intranet/topics/%d", t.ID))
	})
	if err != nil {
		return Topic{}, err
	}
	return s.topic(ctx, tn, a, t.ID)
}

// Replies are a topic's answers, oldest first, in pages.
func (s *Service) Replies(ctx context.Context, a *actor.Actor, topicID int64, p api.Page) (api.List[Reply], error) {
	tn := s.tenant(a.AccountID())
	if _, err := s.topic(ctx, tn, a, topicID); err != nil {
		return api.List[Reply]{}, err
	}
	out := []Reply{}
	q := authorName(tn.Select(&out).ColumnExpr("r.*"), "r.author_id", "author_name").
		Where("r.topic_id = ? AND r.id > ?", topicID, p.After).OrderExpr("r.id").Limit(int64(p.Limit + 1))
	if err := q.Scan(ctx); err != nil {
		return api.List[Reply]{}, err
	}
	return api.MakeList(out, p, func(r Reply) int64 { return r.ID }), nil
}

// AddReply answers a topic; the people of its space named "@Name" are notified.
func (s *Service) AddReply(ctx context.Context, a *actor.Actor, topicID int64, in BodyInput) (Reply, error) {
	tn := s.tenant(a.AccountID())
	t, err := s.topic(ctx, tn, a, topicID)
	if err != nil {
		return Reply{}, err
	}
	var f problem.Fields
	body, err := checkBody(&f, "body", in.Body, MaxBody)
	if err != nil {
		return Reply{}, err
	}
	if err := f.Err(); err != nil {
		return Reply{}, err
	}
	by := a.UserID
	r := Reply{TopicID: topicID, AuthorID: &by, Body: body, CreatedAt: s.now(), AuthorName: a.Name}
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if _, err := tn.Insert(&r).Exec(ctx); err != nil {
			return err
		}
		if _, err := tn.Update((*Topic)(nil)).Set("replies = replies + 1").Set("last_activity_at = ?", r.CreatedAt).Where("t.id = ?", topicID).Exec(ctx); err != nil {
			return err
		}
		if err := touch(ctx, tn, hooks.Ref{Kind: KindTopic, ID: topicID}); err != nil {
			return err
		}
		if err := record(ctx, tn, a, "intranet.reply_added", "topic", topicID, map[string]any{"reply_id": r.ID}); err != nil {
			return err
		}
		return s.mention(ctx, tn, a, t.SpaceID, body, t.Title, fmt.Sprintf("/intranet/topics/%d#reply-%d", topicID, r.ID))
	})
	return r, err
}
