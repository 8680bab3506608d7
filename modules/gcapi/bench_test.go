package gcapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"groupcamp/core/testkit"
	"groupcamp/modules/gcapi"
)

// BenchmarkGCAPI measures, on every test database, with an account of 200 tasks and 10,000
// time logs of the last 30 days:
//
//   - sign: the signature alone (HMAC-SHA1 of a typical request);
//   - task: one signed reporting call end to end — GET /task/v1/task/{id} over HTTP: the key
//     looked up and its secret opened, the signature checked, the throttle, the acting person
//     (cached), the task with its list, milestone, people and time;
//   - timelogs10k: a script paging through the 10,000 time logs of the account-wide listing
//     (the "full" mechanism: 20 pages of 500, the first request reads and keeps them all).
func BenchmarkGCAPI(b *testing.B) {
	b.Run("sign", func(b *testing.B) {
		secret := []byte("0123456789abcdefghijklmnopqrstuvwxyzABCD")
		body := []byte(`{"name": "Website relaunch", "access": "invite"}`)
		b.ReportAllocs()
		for b.Loop() {
			gcapi.Sign(secret, "POST", "/core/v1/group/project", body)
		}
	})
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			mods := options()
			for _, m := range mods.Modules {
				if g, ok := m.(*gcapi.Module); ok {
					g.PerSecond, g.Burst = 1e9, 1e9 // the bench measures the work, not the throttle
					g.FullPageSize = 0              // the default
				}
			}
			e := testkit.Start(b, kind, mods)
			w := newWorld(b, e)
			w.prov.t, w.rep.t = b, b
			gid := w.prov.call("POST", "/core/v1/group/project", `{"name": "Bench"}`).want(b, http.StatusOK).result(b)["id"].(string)
			p := "/projects/" + gid
			lid := idOf(w.api(b, "POST", p+"/lists", map[string]any{"name": "Work"}, http.StatusCreated))
			var tid string
			for i := 0; i < 200; i++ {
				tid = idOf(w.api(b, "POST", p+"/tasks", map[string]any{"list_id": num(lid), "title": fmt.Sprintf("Task %d", i),
					"assignees": []map[string]any{{"user_id": w.member.ID, "estimate_minutes": 120}}}, http.StatusCreated))
			}
			seedEntries(b, e, w, num(gid), num(tid), 10000)
			b.Run("task", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					w.rep.call("GET", "/task/v1/task/"+tid, "").want(b, http.StatusOK)
				}
			})
			end := time.Now().UTC()
			q := "?start=" + end.AddDate(0, 0, -29).Format(time.DateOnly) + "&end=" + end.Format(time.DateOnly)
			b.Run("timelogs10k", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					a := w.rep.call("GET", "/track/v1/timelogs"+q, "").want(b, http.StatusOK)
					n := len(a.list(b))
					for {
						next, ok := a.Body["next_page"].(string)
						if !ok {
							break
						}
						a = w.rep.next(next).want(b, http.StatusOK)
						n += len(a.list(b))
					}
					if n != 10000 {
						b.Fatalf("%d time logs paged through", n)
					}
				}
			})
		})
	}
}

// seedEntries writes n time entries of the owner on the project (the last on the task), over
// the last 30 days, straight into the table: the API would take minutes for 10,000.
func seedEntries(b *testing.B, e *testkit.Env, w *world, projectID, taskID int64, n int) {
	b.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	const batch = 500
	for i := 0; i < n; i += batch {
		q := "INSERT INTO time_entries (account_id, user_id, day, minutes, project_id, task_id, billable, note, created_at, updated_at) VALUES "
		var args []any
		for j := i; j < min(i+batch, n); j++ {
			if j > i {
				q += ", "
			}
			q += "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
			args = append(args, w.acc.ID, w.acc.Owner.ID, now.AddDate(0, 0, -(j%30)).Format(time.DateOnly), 30+j%60, projectID, taskID, j%2 == 0,
				"Entry "+strconv.Itoa(j), now, now)
		}
		if _, err := e.App.DB.ExecContext(ctx, q, args...); err != nil {
			b.Fatal(err)
		}
	}
}
