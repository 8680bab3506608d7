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

// BenchmarkCreateCapped measures logging one entry (a day of its own each time, 1:30) through
// the API, on every test database:
//
//   - default: a person under the account's default profile (no caps: the profile is read,
//     no sum is made);
//   - capped: a person under a profile capping the day (10 h) and the week (45 h), with an
//     earlier change of profile in their history: both sums are made in the write's
//     transaction.
//
// BenchmarkTimesheet/create is the same path; before the caps it made neither read.
func BenchmarkCreateCapped(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			acc := e.NewAccount()
			owner := e.As(acc.Owner)
			base := "/api/v1/" + acc.Slug
			var p struct{ ID int64 }
			owner.Post(base+"/projects", map[string]any{"name": "Client project"}).JSON(b, &p)
			var part, capped struct{ ID int64 }
			owner.Post(base+"/capacity-profiles", map[string]any{"name": "Part time", "day_minutes": []int{240, 240, 240, 240, 240, 0, 0}}).JSON(b, &part)
			owner.Post(base+"/capacity-profiles", map[string]any{"name": "Capped", "day_minutes": []int{480, 480, 480, 480, 480, 0, 0}, "max_day_minutes": 600, "max_week_minutes": 2700}).JSON(b, &capped)
			free, limited := e.NewUser(acc, actor.RoleMember), e.NewUser(acc, actor.RoleMember)
			for _, a := range []map[string]any{{"profile_id": part.ID, "starts_on": "2026-01-05"}, {"profile_id": capped.ID, "starts_on": "2027-01-04"}} {
				if r := owner.Put(fmt.Sprintf("%s/users/%d/capacity", base, limited.ID), a); r.Status != http.StatusOK {
					b.Fatalf("assign: %d %s", r.Status, r.Body)
				}
			}
			for _, c := range []struct {
				name string
				u    *testkit.User
			}{{"default", free}, {"capped", limited}} {
				b.Run(c.name, func(b *testing.B) {
					b.ReportAllocs()
					cl := e.As(c.u)
					day := time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC)
					for b.Loop() {
						day = day.AddDate(0, 0, 1)
						r := cl.Post(base+"/time-entries", map[string]any{"date": day.Format(timesheet.DayLayout), "duration": "1:30", "project_id": p.ID})
						if r.Status != http.StatusCreated {
							b.Fatalf("create: %d %s", r.Status, r.Body)
						}
					}
				})
			}
		})
	}
}
