package timesheet_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
	"groupcamp/modules/timesheet"
)

// Every refused entry is a 4xx naming the field, and nothing is written.
func TestEntryBadInput(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem := e.As(o.mem)
		// Another account's category and project.
		other := newOffice(t, e)
		archived := o.created(t, e.As(o.owner), "/projects", map[string]any{"name": "Old"})
		if r := e.As(o.owner).Post(fmt.Sprintf("%s/projects/%d/archive", o.base, archived), nil); r.Status != http.StatusOK {
			t.Fatalf("archive: %d %s", r.Status, r.Body)
		}
		invite := o.created(t, e.As(o.owner), "/projects", map[string]any{"name": "Secret", "access": "invite"})
		list := o.created(t, e.As(o.owner), fmt.Sprintf("/projects/%d/lists", o.other), map[string]any{"name": "L"})
		task := o.created(t, e.As(o.owner), fmt.Sprintf("/projects/%d/tasks", o.other), map[string]any{"list_id": list, "title": "Elsewhere"})
		oldCat := o.created(t, e.As(o.owner), "/time-categories", map[string]any{"name": "Gone"})
		if r := e.As(o.owner).Post(fmt.Sprintf("%s/time-categories/%d/archive", o.base, oldCat), nil); r.Status != http.StatusOK {
			t.Fatalf("archive category: %d %s", r.Status, r.Body)
		}
		// 20 hours already on 2026-12-01.
		o.created(t, mem, "/time-entries", map[string]any{"date": "2026-12-01", "duration": "20h", "project_id": o.project})
		before := o.entries(t, o.mem)

		cases := []struct {
			name   string
			body   map[string]any
			status int
			field  string
		}{
			{"zero", map[string]any{"date": "2026-12-02", "minutes": 0, "project_id": o.project}, 422, "minutes"},
			{"negative", map[string]any{"date": "2026-12-02", "minutes": -30, "project_id": o.project}, 422, "minutes"},
			{"negative typed", map[string]any{"date": "2026-12-02", "duration": "-1h", "project_id": o.project}, 422, "duration"},
			{"unreadable", map[string]any{"date": "2026-12-02", "duration": "lots", "project_id": o.project}, 422, "duration"},
			{"over a day", map[string]any{"date": "2026-12-02", "minutes": 1441, "project_id": o.project}, 422, "minutes"},
			{"over the day's 24 h", map[string]any{"date": "2026-12-01", "duration": "4:01", "project_id": o.project}, 422, "minutes"},
			{"no day", map[string]any{"date": "2026-02-30", "minutes": 30, "project_id": o.project}, 422, "date"},
			{"nothing to log on", map[string]any{"date": "2026-12-02", "minutes": 30}, 422, "project_id"},
			{"both", map[string]any{"date": "2026-12-02", "minutes": 30, "project_id": o.project, "category_id": o.cat}, 422, "category_id"},
			{"unseen project", map[string]any{"date": "2026-12-02", "minutes": 30, "project_id": invite}, 422, "project_id"},
			{"archived project", map[string]any{"date": "2026-12-02", "minutes": 30, "project_id": archived}, 422, "project_id"},
			{"other account's project", map[string]any{"date": "2026-12-02", "minutes": 30, "project_id": other.project}, 422, "project_id"},
			{"task of another project", map[string]any{"date": "2026-12-02", "minutes": 30, "project_id": o.project, "task_id": task}, 422, "task_id"},
			{"other account's category", map[string]any{"date": "2026-12-02", "minutes": 30, "category_id": other.cat}, 422, "category_id"},
			{"archived category", map[string]any{"date": "2026-12-02", "minutes": 30, "category_id": oldCat}, 422, "category_id"},
			{"minutes and duration disagree", map[string]any{"date": "2026-12-02", "minutes": 30, "duration": "1h", "project_id": o.project}, 422, "duration"},
			{"someone else's sheet", map[string]any{"user_id": o.lead.ID, "date": "2026-12-02", "minutes": 30, "project_id": o.project}, 422, "user_id"},
		}
		for _, c := range cases {
			r := mem.Post(o.base+"/time-entries", c.body)
			if r.Status != c.status {
				t.Errorf("%s: %d %s, want %d", c.name, r.Status, r.Body, c.status)
				continue
			}
			if _, ok := r.FieldErrors()[c.field]; !ok {
				t.Errorf("%s: no message for %s: %s", c.name, c.field, r.Body)
			}
		}
		if got := o.entries(t, o.mem); got != before {
			t.Errorf("refused entries wrote something: %d entries, had %d", got, before)
		}
		// The good forms of a duration.
		for in, want := range map[string]int{"1:30": 90, "1h30": 90, "1.5h": 90, "90m": 90, "2h": 120} {
			var got timesheet.Entry
			r := mem.Post(o.base+"/time-entries", map[string]any{"date": "2026-12-03", "duration": in, "category_id": o.cat, "note": "x"})
			if r.Status != http.StatusCreated {
				t.Fatalf("%s: %d %s", in, r.Status, r.Body)
			}
			r.JSON(t, &got)
			if got.Minutes != want || got.CategoryName != "Training" || got.Billable {
				t.Errorf("%s: %+v", in, got)
			}
		}
	})
}

// The week's life: submitted by the person, approved by a manager — never by the person —
// then locked until an admin reopens it; each step audited, published and notified.
func TestWeekApproval(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mem, lead, mgr2, owner := e.As(o.mem), e.As(o.lead), e.As(o.mgr2), e.As(o.owner)
		const week = "2026-W49"
		path := fmt.Sprintf("%s/timesheets/%d/%s", o.base, o.mem.ID, week)
		// An empty week is not submitted.
		if r := mem.Post(path+"/submit", nil); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("empty week submitted: %d %s", r.Status, r.Body)
		}
		id := o.created(t, mem, "/time-entries", map[string]any{"date": "2026-11-30", "duration": "7h30", "project_id": o.project, "note": "Design"})
		o.created(t, mem, "/time-entries", map[string]any{"date": "2026-12-04", "minutes": 60, "category_id": o.cat})
		// The unrelated manager does not reach the member's week; the leader does.
		if r := mgr2.Get(path); r.Status != http.StatusNotFound {
			t.Errorf("another manager reads the week: %d", r.Status)
		}
		ts := o.week(t, lead, o.mem, week)
		if ts.State != timesheet.StateOpen || ts.TotalMinutes != 510 || len(ts.Days) != 7 || ts.Days[0].Minutes != 450 {
			t.Fatalf("week: %+v", ts)
		}
		if r := mem.Post(path+"/submit", nil); r.Status != http.StatusOK {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		// Locked while submitted: no change, no new time in that week.
		if r := mem.Patch(fmt.Sprintf("%s/time-entries/%d", o.base, id), map[string]any{"minutes": 60}); r.Status != http.StatusConflict {
			t.Errorf("PATCH in a submitted week: %d %s", r.Status, r.Body)
		}
		if r := mem.Post(o.base+"/time-entries", map[string]any{"date": "2026-12-01", "minutes": 30, "project_id": o.project}); r.Status != http.StatusConflict {
			t.Errorf("POST in a submitted week: %d %s", r.Status, r.Body)
		}
		// Never by the person; never by a manager who is not theirs.
		for _, who := range []*testkit.Client{mem, mgr2} {
			if r := who.Post(path+"/approve", nil); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
				t.Errorf("approved by the wrong person: %d %s", r.Status, r.Body)
			}
		}
		// A manager's own week: they cannot approve it themself.
		o.created(t, lead, "/time-entries", map[string]any{"date": "2026-12-01", "minutes": 30, "project_id": o.project})
		lp := fmt.Sprintf("%s/timesheets/%d/%s", o.base, o.lead.ID, week)
		lead.Post(lp+"/submit", nil)
		if r := lead.Post(lp+"/approve", nil); r.Status != http.StatusForbidden {
			t.Errorf("a manager approves their own week: %d %s", r.Status, r.Body)
		}
		// Reject needs a comment; then the leader rejects, the member fixes and resubmits.
		if r := lead.Post(path+"/reject", map[string]any{}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("reject without comment: %d %s", r.Status, r.Body)
		}
		if r := lead.Post(path+"/reject", map[string]any{"comment": "Split the design day"}); r.Status != http.StatusOK {
			t.Fatalf("reject: %d %s", r.Status, r.Body)
		}
		if r := mem.Patch(fmt.Sprintf("%s/time-entries/%d", o.base, id), map[string]any{"duration": "7h"}); r.Status != http.StatusOK {
			t.Fatalf("PATCH a rejected week: %d %s", r.Status, r.Body)
		}
		mem.Post(path+"/submit", nil)
		r := lead.Post(path+"/approve", map[string]any{"comment": "Thanks"})
		if r.Status != http.StatusOK {
			t.Fatalf("approve: %d %s", r.Status, r.Body)
		}
		var got timesheet.Timesheet
		r.JSON(t, &got)
		if got.State != timesheet.StateApproved || !got.Locked || got.TotalMinutes != 480 {
			t.Errorf("approved week: %+v", got)
		}
		if r := mem.Delete(fmt.Sprintf("%s/time-entries/%d", o.base, id)); r.Status != http.StatusConflict {
			t.Errorf("DELETE in an approved week: %d %s", r.Status, r.Body)
		}
		if r := lead.Post(path+"/reopen", nil); r.Status != http.StatusForbidden {
			t.Errorf("a manager reopens: %d", r.Status)
		}
		if r := owner.Post(path+"/reopen", map[string]any{"comment": "Wrong project"}); r.Status != http.StatusOK {
			t.Fatalf("reopen: %d %s", r.Status, r.Body)
		}
		if r := mem.Delete(fmt.Sprintf("%s/time-entries/%d", o.base, id)); r.Status != http.StatusNoContent {
			t.Errorf("DELETE after reopening: %d %s", r.Status, r.Body)
		}
		e.Settle()
		// Audited.
		var audit struct{ Items []struct{ Action string } }
		owner.Get(o.base+"/audit?limit=200").JSON(t, &audit)
		var actions []string
		for _, a := range audit.Items {
			if strings.HasPrefix(a.Action, "timesheet.") {
				actions = append(actions, a.Action)
			}
		}
		for _, want := range []string{"timesheet.week.submit", "timesheet.week.reject", "timesheet.week.approve", "timesheet.week.reopen"} {
			if !slices.Contains(actions, want) {
				t.Errorf("audit trail lacks %s: %v", want, actions)
			}
		}
		// Published.
		var types []string
		if err := e.App.DB.NewSelect().TableExpr("outbox").Column("type").Where("account_id = ? AND type LIKE 'timesheet.%'", o.acc.ID).Scan(context.Background(), &types); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"timesheet.submitted", "timesheet.approved", "timesheet.rejected", "timesheet.reopened"} {
			if !slices.Contains(types, want) {
				t.Errorf("no %s event: %v", want, types)
			}
		}
		// Notified: the leader of the submission, the member of the decisions.
		for _, x := range []struct {
			c    *testkit.Client
			want string
		}{{lead, "submitted the week " + week}, {mem, "approved"}} {
			body := x.c.Get(o.base + "/notifications").String()
			if !strings.Contains(body, x.want) {
				t.Errorf("notifications lack %q: %.400s", x.want, body)
			}
		}
	})
}

// A manager in a team with the person keeps their sheet whole; a member reaches only their own.
func TestWhoReachesASheet(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		mgr2, owner := e.As(o.mgr2), e.As(o.owner)
		other := e.NewUser(o.acc, actor.RoleMember)
		o.created(t, e.As(o.mem), "/time-entries", map[string]any{"date": "2026-12-01", "minutes": 30, "category_id": o.cat})
		path := fmt.Sprintf("%s/timesheets/%d/2026-W49", o.base, o.mem.ID)
		if r := e.As(other).Get(path); r.Status != http.StatusNotFound {
			t.Errorf("a colleague reads the week: %d", r.Status)
		}
		if r := e.As(other).Get(fmt.Sprintf("%s/time-entries?user=%d", o.base, o.mem.ID)); r.Status != http.StatusNotFound {
			t.Errorf("a colleague lists the entries: %d", r.Status)
		}
		team := o.created(t, owner, "/teams", map[string]any{"name": "Design"})
		for _, u := range []*testkit.User{o.mem, o.mgr2} {
			if r := owner.Put(fmt.Sprintf("%s/teams/%d/members/%d", o.base, team, u.ID), nil); r.Status >= 300 {
				t.Fatalf("team member: %d %s", r.Status, r.Body)
			}
		}
		if ts := o.week(t, mgr2, o.mem, "2026-W49"); ts.TotalMinutes != 30 {
			t.Errorf("the team's manager sees %d minutes", ts.TotalMinutes)
		}
		// and logs time on the member's sheet.
		o.created(t, mgr2, "/time-entries", map[string]any{"user_id": o.mem.ID, "date": "2026-12-02", "minutes": 45, "project_id": o.project})
		if r := mgr2.Post(path+"/submit", nil); r.Status != http.StatusOK {
			t.Errorf("the team's manager submits: %d %s", r.Status, r.Body)
		}
		if r := mgr2.Post(path+"/approve", nil); r.Status != http.StatusOK {
			t.Errorf("the team's manager approves: %d %s", r.Status, r.Body)
		}
	})
}

// The weekly grid: a plain form posts the whole week; errors name the cells; nothing is saved
// from a refused form.
func TestGridForm(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		b := e.BrowserLogin(o.mem)
		page := fmt.Sprintf("/%s/timesheet/%d/2026-W49", o.acc.Slug, o.mem.ID)
		if r := b.Get("/" + o.acc.Slug + "/timesheet"); r.Status != http.StatusOK || !strings.Contains(r.String(), "timesheet.empty") && !strings.Contains(r.String(), "No time this week") {
			t.Fatalf("empty grid: %d %.300s", r.Status, r.Body)
		}
		p := fmt.Sprintf("p%d", o.project)
		c := fmt.Sprintf("c%d", o.cat)
		// Add a row, then fill the week.
		r := b.SubmitForm(page, page, url.Values{"action": {"add"}, "add": {p}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("add a row: %d %s", r.Status, r.Body)
		}
		vals := url.Values{"row": {p, c}, "action": {"save"}}
		for i, v := range []string{"7:30", "1h30", "1.5h", "90m", "2h", "", ""} {
			vals.Set(fmt.Sprintf("d_%s_%d", p, i), v)
		}
		vals.Set("d_"+c+"_4", "1")
		if r := b.SubmitForm(page, page, vals); r.Status != http.StatusSeeOther {
			t.Fatalf("save the week: %d %s", r.Status, r.Body)
		}
		ts := o.week(t, e.As(o.mem), o.mem, "2026-W49")
		if ts.TotalMinutes != 450+90*3+120+60 {
			t.Fatalf("saved week: %d minutes", ts.TotalMinutes)
		}
		// A bad cell and an overfull day: 422, the cells named, nothing changed.
		bad := url.Values{"row": {p, c}, "action": {"save"}}
		bad.Set("d_"+p+"_0", "abc")
		bad.Set("d_"+p+"_1", "23h")
		bad.Set("d_"+c+"_1", "2h")
		r = b.SubmitForm(page, page, bad)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), `aria-invalid="true"`) {
			t.Fatalf("bad cells: %d %.500s", r.Status, r.Body)
		}
		if got := o.week(t, e.As(o.mem), o.mem, "2026-W49"); got.TotalMinutes != ts.TotalMinutes {
			t.Errorf("a refused grid changed the week: %d", got.TotalMinutes)
		}
		// Submit from the grid: the week shows submitted and its cells are no inputs.
		vals.Set("action", "submit")
		if r := b.SubmitForm(page, page, vals); r.Status != http.StatusSeeOther {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		r = b.Get(page)
		if !strings.Contains(r.String(), `id="week-locked"`) || strings.Contains(r.String(), `class="cell"`) {
			t.Errorf("the submitted week is not locked on the page: %.300s", r.Body)
		}
		// Next week: copy last week's rows.
		next := fmt.Sprintf("/%s/timesheet/%d/2026-W50", o.acc.Slug, o.mem.ID)
		if r := b.SubmitForm(next, next, url.Values{"action": {"copy"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("copy: %d %s", r.Status, r.Body)
		} else if loc := r.Header.Get("Location"); !strings.Contains(loc, "copy=1") {
			t.Fatalf("copy goes to %s", loc)
		} else if page := b.Get(loc); !strings.Contains(page.String(), fmt.Sprintf(`name="d_%s_0"`, p)) || !strings.Contains(page.String(), fmt.Sprintf(`name="d_%s_0"`, c)) {
			t.Errorf("last week's rows are not copied: %.300s", page.Body)
		}
	})
}

// Erasure keeps the time in the account's totals, detached from the person and without their
// notes; the export holds their entries.
func TestPersonalData(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		o.created(t, e.As(o.mem), "/time-entries", map[string]any{"date": "2026-12-01", "minutes": 30, "category_id": o.cat, "note": "Call with " + o.mem.Name})
		ctx := context.Background()
		s := hooks.Subject{AccountID: o.acc.ID, UserID: o.mem.ID, Email: o.mem.Email, Name: o.mem.Name}
		var x walk.Export
		for _, p := range e.App.Hooks.PersonalData {
			if p.Module == "timesheet" {
				if err := p.Hook.Export(ctx, s, &x); err != nil {
					t.Fatal(err)
				}
			}
		}
		if !strings.Contains(string(x.Files["time_entries.json"]), "Call with") {
			t.Errorf("export: %s", x.Files["time_entries.json"])
		}
		if err := walk.Erase(ctx, e.App.DB, e.App.Hooks, s, hooks.Erasure{}); err != nil {
			t.Fatal(err)
		}
		var rows []struct {
			UserID  *int64 `bun:"user_id"`
			Minutes int    `bun:"minutes"`
			Note    string `bun:"note"`
		}
		if err := e.App.DB.NewSelect().TableExpr("time_entries").Column("user_id", "minutes", "note").Where("account_id = ?", o.acc.ID).Scan(ctx, &rows); err != nil {
			t.Fatal(err)
		}
		if len(rows) != 1 || rows[0].UserID != nil || rows[0].Minutes != 30 || rows[0].Note != "" {
			t.Errorf("after the erasure: %+v", rows)
		}
		traces, err := walk.Traces(ctx, e.App.DB, o.acc.ID, o.mem.Email, o.mem.Name)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range traces {
			if strings.HasPrefix(tr, "time_") || strings.HasPrefix(tr, "timesheet_") {
				t.Errorf("left behind: %s", tr)
			}
		}
	})
}
