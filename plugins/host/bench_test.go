package host_test

import (
	"context"
	"net/http"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/plugins/host"
)

// BenchmarkPlugins measures, on every test database, with the real example binaries:
//
//   - portal: the client's plugin page with the status report enabled (a project with a
//     milestone and its tasks) — the page, the plugin call over gRPC, its four Host API calls
//     back over the broker (projects, what the client sees, milestones, tasks), the sanitizing;
//   - portal-none: the same page with no plugin enabled, so the difference is the plugin's cost;
//   - section: the plugin call alone (Supervisor.RenderSection with its Host API calls, no page).
func BenchmarkPlugins(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			o := newOffice(b, e)
			other := newOffice(b, e)
			cli, none := e.As(o.cli), e.As(other.cli)
			page := "/" + o.acc.Slug + "/portal/plugins"
			o.enable(b, "status-report", nil, nil)
			if r := cli.Get(page); r.Status != http.StatusOK {
				b.Fatalf("portal: %d", r.Status)
			}
			b.Run("portal", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := cli.Get(page); r.Status != http.StatusOK {
						b.Fatalf("portal: %d", r.Status)
					}
				}
			})
			b.Run("portal-none", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := none.Get("/" + other.acc.Slug + "/portal/plugins"); r.Status != http.StatusOK {
						b.Fatalf("portal: %d", r.Status)
					}
				}
			})
			svc := service(b, e)
			sc := host.Scope{AccountID: o.acc.ID, Slug: o.acc.Slug, Granted: []string{"projects.read", "tasks.read"}}
			b.Run("section", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := svc.Sup.RenderSection(context.Background(), "status-report", "status", sc); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
