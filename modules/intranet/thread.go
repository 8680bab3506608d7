package intranet

import (
	"context"
	"fmt"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
)

// A thread is a list of messages under a parent: the comments of a news post, the replies of a
// topic. Both are the same flow — the parent's visibility decides, the parent counts its
// messages, "@Name" notifies, every change is audited — so one generic helper serves both, and
// a thread describes what differs.
type thread struct {
	kind       string // "comment" or "reply": the audit actions, the page anchors, the reactions
	parentKind string // "news" or "topic": the audit entries' object
	alias      string // the messages' table alias (their model names the table)
	parentCol  string
	// parentModel and parentAlias update the parent's counter (and bump, when set: the column
	// that takes the time of the latest message).
	parentModel   any
	parentAlias   string
	counter, bump string
	path          string // the message on its parent's page: fmt with the parent's id and its id
	indexed       bool   // the parent's search document holds the messages' text
	parent        func(ctx context.Context, s *Service, tn db.Tenant, a *actor.Actor, id int64) (parentInfo, error)
	afterAdd      func(ctx context.Context, s *Service, tn db.Tenant, a *actor.Actor, parentID int64, p parentInfo, m *Message) error
}

// parentInfo is what a thread needs of its parent.
type parentInfo struct {
	SpaceID int64
	Title   string
}

// threadMessage is a pointer to a message type of a thread (*Comment, *Reply).
type threadMessage[T any] interface {
	*T
	message() *Message
	setParent(id int64)
	parent() int64
}

var comments = &thread{kind: "comment", parentKind: "news", alias: "c", parentCol: "news_id", parentModel: (*News)(nil), parentAlias: "n",
	counter: "comments", path: "/intranet/news/%d#comment-%d",
	parent: func(ctx context.Context, s *Service, tn db.Tenant, a *actor.Actor, id int64) (parentInfo, error) {
		n, err := s.oneNews(ctx, tn, a, id)
		return parentInfo{SpaceID: n.SpaceID, Title: n.Title}, err
	}}

var replies = &thread{kind: "reply", parentKind: "topic", alias: "r", parentCol: "topic_id", parentModel: (*Topic)(nil), parentAlias: "t",
	counter: "replies", bump: "last_activity_at", path: replyPath, indexed: true,
	parent: func(ctx context.Context, s *Service, tn db.Tenant, a *actor.Actor, id int64) (parentInfo, error) {
		t, err := s.topic(ctx, tn, a, id)
		return parentInfo{SpaceID: t.SpaceID, Title: t.Title}, err
	},
	afterAdd: func(ctx context.Context, s *Service, tn db.Tenant, a *actor.Actor, topicID int64, p parentInfo, m *Message) error {
		return s.replied(ctx, tn, a, topicID, p, m) // subscriptions.go
	}}

// mayEdit: the author edits and deletes what they wrote; managers and up (intranet.publish,
// the people who moderate the spaces) anyone's.
func mayEdit(a *actor.Actor, author *int64) bool {
	return author != nil && *author == a.UserID || a.May("intranet", "publish")
}

// listMessages are a parent's messages, oldest first, in pages.
func listMessages[T any, P threadMessage[T]](ctx context.Context, s *Service, a *actor.Actor, th *thread, parentID int64, p api.Page) (api.List[T], error) {
	tn := s.tenant(a.AccountID())
	if _, err := th.parent(ctx, s, tn, a, parentID); err != nil {
		return api.List[T]{}, err
	}
	out := []T{}
	q := authorName(tn.Select(&out).ColumnExpr(th.alias+".*"), th.alias+".author_id", "author_name").
		Where(th.alias+"."+th.parentCol+" = ? AND "+th.alias+".id > ?", parentID, p.After).OrderExpr(th.alias + ".id").Limit(int64(p.Limit + 1))
	if err := q.Scan(ctx); err != nil {
		return api.List[T]{}, err
	}
	list := api.MakeList(out, p, func(m T) int64 { return P(&m).message().ID })
	msgs := make([]*Message, len(list.Items))
	for i := range list.Items {
		msgs[i] = P(&list.Items[i]).message()
		msgs[i].Editable = mayEdit(a, msgs[i].AuthorID)
	}
	err := s.fillReactions(ctx, tn, a, th.kind, len(msgs), func(i int) (int64, *[]Reaction) { return msgs[i].ID, &msgs[i].Reactions })
	return list, err
}

// addMessage writes a message under a parent; the people of its space named "@Name" are
// notified.
func addMessage[T any, P threadMessage[T]](ctx context.Context, s *Service, a *actor.Actor, th *thread, parentID int64, in BodyInput) (T, error) {
	var out T
	tn := s.tenant(a.AccountID())
	par, err := th.parent(ctx, s, tn, a, parentID)
	if err != nil {
		return out, err
	}
	if err := s.writable(ctx, tn, a, par.SpaceID); err != nil {
		return out, err
	}
	var f problem.Fields
	body, err := checkBody(&f, "body", in.Body, MaxBody)
	if err != nil {
		return out, err
	}
	if err := f.Err(); err != nil {
		return out, err
	}
	p := P(&out)
	p.setParent(parentID)
	m := p.message()
	by := a.UserID
	m.AuthorID, m.Body, m.CreatedAt, m.AuthorName, m.Editable, m.Reactions = &by, body, s.now(), a.Name, true, []Reaction{}
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if _, err := tn.Insert(p).Exec(ctx); err != nil {
			return err
		}
		if err := th.count(ctx, tn, parentID, +1, m); err != nil {
			return err
		}
		if err := record(ctx, tn, a, "intranet."+th.kind+"_added", th.parentKind, parentID, map[string]any{th.kind + "_id": m.ID}); err != nil {
			return err
		}
		if err := s.mention(ctx, tn, a, par.SpaceID, "", body, par.Title, s.projectLink(ctx, tn, par.SpaceID, fmt.Sprintf(th.path, parentID, m.ID))); err != nil {
			return err
		}
		if th.afterAdd != nil {
			return th.afterAdd(ctx, s, tn, a, parentID, par, m)
		}
		return nil
	})
	return out, err
}

// count moves the parent's counter by delta (and bumps its time for a new message), and tells
// the search when the parent's document holds the messages.
func (th *thread) count(ctx context.Context, tn db.Tenant, parentID int64, delta int, m *Message) error {
	q := tn.Update(th.parentModel).Set(fmt.Sprintf("%s = %s + %d", th.counter, th.counter, delta)).Where(th.parentAlias+".id = ?", parentID)
	if th.bump != "" && delta > 0 {
		q = q.Set(th.bump+" = ?", m.CreatedAt)
	}
	if _, err := q.Exec(ctx); err != nil {
		return err
	}
	if th.indexed {
		return touch(ctx, tn, hooks.Ref{Kind: th.parentKind, ID: parentID})
	}
	return nil
}

// visibleMessage loads a message of a parent: 404 when it is another's, or when its parent is not the actor's to see.
func visibleMessage[T any, P threadMessage[T]](ctx context.Context, s *Service, tn db.Tenant, a *actor.Actor, th *thread, parentID, id int64) (T, parentInfo, error) {
	var out T
	p := P(&out)
	err := authorName(tn.Select(p).ColumnExpr(th.alias+".*"), th.alias+".author_id", "author_name").
		Where(th.alias+".id = ? AND "+th.alias+"."+th.parentCol+" = ?", id, parentID).Scan(ctx)
	if db.IsNotFound(err) {
		return out, parentInfo{}, problem.NotFound()
	} else if err != nil {
		return out, parentInfo{}, err
	}
	par, err := th.parent(ctx, s, tn, a, p.parent())
	return out, par, err
}

// editable loads a message for a change: 404 when its parent is not the actor's to see, 403
// when it is not theirs to change.
func editable[T any, P threadMessage[T]](ctx context.Context, s *Service, tn db.Tenant, a *actor.Actor, th *thread, parentID, id int64) (T, parentInfo, error) {
	out, par, err := visibleMessage[T, P](ctx, s, tn, a, th, parentID, id)
	if err != nil {
		return out, par, err
	}
	if err := s.writable(ctx, tn, a, par.SpaceID); err != nil {
		return out, par, err
	}
	return out, par, mayChange(a, P(&out).message().AuthorID)
}

// editMessage changes a message's text and marks it edited; the people its new text names
// "@Name", and its old one did not, are notified.
func editMessage[T any, P threadMessage[T]](ctx context.Context, s *Service, a *actor.Actor, th *thread, parentID, id int64, in BodyInput) (T, error) {
	tn := s.tenant(a.AccountID())
	out, par, err := editable[T, P](ctx, s, tn, a, th, parentID, id)
	if err != nil {
		return out, err
	}
	var f problem.Fields
	body, err := checkBody(&f, "body", in.Body, MaxBody)
	if err != nil {
		return out, err
	}
	if err := f.Err(); err != nil {
		return out, err
	}
	p := P(&out)
	m := p.message()
	before, now := m.Body, s.now()
	m.Body, m.EditedAt, m.Editable = body, &now, true
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if _, err := tn.Update(p).Set("body = ?", body).Set("edited_at = ?", now).Where(th.alias+".id = ?", id).Exec(ctx); err != nil {
			return err
		}
		if th.indexed {
			if err := touch(ctx, tn, hooks.Ref{Kind: th.parentKind, ID: p.parent()}); err != nil {
				return err
			}
		}
		if err := record(ctx, tn, a, "intranet."+th.kind+"_edited", th.parentKind, p.parent(), map[string]any{th.kind + "_id": id}); err != nil {
			return err
		}
		return s.mention(ctx, tn, a, par.SpaceID, before, body, par.Title, s.projectLink(ctx, tn, par.SpaceID, fmt.Sprintf(th.path, p.parent(), id)))
	})
	if err != nil {
		return out, err
	}
	err = s.fillReactions(ctx, tn, a, th.kind, 1, func(int) (int64, *[]Reaction) { return id, &m.Reactions })
	return out, err
}

// deleteMessage deletes a message, its reactions with it.
func deleteMessage[T any, P threadMessage[T]](ctx context.Context, s *Service, a *actor.Actor, th *thread, parentID, id int64) error {
	tn := s.tenant(a.AccountID())
	out, _, err := editable[T, P](ctx, s, tn, a, th, parentID, id)
	if err != nil {
		return err
	}
	p := P(&out)
	return tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if _, err := tn.Delete(p).Where(th.alias+".id = ?", id).Exec(ctx); err != nil {
			return err
		}
		if err := dropReactions(ctx, tn, th.kind, id); err != nil {
			return err
		}
		if err := th.count(ctx, tn, p.parent(), -1, p.message()); err != nil {
			return err
		}
		return record(ctx, tn, a, "intranet."+th.kind+"_deleted", th.parentKind, p.parent(), map[string]any{th.kind + "_id": id})
	})
}

// Comments are a post's comments, oldest first, in pages.
func (s *Service) Comments(ctx context.Context, a *actor.Actor, newsID int64, p api.Page) (api.List[Comment], error) {
	return listMessages[Comment](ctx, s, a, comments, newsID, p)
}

// AddComment comments on a post; the people of its space named "@Name" are notified.
func (s *Service) AddComment(ctx context.Context, a *actor.Actor, newsID int64, in BodyInput) (Comment, error) {
	return addMessage[Comment](ctx, s, a, comments, newsID, in)
}

// EditComment changes a comment's text (its author, managers and up).
func (s *Service) EditComment(ctx context.Context, a *actor.Actor, newsID, id int64, in BodyInput) (Comment, error) {
	return editMessage[Comment](ctx, s, a, comments, newsID, id, in)
}

// DeleteComment deletes a comment (its author, managers and up).
func (s *Service) DeleteComment(ctx context.Context, a *actor.Actor, newsID, id int64) error {
	return deleteMessage[Comment](ctx, s, a, comments, newsID, id)
}

// Replies are a topic's answers, oldest first, in pages.
func (s *Service) Replies(ctx context.Context, a *actor.Actor, topicID int64, p api.Page) (api.List[Reply], error) {
	return listMessages[Reply](ctx, s, a, replies, topicID, p)
}

// AddReply answers a topic; the people of its space named "@Name" are notified, and so are
// the topic's subscribers (subscriptions.go), the author becoming one.
func (s *Service) AddReply(ctx context.Context, a *actor.Actor, topicID int64, in BodyInput) (Reply, error) {
	return addMessage[Reply](ctx, s, a, replies, topicID, in)
}

// EditReply changes a reply's text (its author, managers and up).
func (s *Service) EditReply(ctx context.Context, a *actor.Actor, topicID, id int64, in BodyInput) (Reply, error) {
	return editMessage[Reply](ctx, s, a, replies, topicID, id, in)
}

// DeleteReply deletes a reply (its author, managers and up).
func (s *Service) DeleteReply(ctx context.Context, a *actor.Actor, topicID, id int64) error {
	return deleteMessage[Reply](ctx, s, a, replies, topicID, id)
}

// replyPath is a reply on its topic's page: fmt with the topic's id and the reply's.
const replyPath = "/intranet/topics/%d#reply-%d"
