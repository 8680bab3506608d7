package timesheet_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules/timesheet"
)

// TestSharedTimeReport: the project's leader shares its time report with its client company;
// a client user of that company reads the approved billable time by week (names only when the
// switch shows them; never rates, amounts or notes); a client of another company, a project
// not shared or given to another client, and anyone else get a 404 (staff: the portal is not
// theirs, 403). Only the leader and the administrators switch it; without a client company it
// cannot be shared.
func TestSharedTimeReport(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newRateOffice(t, e)
		owner, lead := e.As(o.owner), e.As(o.lead)
		client := e.NewUser(o.acc, actor.RoleClient) // of o.co, the account's client company
		other := e.As(o.owner).Post(o.base+"/companies", map[string]any{"name": "Globex", "kind": "client"})
		var globex struct{ ID int64 }
		other.JSON(t, &globex)
		stranger := e.NewUser(o.acc, actor.RoleClient)
		if r := owner.Patch(fmt.Sprintf("%s/users/%d", o.base, stranger.ID), map[string]any{"company_id": globex.ID}); r.Status != http.StatusOK {
			t.Fatalf("the other client's company: %d %s", r.Status, r.Body)
		}
		owner.Put(fmt.Sprintf("%s/project-rates/%d", o.base, o.project), map[string]any{"rate_cents": 12345})
		o.logApproved(t, o.mem, map[string]int{"2026-11-30": 120, "2026-12-01": 60}, "2026-W49")
		o.logApproved(t, o.lead, map[string]int{"2026-12-08": 45}, "2026-W50")
		// Not approved (the member's next week) and not billable: never shown.
		o.created(t, owner, "/time-entries", map[string]any{"user_id": o.mem.ID, "date": "2026-12-09", "minutes": 30, "project_id": o.project, "billable": true})
		o.created(t, owner, "/time-entries", map[string]any{"user_id": o.lead.ID, "date": "2026-12-01", "minutes": 15, "project_id": o.project, "billable": false, "note": "secret note"})

		share := fmt.Sprintf("%s/projects/%d/time-share", o.base, o.project)
		portal := fmt.Sprintf("/%s/portal/time/%d", o.acc.Slug, o.project)
		if r := e.BrowserLogin(client).Get(portal); r.Status != http.StatusNotFound {
			t.Errorf("a report not shared: %d", r.Status)
		}
		if r := e.As(o.mgr2).Put(share, map[string]any{"shared": true}); r.Status != http.StatusForbidden {
			t.Errorf("another manager shares: %d", r.Status)
		}
		if r := lead.Put(share, map[string]any{}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["shared"] == "" {
			t.Errorf("no shared: %d %s", r.Status, r.Body)
		}
		if r := lead.Put(fmt.Sprintf("%s/projects/%d/time-share", o.base, o.other), map[string]any{"shared": true}); r.Status != http.StatusUnprocessableEntity && r.Status != http.StatusForbidden {
			t.Errorf("a project without a client: %d %s", r.Status, r.Body)
		}
		var sh timesheet.TimeShare
		r := lead.Put(share, map[string]any{"shared": true})
		if r.JSON(t, &sh); r.Status != http.StatusOK || !sh.Shared || sh.ShowNames || sh.CompanyID != o.co {
			t.Fatalf("share: %d %s", r.Status, r.Body)
		}
		b := e.BrowserLogin(client)
		page := b.Get(portal)
		body := page.String()
		if page.Status != http.StatusOK || !strings.Contains(body, "2026-W49") || !strings.Contains(body, "2026-W50") || !strings.Contains(body, `id="portal-total">3:45<`) {
			t.Fatalf("the client's report: %d %.3000s", page.Status, body[strings.Index(body, "<main"):])
		}
		for _, never := range []string{"123.45", "12345", "secret note", o.mem.Name, o.lead.Name, "4:15", "4:00"} {
			if strings.Contains(body, never) {
				t.Errorf("the client's report shows %q", never)
			}
		}
		if idx := b.Get(fmt.Sprintf("/%s/portal/time", o.acc.Slug)).String(); !strings.Contains(idx, fmt.Sprintf(`href="/%s/portal/time/%d">Website<`, o.acc.Slug, o.project)) {
			t.Errorf("the client's index does not list the project")
		}
		// Names on: each person's time in its week.
		owner.Put(share, map[string]any{"shared": true, "show_names": true})
		if body := b.Get(portal).String(); !strings.Contains(body, o.mem.Name) || !strings.Contains(body, o.lead.Name) {
			t.Errorf("names on, the report does not name the people")
		}
		// Others: 404 (a client of another company), 403 (staff: not their portal).
		if r := e.BrowserLogin(stranger).Get(portal); r.Status != http.StatusNotFound {
			t.Errorf("a client of another company: %d", r.Status)
		}
		if r := e.BrowserLogin(o.mem).Get(portal); r.Status != http.StatusForbidden {
			t.Errorf("a colleague: %d", r.Status)
		}
		if r := b.Get(fmt.Sprintf("/%s/portal/time/%d", o.acc.Slug, o.other)); r.Status != http.StatusNotFound {
			t.Errorf("another project: %d", r.Status)
		}
		// Given to another client, the project is shared with no one until shared again.
		if r := owner.Patch(fmt.Sprintf("%s/projects/%d", o.base, o.project), map[string]any{"client_company_id": globex.ID}); r.Status != http.StatusOK {
			t.Fatalf("new client: %d %s", r.Status, r.Body)
		}
		for _, u := range []*testkit.User{client, stranger} {
			if r := e.BrowserLogin(u).Get(portal); r.Status != http.StatusNotFound {
				t.Errorf("after the change of client, %s: %d", u.Email, r.Status)
			}
		}
		if lead.Get(share).JSON(t, &sh); sh.Shared {
			t.Errorf("still shared after the change of client: %+v", sh)
		}
		// Unshared through the reports page's switch: 404 again.
		owner.Patch(fmt.Sprintf("%s/projects/%d", o.base, o.project), map[string]any{"client_company_id": o.co})
		lead.Put(share, map[string]any{"shared": true})
		lb := e.BrowserLogin(o.lead)
		reports := fmt.Sprintf("/%s/timesheet/reports?project=%d", o.acc.Slug, o.project)
		if body := lb.Get(reports).String(); !strings.Contains(body, `id="share-on" checked`) {
			t.Fatalf("the reports page has no switch on")
		}
		if r := lb.SubmitForm(reports, fmt.Sprintf("/%s/timesheet/reports/share/%d", o.acc.Slug, o.project), nil); r.Status != http.StatusSeeOther {
			t.Fatalf("switch off: %d %s", r.Status, r.Body)
		}
		if r := b.Get(portal); r.Status != http.StatusNotFound {
			t.Errorf("unshared: %d", r.Status)
		}
		if trail := owner.Get(o.base + "/audit").String(); !strings.Contains(trail, "timesheet.report.shared") || !strings.Contains(trail, "timesheet.report.unshared") {
			t.Errorf("the audit trail lacks the sharing")
		}
	})
}
