package timesheet_test

import (
	"fmt"
	"net/http"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// BenchmarkTeamView measures, on every test database, the team view of a manager whose team
// holds 50 people, each with a full week (Monday to Friday, two entries a day), one of them
// submitted:
//
//   - page: /{slug}/timesheet/team?week= (HTML, as the manager);
//   - api: GET /api/v1/{slug}/timesheets?week= (JSON).
func BenchmarkTeamView(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			acc := e.NewAccount()
			owner := e.As(acc.Owner)
			base := "/api/v1/" + acc.Slug
			var p, team struct{ ID int64 }
			owner.Post(base+"/projects", map[string]any{"name": "Client project"}).JSON(b, &p)
			owner.Post(base+"/teams", map[string]any{"name": "Delivery"}).JSON(b, &team)
			mgr := e.NewUser(acc, actor.RoleManager)
			owner.Put(fmt.Sprintf("%s/teams/%d/members/%d", base, team.ID, mgr.ID), nil)
			const week = "2026-W49"
			days := []string{"2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"}
			for i := range 50 {
				u := e.NewUser(acc, actor.RoleMember)
				if r := owner.Put(fmt.Sprintf("%s/teams/%d/members/%d", base, team.ID, u.ID), nil); r.Status != http.StatusNoContent {
					b.Fatalf("team: %d %s", r.Status, r.Body)
				}
				c := e.As(u)
				for _, d := range days {
					for _, m := range []int{300, 150} {
						if r := c.Post(base+"/time-entries", map[string]any{"date": d, "minutes": m, "project_id": p.ID}); r.Status != http.StatusCreated {
							b.Fatalf("seed: %d %s", r.Status, r.Body)
						}
					}
				}
				if i == 0 {
					c.Post(fmt.Sprintf("%s/timesheets/%d/%s/submit", base, u.ID, week), nil)
				}
			}
			browser := e.BrowserLogin(mgr)
			m := e.As(mgr)
			b.Run("page", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := browser.Get("/" + acc.Slug + "/timesheet/team?week=" + week); r.Status != http.StatusOK {
						b.Fatalf("team page: %d", r.Status)
					}
				}
			})
			b.Run("api", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := m.Get(base + "/timesheets?week=" + week); r.Status != http.StatusOK {
						b.Fatalf("team api: %d", r.Status)
					}
				}
			})
		})
	}
}
