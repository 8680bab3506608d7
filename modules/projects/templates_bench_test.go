package projects_test

import (
	"context"
	"fmt"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/modules/projects"
)

// BenchmarkCreateFromTemplate measures, on every test database, creating a project from a
// template of 1,000 tasks in 10 lists (each with one or two assignees, a tenth of them
// linked to the task before), dates shifted, through the service: one transaction that copies
// members, lists, tasks, assignees and dependencies and emits task.created and task.assigned
// per task. Run with -benchtime=5x: every iteration adds 1,000 tasks.
func BenchmarkCreateFromTemplate(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e, svc := start(b, kind)
			acc := e.NewAccount()
			member := e.NewUser(acc, "member")
			ctx := context.Background()
			owner := actorFor(b, e, acc.Slug, acc.Owner)
			tpl, err := svc.CreateProject(ctx, owner, projects.ProjectInput{Name: "Template", StartsOn: "2026-03-02", IsTemplate: true})
			if err != nil {
				b.Fatal(err)
			}
			ids, _ := seedTasks(b, svc, owner, tpl.ID, 10, member.ID, acc.Owner.ID, func(l, i int) projects.TaskInput {
				return projects.TaskInput{StartsOn: "2026-03-02", DueOn: "2026-03-06"}
			})
			for i := 10; i < len(ids); i += 10 {
				if _, _, err := svc.AddDependency(ctx, owner, ids[i], projects.DependencyInput{PredecessorID: ids[i-1]}); err != nil {
					b.Fatal(err)
				}
			}
			settle(b, e)
			n := 0
			b.ReportAllocs()
			for b.Loop() {
				n++
				p, err := svc.CreateProject(ctx, owner, projects.ProjectInput{Name: fmt.Sprintf("Copy %d", n), TemplateID: tpl.ID, StartsOn: "2026-06-01"})
				if err != nil || p.Counts.Tasks != len(ids) {
					b.Fatalf("copy: %v (%d tasks)", err, p.Counts.Tasks)
				}
			}
		})
	}
}
