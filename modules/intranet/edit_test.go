package intranet_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// TestEditDelete: the author, and managers and up, edit and delete posts, topics, comments
// and replies; another member gets 403 and changes nothing; an edit is marked (edited_at, and
// "edited" on the page), refused input is a 4xx naming the field that writes nothing, a newly
// named @Name is notified once, the search follows the edits and deletions, each change is
// audited, and a comment named under another post is a 404.
func TestEditDelete(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		mgr := e.NewUser(acc, actor.RoleManager)
		alice := e.NewUser(acc, actor.RoleMember)
		bob := e.NewUser(acc, actor.RoleMember)
		base := "/api/v1/" + acc.Slug
		space := idOf(created(t, e.As(acc.Owner), base+"/spaces", map[string]any{"name": "Company"}))
		news := idOf(created(t, e.As(mgr), base+"/news", map[string]any{"space_id": space, "title": "Quokka day", "body": "Text"}))
		other := idOf(created(t, e.As(mgr), base+"/news", map[string]any{"space_id": space, "title": "Other", "body": "Text"}))
		comment := idOf(created(t, e.As(alice), fmt.Sprintf("%s/news/%d/comments", base, news), map[string]any{"body": "First!"}))
		cpath := fmt.Sprintf("%s/news/%d/comments/%d", base, news, comment)

		// Who may: the author and a manager; another member is refused, and a comment under
		// another post is not found.
		before := e.Snapshot()
		if r := e.As(bob).Put(cpath, map[string]any{"body": "Hijacked"}); r.Status != http.StatusForbidden {
			t.Errorf("bob edits alice's comment: %d %s", r.Status, r.Body)
		}
		if r := e.As(bob).Delete(cpath); r.Status != http.StatusForbidden {
			t.Errorf("bob deletes alice's comment: %d", r.Status)
		}
		if r := e.As(alice).Put(fmt.Sprintf("%s/news/%d/comments/%d", base, other, comment), map[string]any{"body": "x"}); r.Status != http.StatusNotFound {
			t.Errorf("a comment under another post: %d", r.Status)
		}
		if r := e.As(alice).Put(cpath, map[string]any{"body": "   "}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["body"] == "" {
			t.Errorf("an empty comment: %d %s", r.Status, r.Body)
		}
		if r := e.As(alice).Put(cpath, map[string]any{"body": strings.Repeat("x", 101<<10)}); r.Status != http.StatusRequestEntityTooLarge {
			t.Errorf("a huge comment: %d", r.Status)
		}
		if r := e.As(alice).Put(fmt.Sprintf("%s/news/%d", base, news), map[string]any{"title": "Mine now", "body": "x"}); r.Status != http.StatusForbidden {
			t.Errorf("a member edits news: %d", r.Status)
		}
		if after := e.Snapshot(); after != before {
			t.Fatalf("a refused change wrote")
		}
		r := e.As(alice).Put(cpath, map[string]any{"body": "First, edited"})
		if r.Status != http.StatusOK || r.Map()["edited_at"] == nil || r.Map()["body"] != "First, edited" {
			t.Fatalf("alice edits her comment: %d %s", r.Status, r.Body)
		}
		if r := e.As(mgr).Put(cpath, map[string]any{"body": "Moderated"}); r.Status != http.StatusOK {
			t.Fatalf("a manager edits the comment: %d %s", r.Status, r.Body)
		}
		// The page shows the mark, and the edit form to the author only.
		page := fmt.Sprintf("/%s/intranet/news/%d", acc.Slug, news)
		if got := e.BrowserLogin(alice).Get(page).String(); !strings.Contains(got, "Moderated") || !strings.Contains(got, "edited ") || !strings.Contains(got, fmt.Sprintf("comments/%d/edit", comment)) {
			t.Errorf("alice's news page: %s", got)
		}
		if got := e.BrowserLogin(bob).Get(page).String(); strings.Contains(got, fmt.Sprintf("comments/%d/edit", comment)) {
			t.Errorf("bob is offered to edit alice's comment")
		}

		// The post: edited by its author, searched under its new title.
		if r := e.As(mgr).Put(fmt.Sprintf("%s/news/%d", base, news), map[string]any{"title": "Wombat day", "body": "New text"}); r.Status != http.StatusOK || r.Map()["edited_at"] == nil {
			t.Fatalf("the author edits the post: %d %s", r.Status, r.Body)
		}
		e.Settle()
		if n := searchCount(t, e, acc, bob, "wombat"); n != 1 {
			t.Errorf("the edited post found %d times", n)
		}
		if n := searchCount(t, e, acc, bob, "quokka"); n != 0 {
			t.Errorf("the old title still found %d times", n)
		}

		// Deleting the comment: the post counts one less.
		if r := e.As(alice).Delete(cpath); r.Status != http.StatusNoContent {
			t.Fatalf("alice deletes her comment: %d %s", r.Status, r.Body)
		}
		var n struct{ Comments int }
		e.As(bob).Get(fmt.Sprintf("%s/news/%d", base, news)).JSON(t, &n)
		if n.Comments != 0 {
			t.Errorf("comments after the deletion: %d", n.Comments)
		}

		// A topic and a reply: a mention added by an edit notifies once.
		topic := idOf(created(t, e.As(alice), base+"/topics", map[string]any{"space_id": space, "title": "Platypus plan", "body": "Ideas?"}))
		reply := idOf(created(t, e.As(alice), fmt.Sprintf("%s/topics/%d/replies", base, topic), map[string]any{"body": "Mine: echidna"}))
		rpath := fmt.Sprintf("%s/topics/%d/replies/%d", base, topic, reply)
		e.Settle()
		notices := unreadNotices(t, e, acc, bob)
		for range 2 {
			if r := e.As(alice).Put(rpath, map[string]any{"body": "Mine: echidna, what do you say @" + bob.Name + "?"}); r.Status != http.StatusOK {
				t.Fatalf("alice edits her reply: %d %s", r.Status, r.Body)
			}
		}
		e.Settle()
		if got := unreadNotices(t, e, acc, bob); got != notices+1 {
			t.Errorf("bob's notices after two edits naming him: %d, before %d", got, notices)
		}
		// The reply's text is in the topic's search document.
		if n := searchCount(t, e, acc, bob, "echidna"); n != 1 {
			t.Errorf("the reply's text found %d times", n)
		}
		if r := e.As(bob).Put(fmt.Sprintf("%s/topics/%d", base, topic), map[string]any{"title": "Mine", "body": "x"}); r.Status != http.StatusForbidden {
			t.Errorf("bob edits alice's topic: %d", r.Status)
		}
		if r := e.As(alice).Put(fmt.Sprintf("%s/topics/%d", base, topic), map[string]any{"title": "", "body": "x"}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["title"] == "" {
			t.Errorf("a topic without title: %d %s", r.Status, r.Body)
		}
		if r := e.As(mgr).Delete(fmt.Sprintf("%s/topics/%d", base, topic)); r.Status != http.StatusNoContent {
			t.Fatalf("a manager deletes the topic: %d %s", r.Status, r.Body)
		}
		if r := e.As(alice).Get(fmt.Sprintf("%s/topics/%d", base, topic)); r.Status != http.StatusNotFound {
			t.Errorf("the deleted topic: %d", r.Status)
		}
		e.Settle()
		if n := searchCount(t, e, acc, bob, "platypus"); n != 0 {
			t.Errorf("the deleted topic still found %d times", n)
		}
		// The post, deleted from its page (the form asks first).
		b := e.BrowserLogin(mgr)
		if r := b.SubmitForm(page, page+"/delete", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("delete form: %d %s", r.Status, r.Body)
		}
		if r := e.As(bob).Get(fmt.Sprintf("%s/news/%d", base, news)); r.Status != http.StatusNotFound {
			t.Errorf("the deleted post: %d", r.Status)
		}
		for _, action := range []string{"intranet.comment_edited", "intranet.comment_deleted", "intranet.news_edited", "intranet.news_deleted", "intranet.reply_edited", "intranet.topic_deleted"} {
			if n, err := e.App.DB.NewSelect().TableExpr("audit_events").Where("account_id = ? AND action = ?", acc.ID, action).Count(context.Background()); err != nil || n == 0 {
				t.Errorf("no audit entry %s", action)
			}
		}
	})
}

// searchCount is how many results the person's search for q finds.
func searchCount(t *testing.T, e *testkit.Env, acc *testkit.Account, u *testkit.User, q string) int {
	t.Helper()
	var res struct{ Items []any }
	e.As(u).Get("/api/v1/"+acc.Slug+"/search?q="+q).JSON(t, &res)
	return len(res.Items)
}
