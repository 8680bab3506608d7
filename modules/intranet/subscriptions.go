package intranet

import (
	"context"
	"fmt"
	"strings"

	"groupcamp/core/actor"
	"groupcamp/core/automation"
	"groupcamp/core/db"
)

// Topic subscriptions: the subscribers of a discussion are told of each new reply (notice
// intranet.replied), through core/notify, so by each person's notification preferences — in the
// app, by email at once, in the daily digest, or not at all. The topic's author and everyone
// who replies are subscribed; anyone of the space subscribes and unsubscribes by hand. An
// unsubscription is kept (subscribed false) so that replying again does not undo it. A
// subscriber who left the space is not told (they could not open the topic), and a subscriber
// the reply names "@Name" gets the mention only, not both.

// NoticeReplied is the notice a topic's subscribers get for a new reply.
const NoticeReplied = "intranet.replied"

// subscribe records the person's choice for a topic; automatic (the author, a replier) never
// overrides a choice already made.
func subscribe(ctx context.Context, tn db.Tenant, topicID, userID int64, on, automatic bool, at any) error {
	q := "INSERT INTO intranet_subscriptions (account_id, topic_id, user_id, subscribed, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (topic_id, user_id) DO "
	if automatic {
		q += "NOTHING"
	} else {
		q += "UPDATE SET subscribed = excluded.subscribed"
	}
	_, err := tn.Exec(ctx, q, topicID, userID, on, at)
	return err
}

// Subscribe tells the actor of the topic's new replies from now on.
func (s *Service) Subscribe(ctx context.Context, a *actor.Actor, id int64) (Topic, error) {
	return s.setSubscribed(ctx, a, id, true)
}

// Unsubscribe stops telling the actor of the topic's new replies.
func (s *Service) Unsubscribe(ctx context.Context, a *actor.Actor, id int64) (Topic, error) {
	return s.setSubscribed(ctx, a, id, false)
}

func (s *Service) setSubscribed(ctx context.Context, a *actor.Actor, id int64, on bool) (Topic, error) {
	tn := s.tenant(a.AccountID())
	if _, err := s.topic(ctx, tn, a, id); err != nil {
		return Topic{}, err
	}
	if err := subscribe(ctx, tn, id, a.UserID, on, false, s.now()); err != nil {
		return Topic{}, err
	}
	return s.topic(ctx, tn, a, id)
}

// replied, in the reply's transaction, subscribes its author and notifies the other
// subscribers still in the space.
func (s *Service) replied(ctx context.Context, tn db.Tenant, a *actor.Actor, topicID int64, p parentInfo, m *Message) error {
	if err := subscribe(ctx, tn, topicID, a.UserID, true, true, m.CreatedAt); err != nil {
		return err
	}
	if s.Notifier == nil {
		return nil
	}
	var subs []int64
	if err := tn.SelectFrom("intranet_subscriptions", "su").Column("su.user_id").
		Where("su.topic_id = ? AND su.subscribed = ? AND su.user_id <> ?", topicID, true, a.UserID).Scan(ctx, &subs); err != nil {
		return err
	}
	if len(subs) == 0 {
		return nil
	}
	var sp Space
	if err := tn.Select(&sp).Where("s.id = ?", p.SpaceID).Scan(ctx); err != nil {
		return err
	}
	people, err := s.audience(ctx, tn.Unscoped(), sp)
	if err != nil {
		return err
	}
	subscribed := make(map[int64]bool, len(subs))
	for _, id := range subs {
		subscribed[id] = true
	}
	body := strings.ToLower(m.Body)
	var ids []int64
	for _, pr := range people {
		if subscribed[pr.UserID] && !(pr.Name != "" && mentions(body, strings.ToLower(pr.Name))) {
			ids = append(ids, pr.UserID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return s.Notifier.Notify(ctx, tn.Unscoped(), automation.Notice{AccountID: tn.AccountID, UserIDs: ids, EventType: NoticeReplied,
		Key: "intranet.notice.replied", Args: []any{"Name", a.Name, "Title", p.Title},
		Text: fmt.Sprintf("%s replied in “%s”.", a.Name, p.Title), Path: s.projectLink(ctx, tn, sp.ID, fmt.Sprintf(replyPath, topicID, m.ID))})
}
