package timesheet_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules/timesheet"
)

// BenchmarkTimesheet measures, on every test database, a member with half a year of time —
// 26 weeks, Monday to Friday, 4 entries a day on 8 projects and a category (520 entries) —
// in an account whose projects module holds those 8 projects:
//
//   - grid: the weekly grid page of one of their weeks (HTML, as the person);
//   - week: the same week through the API;
//   - create: logging one entry (each on a day of its own, so no day passes 24 hours).
func BenchmarkTimesheet(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			acc := e.NewAccount()
			owner := e.As(acc.Owner)
			base := "/api/v1/" + acc.Slug
			u := e.NewUser(acc, actor.RoleMember)
			c := e.As(u)
			var projects []int64
			for i := range 8 {
				var p struct{ ID int64 }
				owner.Post(base+"/projects", map[string]any{"name": fmt.Sprintf("Client project %d", i+1)}).JSON(b, &p)
				projects = append(projects, p.ID)
			}
			var cat struct{ ID int64 }
			owner.Post(base+"/time-categories", map[string]any{"name": "Internal"}).JSON(b, &cat)
			first, _ := timesheet.ParseWeek("2026-W23")
			w := first
			for i := range 26 {
				for d, day := range w.Days()[:5] {
					for j := range 4 {
						body := map[string]any{"date": day, "duration": "1h45", "project_id": projects[(i+d+j)%len(projects)], "note": "Work"}
						if j == 3 {
							body = map[string]any{"date": day, "duration": "1h45", "category_id": cat.ID}
						}
						if r := c.Post(base+"/time-entries", body); r.Status != http.StatusCreated {
							b.Fatalf("seed: %d %s", r.Status, r.Body)
						}
					}
				}
				w = w.Next()
			}
			week := first.Next().Next().String()
			browser := e.BrowserLogin(u)
			page := fmt.Sprintf("/%s/timesheet/%d/%s", acc.Slug, u.ID, week)
			b.Run("grid", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := browser.Get(page); r.Status != http.StatusOK {
						b.Fatalf("grid: %d", r.Status)
					}
				}
			})
			b.Run("week", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := c.Get(fmt.Sprintf("%s/timesheets/%d/%s", base, u.ID, week)); r.Status != http.StatusOK {
						b.Fatalf("week: %d", r.Status)
					}
				}
			})
			b.Run("create", func(b *testing.B) {
				b.ReportAllocs()
				day := time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
				for b.Loop() {
					day = day.AddDate(0, 0, 1)
					r := c.Post(base+"/time-entries", map[string]any{"date": day.Format(timesheet.DayLayout), "duration": "1:30", "project_id": projects[0]})
					if r.Status != http.StatusCreated {
						b.Fatalf("create: %d %s", r.Status, r.Body)
					}
				}
			})
		})
	}
}
