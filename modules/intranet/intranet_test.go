package intranet_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules/intranet"
)

// TestNewsReadReceipts: a manager posts news in the company space; a member sees it unread,
// marks it read (twice: nothing changes); the readers say "1 of n" plus the author, and who has
// not read; a client and support reach nothing; a scheduled post shows to nobody but its author
// and the admins before its time.
func TestNewsReadReceipts(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		manager := e.NewUser(acc, actor.RoleManager)
		alice := e.NewUser(acc, actor.RoleMember)
		bob := e.NewUser(acc, actor.RoleMember)
		client := e.NewClient(acc, e.ClientCompany(acc))
		base := "/api/v1/" + acc.Slug
		owner := e.As(acc.Owner)
		space := idOf(created(t, owner, base+"/spaces", map[string]any{"name": "Company"}))
		if r := e.As(manager).Post(base+"/spaces", map[string]any{"name": "Mine"}); r.Status != http.StatusForbidden {
			t.Fatalf("a manager creates a space: %d", r.Status)
		}
		if r := e.As(alice).Post(base+"/news", map[string]any{"space_id": space, "title": "x", "body": "y"}); r.Status != http.StatusForbidden {
			t.Fatalf("a member posts news: %d", r.Status)
		}
		n := created(t, e.As(manager), base+"/news", map[string]any{"space_id": space, "title": "Office move", "body": "Pack <script>alert(1)</script> **now**", "pinned": true})
		id := idOf(n)
		if n["read"] != true {
			t.Errorf("the author has not read their own post: %v", n)
		}
		var unread struct{ Unread int }
		e.As(alice).Get(base+"/news/unread").JSON(t, &unread)
		if unread.Unread != 1 {
			t.Fatalf("alice's unread: %d", unread.Unread)
		}
		for range 2 {
			if r := e.As(alice).Post(fmt.Sprintf("%s/news/%d/read", base, id), nil); r.Status != http.StatusOK || r.Map()["read"] != true {
				t.Fatalf("read: %d %s", r.Status, r.Body)
			}
		}
		e.As(alice).Get(base+"/news/unread").JSON(t, &unread)
		if unread.Unread != 0 {
			t.Fatalf("alice's unread after reading: %d", unread.Unread)
		}
		var rd struct {
			Read, Audience int
			Unread         []struct {
				UserID int64 `json:"user_id"`
			}
		}
		e.As(bob).Get(fmt.Sprintf("%s/news/%d/readers", base, id)).JSON(t, &rd)
		// Owner, manager, alice and bob: the client is no reader.
		if rd.Read != 2 || rd.Audience != 4 || len(rd.Unread) != 2 {
			t.Fatalf("readers: %+v", rd)
		}
		// The page: the script is gone, the bold is kept, the receipt is shown.
		b := e.BrowserLogin(bob)
		page := fmt.Sprintf("/%s/intranet/news/%d", acc.Slug, id)
		r := b.Get(page)
		if r.Status != http.StatusOK || strings.Contains(r.String(), "<script>alert") || !strings.Contains(r.String(), "<strong>now</strong>") || !strings.Contains(r.String(), "Read by 2 of 4") {
			t.Fatalf("news page: %d %s", r.Status, r.Body)
		}
		if r := b.SubmitForm(page, page+"/read", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("mark read form: %d", r.Status)
		}
		if r := b.Get(page); !strings.Contains(r.String(), "Read by 3 of 4") {
			t.Fatalf("after bob read: %s", r.Body)
		}
		// The post is a notice of the space's people (not its author, not the client), by
		// default for the daily digest; reading the post (alice by the API, bob by the page)
		// takes it out of the digest.
		type notice struct {
			UserID        int64      `bun:"user_id"`
			DigestPending bool       `bun:"digest_pending"`
			ReadAt        *time.Time `bun:"read_at"`
		}
		var notices []notice
		if err := e.App.DB.NewSelect().Table("notifications").Column("user_id", "digest_pending", "read_at").
			Where("account_id = ? AND type = ?", acc.ID, intranet.NoticeNews).OrderExpr("user_id").Scan(t.Context(), &notices); err != nil {
			t.Fatal(err)
		}
		got := map[int64]notice{}
		for _, nt := range notices {
			got[nt.UserID] = nt
		}
		if len(notices) != 3 || !got[acc.Owner.ID].DigestPending || got[acc.Owner.ID].ReadAt != nil || got[alice.ID].ReadAt == nil || got[bob.ID].ReadAt == nil {
			t.Errorf("the news notices: %+v", notices)
		}
		var prefs struct {
			Preferences []struct {
				EventType string `json:"event_type"`
				Channel   string `json:"channel"`
			} `json:"preferences"`
		}
		e.As(bob).Get(base+"/notification-preferences").JSON(t, &prefs)
		if !strings.Contains(fmt.Sprint(prefs.Preferences), "{"+intranet.NoticeNews+" digest}") {
			t.Errorf("the news' default channel: %+v", prefs.Preferences)
		}
		for _, path := range []string{base + "/news", fmt.Sprintf("%s/news/%d", base, id), base + "/spaces"} {
			if r := e.As(client).Get(path); r.Status != http.StatusForbidden {
				t.Errorf("client GET %s: %d", path, r.Status)
			}
		}
		// Scheduled: only the author and the admins see it before its time.
		later := created(t, e.As(manager), base+"/news", map[string]any{"space_id": space, "title": "Next year", "body": "Soon", "publish_at": time.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339)})
		if r := e.As(alice).Get(fmt.Sprintf("%s/news/%d", base, idOf(later))); r.Status != http.StatusNotFound {
			t.Errorf("a scheduled post before its time: %d", r.Status)
		}
		if r := owner.Get(fmt.Sprintf("%s/news/%d", base, idOf(later))); r.Status != http.StatusOK {
			t.Errorf("the owner and a scheduled post: %d", r.Status)
		}
	})
}

// TestTeamSpace: a team's space is its members' (and the admins'): outsiders get 404 on it and
// on everything in it, in lists and in search; mentions notify only people of the space.
func TestTeamSpace(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		ann := e.NewUser(acc, actor.RoleMember)
		ben := e.NewUser(acc, actor.RoleMember)
		out := e.NewUser(acc, actor.RoleMember)
		base := "/api/v1/" + acc.Slug
		tid := team(t, e, acc, "Engineering", ann, ben)
		space := idOf(created(t, e.As(acc.Owner), base+"/spaces", map[string]any{"name": "Eng", "team_id": tid}))
		topic := idOf(created(t, e.As(ann), base+"/topics", map[string]any{"space_id": space, "title": "Zanzibar release plan", "body": "Ideas?"}))
		wiki := idOf(created(t, e.As(ann), base+"/wiki", map[string]any{"space_id": space, "title": "Runbook", "body": "Restart the zanzibar service"}))
		for _, path := range []string{fmt.Sprintf("%s/spaces/%d", base, space), fmt.Sprintf("%s/topics/%d", base, topic), fmt.Sprintf("%s/wiki/%d", base, wiki),
			fmt.Sprintf("%s/topics/%d/replies", base, topic), fmt.Sprintf("%s/wiki/%d/revisions", base, wiki)} {
			if r := e.As(out).Get(path); r.Status != http.StatusNotFound {
				t.Errorf("outsider GET %s: %d", path, r.Status)
			}
			if r := e.As(ben).Get(path); r.Status != http.StatusOK {
				t.Errorf("member GET %s: %d", path, r.Status)
			}
		}
		if r := e.As(out).Post(base+"/topics", map[string]any{"space_id": space, "title": "x", "body": "y"}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["space_id"] == "" {
			t.Errorf("outsider writes in the space: %d %s", r.Status, r.Body)
		}
		var list struct{ Items []any }
		e.As(out).Get(base+"/topics").JSON(t, &list)
		if len(list.Items) != 0 {
			t.Errorf("outsider lists %d topics", len(list.Items))
		}
		// The space's page lists the team's next events (a weekly one by its next occurrence).
		soon := time.Now().UTC().Add(48 * time.Hour).Truncate(time.Hour)
		created(t, e.As(ann), base+"/events", map[string]any{"space_id": space, "title": "Quarterly demo", "starts_at": soon.Format(time.RFC3339),
			"ends_at": soon.Add(time.Hour).Format(time.RFC3339), "recurrence": "weekly", "recur_count": 3})
		if r := e.BrowserLogin(ben).Get(fmt.Sprintf("/%s/intranet/spaces/%d", acc.Slug, space)); !strings.Contains(r.String(), `id="space-events"`) ||
			!strings.Contains(r.String(), "Quarterly demo") || !strings.Contains(r.String(), "?occurrence="+soon.Format(time.DateOnly)) {
			t.Errorf("the space's upcoming events: %s", r.Body)
		}
		// A reply naming ben (in the space) and the outsider: only ben is notified.
		created(t, e.As(ann), fmt.Sprintf("%s/topics/%d/replies", base, topic), map[string]any{"body": fmt.Sprintf("@%s and @%s, thoughts?", ben.Name, out.Name)})
		e.Settle()
		if n := unreadNotices(t, e, acc, ben); n != 1 {
			t.Errorf("ben's notifications: %d", n)
		}
		if n := unreadNotices(t, e, acc, out); n != 0 {
			t.Errorf("the outsider's notifications: %d", n)
		}
		// The home page's "what changed": the members see the discussion, the outsider not.
		if r := e.BrowserLogin(ben).Get("/" + acc.Slug); !strings.Contains(r.String(), "Zanzibar release plan") || !strings.Contains(r.String(), "opened the discussion") {
			t.Errorf("ben's home: %d", r.Status)
		}
		if r := e.BrowserLogin(out).Get("/" + acc.Slug); r.Status != http.StatusOK || strings.Contains(r.String(), "Zanzibar") {
			t.Errorf("the outsider's home shows the team's discussion: %d", r.Status)
		}
		// Search: the members find the topic and the page, the outsider nothing.
		for _, c := range []struct {
			u    *testkit.User
			want int
		}{{ben, 2}, {out, 0}, {acc.Owner, 2}} {
			var res struct{ Items []struct{ Kind string } }
			e.As(c.u).Get(base+"/search?q=zanzibar").JSON(t, &res)
			if len(res.Items) != c.want {
				t.Errorf("%s finds %d: %+v", c.u.Email, len(res.Items), res.Items)
			}
		}
		// Within the space: its documents (and it); another space's match is left out; a bad
		// ref is a 422 naming within.
		other := idOf(created(t, e.As(acc.Owner), base+"/spaces", map[string]any{"name": "Zanzibar office"}))
		e.Settle()
		for q, want := range map[string]int{"": 3, fmt.Sprintf("&within=space:%d", space): 2, fmt.Sprintf("&within=space:%d", other): 1} {
			var res struct{ Items []struct{ Kind string } }
			e.As(ben).Get(base+"/search?q=zanzibar"+q).JSON(t, &res)
			if len(res.Items) != want {
				t.Errorf("search%s: %+v", q, res.Items)
			}
		}
		// The space's page searches inside it; the search page keeps the filter and offers
		// to search everywhere.
		bb := e.BrowserLogin(ben)
		if r := bb.Get(fmt.Sprintf("/%s/intranet/spaces/%d", acc.Slug, space)); !strings.Contains(r.String(), fmt.Sprintf(`name="within" value="space:%d"`, space)) {
			t.Errorf("the space's search box: %s", r.Body)
		}
		if r := bb.Get(fmt.Sprintf("/%s/search?q=zanzibar&within=space:%d", acc.Slug, other)); !strings.Contains(r.String(), `id="search-inside"`) || !strings.Contains(r.String(), fmt.Sprintf(`name="within" value="space:%d"`, other)) || !strings.Contains(r.String(), "</mark> office") || strings.Contains(r.String(), "Runbook") ||
			!strings.Contains(r.String(), fmt.Sprintf(`href="/%s/search?q=zanzibar"`, acc.Slug)) {
			t.Errorf("the search page inside a space: %s", r.Body)
		}
		for _, bad := range []string{"space", "nokind:3", "space:x", "space:-1"} {
			if r := e.As(ben).Get(base + "/search?q=zanzibar&within=" + bad); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["within"] == "" {
				t.Errorf("within=%s: %d %s", bad, r.Status, r.Body)
			}
		}
	})
}

func unreadNotices(t *testing.T, e *testkit.Env, acc *testkit.Account, u *testkit.User) int {
	var v struct{ Unread int }
	e.As(u).Get("/api/v1/"+acc.Slug+"/notifications/unread-count").JSON(t, &v)
	return v.Unread
}

// TestWikiRevisions: each save is a revision; a save from a stale revision is a 409 that
// writes nothing; the diff is word-level; restoring makes a new revision; bad input is 4xx.
func TestWikiRevisions(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		m := e.NewUser(acc, actor.RoleMember)
		base := "/api/v1/" + acc.Slug
		space := idOf(created(t, e.As(acc.Owner), base+"/spaces", map[string]any{"name": "Company"}))
		c := e.As(m)
		w := created(t, c, base+"/wiki", map[string]any{"space_id": space, "title": "Handbook", "body": "The quick brown fox\n\nSecond\tparagraph"})
		id := idOf(w)
		path := fmt.Sprintf("%s/wiki/%d", base, id)
		if w["revision"].(float64) != 1 {
			t.Fatalf("revision: %v", w)
		}
		r := c.Put(path, map[string]any{"title": "Handbook", "body": "The quick red fox jumps\n\nSecond\tparagraph", "base_revision": 1})
		if r.Status != http.StatusOK || r.Map()["revision"].(float64) != 2 {
			t.Fatalf("save: %d %s", r.Status, r.Body)
		}
		before := e.Snapshot()
		if r := c.Put(path, map[string]any{"title": "Handbook", "body": "Stale", "base_revision": 1}); r.Status != http.StatusConflict {
			t.Fatalf("stale save: %d %s", r.Status, r.Body)
		}
		if r := c.Put(path, map[string]any{"title": "", "body": "x", "base_revision": 2}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["title"] == "" {
			t.Fatalf("no title: %d %s", r.Status, r.Body)
		}
		if r := c.Put(path, map[string]any{"title": "Big", "body": strings.Repeat("x", 300<<10), "base_revision": 2}); r.Status != http.StatusRequestEntityTooLarge {
			t.Fatalf("huge page: %d", r.Status)
		}
		if r := c.Get(path + "/diff?from=1&to=9"); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["to"] == "" {
			t.Fatalf("diff to nothing: %d %s", r.Status, r.Body)
		}
		if after := e.Snapshot(); after != before {
			t.Fatalf("a refused save wrote")
		}
		var d struct {
			Body []struct{ Op, Text string }
		}
		c.Get(path+"/diff?from=1&to=2").JSON(t, &d)
		got := fmt.Sprint(d.Body)
		if got != "[{equal The quick } {delete brown} {insert red} {equal  fox} {insert  jumps} {equal \n\nSecond\tparagraph}]" {
			t.Fatalf("diff: %s", got)
		}
		r = c.Post(path+"/revisions/1/restore", nil)
		if r.Status != http.StatusOK || r.Map()["revision"].(float64) != 3 || r.Map()["body"] != "The quick brown fox\n\nSecond\tparagraph" {
			t.Fatalf("restore: %d %s", r.Status, r.Body)
		}
		var revs struct {
			Items []struct {
				Revision     int
				RestoredFrom int `json:"restored_from"`
			}
		}
		c.Get(path+"/revisions").JSON(t, &revs)
		if len(revs.Items) != 3 {
			t.Fatalf("revisions: %+v", revs)
		}
		// The page: a stale save shows the conflict and the changes made since, keeping the text.
		b := e.BrowserLogin(m)
		page := fmt.Sprintf("/%s/intranet/wiki/%d", acc.Slug, id)
		r = b.SubmitForm(page, page, map[string][]string{"title": {"Handbook"}, "body": {"My own edit"}, "base_revision": {"2"}})
		if r.Status != http.StatusConflict || !strings.Contains(r.String(), `id="conflict"`) || !strings.Contains(r.String(), "My own edit") || !strings.Contains(r.String(), "<ins>") {
			t.Fatalf("page conflict: %d %s", r.Status, r.Body)
		}
		if r := b.Get(page + "/diff?from=1&to=2"); r.Status != http.StatusOK || !strings.Contains(r.String(), "<del>brown</del>") {
			t.Fatalf("diff page: %d", r.Status)
		}
	})
}

// TestOtherAccount: every id of account A is 404 for a member of account B, in the API and the
// pages, and B's writes on them change nothing.
func TestOtherAccount(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		a, b := e.NewAccount(), e.NewAccount()
		baseA := "/api/v1/" + a.Slug
		ownerA := e.As(a.Owner)
		space := idOf(created(t, ownerA, baseA+"/spaces", map[string]any{"name": "Company"}))
		news := idOf(created(t, ownerA, baseA+"/news", map[string]any{"space_id": space, "title": "T", "body": "B"}))
		topic := idOf(created(t, ownerA, baseA+"/topics", map[string]any{"space_id": space, "title": "T", "body": "B"}))
		wiki := idOf(created(t, ownerA, baseA+"/wiki", map[string]any{"space_id": space, "title": "T", "body": "B"}))
		event := idOf(created(t, ownerA, baseA+"/events", map[string]any{"space_id": space, "title": "T", "all_day": true, "starts_at": "2026-12-18T00:00:00Z"}))
		comment := idOf(created(t, ownerA, fmt.Sprintf("%s/news/%d/comments", baseA, news), map[string]any{"body": "C"}))
		reply := idOf(created(t, ownerA, fmt.Sprintf("%s/topics/%d/replies", baseA, topic), map[string]any{"body": "R"}))
		baseB := "/api/v1/" + b.Slug
		c := e.As(b.Owner)
		before := e.Snapshot()
		gets := []string{fmt.Sprintf("/spaces/%d", space), fmt.Sprintf("/news/%d", news), fmt.Sprintf("/news/%d/readers", news), fmt.Sprintf("/news/%d/comments", news),
			fmt.Sprintf("/topics/%d", topic), fmt.Sprintf("/topics/%d/replies", topic), fmt.Sprintf("/wiki/%d", wiki), fmt.Sprintf("/wiki/%d/revisions", wiki),
			fmt.Sprintf("/wiki/%d/revisions/1", wiki), fmt.Sprintf("/wiki/%d/diff?from=1&to=1", wiki), fmt.Sprintf("/wiki/%d/backlinks", wiki), fmt.Sprintf("/events/%d", event)}
		for _, p := range gets {
			if r := c.Get(baseB + p); r.Status != http.StatusNotFound {
				t.Errorf("B GET %s: %d", p, r.Status)
			}
		}
		posts := map[string]any{fmt.Sprintf("/news/%d/read", news): nil, fmt.Sprintf("/news/%d/comments", news): map[string]any{"body": "x"},
			fmt.Sprintf("/topics/%d/replies", topic): map[string]any{"body": "x"}, fmt.Sprintf("/wiki/%d/revisions/1/restore", wiki): nil,
			fmt.Sprintf("/news/%d/reactions", news): map[string]any{"emoji": "👍"}, fmt.Sprintf("/topics/%d/reactions", topic): map[string]any{"emoji": "👍"},
			fmt.Sprintf("/news/%d/comments/%d/reactions", news, comment): map[string]any{"emoji": "👍"}, fmt.Sprintf("/topics/%d/replies/%d/reactions", topic, reply): map[string]any{"emoji": "👍"},
			fmt.Sprintf("/topics/%d/subscribe", topic): nil, fmt.Sprintf("/topics/%d/unsubscribe", topic): nil}
		for p, body := range posts {
			if r := c.Post(baseB+p, body); r.Status != http.StatusNotFound {
				t.Errorf("B POST %s: %d", p, r.Status)
			}
		}
		if r := c.Put(fmt.Sprintf("%s/wiki/%d", baseB, wiki), map[string]any{"title": "x", "body": "y", "base_revision": 1}); r.Status != http.StatusNotFound {
			t.Errorf("B PUT wiki: %d", r.Status)
		}
		for _, p := range []string{fmt.Sprintf("/news/%d", news), fmt.Sprintf("/topics/%d", topic), fmt.Sprintf("/news/%d/comments/%d", news, comment), fmt.Sprintf("/topics/%d/replies/%d", topic, reply)} {
			body := map[string]any{"body": "y"}
			if !strings.Contains(p, "/comments/") && !strings.Contains(p, "/replies/") {
				body["title"] = "x"
			}
			if r := c.Put(baseB+p, body); r.Status != http.StatusNotFound {
				t.Errorf("B PUT %s: %d", p, r.Status)
			}
			if r := c.Delete(baseB + p); r.Status != http.StatusNotFound {
				t.Errorf("B DELETE %s: %d", p, r.Status)
			}
		}
		var evs struct{ Items []any }
		c.Get(baseB+"/events?from=2026-12-01&to=2026-12-31").JSON(t, &evs)
		if len(evs.Items) != 0 {
			t.Errorf("B lists A's events: %v", evs.Items)
		}
		if r := sendICS(t, c, fmt.Sprintf("%s/events/import?space_id=%d", baseB, space), []byte(goodICS)); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("B imports into A's space: %d", r.Status)
		}
		if r := c.Post(baseB+"/events", map[string]any{"space_id": space, "title": "x", "starts_at": "2026-12-18T00:00:00Z", "all_day": true}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("B POST events in A's space: %d", r.Status)
		}
		for _, kind := range []string{"news", "topics", "wiki"} {
			if r := c.Post(baseB+"/"+kind, map[string]any{"space_id": space, "title": "x", "body": "y"}); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("B POST %s in A's space: %d", kind, r.Status)
			}
		}
		pb := e.BrowserLogin(b.Owner)
		for _, p := range []string{fmt.Sprintf("/intranet/spaces/%d", space), fmt.Sprintf("/intranet/news/%d", news), fmt.Sprintf("/intranet/topics/%d", topic), fmt.Sprintf("/intranet/wiki/%d", wiki), fmt.Sprintf("/intranet/events/%d", event)} {
			if r := pb.Get("/" + b.Slug + p); r.Status != http.StatusNotFound {
				t.Errorf("B page %s: %d", p, r.Status)
			}
		}
		for _, p := range []string{fmt.Sprintf("/intranet/news/%d/edit", news), fmt.Sprintf("/intranet/news/%d/delete", news), fmt.Sprintf("/intranet/topics/%d/edit", topic),
			fmt.Sprintf("/intranet/topics/%d/delete", topic), fmt.Sprintf("/intranet/news/%d/comments/%d/edit", news, comment), fmt.Sprintf("/intranet/topics/%d/replies/%d/delete", topic, reply),
			fmt.Sprintf("/intranet/news/%d/react", news), fmt.Sprintf("/intranet/topics/%d/replies/%d/react", topic, reply), fmt.Sprintf("/intranet/topics/%d/subscribe", topic)} {
			if r := pb.SubmitForm("/"+b.Slug+"/intranet", "/"+b.Slug+p, map[string][]string{"title": {"x"}, "body": {"y"}, "emoji": {"👍"}}); r.Status != http.StatusNotFound {
				t.Errorf("B form %s: %d", p, r.Status)
			}
		}
		if after := e.Snapshot(); after != before {
			t.Errorf("B's calls wrote")
		}
		var n struct{ Title string }
		ownerA.Get(fmt.Sprintf("%s/news/%d", baseA, news)).JSON(t, &n)
		if n.Title != "T" {
			t.Errorf("B changed A's post: %q", n.Title)
		}
	})
}

// TestScheduledNews: a post scheduled for later reaches its readers and the search once its
// time has come and the minute job ran (PublishDue), not before.
func TestScheduledNews(t *testing.T) {
	t.Parallel()
	e := testkit.Start(t, "sqlite", options())
	svc := service(t, e)
	acc := e.NewAccount()
	m := e.NewUser(acc, actor.RoleMember)
	base := "/api/v1/" + acc.Slug
	space := idOf(created(t, e.As(acc.Owner), base+"/spaces", map[string]any{"name": "Company"}))
	at := time.Now().UTC().Add(time.Hour)
	id := idOf(created(t, e.As(acc.Owner), base+"/news", map[string]any{"space_id": space, "title": "Quarterly xylophone results", "body": "Soon", "publish_at": at.Format(time.RFC3339)}))
	e.Settle()
	find := func() int {
		var res struct{ Items []any }
		e.As(m).Get(base+"/search?q=xylophone").JSON(t, &res)
		return len(res.Items)
	}
	if n, _ := svc.PublishDue(context.Background()); n != 0 || find() != 0 {
		t.Fatalf("before its time: %d published, %d found", n, find())
	}
	svc.Now = func() time.Time { return at.Add(time.Minute) }
	defer func() { svc.Now = nil }()
	if n, err := svc.PublishDue(context.Background()); n != 1 || err != nil {
		t.Fatalf("at its time: %d %v", n, err)
	}
	e.Settle()
	if r := e.As(m).Get(fmt.Sprintf("%s/news/%d", base, id)); r.Status != http.StatusOK {
		t.Errorf("the member and the published post: %d", r.Status)
	}
	// Published on time, it is a notice of the member (for their digest), once.
	if n, err := e.App.DB.NewSelect().Table("notifications").Where("account_id = ? AND user_id = ? AND type = ? AND digest_pending", acc.ID, m.ID, intranet.NoticeNews).Count(t.Context()); err != nil || n != 1 {
		t.Errorf("the member's notices of the scheduled post: %d %v", n, err)
	}
	if n, _ := svc.PublishDue(context.Background()); n != 0 {
		t.Errorf("published twice: %d", n)
	}
	// The index's refresh reads the source with the real clock: the post is found once it is
	// really published; here it is offered, and the search answers without error.
	if r := e.As(m).Get(base + "/search?q=xylophone"); r.Status != http.StatusOK {
		t.Errorf("search: %d", r.Status)
	}
}

// TestWikiLinks: [[Page name]] links to the page of that title in the same space (a name no
// page bears stays text), and the linked page lists its back-links; a page of another space of
// the same title is not linked.
func TestWikiLinks(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		m := e.NewUser(acc, actor.RoleMember)
		base := "/api/v1/" + acc.Slug
		owner := e.As(acc.Owner)
		space := idOf(created(t, owner, base+"/spaces", map[string]any{"name": "Company"}))
		other := idOf(created(t, owner, base+"/spaces", map[string]any{"name": "Other"}))
		c := e.As(m)
		target := idOf(created(t, c, base+"/wiki", map[string]any{"space_id": space, "title": "On-call", "body": "Who is on call"}))
		created(t, c, base+"/wiki", map[string]any{"space_id": other, "title": "Missing page", "body": "Elsewhere"})
		src := idOf(created(t, c, base+"/wiki", map[string]any{"space_id": space, "title": "Runbook", "body": "See [[On-call]] and [[Missing page]]."}))
		r := e.BrowserLogin(m).Get(fmt.Sprintf("/%s/intranet/wiki/%d", acc.Slug, src))
		want := fmt.Sprintf(`<a href="/%s/intranet/wiki/%d"`, acc.Slug, target)
		if !strings.Contains(r.String(), want) || !strings.Contains(r.String(), "<em>Missing page</em> (?)") {
			t.Fatalf("links: %s", r.Body)
		}
		var back struct {
			Items []struct{ ID int64 }
		}
		c.Get(fmt.Sprintf("%s/wiki/%d/backlinks", base, target)).JSON(t, &back)
		if len(back.Items) != 1 || back.Items[0].ID != src {
			t.Fatalf("backlinks: %+v", back)
		}
	})
}

// TestDirectory: the colleagues (never the clients) by name, filtered by name and by team,
// with their teams; a person's vCard; someone of another account is no one here.
func TestDirectory(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		ann := e.NewUser(acc, actor.RoleMember)
		bob := e.NewUser(acc, actor.RoleManager)
		client := e.NewClient(acc, e.ClientCompany(acc))
		stranger := e.NewUser(e.NewAccount(), actor.RoleMember)
		tid := team(t, e, acc, "Design", ann)
		base := "/api/v1/" + acc.Slug
		type list struct {
			Items []struct {
				UserID int64 `json:"user_id"`
				Teams  []string
			}
		}
		var all list
		e.As(bob).Get(base+"/directory").JSON(t, &all)
		if len(all.Items) != 3 {
			t.Fatalf("directory: %+v", all)
		}
		for _, it := range all.Items {
			if it.UserID == client.ID {
				t.Error("a client in the directory")
			}
		}
		var design list
		e.As(bob).Get(fmt.Sprintf("%s/directory?team_id=%d", base, tid)).JSON(t, &design)
		if len(design.Items) != 1 || design.Items[0].UserID != ann.ID || len(design.Items[0].Teams) != 1 || design.Items[0].Teams[0] != "Design" {
			t.Fatalf("by team: %+v", design)
		}
		var byName list
		e.As(bob).Get(base+"/directory?q="+strings.ToUpper(ann.Name[:4])).JSON(t, &byName)
		if len(byName.Items) == 0 {
			t.Fatalf("by name: %+v", byName)
		}
		if r := e.As(bob).Get(base + "/directory?q=%25%00"); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("a control character in q: %d", r.Status)
		}
		pb := e.BrowserLogin(bob)
		r := pb.Get(fmt.Sprintf("/%s/intranet/people/%d/vcard", acc.Slug, ann.ID))
		if r.Status != http.StatusOK || !strings.Contains(r.String(), "FN:"+ann.Name) || !strings.Contains(r.String(), "EMAIL;TYPE=work:"+ann.Email) {
			t.Fatalf("vcard: %d %s", r.Status, r.Body)
		}
		if r := pb.Get(fmt.Sprintf("/%s/intranet/people/%d/vcard", acc.Slug, stranger.ID)); r.Status != http.StatusNotFound {
			t.Errorf("a stranger's vcard: %d", r.Status)
		}
		if r := pb.Get(fmt.Sprintf("/%s/intranet/people?team_id=%d", acc.Slug, tid)); r.Status != http.StatusOK || !strings.Contains(r.String(), ann.Email) || strings.Contains(r.String(), bob.Email) {
			t.Errorf("the directory page: %d", r.Status)
		}
	})
}
