package timesheet_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules/timesheet"
)

// budgetOffice is an office whose member is a developer (role rate 60.00/h) and whose second
// member has an own rate of 90.00/h and no role.
type budgetOffice struct {
	*office
	mem2 *testkit.User
	dev  int64
}

func newBudgetOffice(t *testing.T, e *testkit.Env) *budgetOffice {
	t.Helper()
	o := &budgetOffice{office: newOffice(t, e)}
	o.mem2 = e.NewUser(o.acc, actor.RoleMember)
	owner := e.As(o.owner)
	o.dev = o.created(t, owner, "/job-roles", map[string]any{"name": "Developer", "cost_rate_minor": 6000, "bill_rate_minor": 12000})
	for _, x := range []struct {
		u    *testkit.User
		body map[string]any
	}{{o.mem, map[string]any{"role_id": o.dev}}, {o.mem2, map[string]any{"cost_rate_minor": 9000}}} {
		if r := owner.Put(fmt.Sprintf("%s/users/%d/capacity", o.base, x.u.ID), x.body); r.Status != http.StatusOK {
			t.Fatalf("capacity of %s: %d %s", x.u.Email, r.Status, r.Body)
		}
	}
	return o
}

func (o *budgetOffice) budget(t *testing.T, c *testkit.Client, pid int64) timesheet.Budget {
	t.Helper()
	r := c.Get(fmt.Sprintf("%s/projects/%d/budget", o.base, pid))
	if r.Status != http.StatusOK {
		t.Fatalf("budget: %d %s", r.Status, r.Body)
	}
	var b timesheet.Budget
	r.JSON(t, &b)
	return b
}

// approveWeek logs the entries on the project as the person, submits the week, the leader
// approves it.
func (o *budgetOffice) approveWeek(t *testing.T, u *testkit.User, week string, days map[string]int) {
	t.Helper()
	for day, m := range days {
		o.created(t, o.e.As(u), "/time-entries", map[string]any{"date": day, "minutes": m, "project_id": o.project, "billable": true})
	}
	path := fmt.Sprintf("%s/timesheets/%d/%s", o.base, u.ID, week)
	if r := o.e.As(u).Post(path+"/submit", nil); r.Status != http.StatusOK {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	if r := o.e.As(o.lead).Post(path+"/approve", nil); r.Status != http.StatusOK {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
}

func (o *budgetOffice) thresholdEvents(t *testing.T) int {
	t.Helper()
	n, err := o.e.App.DB.NewSelect().TableExpr("outbox").Where("account_id = ? AND type = 'timesheet.budget_threshold'", o.acc.ID).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func (o *budgetOffice) notices(t *testing.T, u *testkit.User) string {
	t.Helper()
	var l struct {
		Items []struct{ Type, Text string }
	}
	r := o.e.As(u).Get(o.base + "/notifications")
	if r.Status != http.StatusOK {
		t.Fatalf("notifications: %d %s", r.Status, r.Body)
	}
	r.JSON(t, &l)
	var out []string
	for _, n := range l.Items {
		if n.Type == "timesheet.budget_threshold" {
			out = append(out, n.Text)
		}
	}
	return strings.Join(out, "\n")
}

// TestBudgets: the leader plans a total and a developer line; approved time is spent (at the
// role's or the person's own rate), time not approved is pending; the thresholds are
// announced once each and re-armed by an edit; who may see and change what.
func TestBudgets(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newBudgetOffice(t, e)
		lead, mem, mgr2, owner := e.As(o.lead), e.As(o.mem), e.As(o.mgr2), e.As(o.owner)
		lines := fmt.Sprintf("%s/projects/%d/budget-lines", o.base, o.project)
		total := o.created(t, lead, fmt.Sprintf("/projects/%d/budget-lines", o.project), map[string]any{"kind": "total", "minutes": 600, "amount_minor": 100000, "starts_on": "2026-11-30", "ends_on": "2027-01-31"})
		dev := o.created(t, owner, fmt.Sprintf("/projects/%d/budget-lines", o.project), map[string]any{"kind": "role", "role_id": o.dev, "minutes": 300, "name": "Build"})

		// Only the leader and the administrators manage; bad input is a 422 naming the field.
		for _, who := range []*testkit.Client{mem, mgr2} {
			if r := who.Post(lines, map[string]any{"kind": "total", "minutes": 60}); r.Status != http.StatusForbidden {
				t.Errorf("a line added by someone who does not lead the project: %d %s", r.Status, r.Body)
			}
		}
		for field, body := range map[string]map[string]any{
			"kind":         {"kind": "phase", "minutes": 60},
			"minutes":      {"kind": "total", "minutes": -5},
			"amount_minor": {"kind": "total", "amount_minor": 0},
			"role_id":      {"kind": "role", "minutes": 60},
			"ends_on":      {"kind": "total", "minutes": 60, "starts_on": "2027-01-01", "ends_on": "2026-01-01"},
			"starts_on":    {"kind": "total", "minutes": 60, "starts_on": "someday"},
			"name":         {"kind": "total", "minutes": 60, "name": strings.Repeat("x", 101)},
		} {
			r := lead.Post(lines, body)
			if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()[field] == "" {
				t.Errorf("%s: %d %s", field, r.Status, r.Body)
			}
		}
		if r := lead.Post(lines, map[string]any{"kind": "role", "role_id": 999999, "minutes": 60}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("an unknown role: %d %s", r.Status, r.Body)
		}
		var l struct{ Items []timesheet.BudgetLine }
		lead.Get(lines).JSON(t, &l)
		if len(l.Items) != 2 || l.Items[1].RoleName != "Developer" {
			t.Fatalf("lines after refusals: %+v", l.Items)
		}

		// 8 h of the developer approved (480 min × 60.00 = 480.00); 2 h of the second member
		// pending (at 90.00: 180.00).
		o.approveWeek(t, o.mem, "2026-W49", map[string]int{"2026-11-30": 300, "2026-12-01": 180})
		o.created(t, e.As(o.mem2), "/time-entries", map[string]any{"date": "2026-12-08", "minutes": 120, "project_id": o.project, "billable": false})
		b := o.budget(t, lead, o.project)
		if !b.Money || !b.Manage || len(b.Lines) != 2 {
			t.Fatalf("budget for the leader: %+v", b)
		}
		tl, dl := b.Lines[0], b.Lines[1]
		if tl.SpentMinutes != 480 || tl.BillableMinutes != 480 || tl.PendingMinutes != 120 || *tl.RemainingMinutes != 120 || *tl.PercentMinutes != 80 ||
			*tl.SpentAmountMinor != 48000 || *tl.PendingAmountMinor != 18000 || *tl.PercentAmount != 48 || tl.Percent != 80 {
			t.Errorf("total line: %+v", tl)
		}
		if dl.SpentMinutes != 480 || dl.PendingMinutes != 0 || *dl.RemainingMinutes != -180 || dl.Percent != 160 || dl.Label != "Build" {
			t.Errorf("developer line: %+v", dl)
		}
		if b.Totals.PlannedMinutes != 600 || b.Totals.SpentMinutes != 480 || b.Totals.PendingMinutes != 120 || *b.Totals.PlannedAmountMinor != 100000 {
			t.Errorf("totals: %+v", b.Totals)
		}
		if n := len(b.Burn); n != 9 || b.Burn[0].Week != "2026-W49" || b.Burn[0].Spent != 480 || b.Burn[n-1].Spent != 480 || b.Burn[n-1].Planned != 600 {
			t.Errorf("burn-down: %+v", b.Burn)
		}

		// Announced: 80% of the total line; 80% and 100% of the developer line — to the leader.
		if n := o.thresholdEvents(t); n != 3 {
			t.Errorf("threshold events: %d, want 3", n)
		}
		got := o.notices(t, o.lead)
		for _, want := range []string{"The budget of Website is 80% used: past 80%.", "(Build) is 160% used: past 100%", "(Build) is 160% used: past 80%"} {
			if !strings.Contains(got, want) {
				t.Errorf("the leader's notices lack %q: %s", want, got)
			}
		}
		// The second member's week approved: the total line reaches 100% (announced), the
		// thresholds passed before are not announced again.
		o.approveWeek(t, o.mem2, "2026-W50", map[string]int{})
		if n := o.thresholdEvents(t); n != 4 {
			t.Errorf("threshold events after a second approval: %d, want 4", n)
		}
		if got := o.notices(t, o.lead); !strings.Contains(got, "The budget of Website is 100% used: past 100%.") {
			t.Errorf("no 100%% notice: %s", got)
		}

		if b := o.budget(t, lead, o.project); b.Totals.SpentMinutes != 600 || b.Totals.BillableMinutes != 480 {
			t.Errorf("billable split: %+v", b.Totals)
		}

		// Colleagues read the hours, never the amounts.
		for _, c := range []*testkit.Client{mem, mgr2} {
			r := c.Get(fmt.Sprintf("%s/projects/%d/budget", o.base, o.project))
			if r.Status != http.StatusOK || strings.Contains(r.String(), "48000") || strings.Contains(r.String(), "100000") {
				t.Errorf("a colleague's budget: %d %s", r.Status, r.Body)
			}
			mb := o.budget(t, c, o.project)
			if mb.Money || mb.Manage || mb.Lines[0].SpentAmountMinor != nil || mb.Lines[0].Line.AmountMinor != nil || mb.Lines[0].Percent != 100 {
				t.Errorf("a colleague sees money: %+v", mb.Lines[0])
			}
		}

		// An edit that brings the line back under re-arms it; going over again announces again.
		patch := fmt.Sprintf("%s/%d", lines, total)
		if r := lead.Patch(patch, map[string]any{"minutes": 1200}); r.Status != http.StatusOK {
			t.Fatalf("patch: %d %s", r.Status, r.Body)
		}
		if r := lead.Patch(patch, map[string]any{"minutes": 600}); r.Status != http.StatusOK {
			t.Fatalf("patch back: %d %s", r.Status, r.Body)
		}
		if n := o.thresholdEvents(t); n != 6 {
			t.Errorf("threshold events after the re-arm: %d, want 6 (80%% and 100%% again)", n)
		}
		if r := lead.Patch(patch, map[string]any{"minutes": 0, "amount_minor": 0}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("a line planning nothing: %d %s", r.Status, r.Body)
		}
		if r := mgr2.Patch(patch, map[string]any{"minutes": 60}); r.Status != http.StatusForbidden {
			t.Errorf("a patch by another manager: %d %s", r.Status, r.Body)
		}

		// A line changes what it is for: the developer line becomes the project's second total.
		if r := owner.Patch(fmt.Sprintf("%s/%d", lines, dev), map[string]any{"kind": "total"}); r.Status != http.StatusOK || !strings.Contains(r.String(), `"role_id":null`) {
			t.Errorf("a role line made a total: %d %s", r.Status, r.Body)
		}
		if r := owner.Patch(fmt.Sprintf("%s/%d", lines, dev), map[string]any{"kind": "role"}); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["role_id"] == "" {
			t.Errorf("a role line without its role: %d %s", r.Status, r.Body)
		}
		if r := owner.Patch(fmt.Sprintf("%s/%d", lines, dev), map[string]any{"kind": "role", "role_id": o.dev}); r.Status != http.StatusOK {
			t.Errorf("a total made a role line again: %d %s", r.Status, r.Body)
		}

		// Another project's line, another account: 404.
		if r := lead.Patch(fmt.Sprintf("%s/projects/%d/budget-lines/%d", o.base, o.other, dev), map[string]any{"minutes": 60}); r.Status != http.StatusNotFound {
			t.Errorf("a line through another project: %d %s", r.Status, r.Body)
		}
		stranger := e.NewAccount()
		if r := e.As(stranger.Owner).Get(fmt.Sprintf("/api/v1/%s/projects/%d/budget", stranger.Slug, o.project)); r.Status != http.StatusNotFound {
			t.Errorf("another account's project: %d %s", r.Status, r.Body)
		}
		client := e.NewUser(o.acc, actor.RoleClient)
		if r := e.As(client).Get(fmt.Sprintf("%s/projects/%d/budget", o.base, o.project)); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
			t.Errorf("a client reads a budget: %d %s", r.Status, r.Body)
		}

		if r := lead.Delete(fmt.Sprintf("%s/%d", lines, dev)); r.Status != http.StatusNoContent {
			t.Fatalf("delete: %d %s", r.Status, r.Body)
		}
		lead.Get(lines).JSON(t, &l)
		if len(l.Items) != 1 {
			t.Errorf("lines after delete: %+v", l.Items)
		}

		// Cost rates change from a day: each entry is priced at the rate of its own day. The
		// developer's role costs 70.00 from 1 Dec (300 min at 60.00 + 180 min at 70.00 =
		// 510.00), the second member 120.00 from 9 Dec (their 8 Dec stays at 90.00: 180.00).
		if r := owner.Patch(fmt.Sprintf("%s/job-roles/%d", o.base, o.dev), map[string]any{"cost_rate_minor": 7000, "cost_rate_from": "2026-12-01"}); r.Status != http.StatusOK {
			t.Fatalf("the role's new rate: %d %s", r.Status, r.Body)
		}
		if r := owner.Put(fmt.Sprintf("%s/users/%d/capacity", o.base, o.mem2.ID), map[string]any{"cost_rate_minor": 12000, "cost_rate_from": "2026-12-09"}); r.Status != http.StatusOK {
			t.Fatalf("the second member's new rate: %d %s", r.Status, r.Body)
		}
		if b := o.budget(t, lead, o.project); b.Lines[0].SpentAmountMinor == nil || *b.Lines[0].SpentAmountMinor != 69000 {
			t.Errorf("spent at the rates of their days: %+v", b.Lines[0])
		}
	})
}

// TestBudgetPages: the leader adds a line through the page's form (a refused one keeps what
// was typed), the page shows the lines and the burn-down, the index lists the project.
func TestBudgetPages(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newBudgetOffice(t, e)
		b := e.BrowserLogin(o.lead)
		page := fmt.Sprintf("/%s/timesheet/budgets/%d", o.acc.Slug, o.project)
		if r := b.Get(page); r.Status != http.StatusOK || !strings.Contains(r.String(), "This project has no budget yet") {
			t.Fatalf("empty budget page: %d %.300s", r.Status, r.Body)
		}
		if ov := b.Get(fmt.Sprintf("/%s/projects/%d", o.acc.Slug, o.project)).String(); strings.Contains(ov, `id="project-budget"`) {
			t.Errorf("the overview of a project without a budget shows a budget card")
		}
		r := b.SubmitForm(page, page+"/lines", url.Values{"target": {"total"}, "hours": {"-3"}, "name": {"Kept"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "must be a number more than 0") || !strings.Contains(r.String(), `value="Kept"`) {
			t.Fatalf("refused line: %d %.500s", r.Status, r.Body)
		}
		if r := b.SubmitForm(page, page+"/lines", url.Values{"target": {"total"}, "hours": {"10"}, "amount": {"1 000,50"}, "starts_on": {"2026-11-30"}, "ends_on": {"2026-12-27"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("add a line: %d %.500s", r.Status, r.Body)
		}
		o.approveWeek(t, o.mem, "2026-W49", map[string]int{"2026-11-30": 480})
		body := b.Get(page).String()
		for _, want := range []string{"The budget line is added.", "Whole project", "10 h", "1000.50", "80 %", `<svg class="burn"`, "polyline class=\"spent\""} {
			if !strings.Contains(body, want) {
				t.Errorf("budget page lacks %q", want)
			}
		}
		// The project's overview shows the budget's card with its burn-down (the projects
		// module reads it through the timesheet's BudgetCards port).
		ov := b.Get(fmt.Sprintf("/%s/projects/%d", o.acc.Slug, o.project)).String()
		for _, want := range []string{`id="project-budget"`, "80 %", "8 h of 10 h spent", `<svg class="burn"`, page} {
			if !strings.Contains(ov, want) {
				t.Errorf("the project overview lacks %q", want)
			}
		}
		idx := b.Get("/" + o.acc.Slug + "/timesheet/budgets")
		if idx.Status != http.StatusOK || !strings.Contains(idx.String(), "Website") || !strings.Contains(idx.String(), "80 %") {
			t.Errorf("index: %d %.400s", idx.Status, idx.Body)
		}
		// A member reads the page without the forms or the amounts.
		mb := e.BrowserLogin(o.mem).Get(page).String()
		if strings.Contains(mb, "1000.50") || strings.Contains(mb, `id="line-form"`) || !strings.Contains(mb, "10 h") {
			t.Errorf("the member's page: %.600s", mb)
		}
		var l struct{ Items []timesheet.BudgetLine }
		e.As(o.lead).Get(fmt.Sprintf("%s/projects/%d/budget-lines", o.base, o.project)).JSON(t, &l)
		if len(l.Items) != 1 || *l.Items[0].AmountMinor != 100050 || *l.Items[0].Minutes != 600 {
			t.Fatalf("line from the form: %+v", l.Items)
		}
		// Change it through the page (hours cleared: the amount stays), then delete it.
		id := l.Items[0].ID
		if r := b.SubmitForm(page+fmt.Sprintf("?edit=%d", id), fmt.Sprintf("%s/lines/%d", page, id), url.Values{"target": {"total"}, "hours": {""}, "amount": {"2000"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("change the line: %d %.500s", r.Status, r.Body)
		}
		if r := b.SubmitForm(page, fmt.Sprintf("%s/lines/%d/delete", page, id), url.Values{}); r.Status != http.StatusSeeOther {
			t.Fatalf("delete the line: %d %.500s", r.Status, r.Body)
		}
	})
}
