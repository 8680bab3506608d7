package timesheet_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules/timesheet"
)

// reportOffice is an office with time of November 2026: the member 2h30 billable on Website
// (a project of a client company, led by the lead) and 1h non-billable on Training; the lead
// 45m on Website; the second manager 2h on Intranet.
func reportOffice(t *testing.T, e *testkit.Env) (*office, int64) {
	t.Helper()
	o := newOffice(t, e)
	owner := e.As(o.owner)
	co := e.ClientCompany(o.acc)
	if r := owner.Patch(fmt.Sprintf("%s/projects/%d", o.base, o.project), map[string]any{"client_company_id": co}); r.Status != http.StatusOK {
		t.Fatalf("client: %d %s", r.Status, r.Body)
	}
	for _, x := range []struct {
		u    *testkit.User
		body map[string]any
	}{
		{o.mem, map[string]any{"date": "2026-11-02", "duration": "1:30", "project_id": o.project, "billable": true}},
		{o.mem, map[string]any{"date": "2026-11-03", "duration": "1h", "project_id": o.project, "billable": true}},
		{o.mem, map[string]any{"date": "2026-11-03", "duration": "1h", "category_id": o.cat, "billable": false}},
		{o.lead, map[string]any{"date": "2026-11-10", "minutes": 45, "project_id": o.project, "billable": true}},
		{o.mgr2, map[string]any{"date": "2026-11-20", "minutes": 120, "project_id": o.other, "billable": false}},
		{o.mem, map[string]any{"date": "2026-12-01", "minutes": 600, "project_id": o.project}}, // outside the period
	} {
		o.created(t, e.As(x.u), "/time-entries", x.body)
	}
	return o, co
}

func report(t *testing.T, c *testkit.Client, o *office, query string) timesheet.TimeReport {
	t.Helper()
	r := c.Get(o.base + "/reports/time?from=2026-11-01&to=2026-11-30&" + query)
	if r.Status != http.StatusOK {
		t.Fatalf("report %s: %d %s", query, r.Status, r.Body)
	}
	var rep timesheet.TimeReport
	r.JSON(t, &rep)
	return rep
}

// rowsOf is the rows of a report as "label=minutes/billable".
func rowsOf(rows []timesheet.ReportRow) string {
	var out []string
	for _, r := range rows {
		out = append(out, fmt.Sprintf("%s=%d/%d", r.Label, r.Minutes, r.BillableMinutes))
	}
	return strings.Join(out, " ")
}

// The report sums exactly, by each grouping, and each reader sees only the time they reach.
func TestReports(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o, co := reportOffice(t, e)
		owner := e.As(o.owner)
		rep := report(t, owner, o, "group_by=project&then_by=user")
		if rep.Totals.Minutes != 90+60+60+45+120 || rep.Totals.BillableMinutes != 195 || rep.Totals.NonBillableMinutes != 180 || rep.Totals.Entries != 5 {
			t.Errorf("owner's totals: %+v", rep.Totals)
		}
		if got := rowsOf(rep.Rows); got != "Website=195/195 Intranet=120/0 =60/0" {
			t.Errorf("by project: %s", got)
		}
		if got := rowsOf(rep.Rows[0].Rows); got != fmt.Sprintf("%s=150/150 %s=45/45", o.mem.Name, o.lead.Name) {
			t.Errorf("website by person: %s", got)
		}
		if got := rowsOf(report(t, owner, o, "group_by=client").Rows); !strings.HasSuffix(got, "=195/195 =180/0") || rep.Rows[0].Key == "0" {
			t.Errorf("by client: %s", got)
		}
		if got := report(t, owner, o, fmt.Sprintf("group_by=user&client=%d", co)).Totals.Minutes; got != 195 {
			t.Errorf("client filter: %d", got)
		}
		if got := rowsOf(report(t, owner, o, "group_by=category&billable=false").Rows); got != "=120/0 Training=60/0" {
			t.Errorf("by category, non-billable: %s", got)
		}
		if got := rowsOf(report(t, owner, o, "group_by=week").Rows); got != "2026-W45=210/150 2026-W46=45/45 2026-W47=120/0" {
			t.Errorf("by week: %s", got)
		}
		if got := rowsOf(report(t, owner, o, "group_by=month").Rows); got != "2026-11=375/195" {
			t.Errorf("by month: %s", got)
		}

		// A member: their own time only, whatever they filter.
		mine := report(t, e.As(o.mem), o, "group_by=project")
		if !mine.Own || mine.Totals.Minutes != 210 {
			t.Errorf("member's own: %+v", mine)
		}
		if got := report(t, e.As(o.mem), o, fmt.Sprintf("project=%d", o.other)).Totals.Minutes; got != 0 {
			t.Errorf("member filtering another's project: %d", got)
		}
		// The lead: their own and everyone's time on the project they lead (not the category).
		if got := rowsOf(report(t, e.As(o.lead), o, "group_by=user").Rows); got != fmt.Sprintf("%s=150/150 %s=45/45", o.mem.Name, o.lead.Name) {
			t.Errorf("the lead's: %s", got)
		}
		// The other manager: their own; the member is no one of theirs: 404.
		if got := report(t, e.As(o.mgr2), o, "").Totals.Minutes; got != 120 {
			t.Errorf("second manager: %d", got)
		}
		for _, q := range []string{fmt.Sprintf("user=%d", o.mem.ID), "team=999999"} {
			if r := e.As(o.mgr2).Get(o.base + "/reports/time?" + q); r.Status != http.StatusNotFound {
				t.Errorf("second manager, %s: %d", q, r.Status)
			}
		}
		// Clients keep and see no time.
		client := e.NewUser(o.acc, actor.RoleClient)
		if r := e.As(client).Get(o.base + "/reports/time"); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
			t.Errorf("client: %d", r.Status)
		}
		// Bad input: 422 naming the field.
		for q, field := range map[string]string{"group_by=colour": "group_by", "from=2026-12-01&to=2026-11-01": "to", "from=2020-01-01&to=2026-01-01": "to",
			"billable=maybe": "billable", "user=x": "user", "group_by=user&then_by=user": "then_by", "from=2026-13-01": "from"} {
			r := owner.Get(o.base + "/reports/time?" + q)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), `"`+field+`"`) {
				t.Errorf("%s: %d %s", q, r.Status, r.Body)
			}
		}
	})
}

// The downloads hold the report's lines, a total, and no cell a spreadsheet would run.
func TestReportDownloads(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o, _ := reportOffice(t, e)
		owner := e.As(o.owner)
		if r := owner.Patch(fmt.Sprintf("%s/projects/%d", o.base, o.other), map[string]any{"name": "=HYPERLINK(\"http://evil.test\")"}); r.Status != http.StatusOK {
			t.Fatalf("rename: %d %s", r.Status, r.Body)
		}
		r := owner.Get("/" + o.acc.Slug + "/reports/time.csv?from=2026-11-01&to=2026-11-30&group_by=project&then_by=user")
		if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("csv: %d %s", r.Status, r.Body)
		}
		lines, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(lines) != 1+4+1 || lines[0][1] != "project" || lines[len(lines)-1][1] != "Total" || lines[len(lines)-1][4] != "375" {
			t.Errorf("csv lines: %q", lines)
		}
		found := false
		for _, l := range lines {
			if strings.Contains(l[1], "HYPERLINK") {
				found = true
				if !strings.HasPrefix(l[1], "'=") {
					t.Errorf("a formula left as is: %q", l[1])
				}
			}
		}
		if !found {
			t.Errorf("no line of the renamed project: %q", lines)
		}
		r = owner.Get(o.base + "/reports/time.xlsx?from=2026-11-01&to=2026-11-30&group_by=project")
		if r.Status != http.StatusOK {
			t.Fatalf("xlsx: %d %s", r.Status, r.Body)
		}
		f, err := excelize.OpenReader(bytes.NewReader(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("Sheet1")
		if len(rows) != 1+3+1 || rows[len(rows)-1][2] != "375" {
			t.Errorf("xlsx rows: %q", rows)
		}
		for i := range rows {
			cell := fmt.Sprintf("B%d", i+1)
			if formula, _ := f.GetCellFormula("Sheet1", cell); formula != "" {
				t.Errorf("%s is a formula: %s", cell, formula)
			}
			if v, _ := f.GetCellValue("Sheet1", cell); strings.HasPrefix(v, "=") {
				t.Errorf("%s starts with =: %s", cell, v)
			}
		}
		if r := e.As(o.mem).Get("/" + o.acc.Slug + "/reports/time.csv?group_by=colour"); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("bad csv filter: %d", r.Status)
		}
	})
}

// Planned against actual: per project the sum of its tasks' estimates, per task its own.
func TestPlannedVsActual(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o, _ := reportOffice(t, e)
		owner := e.As(o.owner)
		list := o.created(t, owner, fmt.Sprintf("/projects/%d/lists", o.project), map[string]any{"name": "Build"})
		task := o.created(t, owner, fmt.Sprintf("/projects/%d/tasks", o.project), map[string]any{"list_id": list, "title": "Home page",
			"assignees": []map[string]any{{"user_id": o.mem.ID, "estimate_minutes": 120}}})
		o.created(t, e.As(o.mem), "/time-entries", map[string]any{"date": "2026-11-04", "duration": "3h", "project_id": o.project, "task_id": task})
		var p timesheet.PlanReport
		r := owner.Get(fmt.Sprintf("%s/reports/planned?project=%d", o.base, o.project))
		if r.Status != http.StatusOK {
			t.Fatalf("planned: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &p)
		if len(p.Rows) != 2 || p.Rows[0].TaskID != task || p.Rows[0].EstimateMinutes != 120 || p.Rows[0].ActualMinutes != 180 ||
			p.Rows[0].DiffMinutes != -60 || p.Rows[0].PercentUsed == nil || *p.Rows[0].PercentUsed != 150 || p.Rows[1].ActualMinutes != 195+600 {
			t.Errorf("per task: %+v", p.Rows)
		}
		owner.Get(o.base+"/reports/planned").JSON(t, &p)
		if len(p.Rows) != 2 || p.Rows[1].Label != "Website" || p.Rows[1].EstimateMinutes != 120 || p.Rows[1].ActualMinutes != 180+195+600 {
			t.Errorf("per project: %+v", p.Rows)
		}
		if r := e.As(o.mgr2).Get(fmt.Sprintf("%s/reports/planned?project=%d", o.base, o.project)); r.Status != http.StatusOK || strings.Contains(string(r.Body), "Home page") {
			t.Errorf("a manager of none of it: %d %s", r.Status, r.Body)
		}
	})
}

// The reports page: "My time" for a member, the chart and totals for the owner, a bad filter
// named next to its field (never a 500), no page for a client.
func TestReportsPage(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o, _ := reportOffice(t, e)
		page := "/" + o.acc.Slug + "/timesheet/reports?preset=custom&from=2026-11-01&to=2026-11-30"
		r := e.BrowserLogin(o.mem).Get(page)
		if body := string(r.Body); r.Status != http.StatusOK || !strings.Contains(body, "My time") || !strings.Contains(body, "3:30") || strings.Contains(body, "Intranet</th>") {
			t.Errorf("member's page: %d", r.Status)
		}
		r = e.BrowserLogin(o.owner).Get(page + "&group_by=user")
		if body := string(r.Body); r.Status != http.StatusOK || !strings.Contains(body, `id="report-chart"`) || !strings.Contains(body, `id="report-total">6:15<`) ||
			!strings.Contains(body, o.mgr2.Name) {
			t.Errorf("owner's page: %d %s", r.Status, body)
		}
		r = e.BrowserLogin(o.owner).Get(page + "&group_by=project&then_by=user")
		if body := string(r.Body); r.Status != http.StatusOK || strings.Count(body, `<tr class="sub">`) != 4 || !strings.Contains(body, "then_by=user") {
			t.Errorf("owner's page by project then person: %d", r.Status)
		}
		team := o.created(t, e.As(o.owner), "/teams", map[string]any{"name": "Web"})
		if r := e.As(o.owner).Put(fmt.Sprintf("%s/teams/%d/members/%d", o.base, team, o.mem.ID), nil); r.Status >= 300 {
			t.Fatalf("team: %d %s", r.Status, r.Body)
		}
		r = e.BrowserLogin(o.owner).Get(fmt.Sprintf("%s&group_by=user&team=%d", page, team))
		if body := string(r.Body); r.Status != http.StatusOK || !strings.Contains(body, `id="report-total">3:30<`) || !strings.Contains(body, `<option value="`+fmt.Sprint(team)+`" selected>Web`) {
			t.Errorf("owner's page of a team: %d", r.Status)
		}
		if rep := report(t, e.As(o.owner), o, fmt.Sprintf("team=%d", team)); rep.Totals.Minutes != 210 {
			t.Errorf("team report: %d", rep.Totals.Minutes)
		}
		r = e.BrowserLogin(o.owner).Get("/" + o.acc.Slug + "/timesheet/reports?preset=custom&from=2026-11-30&to=2026-11-01")
		if body := string(r.Body); r.Status != http.StatusOK || !strings.Contains(body, "must not be before from") {
			t.Errorf("a reversed period: %d", r.Status)
		}
		if r := e.BrowserLogin(e.NewUser(o.acc, actor.RoleClient)).Get(page); r.Status != http.StatusForbidden && r.Status != http.StatusNotFound {
			t.Errorf("client: %d", r.Status)
		}
	})
}
