package timesheet_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"groupcamp/core/testkit"
	"groupcamp/modules/timesheet"
)

// invoicingOffice is reportOffice with the member's week 2026-W45 (2h30 billable on Website
// and 1h of training) approved, the lead's week 2026-W46 (45m on Website) only submitted, and
// Website billed 120.00 an hour.
func invoicingOffice(t *testing.T, e *testkit.Env) (*office, int64) {
	t.Helper()
	o, co := reportOffice(t, e)
	owner := e.As(o.owner)
	for _, x := range []struct {
		u     *testkit.User
		week  string
		steps []string
	}{{o.mem, "2026-W45", []string{"submit", "approve"}}, {o.lead, "2026-W46", []string{"submit"}}} {
		for _, step := range x.steps {
			if r := owner.Post(fmt.Sprintf("%s/timesheets/%d/%s/%s", o.base, x.u.ID, x.week, step), map[string]any{}); r.Status != http.StatusOK {
				t.Fatalf("%s: %d %s", step, r.Status, r.Body)
			}
		}
	}
	if r := owner.Put(fmt.Sprintf("%s/project-rates/%d", o.base, o.project), map[string]any{"rate_cents": 12000}); r.Status != http.StatusOK {
		t.Fatalf("rate: %d %s", r.Status, r.Body)
	}
	return o, co
}

func draft(t *testing.T, c *testkit.Client, o *office, co int64) timesheet.InvoiceDraft {
	t.Helper()
	r := c.Get(fmt.Sprintf("%s/invoice-lines?client=%d&from=2026-11-01&to=2026-11-30", o.base, co))
	if r.Status != http.StatusOK {
		t.Fatalf("draft: %d %s", r.Status, r.Body)
	}
	var d timesheet.InvoiceDraft
	r.JSON(t, &d)
	return d
}

// Draft lines hold only approved billable time at the project's rate; exporting marks it
// invoiced: locked (409), out of the drafts; undoing gives it back. Administrators only.
func TestInvoicing(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o, co := invoicingOffice(t, e)
		owner := e.As(o.owner)
		d := draft(t, owner, o, co)
		if len(d.Items) != 1 || d.Items[0].UserID != o.mem.ID || d.Items[0].Minutes != 150 || d.Items[0].RateCents != 12000 ||
			d.Items[0].AmountCents != 30000 || d.AmountCents != 30000 || d.PendingMinutes != 45 || d.Entries != 2 || d.CompanyName == "" {
			t.Fatalf("draft: %+v", d)
		}
		r := owner.Get(fmt.Sprintf("/api/v1/%s/invoice-lines.csv?client=%d&from=2026-11-01&to=2026-11-30", o.acc.Slug, co))
		lines, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
		if r.Status != http.StatusOK || err != nil || len(lines) != 3 || lines[1][5] != o.mem.Name || lines[1][9] != "300.00" || lines[2][1] != "Total" {
			t.Errorf("draft csv: %d %q %v", r.Status, lines, err)
		}
		// Only administrators.
		for _, u := range []*testkit.User{o.lead, o.mem} {
			if r := e.As(u).Get(fmt.Sprintf("%s/invoice-lines?client=%d&from=2026-11-01&to=2026-11-30", o.base, co)); r.Status != http.StatusForbidden {
				t.Errorf("%s reads drafts: %d", u.Role, r.Status)
			}
		}
		// Bad input.
		for q, field := range map[string]string{"from=2026-11-01&to=2026-11-30": "client_id", fmt.Sprintf("client=%d&from=2026-11-30&to=2026-11-01", co): "to",
			fmt.Sprintf("client=%d&from=2025-01-01&to=2026-11-01", co): "to", fmt.Sprintf("client=%d&to=2026-11-01", co): "from"} {
			if r := owner.Get(o.base + "/invoice-lines?" + q); r.Status != http.StatusUnprocessableEntity || !strings.Contains(string(r.Body), `"`+field+`"`) {
				t.Errorf("%s: %d %s", q, r.Status, r.Body)
			}
		}
		if r := owner.Get(o.base + "/invoice-lines?client=999999&from=2026-11-01&to=2026-11-30"); r.Status != http.StatusNotFound {
			t.Errorf("another company: %d", r.Status)
		}
		if r := owner.Put(fmt.Sprintf("%s/project-rates/%d", o.base, o.project), map[string]any{"rate_cents": -1}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("negative rate: %d", r.Status)
		}

		// Export: a batch; the time leaves the drafts and is locked.
		body := map[string]any{"client_id": co, "from": "2026-11-01", "to": "2026-11-30"}
		r = owner.Post(o.base+"/invoice-lines/export", body)
		if r.Status != http.StatusCreated {
			t.Fatalf("export: %d %s", r.Status, r.Body)
		}
		var b timesheet.InvoiceBatch
		r.JSON(t, &b)
		if b.AmountCents != 30000 || b.Minutes != 150 || b.Lines != 1 || len(b.Items) != 1 {
			t.Errorf("batch: %+v", b)
		}
		if d := draft(t, owner, o, co); len(d.Items) != 0 {
			t.Errorf("the exported time is still drafted: %+v", d.Items)
		}
		if r := owner.Post(o.base+"/invoice-lines/export", body); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("exporting again: %d %s", r.Status, r.Body)
		}
		// The rate changes: the batch keeps the rate it was invoiced at.
		owner.Put(fmt.Sprintf("%s/project-rates/%d", o.base, o.project), map[string]any{"rate_cents": 20000})
		var got timesheet.InvoiceBatch
		owner.Get(fmt.Sprintf("%s/invoice-batches/%d", o.base, b.ID)).JSON(t, &got)
		if len(got.Items) != 1 || got.Items[0].AmountCents != 30000 {
			t.Errorf("the batch read again: %+v", got)
		}
		x := owner.Get(fmt.Sprintf("%s/invoice-batches/%d/lines.xlsx", o.base, b.ID))
		f, err := excelize.OpenReader(bytes.NewReader(x.Body))
		if err != nil {
			t.Fatalf("xlsx: %d %v", x.Status, err)
		}
		if rows, _ := f.GetRows("Sheet1"); len(rows) != 3 || rows[1][9] != "300" {
			t.Errorf("xlsx: %q", rows)
		}
		// Reopened, the member's week still holds invoiced time: locked.
		if r := owner.Post(fmt.Sprintf("%s/timesheets/%d/2026-W45/reopen", o.base, o.mem.ID), map[string]any{"comment": "fix"}); r.Status != http.StatusOK {
			t.Fatalf("reopen: %d %s", r.Status, r.Body)
		}
		var es struct{ Items []timesheet.Entry }
		owner.Get(fmt.Sprintf("%s/time-entries?user=%d&from=2026-11-02&to=2026-11-02", o.base, o.mem.ID)).JSON(t, &es)
		if len(es.Items) != 1 || es.Items[0].InvoiceBatchID == nil || *es.Items[0].InvoiceBatchID != b.ID {
			t.Fatalf("entries: %+v", es.Items)
		}
		path := fmt.Sprintf("%s/time-entries/%d", o.base, es.Items[0].ID)
		if r := e.As(o.mem).Patch(path, map[string]any{"minutes": 30}); r.Status != http.StatusConflict {
			t.Errorf("PATCH of invoiced time: %d %s", r.Status, r.Body)
		}
		if r := e.As(o.mem).Delete(path); r.Status != http.StatusConflict {
			t.Errorf("DELETE of invoiced time: %d %s", r.Status, r.Body)
		}
		// Undo: back in the drafts (at the new rate), changeable; a second undo is a 409.
		if r := owner.Post(fmt.Sprintf("%s/invoice-batches/%d/undo", o.base, b.ID), nil); r.Status != http.StatusOK {
			t.Fatalf("undo: %d %s", r.Status, r.Body)
		}
		if r := owner.Post(fmt.Sprintf("%s/invoice-batches/%d/undo", o.base, b.ID), nil); r.Status != http.StatusConflict {
			t.Errorf("undo again: %d", r.Status)
		}
		if r := e.As(o.mem).Patch(path, map[string]any{"minutes": 30}); r.Status != http.StatusOK {
			t.Errorf("PATCH after undo: %d %s", r.Status, r.Body)
		}
		// The week is open again: its time is no longer approved, so not drafted.
		if d := draft(t, owner, o, co); len(d.Items) != 0 || d.PendingMinutes != 30+60+45 {
			t.Errorf("draft of a reopened week: %+v", d)
		}
		var l struct{ Items []timesheet.InvoiceBatch }
		owner.Get(o.base+"/invoice-batches").JSON(t, &l)
		if len(l.Items) != 1 || l.Items[0].UndoneAt == nil {
			t.Errorf("batches: %+v", l.Items)
		}
	})
}

// Two administrators export the same draft at the same moment: one batch bills the time,
// the other export is refused — no hour is billed twice.
func TestInvoicingConcurrentExports(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		o, co := invoicingOffice(t, e)
		admin := e.NewUser(o.acc, "admin")
		body := map[string]any{"client_id": co, "from": "2026-11-01", "to": "2026-11-30"}
		statuses := make(chan int, 2)
		for _, u := range []*testkit.User{o.owner, admin} {
			go func() { statuses <- e.As(u).Post(o.base+"/invoice-lines/export", body).Status }()
		}
		created := 0
		for range 2 {
			switch st := <-statuses; st {
			case http.StatusCreated:
				created++
			case http.StatusUnprocessableEntity, http.StatusConflict:
			default:
				t.Errorf("an export answered %d", st)
			}
		}
		var l struct{ Items []timesheet.InvoiceBatch }
		e.As(o.owner).Get(o.base+"/invoice-batches").JSON(t, &l)
		if created != 1 || len(l.Items) != 1 || l.Items[0].Minutes != 150 {
			t.Errorf("%d exports passed; batches %+v", created, l.Items)
		}
	})
}
