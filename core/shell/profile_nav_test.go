package shell_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"groupcamp/core/identity"
	"groupcamp/core/testkit"
)

var bellHref = regexp.MustCompile(`<a class="bell[^"]*" href="([^"]*)"`)

// TestProfileKeepsSwitcherAndBell: the profile, outside any account, shows the account
// switcher and the bell of the account the person came from (?from=, which the layout's
// profile link carries), else of their first account; never of an account they are not in.
func TestProfileKeepsSwitcherAndBell(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		first, second, stranger := e.NewAccount(), e.NewAccount(), e.NewAccount()
		member := e.NewUser(first, "member")
		// The member joins the second account too.
		var m identity.Membership
		ctx := context.Background()
		if err := e.App.DB.NewSelect().Model(&m).Where("account_id = ? AND user_id = ?", second.ID, second.Owner.ID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		m.ID, m.UserID, m.Role = 0, member.ID, "member"
		if _, err := e.App.DB.NewInsert().Model(&m).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		b := e.BrowserLogin(member)

		bell := func(path string) string {
			t.Helper()
			r := b.Get(path)
			if r.Status != http.StatusOK {
				t.Fatalf("%s: status %d", path, r.Status)
			}
			contains(t, r, `class="menu switcher"`, `href="/`+first.Slug+`"`, `href="/`+second.Slug+`"`)
			got := bellHref.FindStringSubmatch(r.String())
			if got == nil {
				t.Fatalf("%s: no bell", path)
			}
			return got[1]
		}
		if got := bell("/profile"); got != "/"+first.Slug+"/notifications" && got != "/"+second.Slug+"/notifications" {
			t.Errorf("the profile's bell leads to %s", got)
		}
		if got := bell("/profile?from=" + second.Slug); got != "/"+second.Slug+"/notifications" {
			t.Errorf("from the second account, the bell leads to %s", got)
		}
		if got := bell("/profile?from=" + stranger.Slug); strings.Contains(got, stranger.Slug) {
			t.Errorf("the bell of an account the person is not in: %s", got)
		}
		// The profile link of an account page says where the person comes from.
		contains(t, b.Get("/"+second.Slug), `href="/profile?from=`+second.Slug+`"`)
	})
}

// TestPlatformNavLinksFailedJobs: support finds the failed background tasks in the console's
// navigation; a partner sees no such link and cannot open the page.
func TestPlatformNavLinksFailedJobs(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		sup := e.BrowserLogin(e.NewPlatformUser("support"))
		r := sup.Get("/platform")
		if r.Status != http.StatusOK {
			t.Fatalf("support's console: %d", r.Status)
		}
		contains(t, r, `href="/platform/jobs"`, `href="/platform" aria-current="page"`)
		if r := sup.Get("/platform/jobs"); r.Status != http.StatusOK {
			t.Errorf("support's failed jobs: %d", r.Status)
		} else {
			contains(t, r, `href="/platform/jobs" aria-current="page"`)
		}
		part := e.BrowserLogin(e.NewPlatformUser("partner"))
		r = part.Get("/platform")
		if r.Status != http.StatusOK {
			t.Fatalf("partner's console: %d", r.Status)
		}
		contains(t, r, `href="/platform"`)
		if strings.Contains(r.String(), "/platform/jobs") {
			t.Error("the partner's console links to the failed jobs")
		}
		if r := part.Get("/platform/jobs"); r.Status != http.StatusNotFound && r.Status != http.StatusForbidden {
			t.Errorf("partner on the failed jobs: %d", r.Status)
		}
	})
}
