package projects_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/testkit"
	"groupcamp/modules/projects"
)

// BenchmarkProjects measures, on every test database, a project of 5,000 tasks in 50 lists
// (each task with one or two assignees, a tenth of them linked to the task before):
//
//   - task_page: one page of 50 tasks as JSON, from the middle of the project (a cursor);
//   - task: one task as JSON;
//   - create_task: a new task with an assignee;
//   - service_task_page: the same page through the service alone (no HTTP, no JSON).
//
// The HTTP ones run the whole stack of a real App (authentication, membership, Casbin, scope)
// over loopback; their allocations count the test client too. The project is seeded through
// the service, in one transaction (ImportTasks).
func BenchmarkProjects(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e, svc := start(b, kind)
			acc := e.NewAccount()
			member := e.NewUser(acc, "member")
			ctx := context.Background()
			owner := actorFor(b, e, acc.Slug, acc.Owner)
			p, err := svc.CreateProject(ctx, owner, projects.ProjectInput{Name: "Big"})
			if err != nil {
				b.Fatal(err)
			}
			ids, lists := seedTasks(b, svc, owner, p.ID, 50, member.ID, acc.Owner.ID, func(l, i int) projects.TaskInput {
				return projects.TaskInput{Description: "Some **Markdown** describing the work.", StartsOn: "2026-03-02", DueOn: "2026-03-06"}
			})
			for i := 10; i < len(ids); i += 10 {
				if _, _, err := svc.AddDependency(ctx, owner, ids[i], projects.DependencyInput{PredecessorID: ids[i-1]}); err != nil {
					b.Fatal(err)
				}
			}
			settle(b, e)
			base := "/api/v1/" + acc.Slug
			pagePath := fmt.Sprintf("%s/projects/%d/tasks?limit=50&cursor=%s", base, p.ID, api.Cursor(ids[2500]))
			c := e.As(member)

			b.Run("task_page", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := c.Get(pagePath); r.Status != http.StatusOK || len(r.Body) < 10000 {
						b.Fatalf("page: %d %.200s", r.Status, r.Body)
					}
				}
			})
			taskPath := fmt.Sprintf("%s/tasks/%d", base, ids[2510])
			b.Run("task", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := c.Get(taskPath); r.Status != http.StatusOK {
						b.Fatalf("task: %d %s", r.Status, r.Body)
					}
				}
			})
			createPath := fmt.Sprintf("%s/projects/%d/tasks", base, p.ID)
			body := map[string]any{"list_id": lists[0], "title": "A new task", "due_on": "2026-03-13",
				"assignees": []map[string]any{{"user_id": member.ID, "estimate_minutes": 90}}}
			b.Run("create_task", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := c.Post(createPath, body); r.Status != http.StatusCreated {
						b.Fatalf("create: %d %s", r.Status, r.Body)
					}
				}
			})
			reader := actorFor(b, e, acc.Slug, member)
			pg := api.Page{Limit: 50, After: ids[2500]}
			b.Run("service_task_page", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if list, err := svc.Tasks(ctx, reader, p.ID, projects.TaskFilter{}, pg); err != nil || len(list.Items) != 50 {
						b.Fatalf("service page: %d %v", len(list.Items), err)
					}
				}
			})
		})
	}
}

// settle waits until the background work of the seed is done (its events relayed and their
// subscribers run), so that it does not compete with what is measured.
func settle(b *testing.B, e *testkit.Env) {
	b.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		pending, err := e.App.Events.Pending(ctx)
		if err != nil {
			b.Fatal(err)
		}
		busy := pending
		for q := range e.App.Jobs.Queues() {
			if info, err := e.App.Jobs.Inspector.GetQueueInfo(q); err == nil {
				busy += info.Pending + info.Active + info.Retry
			}
		}
		if busy == 0 {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.Fatal("the background work of the seed did not finish in 5 minutes")
}

// seedTasks fills a project with lists of 100 tasks each, through the service in one
// transaction: every task is assigned to memberID, every other one to ownerID too, and shape
// gives the rest of each task (dates, description) from its list and position. It returns
// the task ids and the list ids, in order.
func seedTasks(b *testing.B, svc *projects.Service, owner *actor.Actor, projectID int64, lists int, memberID, ownerID int64,
	shape func(l, i int) projects.TaskInput) (ids, listIDs []int64) {
	ctx := context.Background()
	var in []projects.TaskInput
	for l := range lists {
		list, err := svc.CreateList(ctx, owner, projectID, projects.ListInput{Name: fmt.Sprintf("List %02d", l)})
		if err != nil {
			b.Fatal(err)
		}
		listIDs = append(listIDs, list.ID)
		for i := range 100 {
			t := shape(l, i)
			t.ListID, t.Title = list.ID, fmt.Sprintf("Task %d of list %d", i, l)
			t.Assignees = []projects.AssigneeInput{{UserID: memberID, EstimateMinutes: 60}}
			if i%2 == 0 {
				t.Assignees = append(t.Assignees, projects.AssigneeInput{UserID: ownerID, EstimateMinutes: 30})
			}
			in = append(in, t)
		}
	}
	ids, err := svc.ImportTasks(ctx, owner, projectID, in)
	if err != nil {
		b.Fatal(err)
	}
	return ids, listIDs
}
