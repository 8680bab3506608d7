package ical_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	goical "github.com/emersion/go-ical"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
)

// TestFeed: a person's feed holds their open tasks due in the window, as all-day events with
// a link to the task, and nothing of anyone else's or of what they may not see.
func TestFeed(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		due := today().AddDate(0, 0, 10)
		mine := o.task(t, o.project, "Draft the plan, v2; final", due, o.mem)
		o.task(t, o.project, "Shared with the owner", due.AddDate(0, 0, 1), o.mem, o.owner)
		done := o.task(t, o.project, "Already done", due, o.mem)
		if r := e.As(o.mem).Patch(fmt.Sprintf("%s/tasks/%d", o.base, done), map[string]any{"status": "done"}); r.Status != http.StatusOK {
			t.Fatalf("complete: %d %s", r.Status, r.Body)
		}
		o.task(t, o.project, "Someone else's", due, o.owner)
		o.task(t, o.project, "Far future", today().AddDate(3, 0, 0), o.mem)
		trashed := o.task(t, o.project, "Trashed", due, o.mem)
		if r := e.As(o.owner).Delete(fmt.Sprintf("%s/tasks/%d", o.base, trashed)); r.Status != http.StatusNoContent {
			t.Fatalf("trash: %d %s", r.Status, r.Body)
		}
		// Another account's task assigned to another person never shows.
		other := newOffice(t, e)
		other.task(t, other.project, "Other account", due, other.mem)

		path := feedURL(t, e, o.mem)
		cal := feed(t, e, path)
		got := summaries(t, cal)
		want := []string{"Draft the plan, v2; final", "Shared with the owner"}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Fatalf("feed = %q, want %q", got, want)
		}
		for _, ev := range cal.Events() {
			s, _ := ev.Props.Text(goical.PropSummary)
			if s != want[0] {
				continue
			}
			start := ev.Props.Get(goical.PropDateTimeStart)
			if start.ValueType() != goical.ValueDate || start.Value != due.Format("20060102") {
				t.Fatalf("DTSTART = %+v, want the due day as a DATE", start)
			}
			u := ev.Props.Get(goical.PropURL)
			if u == nil || u.Value != fmt.Sprintf("%s/%s/tasks/%d", e.URL, o.acc.Slug, mine) {
				t.Fatalf("URL = %+v", u)
			}
			if d, _ := ev.Props.Text(goical.PropDescription); d != "Website" {
				t.Fatalf("DESCRIPTION = %q, want the project's name", d)
			}
			if uid, _ := ev.Props.Text(goical.PropUID); !strings.Contains(uid, fmt.Sprintf("task-%d-", mine)) {
				t.Fatalf("UID = %q", uid)
			}
		}
		// The same URL twice: same UIDs (calendars update events rather than duplicate them).
		again := feed(t, e, path)
		if len(again.Events()) != len(cal.Events()) {
			t.Fatal("a second fetch differs")
		}
		// The owner's feed has the shared task only.
		if got := summaries(t, feed(t, e, feedURL(t, e, o.owner))); strings.Join(got, "|") != "Shared with the owner|Someone else's" && strings.Join(got, "|") != "Someone else's|Shared with the owner" {
			t.Fatalf("owner's feed = %q", got)
		}
	})
}

// TestFeedAcrossAccounts: one URL gathers the person's accounts, each event naming its account;
// leaving an account takes its tasks out.
func TestFeedAcrossAccounts(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		a, b := newOffice(t, e), newOffice(t, e)
		e.Join(b.acc, a.mem, "member")
		due := today().AddDate(0, 0, 3)
		a.task(t, a.project, "In A", due, a.mem)
		b.task(t, b.project, "In B", due, a.mem)
		path := feedURL(t, e, a.mem)
		cal := feed(t, e, path)
		if got := summaries(t, cal); strings.Join(got, "|") != "In A|In B" {
			t.Fatalf("feed = %q", got)
		}
		for _, ev := range cal.Events() {
			if d, _ := ev.Props.Text(goical.PropDescription); !strings.HasPrefix(d, "Website — ") {
				t.Fatalf("with several accounts, the description names the account: %q", d)
			}
		}
		var users struct {
			Items []struct {
				ID    int64  `json:"id"`
				Email string `json:"email"`
			} `json:"items"`
		}
		e.As(b.owner).Get(b.base+"/users?limit=200").JSON(t, &users)
		for _, u := range users.Items {
			if u.Email == a.mem.Email {
				if r := e.As(b.owner).Delete(fmt.Sprintf("%s/users/%d", b.base, u.ID)); r.Status >= 300 {
					t.Fatalf("deactivate: %d %s", r.Status, r.Body)
				}
			}
		}
		if got := summaries(t, feed(t, e, path)); strings.Join(got, "|") != "In A" {
			t.Fatalf("after leaving B, feed = %q", got)
		}
	})
}

// TestRotate: a new URL works, the old one is a 404 like any unknown token.
func TestRotate(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		o.task(t, o.project, "Due soon", today().AddDate(0, 0, 1), o.mem)
		old := feedURL(t, e, o.mem)
		feed(t, e, old)
		if feedURL(t, e, o.mem) != old {
			t.Fatal("the URL changes without a rotation")
		}
		var v struct {
			URL string `json:"url"`
		}
		r := e.As(o.mem).Post("/api/v1/me/ical/rotate", nil)
		if r.Status != http.StatusOK {
			t.Fatalf("rotate: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &v)
		fresh := strings.TrimPrefix(v.URL, e.URL)
		if fresh == old || fresh != feedURL(t, e, o.mem) {
			t.Fatalf("rotate gave %q (old %q)", fresh, old)
		}
		if got := summaries(t, feed(t, e, fresh)); len(got) != 1 {
			t.Fatalf("new URL: %q", got)
		}
		for _, p := range []string{old, "/ical/gcal_nope.ics", "/ical/" + strings.Repeat("x", 300) + ".ics", "/ical/.ics",
			strings.Replace(fresh, "gcal_", "gcal_A", 1)} {
			if r := e.Anonymous().Get(p); r.Status != http.StatusNotFound {
				t.Errorf("GET %.80s: %d, want 404", p, r.Status)
			}
		}
		// Signed in is not enough for another's feed, and rotating needs a login.
		if r := e.Anonymous().Post("/api/v1/me/ical/rotate", nil); r.Status != http.StatusUnauthorized {
			t.Fatalf("anonymous rotate: %d", r.Status)
		}
	})
}

// TestProfileSection: the profile shows the URL and rotates it with a confirmed form.
func TestProfileSection(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		old := feedURL(t, e, o.mem)
		b := e.BrowserLogin(o.mem)
		page := b.Get("/profile")
		if page.Status != http.StatusOK || !strings.Contains(string(page.Body), `value="`+e.URL+old+`"`) || !strings.Contains(string(page.Body), `data-confirm=`) {
			t.Fatalf("profile: %d, no feed URL or confirmation", page.Status)
		}
		if !strings.Contains(string(page.Body), "No calendar has read this address yet.") {
			t.Fatal("the profile does not say the feed was never read")
		}
		feed(t, e, old)
		if !strings.Contains(string(b.Get("/profile").Body), "Last read by a calendar: ") {
			t.Fatal("the profile does not say when the feed was last read")
		}
		r := b.SubmitForm("/profile", "/profile/ical/rotate", url.Values{})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("rotate form: %d %s", r.Status, r.Body)
		}
		if e.Anonymous().Get(old).Status != http.StatusNotFound {
			t.Fatal("the old URL still answers after the page's rotation")
		}
		// Without the CSRF token the form is refused and the URL stays.
		now := feedURL(t, e, o.mem)
		if r := b.Form("/profile/ical/rotate", url.Values{}); r.Status < 400 || r.Status >= 500 {
			t.Fatalf("rotate without CSRF: %d", r.Status)
		}
		if feedURL(t, e, o.mem) != now {
			t.Fatal("a forged rotation changed the URL")
		}
		// The country override is a profile field, checked.
		bad := b.SubmitForm("/profile", "/profile", url.Values{"name": {"Mem"}, "time_zone": {"UTC"}, "country": {"ZZ"}})
		if bad.Status != http.StatusUnprocessableEntity {
			t.Fatalf("country ZZ: %d", bad.Status)
		}
		ok := b.SubmitForm("/profile", "/profile", url.Values{"name": {"Mem"}, "time_zone": {"UTC"}, "country": {"de"}})
		if ok.Status != http.StatusSeeOther {
			t.Fatalf("country de: %d %s", ok.Status, ok.Body)
		}
		var me struct {
			User struct {
				Country string `json:"country"`
			} `json:"user"`
		}
		e.As(o.mem).Get("/api/v1/me").JSON(t, &me)
		if me.User.Country != "DE" {
			t.Fatalf("country = %q, want DE", me.User.Country)
		}
	})
}

// TestErasureRevokes: the person's erasure deletes the feed; the URL answers 404.
func TestErasureRevokes(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		path := feedURL(t, e, o.mem)
		feed(t, e, path)
		var pd hooks.PersonalData
		for _, h := range e.App.Hooks.PersonalData {
			if h.Module == "ical" {
				pd = h.Hook
			}
		}
		s := hooks.Subject{AccountID: o.acc.ID, UserID: o.mem.ID, Email: o.mem.Email}
		ctx := context.Background()
		cats, err := pd.Describe(ctx, s)
		if err != nil || len(cats) != 2 || cats[0].Count != 1 {
			t.Fatalf("describe: %+v %v", cats, err)
		}
		if err := pd.Erase(ctx, e.App.DB, s, hooks.Erasure{}); err != nil {
			t.Fatal(err)
		}
		if r := e.Anonymous().Get(path); r.Status != http.StatusNotFound {
			t.Fatalf("after erasure: %d", r.Status)
		}
		if cats, _ := pd.Describe(ctx, s); cats[0].Count != 0 {
			t.Fatalf("after erasure: %+v", cats)
		}
	})
}

// TestHolidayCountries: a person's holidays follow their profile's country, else the account's.
func TestHolidayCountries(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		b := e.BrowserLogin(o.mem)
		if r := b.SubmitForm("/profile", "/profile", url.Values{"name": {"Mem"}, "time_zone": {"UTC"}, "country": {"BE"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("profile: %d", r.Status)
		}
		stranger := newOffice(t, e).mem
		a := &actor.Actor{UserID: o.owner.ID, Account: &actor.Account{ID: o.acc.ID, Slug: o.acc.Slug}}
		got, err := e.App.Identity.HolidayCountries(context.Background(), a, []int64{o.owner.ID, o.mem.ID, stranger.ID})
		if err != nil {
			t.Fatal(err)
		}
		var acc struct {
			Country string `json:"country"`
		}
		e.As(o.owner).Get(o.base+"/account").JSON(t, &acc)
		if len(got) != 2 || got[o.mem.ID] != "BE" || got[o.owner.ID] != acc.Country || acc.Country == "" {
			t.Fatalf("HolidayCountries = %v (account %q)", got, acc.Country)
		}
	})
}
