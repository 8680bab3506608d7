package intranet

import (
	"context"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
)

// Editing and deleting posts and topics (comments and replies: thread.go). The author or a
// manager and up (mayEdit) changes them; an edit sets edited_at, the "edited" mark; the search
// is told and every change is audited. Deleting takes what hangs on the thing with it (comments
// and receipts, replies and subscriptions by the foreign keys; reactions here, which point at
// any kind and so have no foreign key).

// editInput checks an edit's title and text.
func editInput(in EditInput) (string, string, error) {
	var f problem.Fields
	title := checkTitle(&f, "title", in.Title, MaxTitle)
	body, err := checkBody(&f, "body", in.Body, MaxBody)
	if err != nil {
		return "", "", err
	}
	return title, body, f.Err()
}

// mayChange is 403 when the actor may not edit what author wrote.
func mayChange(a *actor.Actor, author *int64) error {
	if !mayEdit(a, author) {
		return problem.Forbidden("Only its author and the managers change it.")
	}
	return nil
}

// EditNews changes a post's title and text.
func (s *Service) EditNews(ctx context.Context, a *actor.Actor, id int64, in EditInput) (News, error) {
	tn := s.tenant(a.AccountID())
	n, err := s.oneNews(ctx, tn, a, id)
	if err == nil {
		err = s.writable(ctx, tn, a, n.SpaceID)
	}
	if err != nil {
		return n, err
	}
	if err := mayChange(a, n.AuthorID); err != nil {
		return n, err
	}
	title, body, err := editInput(in)
	if err != nil {
		return n, err
	}
	now := s.now()
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if _, err := tn.Update((*News)(nil)).Set("title = ?", title).Set("body = ?", body).Set("edited_at = ?", now).Set("updated_at = ?", now).Where("n.id = ?", id).Exec(ctx); err != nil {
			return err
		}
		if err := touch(ctx, tn, hooks.Ref{Kind: KindNews, ID: id}); err != nil {
			return err
		}
		return record(ctx, tn, a, "intranet.news_edited", "news", id, map[string]any{"title": title})
	})
	if err != nil {
		return n, err
	}
	return s.oneNews(ctx, tn, a, id)
}

// DeleteNews deletes a post with its comments, receipts and reactions; the search forgets it.
func (s *Service) DeleteNews(ctx context.Context, a *actor.Actor, id int64) error {
	tn := s.tenant(a.AccountID())
	n, err := s.oneNews(ctx, tn, a, id)
	if err == nil {
		err = s.writable(ctx, tn, a, n.SpaceID)
	}
	if err != nil {
		return err
	}
	if err := mayChange(a, n.AuthorID); err != nil {
		return err
	}
	return tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if err := dropReactionsUnder(ctx, tn, KindNews, id, "comment", "intranet_comments", "news_id"); err != nil {
			return err
		}
		if _, err := tn.Delete((*News)(nil)).Where("n.id = ?", id).Exec(ctx); err != nil {
			return err
		}
		if err := touch(ctx, tn, hooks.Ref{Kind: KindNews, ID: id}); err != nil {
			return err
		}
		return record(ctx, tn, a, "intranet.news_deleted", "news", id, map[string]any{"title": n.Title, "space_id": n.SpaceID})
	})
}

// EditTopic changes a discussion's title and text; the people its new text names, and its old
// one did not, are notified.
func (s *Service) EditTopic(ctx context.Context, a *actor.Actor, id int64, in EditInput) (Topic, error) {
	tn := s.tenant(a.AccountID())
	t, err := s.topic(ctx, tn, a, id)
	if err == nil {
		err = s.writable(ctx, tn, a, t.SpaceID)
	}
	if err != nil {
		return t, err
	}
	if err := mayChange(a, t.AuthorID); err != nil {
		return t, err
	}
	title, body, err := editInput(in)
	if err != nil {
		return t, err
	}
	now := s.now()
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if _, err := tn.Update((*Topic)(nil)).Set("title = ?", title).Set("body = ?", body).Set("edited_at = ?", now).Where("t.id = ?", id).Exec(ctx); err != nil {
			return err
		}
		if err := touch(ctx, tn, hooks.Ref{Kind: KindTopic, ID: id}); err != nil {
			return err
		}
		if err := record(ctx, tn, a, "intranet.topic_edited", "topic", id, map[string]any{"title": title}); err != nil {
			return err
		}
		return s.mention(ctx, tn, a, t.SpaceID, t.Body, body, title, s.topicLink(ctx, tn, t.SpaceID, id))
	})
	if err != nil {
		return t, err
	}
	return s.topic(ctx, tn, a, id)
}

// DeleteTopic deletes a discussion with its replies, subscriptions and reactions; the search
// forgets it.
func (s *Service) DeleteTopic(ctx context.Context, a *actor.Actor, id int64) error {
	tn := s.tenant(a.AccountID())
	t, err := s.topic(ctx, tn, a, id)
	if err == nil {
		err = s.writable(ctx, tn, a, t.SpaceID)
	}
	if err != nil {
		return err
	}
	if err := mayChange(a, t.AuthorID); err != nil {
		return err
	}
	return tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if err := dropReactionsUnder(ctx, tn, KindTopic, id, "reply", "intranet_replies", "topic_id"); err != nil {
			return err
		}
		if _, err := tn.Delete((*Topic)(nil)).Where("t.id = ?", id).Exec(ctx); err != nil {
			return err
		}
		if err := touch(ctx, tn, hooks.Ref{Kind: KindTopic, ID: id}); err != nil {
			return err
		}
		return record(ctx, tn, a, "intranet.topic_deleted", "topic", id, map[string]any{"title": t.Title, "space_id": t.SpaceID})
	})
}
