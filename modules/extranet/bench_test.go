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
//   - page: the client's deliverables page (the first 50);
//   - rounds: a deliverable of 10 rounds of 10 files each, through the API and the client's page.
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
			folder := o.created(b, mem, "/folders", map[string]any{"name": "Bench files", "visibility": "clients", "company_ids": []int64{o.acme}})
			var fs []int64
			for i := range 10 {
				fs = append(fs, o.created(b, mem, fmt.Sprintf("/folders/%d/files", folder), map[string]any{"name": fmt.Sprintf("f%02d.txt", i), "content": "x"}))
			}
			many := o.created(b, mem, "/deliverables", map[string]any{"project_id": projects[0], "company_id": o.acme, "title": "Many files", "file_ids": fs})
			for range 9 {
				if r := mem.Post(fmt.Sprintf("%s/deliverables/%d/resubmit", o.base, many), map[string]any{"file_ids": fs}); r.Status != http.StatusOK {
					b.Fatalf("resubmit: %d %s", r.Status, r.Body)
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
			b.Run("rounds-api", func(b *testing.B) { get(b, e.As(o.cli), fmt.Sprintf("%s/deliverables/%d", o.base, many)) })
			b.Run("rounds-page", func(b *testing.B) { get(b, browser, fmt.Sprintf("/%s/extranet/deliverables/%d", o.acc.Slug, many)) })
		})
	}
}
