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
		ColumnExpr("(SELECT sp.name FROM intranet_spaces AS sp WHERE sp.id = t.space_id) AS space_name").
		ColumnExpr("EXISTS (SELECT 1 FROM intranet_subscriptions AS su WHERE su.topic_id = t.id AND su.user_id = ? AND su.subscribed = ?) AS is_subscribed", a.UserID, true)
	return s.visibleSpaces(authorName(q, "t.author_id", "author_name"), a, "t.space_id")
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
	tn := s.tenant(a.AccountID())
	t, err := s.topic(ctx, tn, a, id)
	if err != nil {
		return t, err
	}
	return t, s.fillReactions(ctx, tn, a, reactTopic, 1, func(int) (int64, *[]Reaction) { return id, &t.Reactions })
}

func (s *Service) topic(ctx context.Context, tn db.Tenant, a *actor.Actor, id int64) (Topic, error) {
	var t Topic
	err := s.topicQuery(tn, a, &t).Where("t.id = ?", id).Scan(ctx)
	if db.IsNotFound(err) {
		return t, problem.NotFound()
	}
	t.Editable = mayEdit(a, t.AuthorID)
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
	if err := s.spaceOrProject(ctx, tn, a, &f, &in.SpaceID, in.ProjectID); err != nil {
		return Topic{}, err
	}
	if err := f.Err(); err != nil {
		return Topic{}, err
	}
	if err := s.writable(ctx, tn, a, in.SpaceID); err != nil {
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
		if err := subscribe(ctx, tn, t.ID, a.UserID, true, true, now); err != nil {
			return err
		}
		if err := record(ctx, tn, a, "intranet.topic_opened", "topic", t.ID, map[string]any{"title": t.Title, "space_id": t.SpaceID}); err != nil {
			return err
		}
		return s.mention(ctx, tn, a, t.SpaceID, "", body, title, s.topicLink(ctx, tn, t.SpaceID, t.ID))
	})
	if err != nil {
		return Topic{}, err
	}
	return s.topic(ctx, tn, a, t.ID)
}

// topicPath is a topic's page (under the account's slug).
func topicPath(id int64) string { return fmt.Sprintf("/intranet/topics/%d", id) }
