package planning_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"syscall"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules/planning"
)

// bigPlan is an account of 200 colleagues with 10,000 allocations and 2,000 approved leaves
// over 26 weeks from 2027-01-04 (the heatmap benchmark).
type bigPlan struct {
	o         *office
	resources []int64
}

const (
	benchPeople      = 200
	benchAllocations = 10_000
	benchAbsences    = 2_000
	benchTasks       = 2_000 // dated tasks of the projects module, one assignee each
	benchFrom        = "2027-01-04"
	benchTo          = "2027-07-04" // 26 weeks
)

// seedBig makes the people through the API (invited: colleagues), then writes the allocations
// and leave in bulk (through the API they would take minutes; the reads are what is measured).
func seedBig(b testing.TB, e *testkit.Env) *bigPlan {
	o := newOffice(b, e)
	owner := e.As(o.owner)
	for i := 0; len(o.peopleIDs(b)) < benchPeople; i++ {
		r := owner.Post(o.base+"/users", map[string]any{"name": fmt.Sprintf("Person %03d", i), "email": fmt.Sprintf("p%03d@%s.test", i, o.acc.Slug), "role": actor.RoleMember})
		if r.Status != http.StatusCreated {
			b.Fatalf("invite: %d %s", r.Status, r.Body)
		}
	}
	p := &bigPlan{o: o}
	var l struct{ Items []struct{ ID int64 } }
	owner.Get(o.base+"/resources").JSON(b, &l)
	for _, r := range l.Items {
		p.resources = append(p.resources, r.ID)
	}
	users := o.peopleIDs(b)
	typ := o.holiday(b)
	rng := rand.New(rand.NewPCG(1, 2))
	start, _ := time.Parse(time.DateOnly, benchFrom)
	now := time.Now().UTC()
	als := make([]planning.Allocation, 0, benchAllocations)
	for range benchAllocations {
		s := start.AddDate(0, 0, rng.IntN(26*7))
		en := s.AddDate(0, 0, rng.IntN(10))
		al := planning.Allocation{AccountID: o.acc.ID, ResourceID: p.resources[rng.IntN(len(p.resources))], ProjectID: o.project,
			StartsOn: s.Format(time.DateOnly), EndsOn: en.Format(time.DateOnly), LastOn: en.Format(time.DateOnly), Tentative: rng.IntN(5) == 0, CreatedAt: now, UpdatedAt: now}
		if rng.IntN(4) == 0 {
			al.Percent = 10 * (1 + rng.IntN(5))
		} else {
			al.MinutesPerDay = 60 * (1 + rng.IntN(4))
		}
		als = append(als, al)
	}
	abs := make([]planning.Absence, 0, benchAbsences)
	for range benchAbsences {
		s := start.AddDate(0, 0, rng.IntN(26*7))
		abs = append(abs, planning.Absence{AccountID: o.acc.ID, UserID: users[rng.IntN(len(users))], TypeID: typ, StartsOn: s.Format(time.DateOnly),
			EndsOn: s.AddDate(0, 0, rng.IntN(3)).Format(time.DateOnly), State: planning.StateApproved, CreatedAt: now, UpdatedAt: now})
	}
	ctx := context.Background()
	for i := 0; i < len(als); i += 500 {
		chunk := als[i:min(i+500, len(als))]
		if _, err := e.App.DB.NewInsert().Model(&chunk).Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	for i := 0; i < len(abs); i += 500 {
		chunk := abs[i:min(i+500, len(abs))]
		if _, err := e.App.DB.NewInsert().Model(&chunk).Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	// Dated tasks with an estimate (the workload counts them apart): written in bulk too.
	list := o.created(b, owner, fmt.Sprintf("/projects/%d/lists", o.project), map[string]any{"name": "Bench"})
	for range benchTasks {
		s := start.AddDate(0, 0, rng.IntN(26*7))
		var id int64
		if err := e.App.DB.NewRaw("INSERT INTO tasks (account_id, project_id, list_id, title, starts_on, due_on, created_at, updated_at) VALUES (?, ?, ?, 'Task', ?, ?, ?, ?) RETURNING id",
			o.acc.ID, o.project, list, s.Format(time.DateOnly), s.AddDate(0, 0, rng.IntN(15)).Format(time.DateOnly), now, now).Scan(ctx, &id); err != nil {
			b.Fatal(err)
		}
		if _, err := e.App.DB.NewRaw("INSERT INTO task_assignees (account_id, task_id, user_id, estimate_minutes) VALUES (?, ?, ?, ?)",
			o.acc.ID, id, users[rng.IntN(len(users))], 60*(1+rng.IntN(16))).Exec(ctx); err != nil {
			b.Fatal(err)
		}
	}
	return p
}

// cpuTime is the CPU time the process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peopleIDs are the ids of the account's colleagues (no client).
func (o *office) peopleIDs(t testing.TB) []int64 {
	var ids []int64
	if err := o.e.App.DB.NewSelect().Table("memberships").Column("user_id").Where("account_id = ? AND role <> 'client'", o.acc.ID).OrderExpr("user_id").Scan(context.Background(), &ids); err != nil {
		t.Fatal(err)
	}
	return ids
}

// BenchmarkWorkload is the heatmap of 200 people × 26 weeks (and × 12 weeks) over 10,000
// allocations, 2,000 absences and 2,000 dated tasks, through the API (query, sweep, JSON), on every test database. Target: < 100 ms.
// BenchmarkWorkload/*/availability is the availability search over the same data (< 50 ms).
func BenchmarkWorkload(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			p := seedBig(b, e)
			c := e.As(p.o.mgr)
			run := func(name, path string, check func(*testkit.Response)) {
				b.Run(name, func(b *testing.B) {
					b.ReportAllocs()
					cpu := cpuTime()
					for b.Loop() {
						r := c.Get(p.o.base + path)
						if r.Status != http.StatusOK {
							b.Fatalf("%s: %d %s", path, r.Status, r.Body)
						}
						check(r)
					}
					// The process's CPU time per request (the server, the client and its JSON
					// decoding; not PostgreSQL's): on a loaded machine ns/op is mostly waiting.
					b.ReportMetric(float64(cpuTime()-cpu)/1e6/float64(b.N), "cpu-ms/op")
				})
			}
			run("workload", "/workload?from="+benchFrom+"&to="+benchTo, func(r *testkit.Response) {
				var w workload
				r.JSON(b, &w)
				if len(w.Resources) < benchPeople || len(w.Weeks) != 26 || len(w.Conflicts) == 0 {
					b.Fatalf("workload: %d resources, %d weeks, %d conflicts", len(w.Resources), len(w.Weeks), len(w.Conflicts))
				}
			})
			// The brief's view: 200 people × 12 weeks.
			run("workload12w", "/workload?from="+benchFrom+"&to=2027-03-28", func(r *testkit.Response) {
				var w workload
				r.JSON(b, &w)
				tasks := 0
				for _, r := range w.Resources {
					for _, wk := range r.Weeks {
						tasks += wk.Tasks
					}
				}
				if len(w.Resources) < benchPeople || len(w.Weeks) != 12 || tasks == 0 {
					b.Fatalf("workload: %d resources, %d weeks, %d task minutes", len(w.Resources), len(w.Weeks), tasks)
				}
			})
			run("availability", "/availability?from=2027-03-01&to=2027-03-12&minutes=960", func(r *testkit.Response) {
				var av struct {
					Items []struct {
						FreeMinutes int `json:"free_minutes"`
					}
				}
				r.JSON(b, &av)
				if len(av.Items) == 0 || av.Items[0].FreeMinutes < 960 {
					b.Fatalf("availability: %+v", av.Items)
				}
			})
		})
	}
}
