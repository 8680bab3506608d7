package privacy_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// BenchmarkPrivacy measures, on every test database, a person who leads a project of 300
// tasks, is assigned all of them and wrote a comment on each (300 comments), with 300
// notifications:
//
//   - report: their access report as JSON (every provider's Describe with counts);
//   - export: building their whole archive (every provider's Export, zipped), the job's body;
//   - erasure: erasing a deactivated person with the same data, through every provider (each
//     iteration seeds a fresh person outside the timer).
func BenchmarkPrivacy(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			svc := service(b, e)
			ctx := context.Background()
			acc := e.NewAccount()
			owner := e.As(acc.Owner)
			base := "/api/v1/" + acc.Slug
			seed := func(b *testing.B) *testkit.User {
				u := e.NewUser(acc, actor.RoleMember)
				c := e.As(u)
				var p, l struct{ ID int64 }
				owner.Post(base+"/projects", map[string]any{"name": fmt.Sprintf("Bench %d", u.ID), "leader_id": u.ID}).JSON(b, &p)
				owner.Post(fmt.Sprintf("%s/projects/%d/lists", base, p.ID), map[string]any{"name": "Work"}).JSON(b, &l)
				for i := 0; i < 300; i++ {
					var task struct{ ID int64 }
					r := owner.Post(fmt.Sprintf("%s/projects/%d/tasks", base, p.ID), map[string]any{"list_id": l.ID, "title": fmt.Sprintf("Task %d", i),
						"assignees": []map[string]any{{"user_id": u.ID}}})
					if r.Status != http.StatusCreated {
						b.Fatalf("task: %d %s", r.Status, r)
					}
					r.JSON(b, &task)
					c.Post(fmt.Sprintf("%s/tasks/%d/comments", base, task.ID), map[string]any{"body": "Done, see the notes."})
				}
				e.Settle()
				return u
			}
			u := seed(b)
			c := e.As(u)
			svc.Hold(true)
			defer svc.Hold(false)
			b.Run("report", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := c.Get(base + "/me/personal-data"); r.Status != http.StatusOK {
						b.Fatalf("report: %d", r.Status)
					}
				}
			})
			b.Run("export", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					var ex struct{ ID int64 }
					c.Post(base+"/me/exports", nil).JSON(b, &ex)
					if err := svc.RunExport(ctx, acc.ID, ex.ID); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("erasure", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					b.StopTimer()
					v := seed(b)
					owner.Delete(fmt.Sprintf("%s/users/%d", base, v.ID))
					var req struct{ ID int64 }
					owner.Post(fmt.Sprintf("%s/users/%d/erasure", base, v.ID), map[string]any{"immediately": true}).JSON(b, &req)
					b.StartTimer()
					if err := svc.RunErasure(ctx, acc.ID, req.ID); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
