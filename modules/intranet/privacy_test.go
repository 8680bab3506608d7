package intranet_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
)

// TestPersonalData: what a person wrote and read is described (counted) and exported; erasure
// deletes their read receipts and their comments and replies (the counters follow), keeps the
// posts, topics and pages without them, and leaves no trace of their name or email — an
// @mention of them in someone else's reply included.
func TestPersonalData(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		mgr := e.NewUser(acc, actor.RoleManager)
		other := e.NewUser(acc, actor.RoleMember)
		base := "/api/v1/" + acc.Slug
		space := idOf(created(t, e.As(acc.Owner), base+"/spaces", map[string]any{"name": "Company"}))
		c := e.As(mgr)
		news := idOf(created(t, c, base+"/news", map[string]any{"space_id": space, "title": "Hello", "body": "First post"}))
		created(t, c, fmt.Sprintf("%s/news/%d/comments", base, news), map[string]any{"body": "A comment of mine"})
		topic := idOf(created(t, c, base+"/topics", map[string]any{"space_id": space, "title": "Lunch", "body": "Where?"}))
		created(t, c, fmt.Sprintf("%s/topics/%d/replies", base, topic), map[string]any{"body": "My reply"})
		created(t, e.As(other), fmt.Sprintf("%s/topics/%d/replies", base, topic), map[string]any{"body": "Agreed with @" + mgr.Name})
		created(t, c, base+"/wiki", map[string]any{"space_id": space, "title": "Guide", "body": "Text"})
		if r := c.Post(fmt.Sprintf("%s/news/%d/reactions", base, news), map[string]any{"emoji": "🎉"}); r.Status != 200 {
			t.Fatalf("reaction: %d %s", r.Status, r.Body)
		}
		event := idOf(created(t, c, base+"/events", map[string]any{"space_id": space, "title": "Offsite with " + mgr.Name, "all_day": true, "starts_at": "2026-12-18T00:00:00Z", "attendee_ids": []int64{mgr.ID, other.ID},
			"recurrence": "weekly", "recur_count": 2}))
		// One occurrence changed alone, naming them too: its text is scrubbed like the event's.
		if r := c.Put(fmt.Sprintf("%s/events/%d?occurrence=2026-12-25", base, event), map[string]any{"title": "Dinner at " + mgr.Name + "'s", "starts_at": "2026-12-25T00:00:00Z"}); r.Status != 200 {
			t.Fatalf("an occurrence: %d %s", r.Status, r.Body)
		}

		var provider hooks.PersonalData
		for _, p := range e.App.Hooks.PersonalData {
			if p.Module == "intranet" {
				provider = p.Hook
			}
		}
		ctx := context.Background()
		s := hooks.Subject{AccountID: acc.ID, UserID: mgr.ID, Email: mgr.Email, Name: mgr.Name}
		cats, err := provider.Describe(ctx, s)
		// Written: the post, the comment, the topic, the reply and the page's revision; read: the
		// post; the event they added (and attend); the topic they follow and their reaction.
		if err != nil || len(cats) != 5 || cats[0].Count != 5 || cats[1].Count != 1 || cats[2].Count != 1 || cats[3].Count != 2 {
			t.Fatalf("describe: %+v %v", cats, err)
		}
		var x walk.Export
		if err := provider.Export(ctx, s, &x); err != nil {
			t.Fatal(err)
		}
		if got := string(x.Files["intranet.json"]); !strings.Contains(got, "A comment of mine") || !strings.Contains(got, "My reply") || !strings.Contains(got, "First post") || !strings.Contains(got, "Offsite") || !strings.Contains(got, "🎉") || !strings.Contains(got, `"intranet_subscriptions":[{"topic_id"`) {
			t.Errorf("export: %s", got)
		}
		if err := walk.Erase(ctx, e.App.DB, e.App.Hooks, s, hooks.Erasure{}); err != nil {
			t.Fatal(err)
		}
		var tp struct {
			Replies  int
			AuthorID *int64 `json:"author_id"`
		}
		e.As(other).Get(fmt.Sprintf("%s/topics/%d", base, topic)).JSON(t, &tp)
		if tp.Replies != 1 || tp.AuthorID != nil {
			t.Errorf("the topic after the erasure: %+v", tp)
		}
		var n struct {
			Comments  int
			Reactions []any
		}
		e.As(other).Get(fmt.Sprintf("%s/news/%d", base, news)).JSON(t, &n)
		if n.Comments != 0 || len(n.Reactions) != 0 {
			t.Errorf("comments and reactions after the erasure: %+v", n)
		}
		if cats, err := provider.Describe(ctx, s); err != nil || cats[3].Count != 0 {
			t.Errorf("reactions and subscriptions after the erasure: %+v %v", cats, err)
		}
		var ev struct {
			CreatedBy *int64 `json:"created_by"`
			Attendees []struct {
				UserID int64 `json:"user_id"`
			}
		}
		e.As(other).Get(fmt.Sprintf("%s/events/%d", base, event)).JSON(t, &ev)
		if ev.CreatedBy != nil || len(ev.Attendees) != 1 || ev.Attendees[0].UserID != other.ID {
			t.Errorf("the event after the erasure: %+v", ev)
		}
		traces, err := walk.Traces(ctx, e.App.DB, acc.ID, mgr.Email, mgr.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range traces {
			if strings.HasPrefix(tr, "intranet_") {
				t.Errorf("trace left: %s", tr)
			}
		}
	})
}
