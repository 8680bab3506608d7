package timesheet_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules/timesheet"
)

// BenchmarkBudget measures GET /api/v1/{slug}/projects/{id}/budget of a project with 20,020
// approved entries (20 people, every day of 143 weeks) and three lines (the total, two job
// roles), on every test database: the sums per person and day, the approved weeks, the rates,
// the lines and the burn-down of 143 weeks. The time is written straight to the tables (the
// API would take minutes to log it); the budget is read through the API.
func BenchmarkBudget(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			acc := e.NewAccount()
			owner := e.As(acc.Owner)
			base := "/api/v1/" + acc.Slug
			var p, dev, pm struct{ ID int64 }
			owner.Post(base+"/projects", map[string]any{"name": "Big project"}).JSON(b, &p)
			owner.Post(base+"/job-roles", map[string]any{"name": "Developer", "cost_rate_minor": 6000}).JSON(b, &dev)
			owner.Post(base+"/job-roles", map[string]any{"name": "Project manager", "cost_rate_minor": 8000}).JSON(b, &pm)
			var people []int64
			for i := range 20 {
				u := e.NewUser(acc, actor.RoleMember)
				people = append(people, u.ID)
				body := map[string]any{"role_id": []int64{dev.ID, pm.ID}[i%2]}
				if i%5 == 0 {
					body["cost_rate_minor"] = 9000
				}
				if r := owner.Put(fmt.Sprintf("%s/users/%d/capacity", base, u.ID), body); r.Status != http.StatusOK {
					b.Fatalf("capacity: %d %s", r.Status, r.Body)
				}
			}
			first := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC) // a Monday
			now := time.Now().UTC()
			var entries []timesheet.Entry
			var weeks []timesheet.WeekRow
			for _, uid := range people {
				for d := range 143 * 7 {
					day := first.AddDate(0, 0, d)
					entries = append(entries, timesheet.Entry{AccountID: acc.ID, UserID: &uid, Date: day.Format(timesheet.DayLayout), Minutes: 60 + d%240, ProjectID: &p.ID, CreatedAt: now, UpdatedAt: now})
					if d%7 == 0 {
						weeks = append(weeks, timesheet.WeekRow{AccountID: acc.ID, UserID: &uid, Week: timesheet.WeekOf(day).String(), State: timesheet.StateApproved, CreatedAt: now, UpdatedAt: now})
					}
				}
			}
			ctx := context.Background()
			for i := 0; i < len(entries); i += 1000 {
				chunk := entries[i:min(i+1000, len(entries))]
				if _, err := e.App.DB.NewInsert().Model(&chunk).Exec(ctx); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := e.App.DB.NewInsert().Model(&weeks).Exec(ctx); err != nil {
				b.Fatal(err)
			}
			lines := fmt.Sprintf("%s/projects/%d/budget-lines", base, p.ID)
			for _, l := range []map[string]any{{"kind": "total", "minutes": 2_000_000, "amount_minor": 300_000_000}, {"kind": "role", "role_id": dev.ID, "minutes": 1_000_000}, {"kind": "role", "role_id": pm.ID, "amount_minor": 150_000_000, "starts_on": "2025-01-01"}} {
				if r := owner.Post(lines, l); r.Status != http.StatusCreated {
					b.Fatalf("line: %d %s", r.Status, r.Body)
				}
			}
			path := fmt.Sprintf("%s/projects/%d/budget", base, p.ID)
			var got timesheet.Budget
			owner.Get(path).JSON(b, &got)
			if got.Totals.SpentMinutes == 0 || got.Totals.PendingMinutes != 0 || len(got.Burn) < 52 {
				b.Fatalf("budget: %+v", got.Totals)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if r := owner.Get(path); r.Status != http.StatusOK {
					b.Fatalf("budget: %d %s", r.Status, r.Body)
				}
			}
		})
	}
}
