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

// Report benchmark sizes: a year of time of 50 people on 40 projects and a category.
const (
	benchEntries  = 200_000
	benchPeople   = 50
	benchProjects = 40
	benchBatch    = 2_000 // rows per INSERT
)

// seedYear writes benchEntries entries of 2025 straight into time_entries (one multi-row
// INSERT per benchBatch rows: the API would take minutes), spread over the people, the
// projects and the working days; one in eight on the category, one in four non-billable.
func seedYear(b *testing.B, e *testkit.Env, acc *testkit.Account, people, projects []int64, cat int64) {
	b.Helper()
	tn := db.For(e.App.DB, acc.ID)
	var days []string
	for d := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() == 2025; d = d.AddDate(0, 0, 1) {
		if d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
			days = append(days, d.Format(timesheet.DayLayout))
		}
	}
	now := time.Now().UTC()
	rows := make([]timesheet.Entry, 0, benchBatch)
	for i := range benchEntries {
		u := people[i%len(people)]
		e := timesheet.Entry{AccountID: acc.ID, UserID: &u, Date: days[(i/len(people))%len(days)], Minutes: 15 + (i%8)*15,
			Billable: i%4 != 0, Note: "bench", CreatedAt: now, UpdatedAt: now}
		if i%8 == 7 {
			e.CategoryID, e.Billable = &cat, false
		} else {
			p := projects[(i/7)%len(projects)]
			e.ProjectID = &p
		}
		rows = append(rows, e)
		if len(rows) == benchBatch || i == benchEntries-1 {
			if _, err := tn.Insert(&rows).Exec(context.Background()); err != nil {
				b.Fatal(err)
			}
			rows = rows[:0]
		}
	}
	if _, err := e.App.DB.ExecContext(context.Background(), "ANALYZE time_entries"); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkReports measures, on every test database, reports over one year of 200,000
// entries of 50 people on 40 projects (as the owner, who reads all of it):
//
//   - project-user: GET /reports/time?group_by=project&then_by=user for the year (the target:
//     under 200 ms);
//   - month: the same year by month;
//   - csv: the project × person report as CSV;
//   - page: the reports page of the year by project (HTML, chart and planned against actual).
func BenchmarkReports(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			acc := e.NewAccount()
			owner := e.As(acc.Owner)
			base := "/api/v1/" + acc.Slug
			var people, projects []int64
			for range benchPeople {
				people = append(people, e.NewUser(acc, actor.RoleMember).ID)
			}
			for i := range benchProjects {
				var p struct{ ID int64 }
				owner.Post(base+"/projects", map[string]any{"name": fmt.Sprintf("Client project %02d", i+1)}).JSON(b, &p)
				projects = append(projects, p.ID)
			}
			var cat struct{ ID int64 }
			owner.Post(base+"/time-categories", map[string]any{"name": "Internal"}).JSON(b, &cat)
			seedYear(b, e, acc, people, projects, cat.ID)
			e.Settle() // the background work of the seed (invitations, events) done before measuring
			year := "from=2025-01-01&to=2025-12-31"
			var rep timesheet.TimeReport
			owner.Get(base+"/reports/time?group_by=project&then_by=user&"+year).JSON(b, &rep)
			if rep.Totals.Entries != benchEntries || len(rep.Rows) != benchProjects+1 {
				b.Fatalf("the year's report: %d entries, %d rows", rep.Totals.Entries, len(rep.Rows))
			}
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
			get("project-user", owner, base+"/reports/time?group_by=project&then_by=user&"+year)
			get("month", owner, base+"/reports/time?group_by=month&"+year)
			get("csv", owner, "/"+acc.Slug+"/reports/time.csv?group_by=project&then_by=user&"+year)
			get("page", e.BrowserLogin(acc.Owner), "/"+acc.Slug+"/timesheet/reports?preset=custom&group_by=project&"+year)
		})
	}
}
