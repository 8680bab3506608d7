package projects_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"testing"

	"github.com/valyala/fasthttp"

	"groupcamp/core/testkit"
	"groupcamp/modules/projects"
)

// BenchmarkTaskInProcess is one task by id as JSON (the load tool's "one task by id"), handed
// straight to the App's Fiber handler: no socket, no HTTP parsing, no client — what is left
// is our request path (credential, membership, capability, scope) and the task's query and
// JSON, so that its allocations are the server's own.
func BenchmarkTaskInProcess(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e, svc := start(b, kind)
			acc := e.NewAccount()
			member := e.NewUser(acc, "member")
			owner := actorFor(b, e, acc.Slug, acc.Owner)
			p, err := svc.CreateProject(context.Background(), owner, projects.ProjectInput{Name: "Big"})
			if err != nil {
				b.Fatal(err)
			}
			ids, _ := seedTasks(b, svc, owner, p.ID, 10, member.ID, acc.Owner.ID, func(l, i int) projects.TaskInput {
				return projects.TaskInput{Description: "Some **Markdown** describing the work.", StartsOn: "2026-03-02", DueOn: "2026-03-06"}
			})
			settle(b, e)
			handler := e.App.Fiber.Handler()
			var req fasthttp.Request
			req.Header.SetMethod(fasthttp.MethodGet)
			req.SetRequestURI(fmt.Sprintf("/api/v1/%s/tasks/%d", acc.Slug, ids[len(ids)/2]))
			req.Header.Set(fasthttp.HeaderAuthorization, "Bearer "+member.Token)
			var ctx fasthttp.RequestCtx
			ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}, nil)
			handler(&ctx)
			if ctx.Response.StatusCode() != http.StatusOK {
				b.Fatalf("GET task: %d %s", ctx.Response.StatusCode(), ctx.Response.Body())
			}
			b.ReportAllocs()
			for b.Loop() {
				ctx.Response.Reset()
				handler(&ctx)
				if ctx.Response.StatusCode() != http.StatusOK {
					b.Fatalf("GET task: %d", ctx.Response.StatusCode())
				}
			}
		})
	}
}

// BenchmarkCreateTaskInProcess is the load tool's "create a task" handed straight to the
// App's handler, and the delivery of its events (activity, search, notices, automation) that
// follows each one: what a create costs the server in all, per op.
func BenchmarkCreateTaskInProcess(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e, svc := start(b, kind)
			acc := e.NewAccount()
			member := e.NewUser(acc, "member")
			owner := actorFor(b, e, acc.Slug, acc.Owner)
			p, err := svc.CreateProject(context.Background(), owner, projects.ProjectInput{Name: "Big"})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := svc.SetMember(context.Background(), owner, p.ID, member.ID, projects.MemberInput{Role: "member"}); err != nil {
				b.Fatal(err)
			}
			_, lists := seedTasks(b, svc, owner, p.ID, 10, member.ID, acc.Owner.ID, func(l, i int) projects.TaskInput { return projects.TaskInput{} })
			settle(b, e)
			handler := e.App.Fiber.Handler()
			var req fasthttp.Request
			req.Header.SetMethod(fasthttp.MethodPost)
			req.SetRequestURI(fmt.Sprintf("/api/v1/%s/projects/%d/tasks", acc.Slug, p.ID))
			req.Header.Set(fasthttp.HeaderAuthorization, "Bearer "+member.Token)
			req.Header.SetContentType("application/json")
			var ctx fasthttp.RequestCtx
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				n++
				req.SetBodyString(fmt.Sprintf(`{"list_id":%d,"title":"Task %d","due_on":"2026-06-30"}`, lists[n%len(lists)], n))
				ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}, nil)
				handler(&ctx)
				if ctx.Response.StatusCode() != http.StatusCreated {
					b.Fatalf("POST task: %d %s", ctx.Response.StatusCode(), ctx.Response.Body())
				}
			}
			settle(b, e)
		})
	}
}
