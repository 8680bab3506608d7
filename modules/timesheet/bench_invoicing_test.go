package timesheet_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/testkit"
	"groupcamp/modules/timesheet"
)

// BenchmarkInvoicing measures, on every test database, the draft invoice lines of a client
// company over the year of BenchmarkReports (200,000 entries of 50 people on 40 projects, all
// of the company, every week approved), priced by every rule: half the projects have a rate,
// ten people a project rate of their own, 25 people two own bill rates over the year (history
// by day), the others a job role's:
//
//   - draft-month, draft-year: GET /invoice-lines for March (about 15,000 billable entries) and
//     for the whole year (about 150,000);
//   - draft-year-split: the year with split_by=category;
//   - page-month: the invoicing page with March's draft;
//   - export-undo-month: exporting March (marking its entries invoiced) then undoing it.
func BenchmarkInvoicing(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			acc := e.NewAccount()
			owner := e.As(acc.Owner)
			base := "/api/v1/" + acc.Slug
			co := e.ClientCompany(acc)
			var dev struct{ ID int64 }
			owner.Post(base+"/job-roles", map[string]any{"name": "Developer", "bill_rate_minor": 9000}).JSON(b, &dev)
			var people, projects []int64
			for i := range benchPeople {
				u := e.NewUser(acc, actor.RoleMember).ID
				people = append(people, u)
				body := map[string]any{"role_id": dev.ID}
				if i < benchPeople/2 {
					body = map[string]any{"bill_rate_minor": 10000 + i, "bill_rate_from": "2025-01-01"}
				}
				if r := owner.Put(fmt.Sprintf("%s/users/%d/capacity", base, u), body); r.Status != http.StatusOK {
					b.Fatalf("capacity: %d %s", r.Status, r.Body)
				}
				if i < benchPeople/2 {
					owner.Put(fmt.Sprintf("%s/users/%d/capacity", base, u), map[string]any{"bill_rate_minor": 11000 + i, "bill_rate_from": "2025-07-01"})
				}
			}
			for i := range benchProjects {
				var p struct{ ID int64 }
				owner.Post(base+"/projects", map[string]any{"name": fmt.Sprintf("Client project %02d", i+1), "client_company_id": co}).JSON(b, &p)
				projects = append(projects, p.ID)
				if i%2 == 0 {
					owner.Put(fmt.Sprintf("%s/project-rates/%d", base, p.ID), map[string]any{"rate_cents": 12000 + i})
				}
			}
			for i := range 10 {
				owner.Put(fmt.Sprintf("%s/project-rates/%d/people/%d", base, projects[i], people[i]), map[string]any{"rate_cents": 15000})
			}
			var cat struct{ ID int64 }
			owner.Post(base+"/time-categories", map[string]any{"name": "Internal"}).JSON(b, &cat)
			seedYear(b, e, acc, people, projects, cat.ID)
			approveYear(b, e, acc.ID, people)
			e.Settle()

			q := func(from, to string) string {
				return fmt.Sprintf("%s/invoice-lines?client=%d&from=%s&to=%s", base, co, from, to)
			}
			var d timesheet.InvoiceDraft
			owner.Get(q("2025-01-01", "2025-12-31")).JSON(b, &d)
			if d.Entries < benchEntries/2 || d.PendingMinutes != 0 || len(d.Unrated) != 0 {
				b.Fatalf("the year's draft: %d entries, %d pending, unrated %v", d.Entries, d.PendingMinutes, d.Unrated)
			}
			b.Logf("%s: the year's draft: %d entries, %d lines, %d cents", kind, d.Entries, len(d.Items), d.AmountCents)
			get := func(name string, c *testkit.Client, path string) {
				b.Run(name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if r := c.Get(path); r.Status != http.StatusOK {
							b.Fatalf("%s: %d %s", name, r.Status, r.Body)
						}
					}
				})
			}
			get("draft-month", owner, q("2025-03-01", "2025-03-31"))
			get("draft-year", owner, q("2025-01-01", "2025-12-31"))
			get("draft-year-split", owner, q("2025-01-01", "2025-12-31")+"&split_by=category")
			get("page-month", e.BrowserLogin(acc.Owner), fmt.Sprintf("/%s/timesheet/invoicing?client=%d&from=2025-03-01&to=2025-03-31", acc.Slug, co))
			b.Run("export-undo-month", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					r := owner.Post(base+"/invoice-lines/export", map[string]any{"client_id": co, "from": "2025-03-01", "to": "2025-03-31"})
					if r.Status != http.StatusCreated {
						b.Fatalf("export: %d %s", r.Status, r.Body)
					}
					var batch struct{ ID int64 }
					r.JSON(b, &batch)
					if r := owner.Post(fmt.Sprintf("%s/invoice-batches/%d/undo", base, batch.ID), nil); r.Status != http.StatusOK {
						b.Fatalf("undo: %d %s", r.Status, r.Body)
					}
				}
			})
		})
	}
}

// approveYear marks every week of 2025 of the people approved (rows written straight, as the
// workflow would leave them).
func approveYear(b *testing.B, e *testkit.Env, accountID int64, people []int64) {
	b.Helper()
	tn := db.For(e.App.DB, accountID)
	now := time.Now().UTC()
	var rows []timesheet.WeekRow
	for _, u := range people {
		for w := timesheet.WeekOf(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)); w.String() <= "2026-W01"; w = w.Next() {
			uid := u
			rows = append(rows, timesheet.WeekRow{AccountID: accountID, UserID: &uid, Week: w.String(), State: timesheet.StateApproved, CreatedAt: now, UpdatedAt: now, DecidedAt: &now, SubmittedAt: &now})
		}
	}
	if _, err := tn.Insert(&rows).Exec(context.Background()); err != nil {
		b.Fatal(err)
	}
}
