package timesheet_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
	"groupcamp/modules/timesheet"
)

// rateOffice is an office whose Website belongs to a client company, with a developer role
// billed 90.00 an hour and a fourth colleague (no role, no rate).
type rateOffice struct {
	*office
	co, dev int64
	dan     *testkit.User
}

func newRateOffice(t *testing.T, e *testkit.Env) *rateOffice {
	t.Helper()
	o := &rateOffice{office: newOffice(t, e)}
	owner := e.As(o.owner)
	o.co = e.ClientCompany(o.acc)
	if r := owner.Patch(fmt.Sprintf("%s/projects/%d", o.base, o.project), map[string]any{"client_company_id": o.co}); r.Status != http.StatusOK {
		t.Fatalf("client: %d %s", r.Status, r.Body)
	}
	o.dan = e.NewUser(o.acc, actor.RoleMember)
	o.dev = o.created(t, owner, "/job-roles", map[string]any{"name": "Developer", "cost_rate_minor": 5000, "bill_rate_minor": 9000})
	return o
}

func (o *rateOffice) capacity(t *testing.T, u *testkit.User, body map[string]any) {
	t.Helper()
	if r := o.e.As(o.owner).Put(fmt.Sprintf("%s/users/%d/capacity", o.base, u.ID), body); r.Status != http.StatusOK {
		t.Fatalf("capacity of %s: %d %s", u.Email, r.Status, r.Body)
	}
}

// logApproved logs billable minutes on Website for the person on each day (as the owner), and
// approves the weeks.
func (o *rateOffice) logApproved(t *testing.T, u *testkit.User, days map[string]int, weeks ...string) {
	t.Helper()
	owner := o.e.As(o.owner)
	for day, m := range days {
		o.created(t, owner, "/time-entries", map[string]any{"user_id": u.ID, "date": day, "minutes": m, "project_id": o.project, "billable": true})
	}
	for _, w := range weeks {
		for _, step := range []string{"submit", "approve"} {
			if r := owner.Post(fmt.Sprintf("%s/timesheets/%d/%s/%s", o.base, u.ID, w, step), map[string]any{}); r.Status != http.StatusOK {
				t.Fatalf("%s %s: %d %s", step, w, r.Status, r.Body)
			}
		}
	}
}

// linesBy is a draft's lines as "person rate source minutes", in order.
func linesBy(d timesheet.InvoiceDraft) string {
	var out []string
	for _, l := range d.Items {
		out = append(out, fmt.Sprintf("%s %d %s %d", l.UserName, l.RateCents, l.RateSource, l.Minutes))
	}
	return strings.Join(out, "; ")
}

// TestInvoiceRates: each level of the rate rules — the project's rate for the person, the
// project's, the person's own bill rate of the entry's day (history by day), their role's — and
// none (0, the project listed unrated).
func TestInvoiceRates(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newRateOffice(t, e)
		owner := e.As(o.owner)
		// mem: own rate 110.00 from Nov 1, and the project's rate for her 150.00.
		o.capacity(t, o.mem, map[string]any{"bill_rate_minor": 11000, "bill_rate_from": "2026-11-01"})
		if r := owner.Put(fmt.Sprintf("%s/project-rates/%d/people/%d", o.base, o.project, o.mem.ID), map[string]any{"rate_cents": 15000}); r.Status != http.StatusOK {
			t.Fatalf("person rate: %d %s", r.Status, r.Body)
		}
		// lead: a developer, own rate 100.00 from Nov 4 (his Nov 3 hour is at the role's).
		o.capacity(t, o.lead, map[string]any{"role_id": o.dev})
		o.capacity(t, o.lead, map[string]any{"bill_rate_minor": 10000, "bill_rate_from": "2026-11-04"})
		// mgr2: a developer with no rate of his own. dan: nothing.
		o.capacity(t, o.mgr2, map[string]any{"role_id": o.dev})
		o.logApproved(t, o.mem, map[string]int{"2026-11-02": 60}, "2026-W45")
		o.logApproved(t, o.lead, map[string]int{"2026-11-03": 60, "2026-11-05": 30}, "2026-W45")
		o.logApproved(t, o.mgr2, map[string]int{"2026-11-03": 90}, "2026-W45")
		o.logApproved(t, o.dan, map[string]int{"2026-11-06": 15}, "2026-W45")

		d := draft(t, owner, o.office, o.co)
		want := map[string]bool{
			o.mem.Name + " 15000 project_person 60": true,
			o.lead.Name + " 9000 role 60":           true,
			o.lead.Name + " 10000 person 30":        true,
			o.mgr2.Name + " 9000 role 90":           true,
			o.dan.Name + " 0  15":                   true,
		}
		for _, l := range d.Items {
			k := fmt.Sprintf("%s %d %s %d", l.UserName, l.RateCents, l.RateSource, l.Minutes)
			if !want[k] {
				t.Errorf("unexpected line %q", k)
			}
			delete(want, k)
		}
		if len(want) > 0 || len(d.Unrated) != 1 {
			t.Errorf("missing lines %v (draft: %s; unrated %v)", want, linesBy(d), d.Unrated)
		}
		// 60 × 150 + 60 × 90 + 30 × 100 + 90 × 90 + 0 = 150 + 90 + 50 + 135 = 425.00
		if d.AmountCents != 42500 {
			t.Errorf("amount: %d, want 42500", d.AmountCents)
		}
		// A project rate comes before the people's own and their roles', not before the
		// project's rate for a person.
		if r := owner.Put(fmt.Sprintf("%s/project-rates/%d", o.base, o.project), map[string]any{"rate_cents": 12000}); r.Status != http.StatusOK {
			t.Fatalf("rate: %d %s", r.Status, r.Body)
		}
		d = draft(t, owner, o.office, o.co)
		for _, l := range d.Items {
			wantRate, wantSrc := int64(12000), timesheet.RateProject
			if l.UserID == o.mem.ID {
				wantRate, wantSrc = 15000, timesheet.RateProjectPerson
			}
			if l.RateCents != wantRate || l.RateSource != wantSrc {
				t.Errorf("with a project rate, %s: %d %s", l.UserName, l.RateCents, l.RateSource)
			}
		}
		// The person rate removed: her time goes to the project's rate.
		if r := owner.Delete(fmt.Sprintf("%s/project-rates/%d/people/%d", o.base, o.project, o.mem.ID)); r.Status != http.StatusNoContent {
			t.Fatalf("delete person rate: %d %s", r.Status, r.Body)
		}
		if r := owner.Delete(fmt.Sprintf("%s/project-rates/%d/people/%d", o.base, o.project, o.mem.ID)); r.Status != http.StatusNotFound {
			t.Errorf("delete it again: %d", r.Status)
		}
		if d = draft(t, owner, o.office, o.co); !strings.Contains(linesBy(d), o.mem.Name+" 12000 project 60") {
			t.Errorf("after the person rate went: %s", linesBy(d))
		}
		// Exported: the batch keeps each line's rate.
		r := owner.Post(o.base+"/invoice-lines/export", map[string]any{"client_id": o.co, "from": "2026-11-01", "to": "2026-11-30"})
		if r.Status != http.StatusCreated {
			t.Fatalf("export: %d %s", r.Status, r.Body)
		}
		var b timesheet.InvoiceBatch
		r.JSON(t, &b)
		if b.AmountCents != d.AmountCents || len(b.Items) != len(d.Items) {
			t.Errorf("batch %+v, draft %+v", b, d)
		}

		// Bad input: 422 on its field; a person or project of no account: 404; only admins.
		path := fmt.Sprintf("%s/project-rates/%d/people/%d", o.base, o.project, o.lead.ID)
		for _, body := range []map[string]any{{}, {"rate_cents": -1}, {"rate_cents": timesheet.MaxRateCents + 1}} {
			if r := owner.Put(path, body); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["rate_cents"] == "" {
				t.Errorf("%v: %d %s", body, r.Status, r.Body)
			}
		}
		stranger := e.NewAccount()
		for _, p := range []string{
			fmt.Sprintf("%s/project-rates/%d/people/%d", o.base, o.project, stranger.Owner.ID),
			fmt.Sprintf("%s/project-rates/%d/people/%d", o.base, 99999999, o.lead.ID),
		} {
			if r := owner.Put(p, map[string]any{"rate_cents": 100}); r.Status != http.StatusNotFound {
				t.Errorf("PUT %s: %d", p, r.Status)
			}
		}
		if r := e.As(o.lead).Put(path, map[string]any{"rate_cents": 100}); r.Status != http.StatusForbidden {
			t.Errorf("a manager sets a rate: %d", r.Status)
		}
		var l struct{ Items []timesheet.PersonRate }
		if owner.Get(fmt.Sprintf("%s/project-rates/%d/people", o.base, o.project)).JSON(t, &l); len(l.Items) != 0 {
			t.Errorf("person rates after the refusals: %+v", l.Items)
		}
		// The page explains the rules.
		page := e.BrowserLogin(o.owner).Get("/" + o.acc.Slug + "/timesheet/invoicing")
		if !strings.Contains(page.String(), `id="rate-rules"`) || !strings.Contains(page.String(), "the project&#39;s rate for that person") {
			t.Errorf("the invoicing page does not explain the rates")
		}
	})
}

// TestInvoiceFormerColleague: a person is erased with approved billable time not invoiced yet
// (and a week only submitted): the approved time is drafted once as a "Former colleague" line
// at the rate it had when they were erased (their own rate, which left with them); exported,
// it is never drafted again; undone, it is back once. Their unapproved time is never drafted.
func TestInvoiceFormerColleague(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newRateOffice(t, e)
		owner := e.As(o.owner)
		o.capacity(t, o.mem, map[string]any{"bill_rate_minor": 13000, "bill_rate_from": "2026-01-01"})
		o.logApproved(t, o.mem, map[string]int{"2026-11-02": 120, "2026-11-03": 30}, "2026-W45")
		o.logApproved(t, o.lead, map[string]int{"2026-11-04": 60}, "2026-W45")
		o.created(t, owner, "/time-entries", map[string]any{"user_id": o.mem.ID, "date": "2026-11-10", "minutes": 60, "project_id": o.project, "billable": true})
		if r := owner.Post(fmt.Sprintf("%s/timesheets/%d/2026-W46/submit", o.base, o.mem.ID), nil); r.Status != http.StatusOK {
			t.Fatalf("submit: %d %s", r.Status, r.Body)
		}
		ctx := context.Background()
		s := hooks.Subject{AccountID: o.acc.ID, UserID: o.mem.ID, Email: o.mem.Email, Name: o.mem.Name}
		if err := walk.Erase(ctx, e.App.DB, e.App.Hooks, s, hooks.Erasure{}); err != nil {
			t.Fatal(err)
		}
		d := draft(t, owner, o.office, o.co)
		if got := linesBy(d); got != o.lead.Name+" 0  60; Former colleague 13000 former 150" {
			t.Fatalf("draft after the erasure: %s", got)
		}
		if d.Items[1].UserID != 0 || d.Items[1].AmountCents != 32500 || d.PendingMinutes != 0 {
			t.Errorf("the former colleague's line: %+v (pending %d)", d.Items[1], d.PendingMinutes)
		}
		page := e.BrowserLogin(o.owner).Get(fmt.Sprintf("/%s/timesheet/invoicing?client=%d&from=2026-11-01&to=2026-11-30", o.acc.Slug, o.co))
		if !strings.Contains(page.String(), `class="muted former">Former colleague<`) {
			t.Errorf("the page does not show the former colleague")
		}
		r := owner.Post(o.base+"/invoice-lines/export", map[string]any{"client_id": o.co, "from": "2026-11-01", "to": "2026-11-30"})
		if r.Status != http.StatusCreated {
			t.Fatalf("export: %d %s", r.Status, r.Body)
		}
		var b timesheet.InvoiceBatch
		r.JSON(t, &b)
		if b.Minutes != 210 || b.AmountCents != 32500 {
			t.Errorf("batch: %+v", b)
		}
		if d := draft(t, owner, o.office, o.co); len(d.Items) != 0 {
			t.Errorf("drafted twice: %s", linesBy(d))
		}
		var one timesheet.InvoiceBatch
		owner.Get(fmt.Sprintf("%s/invoice-batches/%d", o.base, b.ID)).JSON(t, &one)
		if len(one.Items) != 2 || one.Items[1].UserName != "Former colleague" || one.Items[1].RateCents != 13000 {
			t.Errorf("the batch's lines: %+v", one.Items)
		}
		if r := owner.Post(fmt.Sprintf("%s/invoice-batches/%d/undo", o.base, b.ID), nil); r.Status != http.StatusOK {
			t.Fatalf("undo: %d %s", r.Status, r.Body)
		}
		if got := linesBy(draft(t, owner, o.office, o.co)); got != o.lead.Name+" 0  60; Former colleague 13000 former 150" {
			t.Errorf("draft after the undo: %s", got)
		}
	})
}

// TestInvoiceSplitByCategory: split_by=category gives a line per project category (the time
// of none apart), in the draft and in the batch; another split_by is a 422.
func TestInvoiceSplitByCategory(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newRateOffice(t, e)
		owner := e.As(o.owner)
		design := o.created(t, owner, "/time-categories", map[string]any{"name": "Design", "kind": "project"})
		for _, x := range []struct {
			day string
			m   int
			cat int64
		}{{"2026-11-02", 60, design}, {"2026-11-03", 30, design}, {"2026-11-04", 45, 0}} {
			body := map[string]any{"user_id": o.mem.ID, "date": x.day, "minutes": x.m, "project_id": o.project, "billable": true}
			if x.cat != 0 {
				body["category_id"] = x.cat
			}
			o.created(t, owner, "/time-entries", body)
		}
		o.logApproved(t, o.mem, nil, "2026-W45")
		owner.Put(fmt.Sprintf("%s/project-rates/%d", o.base, o.project), map[string]any{"rate_cents": 10000})
		if d := draft(t, owner, o.office, o.co); len(d.Items) != 1 || d.Items[0].Minutes != 135 || d.Items[0].CategoryName != "" {
			t.Errorf("unsplit: %+v", d.Items)
		}
		q := fmt.Sprintf("%s/invoice-lines?client=%d&from=2026-11-01&to=2026-11-30", o.base, o.co)
		var d timesheet.InvoiceDraft
		owner.Get(q+"&split_by=category").JSON(t, &d)
		if len(d.Items) != 2 || d.Items[0].CategoryID != 0 || d.Items[0].Minutes != 45 || d.Items[1].CategoryName != "Design" || d.Items[1].Minutes != 90 || d.AmountCents != 22500 {
			t.Errorf("split: %+v", d.Items)
		}
		if r := owner.Get(q + "&split_by=person"); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["split_by"] == "" {
			t.Errorf("split_by=person: %d %s", r.Status, r.Body)
		}
		if r := owner.Post(o.base+"/invoice-lines/export", map[string]any{"client_id": o.co, "from": "2026-11-01", "to": "2026-11-30", "split_by": "week"}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("export split_by=week: %d %s", r.Status, r.Body)
		}
		r := owner.Post(o.base+"/invoice-lines/export", map[string]any{"client_id": o.co, "from": "2026-11-01", "to": "2026-11-30", "split_by": "category"})
		var b timesheet.InvoiceBatch
		if r.Status != http.StatusCreated {
			t.Fatalf("export: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &b)
		var one timesheet.InvoiceBatch
		owner.Get(fmt.Sprintf("%s/invoice-batches/%d", o.base, b.ID)).JSON(t, &one)
		if one.SplitBy != "category" || len(one.Items) != 2 || one.Items[1].CategoryName != "Design" {
			t.Errorf("the batch is not split: %+v", one)
		}
		// The page: the split asked by its checkbox.
		page := e.BrowserLogin(o.owner).Get(fmt.Sprintf("/%s/timesheet/invoicing?client=%d&from=2026-11-01&to=2026-11-30&split_by=category", o.acc.Slug, o.co))
		if !strings.Contains(page.String(), `id="i-split" checked`) {
			t.Errorf("the page's split box is not checked")
		}
	})
}

// TestCategoryKindFilter: kind= narrows the categories, through the API and on the page.
func TestCategoryKindFilter(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		owner := e.As(o.owner)
		o.created(t, owner, "/time-categories", map[string]any{"name": "Design", "kind": "project"})
		for kind, want := range map[string]string{"project": "Design", "administrative": "Training", "": "Training,Design"} {
			var l struct{ Items []timesheet.Category }
			r := e.As(o.mem).Get(o.base + "/time-categories?kind=" + kind)
			r.JSON(t, &l)
			var names []string
			for _, c := range l.Items {
				names = append(names, c.Name)
			}
			if r.Status != http.StatusOK || strings.Join(names, ",") != want {
				t.Errorf("kind=%s: %d %v, want %s", kind, r.Status, names, want)
			}
		}
		if r := owner.Get(o.base + "/time-categories?kind=holiday"); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["kind"] == "" {
			t.Errorf("kind=holiday: %d %s", r.Status, r.Body)
		}
		page := e.BrowserLogin(o.owner).Get("/" + o.acc.Slug + "/timesheet/categories?kind=project").String()
		if !strings.Contains(page, "<td>Design</td>") || strings.Contains(page, "<td>Training</td>") || !strings.Contains(page, `kind=project" aria-current="page"`) {
			t.Errorf("the page filtered by kind: %.2000s", page[strings.Index(page, "<main"):])
		}
	})
}
