package projects_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/modules/projects"
)

// BenchmarkPages measures, on every test database, the Kanban page (HTML), the Gantt SVG, the
// Gantt page (the chart inlined, bars linked to their date forms) and the month calendar of a
// project of 1,000 tasks in 10 lists (one or two assignees each, a tenth of them dependent on
// the task before, a third in progress, two custom columns, labels on a quarter and
// checklists on a fifth; all of them in March and April 2026), through the whole stack of a
// real App over loopback as its manager. Aims: board under 15 ms/op, Gantt (SVG and page)
// under 40 ms/op, calendar under 40 ms/op.
func BenchmarkPages(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e, svc := start(b, kind)
			acc := e.NewAccount()
			member := e.NewUser(acc, "member")
			ctx := context.Background()
			owner := actorFor(b, e, acc.Slug, acc.Owner)
			p, err := svc.CreateProject(ctx, owner, projects.ProjectInput{Name: "Big", StartsOn: "2026-03-02", EndsOn: "2026-09-30"})
			if err != nil {
				b.Fatal(err)
			}
			ids, _ := seedTasks(b, svc, owner, p.ID, 10, member.ID, acc.Owner.ID, func(l, i int) projects.TaskInput {
				day := 2 + (l*100+i)%25
				return projects.TaskInput{StartsOn: fmt.Sprintf("2026-03-%02d", day), DueOn: fmt.Sprintf("2026-04-%02d", day)}
			})
			inProgress := projects.StatusInProgress
			for i, id := range ids {
				if i%3 == 0 {
					if _, err := svc.UpdateTask(ctx, owner, id, projects.TaskPatch{Status: &inProgress}); err != nil {
						b.Fatal(err)
					}
				}
				if i%10 == 5 {
					if _, _, err := svc.AddDependency(ctx, owner, id, projects.DependencyInput{PredecessorID: ids[i-1]}); err != nil {
						b.Fatal(err)
					}
				}
			}
			seedDetails(b, svc, owner, p.ID, ids) // custom columns, labels, checklists (taskdetails_test.go)
			c := e.As(acc.Owner)
			for _, bc := range []struct{ name, path string }{
				{"board", fmt.Sprintf("/%s/projects/%d/board", acc.Slug, p.ID)},
				{"gantt_svg", fmt.Sprintf("/%s/projects/%d/gantt.svg?scale=week", acc.Slug, p.ID)},
				{"gantt_page", fmt.Sprintf("/%s/projects/%d/gantt?scale=week", acc.Slug, p.ID)},
				{"calendar", fmt.Sprintf("/%s/projects/%d/calendar?month=2026-03", acc.Slug, p.ID)},
			} {
				b.Run(bc.name, func(b *testing.B) {
					var size int
					for b.Loop() {
						r := c.Get(bc.path)
						if r.Status != http.StatusOK {
							b.Fatalf("%s: %d", bc.path, r.Status)
						}
						size = len(r.Body)
					}
					b.ReportMetric(float64(size)/1024, "KiB/op")
				})
			}
		})
	}
}
