package extranet_test

import (
	"fmt"
	"net/http"
	"testing"

	"groupcamp/core/testkit"
)

// BenchmarkPortal measures, on every test database, as a client of a company with 20 projects
// (a client member of each) and 500 deliverables spread over them, a third decided:
//
//   - portal: the portal's home (sections, figures, what waits);
//   - projects: the portal's projects section (/projects as the client sees it);
//   - list: the deliverables API, a page of 200 of the 500;
//   - page: the client's deliverables page (the first 50).
func BenchmarkPortal(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			o := newOffice(b, e)
			owner, mem := e.As(o.owner), e.As(o.mem)
			var projects []int64
			for i := range 20 {
				p := o.created(b, owner, "/projects", map[string]any{"name": fmt.Sprintf("Client project %02d", i), "client_company_id": o.acme, "guests_allowed": true})
				if r := owner.Put(fmt.Sprintf("%s/projects/%d/members/%d", o.base, p, o.cli.ID), map[string]any{"role": "client"}); r.Status >= 300 {
					b.Fatalf("add the client: %d %s", r.Status, r.Body)
				}
				projects = append(projects, p)
			}
			for i := range 500 {
				id := o.created(b, mem, "/deliverables", map[string]any{"project_id": projects[i%20], "company_id": o.acme, "title": fmt.Sprintf("Deliverable %03d", i), "description": "seeded"})
				if i%3 == 0 {
					if r := e.As(o.cli).Post(fmt.Sprintf("%s/deliverables/%d/approve", o.base, id), map[string]any{}); r.Status != http.StatusOK {
						b.Fatalf("approve: %d %s", r.Status, r.Body)
					}
				}
			}
			// The seed's notices and events are relayed in the background: measure after them.
			e.Settle()
			browser := e.BrowserLogin(o.cli)
			get := func(b *testing.B, c *testkit.Client, path string) {
				b.ReportAllocs()
				for b.Loop() {
					if r := c.Get(path); r.Status != http.StatusOK {
						b.Fatalf("%s: %d", path, r.Status)
					}
				}
			}
			b.Run("portal", func(b *testing.B) { get(b, browser, "/"+o.acc.Slug+"/extranet") })
			b.Run("projects", func(b *testing.B) { get(b, browser, "/"+o.acc.Slug+"/projects") })
			b.Run("list", func(b *testing.B) { get(b, e.As(o.cli), o.base+"/deliverables?limit=200") })
			b.Run("page", func(b *testing.B) { get(b, browser, "/"+o.acc.Slug+"/extranet/deliverables") })
		})
	}
}
