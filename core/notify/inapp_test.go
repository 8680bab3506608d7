package notify_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/automation"
	"groupcamp/core/testkit"
)

// TestInApp: the list (newest first, unread filter, cursor pages), mark read, mark all read,
// the bell's count and label, the page with its empty state, and the tenancy rules: another
// account's notification ids are 404s, and a notice never reaches anyone outside its account.
func TestInApp(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		a := e.NewAccount()
		b := e.NewAccount()
		aMember := e.NewUser(a, "member")
		aClient := e.NewUser(a, "client")
		bOwner := b.Owner
		ctx := context.Background()

		// The empty page first.
		mb := e.BrowserLogin(aMember)
		page := mb.Get("/" + a.Slug + "/notifications")
		want(t, "empty page", page, http.StatusOK)
		wantText(t, "empty page", string(page.Body), "No notifications yet", `aria-label="0 unread notifications"`)

		// Notices to the member by id, to clients by role, and to a user of another account by
		// id (who must get nothing).
		for i, n := range []automation.Notice{
			{AccountID: a.ID, UserIDs: []int64{aMember.ID, bOwner.ID}, EventType: "user.invited", Text: "First"},
			{AccountID: a.ID, Roles: []string{"member", "client"}, EventType: "something.else", Text: "Second"},
			{AccountID: a.ID, UserIDs: []int64{aMember.ID}, EventType: "user.role_changed", Text: "Third"},
		} {
			if err := e.App.Notify.Notify(ctx, e.App.DB, n); err != nil {
				t.Fatalf("notice %d: %v", i, err)
			}
		}
		if n := unread(t, e, bOwner, b.Slug); n != 0 {
			t.Errorf("a user of another account got %d notifications", n)
		}
		if n, _ := e.App.DB.NewSelect().Table("notifications").Where("user_id = ?", bOwner.ID).Count(ctx); n != 0 {
			t.Errorf("notifications across accounts: %d", n)
		}
		if n := unread(t, e, aClient, a.Slug); n != 1 {
			t.Errorf("client: %d unread", n)
		}
		if n := unread(t, e, aMember, a.Slug); n != 3 {
			t.Fatalf("member: %d unread", n)
		}

		list := "/api/v1/" + a.Slug + "/notifications"
		var pg struct {
			Items []struct {
				ID     int64   `json:"id"`
				Type   string  `json:"type"`
				Text   string  `json:"text"`
				ReadAt *string `json:"read_at"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		r := e.As(aMember).Get(list + "?limit=2")
		want(t, "list", r, http.StatusOK)
		r.JSON(t, &pg)
		if len(pg.Items) != 2 || pg.Items[0].Text != "Third" || pg.Items[1].Text != "Second" || pg.Items[1].Type != "automation.notice" || pg.NextCursor == "" {
			t.Fatalf("first page: %s", r.Body)
		}
		second := pg.Items[1].ID
		r = e.As(aMember).Get(list + "?limit=2&cursor=" + pg.NextCursor)
		r.JSON(t, &pg)
		if len(pg.Items) != 1 || pg.Items[0].Text != "First" || pg.NextCursor != "" {
			t.Fatalf("second page: %s", r.Body)
		}
		first := pg.Items[0].ID

		// The bell.
		page = mb.Get("/" + a.Slug)
		wantText(t, "bell", string(page.Body), `href="/`+a.Slug+`/notifications" aria-label="3 unread notifications"`, `<span class="count" id="bell-count" aria-hidden="true">3</span>`)
		page = mb.Get("/" + a.Slug + "/notifications")
		wantText(t, "list page", string(page.Body), "First", "Second", "Third", "Mark all as read", "A person is invited")

		// Mark one read, through the API, then one through the page.
		r = e.As(aMember).Post(list+"/"+itoa(second)+"/read", nil)
		want(t, "read", r, http.StatusOK)
		if r.Map()["read_at"] == nil {
			t.Errorf("read: %s", r.Body)
		}
		want(t, "read again", e.As(aMember).Post(list+"/"+itoa(second)+"/read", nil), http.StatusOK)
		r = e.As(aMember).Get(list + "?unread=true")
		r.JSON(t, &pg)
		if len(pg.Items) != 2 {
			t.Errorf("unread after one read: %s", r.Body)
		}
		r = mb.Form("/"+a.Slug+"/notifications/"+itoa(first)+"/read", url.Values{"_csrf": {testkit.CSRFIn(page.Body)}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("read through the page: %d", r.Status)
		}
		wantText(t, "bell after reading", string(mb.Get("/"+a.Slug).Body), `aria-label="1 unread notification"`)

		// Someone else's notification, and another account's, are 404s.
		if r := e.As(aClient).Post(list+"/"+itoa(first)+"/read", nil); r.Status != http.StatusNotFound {
			t.Errorf("client marks the member's notification: %d", r.Status)
		}
		for _, p := range []string{"/api/v1/" + b.Slug + "/notifications/" + itoa(first) + "/read", list + "/" + itoa(first) + "/read"} {
			if r := e.As(bOwner).Post(p, nil); r.Status != http.StatusNotFound {
				t.Errorf("B's owner POST %s: %d", p, r.Status)
			}
		}
		if r := e.As(bOwner).Get(list); r.Status != http.StatusNotFound {
			t.Errorf("B's owner lists A's notifications: %d", r.Status)
		}
		for _, bad := range []string{"?unread=maybe", "?limit=0", "?cursor=zz"} {
			if r := e.As(aMember).Get(list + bad); r.Status != http.StatusUnprocessableEntity {
				t.Errorf("GET %s: %d", bad, r.Status)
			}
		}
		if r := e.As(aMember).Post(list+"/abc/read", nil); r.Status != http.StatusNotFound {
			t.Errorf("non-numeric id: %d", r.Status)
		}

		// Mark all read, through the page.
		page = mb.Get("/" + a.Slug + "/notifications")
		r = mb.Form("/"+a.Slug+"/notifications/read-all", url.Values{"_csrf": {testkit.CSRFIn(page.Body)}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("read all: %d", r.Status)
		}
		page = mb.Get("/" + a.Slug + "/notifications?unread=true")
		wantText(t, "all read", string(page.Body), "All your notifications are marked as read.", "You have read everything", `aria-label="0 unread notifications"`)
		r = e.As(aClient).Post(list+"/read-all", nil)
		want(t, "client reads all", r, http.StatusOK)
		if r.Map()["marked"].(float64) != 1 {
			t.Errorf("client read-all: %s", r.Body)
		}
		if strings.Contains(string(e.As(aClient).Get(list).Body), "Third") {
			t.Error("the client sees the member's notification")
		}
	})
}

// TestBellIsLocalized: the bell's label in Russian, with its plural forms.
func TestBellIsLocalized(t *testing.T) {
	t.Parallel()
	e := testkit.Start(t, "sqlite", testkit.Options{})
	acc := e.NewAccount()
	if _, err := e.App.DB.NewUpdate().Table("users").Set("locale = 'ru'").Where("id = ?", acc.Owner.ID).Exec(context.Background()); err != nil {
		t.Fatal(err)
	}
	b := e.BrowserLogin(acc.Owner)
	for i, want := range map[int]string{1: "1 непрочитанное уведомление", 3: "3 непрочитанных уведомления", 5: "5 непрочитанных уведомлений"} {
		if _, err := e.App.DB.NewDelete().Table("notifications").Where("account_id = ?", acc.ID).Exec(context.Background()); err != nil {
			t.Fatal(err)
		}
		for j := 0; j < i; j++ {
			if err := e.App.Notify.Notify(context.Background(), e.App.DB, automation.Notice{AccountID: acc.ID, Roles: []string{"owner"}, EventType: "user.invited", Text: "x"}); err != nil {
				t.Fatal(err)
			}
		}
		wantText(t, "ru bell", string(b.Get("/"+acc.Slug).Body), `aria-label="`+want+`"`)
	}
}
