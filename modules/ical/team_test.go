package ical_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// TestTeamFeed: a manager subscribes to their team's tasks due (each naming its person), not
// to a team they are not in; an admin to any; a member to none. Rotating kills the old URL,
// and so does leaving the team or being demoted.
func TestTeamFeed(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mgr := e.NewUser(o.acc, actor.RoleManager)
		mem2 := e.NewUser(o.acc, actor.RoleMember)
		team := o.created(t, e.As(o.owner), "/teams", map[string]any{"name": "Design"})
		other := o.created(t, e.As(o.owner), "/teams", map[string]any{"name": "Sales"})
		for _, u := range []*testkit.User{mgr, o.mem} {
			if r := e.As(o.owner).Put(fmt.Sprintf("%s/teams/%d/members/%d", o.base, team, u.ID), nil); r.Status >= 300 {
				t.Fatalf("team member: %d %s", r.Status, r.Body)
			}
		}
		due := today().AddDate(0, 0, 5)
		o.task(t, o.project, "Mockups", due, o.mem)
		o.task(t, o.project, "Not in the team", due, mem2)

		var v struct {
			URL string `json:"url"`
		}
		r := e.As(mgr).Get(fmt.Sprintf("%s/teams/%d/ical", o.base, team))
		if r.Status != http.StatusOK {
			t.Fatalf("team feed URL: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &v)
		path := strings.TrimPrefix(v.URL, e.URL)
		if got := summaries(t, feed(t, e, path)); strings.Join(got, "|") != "Mockups — "+o.mem.Name {
			t.Fatalf("team feed = %q", got)
		}
		if r := e.As(mgr).Get(fmt.Sprintf("%s/teams/%d/ical", o.base, other)); r.Status != http.StatusNotFound {
			t.Fatalf("a manager outside the team: %d", r.Status)
		}
		if r := e.As(o.owner).Get(fmt.Sprintf("%s/teams/%d/ical", o.base, other)); r.Status != http.StatusOK {
			t.Fatalf("the owner, any team: %d", r.Status)
		}
		if r := e.As(o.mem).Get(fmt.Sprintf("%s/teams/%d/ical", o.base, team)); r.Status != http.StatusForbidden {
			t.Fatalf("a member: %d", r.Status)
		}
		// Another account's team is a 404.
		b := newOffice(t, e)
		if r := e.As(b.owner).Get(fmt.Sprintf("%s/teams/%d/ical", b.base, team)); r.Status != http.StatusNotFound {
			t.Fatalf("another account's team: %d", r.Status)
		}

		r = e.As(mgr).Post(fmt.Sprintf("%s/teams/%d/ical/rotate", o.base, team), nil)
		if r.Status != http.StatusOK {
			t.Fatalf("rotate: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &v)
		fresh := strings.TrimPrefix(v.URL, e.URL)
		if e.Anonymous().Get(path).Status != http.StatusNotFound || fresh == path {
			t.Fatal("the old team URL still answers")
		}
		feed(t, e, fresh)
		// Leaving the team kills the URL.
		if r := e.As(o.owner).Delete(fmt.Sprintf("%s/teams/%d/members/%d", o.base, team, mgr.ID)); r.Status >= 300 {
			t.Fatalf("leave the team: %d %s", r.Status, r.Body)
		}
		if r := e.Anonymous().Get(fresh); r.Status != http.StatusNotFound {
			t.Fatalf("after leaving the team: %d", r.Status)
		}
		// A manager's URL dies with their demotion.
		mgr3 := e.NewUser(o.acc, actor.RoleManager)
		e.As(o.owner).Put(fmt.Sprintf("%s/teams/%d/members/%d", o.base, team, mgr3.ID), nil)
		e.As(mgr3).Get(fmt.Sprintf("%s/teams/%d/ical", o.base, team)).JSON(t, &v)
		path3 := strings.TrimPrefix(v.URL, e.URL)
		feed(t, e, path3)
		if r := e.As(o.owner).Patch(fmt.Sprintf("%s/users/%d", o.base, mgr3.ID), map[string]any{"role": "member"}); r.Status != http.StatusOK {
			t.Fatalf("demote: %d %s", r.Status, r.Body)
		}
		if r := e.Anonymous().Get(path3); r.Status != http.StatusNotFound {
			t.Fatalf("after the demotion: %d", r.Status)
		}
	})
}

// TestTeamPage: a manager finds their team on the team calendars page, gets its address, then
// renews it; a team they are not in is not listed.
func TestTeamPage(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mgr := e.NewUser(o.acc, actor.RoleManager)
		team := o.created(t, e.As(o.owner), "/teams", map[string]any{"name": "Design"})
		o.created(t, e.As(o.owner), "/teams", map[string]any{"name": "Sales"})
		e.As(o.owner).Put(fmt.Sprintf("%s/teams/%d/members/%d", o.base, team, mgr.ID), nil)
		b := e.BrowserLogin(mgr)
		page := "/" + o.acc.Slug + "/ical/teams"
		r := b.Get(page)
		if r.Status != http.StatusOK || !strings.Contains(string(r.Body), "Design") || strings.Contains(string(r.Body), "Sales") {
			t.Fatalf("team page: %d", r.Status)
		}
		if r := b.SubmitForm(page, fmt.Sprintf("%s/%d", page, team), url.Values{}); r.Status != http.StatusSeeOther {
			t.Fatalf("get the address: %d %s", r.Status, r.Body)
		}
		var v struct {
			URL string `json:"url"`
		}
		e.As(mgr).Get(fmt.Sprintf("%s/teams/%d/ical", o.base, team)).JSON(t, &v)
		if !strings.Contains(string(b.Get(page).Body), `value="`+v.URL+`"`) {
			t.Fatal("the page does not show the team's address")
		}
		if r := b.SubmitForm(page, fmt.Sprintf("%s/%d/rotate", page, team), url.Values{}); r.Status != http.StatusSeeOther {
			t.Fatalf("renew: %d", r.Status)
		}
		if e.Anonymous().Get(strings.TrimPrefix(v.URL, e.URL)).Status != http.StatusNotFound {
			t.Fatal("the old team address still answers")
		}
		if r := e.BrowserLogin(o.mem).Get(page); r.Status != http.StatusForbidden {
			t.Fatalf("a member on the page: %d", r.Status)
		}
	})
}
