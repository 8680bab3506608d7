package intranet_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

type reactions struct {
	Items []struct {
		Emoji string
		Count int
		Mine  bool
		Names []string
	}
}

// TestReactions: a reaction toggles; the counts and names add up per emoji; each kind (post,
// comment, topic, reply) takes them; an emoji outside the set is a 422 naming the field, and a
// thing of a team space is a 404 to an outsider; the post's answer and page carry them.
func TestReactions(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		ann := e.NewUser(acc, actor.RoleMember)
		ben := e.NewUser(acc, actor.RoleMember)
		out := e.NewUser(acc, actor.RoleMember)
		base := "/api/v1/" + acc.Slug
		tid := team(t, e, acc, "Design", ann, ben)
		space := idOf(created(t, e.As(acc.Owner), base+"/spaces", map[string]any{"name": "Design", "team_id": tid}))
		news := idOf(created(t, e.As(acc.Owner), base+"/news", map[string]any{"space_id": space, "title": "Hello", "body": "Text"}))
		comment := idOf(created(t, e.As(ann), fmt.Sprintf("%s/news/%d/comments", base, news), map[string]any{"body": "Hi"}))
		topic := idOf(created(t, e.As(ann), base+"/topics", map[string]any{"space_id": space, "title": "T", "body": "B"}))
		reply := idOf(created(t, e.As(ben), fmt.Sprintf("%s/topics/%d/replies", base, topic), map[string]any{"body": "R"}))
		react := func(u *testkit.User, path, emoji string) (int, reactions) {
			var v reactions
			r := e.As(u).Post(path, map[string]any{"emoji": emoji})
			if r.Status == http.StatusOK {
				r.JSON(t, &v)
			}
			return r.Status, v
		}
		np := fmt.Sprintf("%s/news/%d/reactions", base, news)
		react(ann, np, "👍")
		react(ben, np, "🎉")
		st, v := react(ben, np, "👍")
		if st != http.StatusOK || len(v.Items) != 2 || v.Items[0].Emoji != "👍" || v.Items[0].Count != 2 || !v.Items[0].Mine || strings.Join(v.Items[0].Names, ",") != ann.Name+","+ben.Name || v.Items[1].Count != 1 {
			t.Fatalf("reactions: %d %+v", st, v)
		}
		if _, v := react(ann, np, "👍"); v.Items[0].Count != 1 || v.Items[0].Mine {
			t.Errorf("ann's toggle off: %+v", v)
		}
		before := e.Snapshot()
		if r := e.As(ann).Post(np, map[string]any{"emoji": "💩"}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["emoji"] == "" {
			t.Errorf("an emoji outside the set: %d %s", r.Status, r.Body)
		}
		for _, p := range []string{np, fmt.Sprintf("%s/news/%d/comments/%d/reactions", base, news, comment), fmt.Sprintf("%s/topics/%d/reactions", base, topic),
			fmt.Sprintf("%s/topics/%d/replies/%d/reactions", base, topic, reply)} {
			if r := e.As(out).Post(p, map[string]any{"emoji": "👍"}); r.Status != http.StatusNotFound {
				t.Errorf("the outsider reacts on %s: %d", p, r.Status)
			}
		}
		if after := e.Snapshot(); after != before {
			t.Errorf("a refused reaction wrote")
		}
		for _, p := range []string{fmt.Sprintf("%s/news/%d/comments/%d/reactions", base, news, comment), fmt.Sprintf("%s/topics/%d/reactions", base, topic),
			fmt.Sprintf("%s/topics/%d/replies/%d/reactions", base, topic, reply)} {
			if st, v := react(ann, p, "❤️"); st != http.StatusOK || len(v.Items) != 1 || v.Items[0].Count != 1 {
				t.Errorf("react on %s: %d %+v", p, st, v)
			}
		}
		// A reply under another topic is not found.
		other := idOf(created(t, e.As(ann), base+"/topics", map[string]any{"space_id": space, "title": "T2", "body": "B"}))
		if st, _ := react(ann, fmt.Sprintf("%s/topics/%d/replies/%d/reactions", base, other, reply), "👍"); st != http.StatusNotFound {
			t.Errorf("a reply under another topic: %d", st)
		}
		var n struct{ Reactions []struct{ Emoji string } }
		e.As(ben).Get(fmt.Sprintf("%s/news/%d", base, news)).JSON(t, &n)
		if len(n.Reactions) != 2 {
			t.Errorf("the post's reactions: %+v", n.Reactions)
		}
		var replies struct {
			Items []struct{ Reactions []struct{ Count int } }
		}
		e.As(ben).Get(fmt.Sprintf("%s/topics/%d/replies", base, topic)).JSON(t, &replies)
		if len(replies.Items) != 1 || len(replies.Items[0].Reactions) != 1 {
			t.Errorf("the replies' reactions: %+v", replies.Items)
		}
		// The page: a button per emoji, ben's pressed, the names in the title; the form toggles.
		b := e.BrowserLogin(ben)
		page := fmt.Sprintf("/%s/intranet/news/%d", acc.Slug, news)
		got := b.Get(page).String()
		if !strings.Contains(got, `title="`+ben.Name+`"`) || !strings.Contains(got, `aria-pressed="true"`) {
			t.Errorf("the page's reactions: %s", got)
		}
		if r := b.SubmitForm(page, page+"/react", map[string][]string{"emoji": {"👀"}}); r.Status != http.StatusSeeOther {
			t.Errorf("the reaction form: %d %s", r.Status, r.Body)
		}
		e.As(ben).Get(fmt.Sprintf("%s/news/%d", base, news)).JSON(t, &n)
		if len(n.Reactions) != 3 {
			t.Errorf("after the form: %+v", n.Reactions)
		}
	})
}

// TestSubscriptions: the author and the repliers follow a topic; its followers still in the
// space are told of each new reply (not its author; one named in it gets the mention only); an
// unsubscription holds even when the person replies again; a person whose preference for the
// notice is "off" gets nothing.
func TestSubscriptions(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		ann := e.NewUser(acc, actor.RoleMember)
		ben := e.NewUser(acc, actor.RoleMember)
		cat := e.NewUser(acc, actor.RoleMember)
		dan := e.NewUser(acc, actor.RoleMember)
		base := "/api/v1/" + acc.Slug
		space := idOf(created(t, e.As(acc.Owner), base+"/spaces", map[string]any{"name": "Company"}))
		topic := created(t, e.As(ann), base+"/topics", map[string]any{"space_id": space, "title": "Offsite", "body": "Where?"})
		if topic["subscribed"] != true {
			t.Fatalf("the author does not follow: %v", topic)
		}
		tp := fmt.Sprintf("%s/topics/%d", base, idOf(topic))
		reply := func(u *testkit.User, body string) { created(t, e.As(u), tp+"/replies", map[string]any{"body": body}) }
		notices := func() [4]int {
			e.Settle()
			return [4]int{unreadNotices(t, e, acc, ann), unreadNotices(t, e, acc, ben), unreadNotices(t, e, acc, cat), unreadNotices(t, e, acc, dan)}
		}
		if r := e.As(cat).Post(tp+"/subscribe", nil); r.Status != http.StatusOK || r.Map()["subscribed"] != true {
			t.Fatalf("cat subscribes: %d %s", r.Status, r.Body)
		}
		if r := e.As(dan).Put(base+"/notification-preferences", map[string]any{"preferences": []map[string]any{{"event_type": "intranet.replied", "channel": "off"}}}); r.Status != http.StatusOK {
			t.Fatalf("dan's preferences: %d %s", r.Status, r.Body)
		}
		e.As(dan).Post(tp+"/subscribe", nil)
		reply(ben, "The beach")
		if got := notices(); got != [4]int{1, 0, 1, 0} {
			t.Errorf("after ben's reply: %v", got)
		}
		var tv struct{ Subscribed bool }
		e.As(ben).Get(tp).JSON(t, &tv)
		if !tv.Subscribed {
			t.Errorf("ben does not follow after replying")
		}
		reply(ann, "Good idea @"+cat.Name)
		if got := notices(); got != [4]int{1, 1, 2, 0} {
			t.Errorf("after ann's reply naming cat: %v", got)
		}
		if r := e.As(ben).Post(tp+"/unsubscribe", nil); r.Status != http.StatusOK || r.Map()["subscribed"] != false {
			t.Fatalf("ben unsubscribes: %d %s", r.Status, r.Body)
		}
		reply(ben, "Still the beach")
		reply(cat, "Fine")
		if got := notices(); got != [4]int{3, 1, 3, 0} {
			t.Errorf("after ben unsubscribed and replied: %v", got)
		}
		if got := e.BrowserLogin(ben).Get(fmt.Sprintf("/%s/intranet/topics/%d", acc.Slug, idOf(topic))).String(); !strings.Contains(got, `id="subscribe"`) {
			t.Errorf("ben's page offers no subscription")
		}
	})
}
