package timesheet_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/modules/timesheet"
)

// categoryOffice is an office with a project category (Design) besides its administrative one.
func categoryOffice(t *testing.T, e *testkit.Env) (*office, int64) {
	t.Helper()
	o := newOffice(t, e)
	design := o.created(t, e.As(o.owner), "/time-categories", map[string]any{"name": "Design", "kind": "project"})
	return o, design
}

// entryOf reads an entry as the owner sees it.
func entryOf(t *testing.T, o *office, u *testkit.User, id int64) timesheet.Entry {
	t.Helper()
	var l struct{ Items []timesheet.Entry }
	o.e.As(o.owner).Get(fmt.Sprintf("%s/time-entries?user=%d&limit=200", o.base, u.ID)).JSON(t, &l)
	for _, e := range l.Items {
		if e.ID == id {
			return e
		}
	}
	t.Fatalf("no entry %d", id)
	return timesheet.Entry{}
}

// Categories have a kind; project time may name a project category; the rules of each kind
// hold on create and on change, and a refused write writes nothing.
func TestCategoryKinds(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o, design := categoryOffice(t, e)
		owner, mem := e.As(o.owner), e.As(o.mem)
		var c timesheet.Category
		r := owner.Patch(fmt.Sprintf("%s/time-categories/%d", o.base, o.cat), map[string]any{"name": "Training"})
		r.JSON(t, &c)
		if r.Status != http.StatusOK || c.Kind != timesheet.KindAdministrative {
			t.Fatalf("an existing category is administrative: %d %s", r.Status, r.Body)
		}
		if r := owner.Post(o.base+"/time-categories", map[string]any{"name": "Odd", "kind": "colour"}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), `"kind"`) {
			t.Errorf("a bad kind: %d %s", r.Status, r.Body)
		}
		archived := o.created(t, owner, "/time-categories", map[string]any{"name": "Travel", "kind": "project"})
		if r := owner.Post(fmt.Sprintf("%s/time-categories/%d/archive", o.base, archived), nil); r.Status != http.StatusOK {
			t.Fatalf("archive: %d %s", r.Status, r.Body)
		}
		elsewhere := e.NewAccount()
		var foreign int64
		if r := e.As(elsewhere.Owner).Post("/api/v1/"+elsewhere.Slug+"/time-categories", map[string]any{"name": "Design", "kind": "project"}); r.Status != http.StatusCreated {
			t.Fatalf("another account's category: %d %s", r.Status, r.Body)
		} else {
			var v struct{ ID int64 }
			r.JSON(t, &v)
			foreign = v.ID
		}

		id := o.created(t, mem, "/time-entries", map[string]any{"date": "2026-12-07", "duration": "2h", "project_id": o.project, "category_id": design})
		got := entryOf(t, o, o.mem, id)
		if got.ProjectID == nil || *got.ProjectID != o.project || got.CategoryID == nil || *got.CategoryID != design || got.CategoryName != "Design" || !got.Billable {
			t.Fatalf("project time with a category: %+v", got)
		}
		before := o.entries(t, o.mem)
		for name, body := range map[string]map[string]any{
			"project category alone":      {"date": "2026-12-07", "minutes": 30, "category_id": design},
			"administrative with project": {"date": "2026-12-07", "minutes": 30, "category_id": o.cat, "project_id": o.project},
			"archived":                    {"date": "2026-12-07", "minutes": 30, "category_id": archived, "project_id": o.project},
			"another account's":           {"date": "2026-12-07", "minutes": 30, "category_id": foreign, "project_id": o.project},
		} {
			if r := mem.Post(o.base+"/time-entries", body); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), `"category_id"`) {
				t.Errorf("%s: %d %s", name, r.Status, r.Body)
			}
		}
		if got := o.entries(t, o.mem); got != before {
			t.Errorf("refused entries wrote: %d, want %d", got, before)
		}

		// Changes: a new project keeps the project category; category_id 0 clears it; an
		// administrative category takes the entry off its project, and setting a project
		// clears the administrative category again.
		patch := func(id int64, body map[string]any) timesheet.Entry {
			t.Helper()
			r := mem.Patch(fmt.Sprintf("%s/time-entries/%d", o.base, id), body)
			if r.Status != http.StatusOK {
				t.Fatalf("patch %v: %d %s", body, r.Status, r.Body)
			}
			var out timesheet.Entry
			r.JSON(t, &out)
			return out
		}
		if got := patch(id, map[string]any{"project_id": o.other}); got.CategoryID == nil || *got.CategoryID != design || *got.ProjectID != o.other {
			t.Errorf("new project, category kept: %+v", got)
		}
		if got := patch(id, map[string]any{"category_id": 0}); got.CategoryID != nil || got.ProjectID == nil {
			t.Errorf("category cleared: %+v", got)
		}
		if got := patch(id, map[string]any{"category_id": o.cat}); got.ProjectID != nil || got.CategoryID == nil || *got.CategoryID != o.cat {
			t.Errorf("administrative category: %+v", got)
		}
		if got := patch(id, map[string]any{"project_id": o.project}); got.CategoryID != nil || *got.ProjectID != o.project {
			t.Errorf("project again, administrative category cleared: %+v", got)
		}
		patch(id, map[string]any{"billable": false})
		if got := patch(id, map[string]any{"category_id": design}); got.CategoryID == nil || *got.CategoryID != design || *got.ProjectID != o.project || got.Billable {
			t.Errorf("project category on project time (its billable flag kept): %+v", got)
		}
		if r := mem.Patch(fmt.Sprintf("%s/time-entries/%d", o.base, id), map[string]any{"project_id": 0}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("a project category left without its project: %d %s", r.Status, r.Body)
		}
		if got := entryOf(t, o, o.mem, id); got.ProjectID == nil || *got.ProjectID != o.project {
			t.Errorf("the refused change wrote: %+v", got)
		}

		// A timer on the project's design time: its label and its entry name the category.
		r = mem.Post(o.base+"/timers/start", map[string]any{"project_id": o.project, "category_id": design})
		if r.Status != http.StatusOK && r.Status != http.StatusCreated || !strings.Contains(r.String(), "Website › Design") {
			t.Errorf("timer on design: %d %s", r.Status, r.Body)
		}
		if r := mem.Post(o.base+"/timers/start", map[string]any{"category_id": design}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("timer on a project category alone: %d %s", r.Status, r.Body)
		}

		// The kind stays once time is logged; an unused category changes it.
		if r := owner.Patch(fmt.Sprintf("%s/time-categories/%d", o.base, design), map[string]any{"kind": "administrative"}); r.Status != http.StatusConflict {
			t.Errorf("kind of a used category: %d %s", r.Status, r.Body)
		}
		r = owner.Patch(fmt.Sprintf("%s/time-categories/%d", o.base, archived), map[string]any{"kind": "administrative"})
		r.JSON(t, &c)
		if r.Status != http.StatusOK || c.Kind != timesheet.KindAdministrative {
			t.Errorf("kind of an unused category: %d %s", r.Status, r.Body)
		}
	})
}

// Row keys carry the project category.
func TestRowKeys(t *testing.T) {
	for s, want := range map[string]timesheet.RowKey{
		"p12": {ProjectID: 12}, "p12t5": {ProjectID: 12, TaskID: 5}, "c3": {CategoryID: 3},
		"p12c3": {ProjectID: 12, CategoryID: 3}, "p12t5c3": {ProjectID: 12, TaskID: 5, CategoryID: 3},
	} {
		k, ok := timesheet.ParseRowKey(s)
		if !ok || k != want || k.String() != s {
			t.Errorf("%s: %+v %v %q", s, k, ok, k.String())
		}
	}
	for _, bad := range []string{"p12c", "p12c3t5", "pc3", "p12t5c0", "c3p12", "p12cc3", "p1t2t3c4"} {
		if _, ok := timesheet.ParseRowKey(bad); ok {
			t.Errorf("%s parsed", bad)
		}
	}
}

// The grid splits a project's row by category, without script; copying last week keeps it.
func TestCategoryGrid(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o, design := categoryOffice(t, e)
		b := e.BrowserLogin(o.mem)
		sheet := fmt.Sprintf("/%s/timesheet/%d/2026-W49", o.acc.Slug, o.mem.ID)
		key := fmt.Sprintf("p%dc%d", o.project, design)
		page := b.Get(sheet).String()
		if !strings.Contains(page, `<option value="`+key+`">Website › Design</option>`) || strings.Contains(page, fmt.Sprintf(`value="c%d"`, design)) {
			t.Fatalf("the add-a-row choices: %.2000s", page)
		}
		if r := b.SubmitForm(sheet, sheet, url.Values{"add": {key}, "action": {"add"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("add the row: %d %.300s", r.Status, r.Body)
		}
		plain := fmt.Sprintf("p%d", o.project)
		r := b.SubmitForm(sheet, sheet, url.Values{"row": {key, plain}, "d_" + key + "_0": {"2:00"}, "d_" + plain + "_0": {"1:00"}, "action": {"save"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("save: %d %.500s", r.Status, r.Body)
		}
		ts := o.week(t, e.As(o.mem), o.mem, "2026-W49")
		var split, bare int
		for _, en := range ts.Days[0].Entries {
			switch {
			case en.CategoryID != nil && *en.CategoryID == design && *en.ProjectID == o.project:
				split += en.Minutes
			case en.CategoryID == nil && *en.ProjectID == o.project:
				bare += en.Minutes
			}
		}
		if split != 120 || bare != 60 {
			t.Errorf("the week's entries: %+v", ts.Days[0].Entries)
		}
		if body := b.Get(sheet).String(); !strings.Contains(body, `name="row" value="`+key+`">Website › Design`) {
			t.Errorf("the split row: %.2000s", body)
		}
		// An administrative category on a project's row is refused on its cell.
		bad := fmt.Sprintf("p%dc%d", o.project, o.cat)
		if r := b.SubmitForm(sheet, sheet, url.Values{"row": {bad}, "d_" + bad + "_1": {"1:00"}, "action": {"save"}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("administrative category on a project row: %d", r.Status)
		}
		// The project's leader splits its rows by project category too; administrative
		// categories are not theirs to fill.
		o.created(t, e.As(o.mem), "/time-entries", map[string]any{"date": "2026-12-14", "minutes": 30, "project_id": o.project})
		lead := e.BrowserLogin(o.lead).Get(fmt.Sprintf("/%s/timesheet/%d/2026-W51", o.acc.Slug, o.mem.ID)).String()
		if !strings.Contains(lead, `<option value="`+key+`">Website › Design</option>`) || strings.Contains(lead, fmt.Sprintf(`<option value="c%d">`, o.cat)) {
			t.Errorf("the leader's choices: %.3000s", lead)
		}
		next := fmt.Sprintf("/%s/timesheet/%d/2026-W50", o.acc.Slug, o.mem.ID)
		if r := b.SubmitForm(next, next, url.Values{"action": {"copy"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("copy: %d", r.Status)
		}
		if body := b.Get(next + "?copy=1").String(); !strings.Contains(body, `name="row" value="`+key+`"`) {
			t.Errorf("copied rows lack the split row: %.2000s", body)
		}
	})
}

// Reports group project time by its category ("No category" for the rest) and filter by it;
// the CSV carries the category.
func TestCategoryReports(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o, design := categoryOffice(t, e)
		mem := e.As(o.mem)
		for _, body := range []map[string]any{
			{"date": "2026-11-02", "duration": "2h", "project_id": o.project, "category_id": design},
			{"date": "2026-11-03", "duration": "1h", "project_id": o.project},
			{"date": "2026-11-03", "duration": "30m", "category_id": o.cat},
		} {
			o.created(t, mem, "/time-entries", body)
		}
		owner := e.As(o.owner)
		if got := rowsOf(report(t, owner, o, "group_by=category").Rows); got != "Design=120/120 =60/60 Training=30/0" {
			t.Errorf("by category: %s", got)
		}
		if got := rowsOf(report(t, owner, o, fmt.Sprintf("group_by=project&category=%d", design)).Rows); got != "Website=120/120" {
			t.Errorf("filtered by the project category: %s", got)
		}
		csv := owner.Get("/" + o.acc.Slug + "/reports/time.csv?from=2026-11-01&to=2026-11-30&group_by=project&then_by=category").String()
		if !strings.Contains(csv, "category_key,category") || !strings.Contains(csv, fmt.Sprintf("%d,Design,120", design)) {
			t.Errorf("csv: %s", csv)
		}
		page := e.BrowserLogin(o.owner).Get("/" + o.acc.Slug + "/timesheet/reports?preset=custom&from=2026-11-01&to=2026-11-30&group_by=category").String()
		if !strings.Contains(page, "No category") || !strings.Contains(page, "Design") {
			i := strings.Index(page, "<main")
			t.Errorf("report page: %.3000s", page[max(i, 0):])
		}
	})
}

// A budget line of a project category counts only the project's time of that category.
func TestCategoryBudget(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		bo := newBudgetOffice(t, e)
		o := bo.office
		design := o.created(t, e.As(o.owner), "/time-categories", map[string]any{"name": "Design", "kind": "project"})
		lead := e.As(o.lead)
		lines := fmt.Sprintf("%s/projects/%d/budget-lines", o.base, o.project)
		for name, body := range map[string]map[string]any{
			"no category":    {"kind": "category", "minutes": 600},
			"administrative": {"kind": "category", "category_id": o.cat, "minutes": 600},
			"unknown":        {"kind": "category", "category_id": design + 1000, "minutes": 600},
			"total with one": {"kind": "total", "category_id": design, "minutes": 600},
		} {
			if r := lead.Post(lines, body); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), `"category_id"`) {
				t.Errorf("%s: %d %s", name, r.Status, r.Body)
			}
		}
		line := o.created(t, lead, fmt.Sprintf("/projects/%d/budget-lines", o.project), map[string]any{"kind": "category", "category_id": design, "minutes": 300})
		o.created(t, lead, fmt.Sprintf("/projects/%d/budget-lines", o.project), map[string]any{"kind": "total", "minutes": 6000})
		mem := e.As(o.mem)
		o.created(t, mem, "/time-entries", map[string]any{"date": "2026-11-30", "duration": "4h", "project_id": o.project, "category_id": design})
		o.created(t, mem, "/time-entries", map[string]any{"date": "2026-12-01", "duration": "3h", "project_id": o.project})
		path := fmt.Sprintf("%s/timesheets/%d/2026-W49", o.base, o.mem.ID)
		if r := mem.Post(path+"/submit", nil); r.Status != http.StatusOK {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		if r := lead.Post(path+"/approve", nil); r.Status != http.StatusOK {
			t.Fatalf("approve: %d %s", r.Status, r.Body)
		}
		b := bo.budget(t, lead, o.project)
		for _, u := range b.Lines {
			switch u.Line.Kind {
			case timesheet.BudgetCategory:
				if u.Line.ID != line || u.SpentMinutes != 240 || u.Label != "Design" || u.Percent != 80 || *u.SpentAmountMinor != 24000 {
					t.Errorf("category line: %+v", u)
				}
			case timesheet.BudgetTotal:
				if u.SpentMinutes != 420 {
					t.Errorf("total line: %+v", u)
				}
			}
		}
		e.Settle()
		if n := bo.thresholdEvents(t); n != 1 {
			t.Errorf("threshold events: %d, want 1 (the category line past 80%%)", n)
		}
		// The page offers the category as a line's target and shows the line.
		br := e.BrowserLogin(o.lead)
		page := fmt.Sprintf("/%s/timesheet/budgets/%d", o.acc.Slug, o.project)
		body := br.Get(page).String()
		if !strings.Contains(body, fmt.Sprintf(`value="c%d"`, design)) || !strings.Contains(body, "Category: Design") {
			t.Errorf("budget page: %.3000s", body)
		}
		if r := br.SubmitForm(page, page+"/lines", url.Values{"target": {fmt.Sprintf("c%d", o.cat)}, "hours": {"10"}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("an administrative category from the page: %d", r.Status)
		}
		if r := br.SubmitForm(page, page+"/lines", url.Values{"target": {fmt.Sprintf("c%d", design)}, "hours": {"10"}, "name": {"More design"}}); r.Status != http.StatusSeeOther {
			t.Errorf("a category line from the page: %d %.500s", r.Status, r.Body)
		}
		var l struct{ Items []timesheet.BudgetLine }
		lead.Get(lines).JSON(t, &l)
		if len(l.Items) != 3 || l.Items[2].CategoryID == nil || *l.Items[2].CategoryID != design || l.Items[2].Kind != timesheet.BudgetCategory {
			t.Errorf("lines: %+v", l.Items)
		}
		// A category a line counts keeps its kind, even with no time on it.
		review := o.created(t, e.As(o.owner), "/time-categories", map[string]any{"name": "Review", "kind": "project"})
		o.created(t, lead, fmt.Sprintf("/projects/%d/budget-lines", o.project), map[string]any{"kind": "category", "category_id": review, "minutes": 60})
		if r := e.As(o.owner).Patch(fmt.Sprintf("%s/time-categories/%d", o.base, review), map[string]any{"kind": "administrative"}); r.Status != http.StatusConflict {
			t.Errorf("kind of a budgeted category: %d %s", r.Status, r.Body)
		}
		// A change of kind clears the category.
		r := lead.Patch(fmt.Sprintf("%s/%d", lines, line), map[string]any{"kind": "total"})
		var changed timesheet.BudgetLine
		r.JSON(t, &changed)
		if r.Status != http.StatusOK || changed.CategoryID != nil {
			t.Errorf("kind total: %d %s", r.Status, r.Body)
		}
	})
}

// The categories page: an administrator adds, refuses what is wrong (keeping what was typed),
// changes and archives; a member reads the list without the forms.
func TestCategoryPages(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o, design := categoryOffice(t, e)
		b := e.BrowserLogin(o.owner)
		page := "/" + o.acc.Slug + "/timesheet/categories"
		if r := b.Get(page); r.Status != http.StatusOK || !strings.Contains(r.String(), "Design") || !strings.Contains(r.String(), "Kind of project work") {
			t.Fatalf("page: %d %.500s", r.Status, r.Body)
		}
		if r := b.SubmitForm(page, page, url.Values{"name": {""}, "kind": {"project"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "must not be empty") {
			t.Errorf("an empty name: %d %.500s", r.Status, r.Body)
		}
		if r := b.SubmitForm(page, page, url.Values{"name": {"Travel"}, "kind": {"colour"}}); r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), `value="Travel"`) {
			t.Errorf("a bad kind: %d %.500s", r.Status, r.Body)
		}
		if r := b.SubmitForm(page, page, url.Values{"name": {"Holiday"}, "kind": {"administrative"}, "billable": {"on"}}); r.Status != http.StatusSeeOther {
			t.Fatalf("add: %d %.500s", r.Status, r.Body)
		}
		var l struct{ Items []timesheet.Category }
		e.As(o.owner).Get(o.base+"/time-categories?limit=50").JSON(t, &l)
		if n := len(l.Items); n != 3 || l.Items[2].Name != "Holiday" || !l.Items[2].Billable || l.Items[2].Kind != timesheet.KindAdministrative {
			t.Fatalf("categories: %+v", l.Items)
		}
		// The kind of a category with time stays: a 409 on the form.
		o.created(t, e.As(o.mem), "/time-entries", map[string]any{"date": "2026-12-07", "minutes": 60, "project_id": o.project, "category_id": design})
		edit := fmt.Sprintf("%s/%d", page, design)
		if r := b.SubmitForm(page+fmt.Sprintf("?edit=%d", design), edit, url.Values{"name": {"Design"}, "kind": {"administrative"}}); r.Status != http.StatusConflict || !strings.Contains(r.String(), "its kind cannot change") {
			t.Errorf("kind of a used category: %d %.500s", r.Status, r.Body)
		}
		if r := b.SubmitForm(page+fmt.Sprintf("?edit=%d", design), edit, url.Values{"name": {"Design work"}, "kind": {"project"}}); r.Status != http.StatusSeeOther {
			t.Errorf("rename: %d %.500s", r.Status, r.Body)
		}
		if r := b.SubmitForm(page, edit+"/archive", url.Values{"archived": {"1"}}); r.Status != http.StatusSeeOther {
			t.Errorf("archive: %d", r.Status)
		}
		if body := b.Get(page).String(); !strings.Contains(body, "The category is archived.") || !strings.Contains(body, "Design work") || !strings.Contains(body, "Restore") {
			t.Errorf("after the archive: %.2000s", body)
		}
		if r := b.SubmitForm(page, edit+"/archive", url.Values{"archived": {"0"}}); r.Status != http.StatusSeeOther {
			t.Errorf("restore: %d", r.Status)
		}
		mb := e.BrowserLogin(o.mem).Get(page)
		if mb.Status != http.StatusOK || strings.Contains(mb.String(), `id="category-form"`) || !strings.Contains(mb.String(), "Design work") {
			t.Errorf("the member's page: %d %.500s", mb.Status, mb.Body)
		}
	})
}
