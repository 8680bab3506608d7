package files_test

import (
	"fmt"
	"net/http"
	"testing"

	"groupcamp/core/testkit"
)

// BenchmarkClientUpload compares, on every test database, a small JSON upload into a project's
// folder shared with the client's company and open to their uploads: by a member (staff), and
// by the client (the share's check, the project team asked of projects, the audit and the
// notices to a team of 6).
func BenchmarkClientUpload(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			o := newOffice(b, e)
			owner := e.As(o.owner)
			pid := o.created(b, owner, "/projects", map[string]any{"name": "Portal", "guests_allowed": true})
			if r := owner.Put(fmt.Sprintf("%s/projects/%d/members/%d", o.base, pid, o.cli.ID), map[string]any{"role": "client"}); r.Status != http.StatusOK {
				b.Fatalf("join: %d %s", r.Status, r.Body)
			}
			for range 5 {
				u := e.NewUser(o.acc, "member")
				if r := owner.Put(fmt.Sprintf("%s/projects/%d/members/%d", o.base, pid, u.ID), map[string]any{"role": "member"}); r.Status != http.StatusOK {
					b.Fatalf("join: %d %s", r.Status, r.Body)
				}
			}
			folder := o.created(b, e.As(o.mem), "/folders", map[string]any{"name": "Inbox", "project_id": pid, "visibility": "clients", "company_ids": []int64{o.company}, "clients_upload": true})
			n := 0
			run := func(b *testing.B, c *testkit.Client) {
				b.ReportAllocs()
				for b.Loop() {
					n++
					if r := c.Post(fmt.Sprintf("%s/folders/%d/files", o.base, folder), map[string]any{"name": fmt.Sprintf("f-%d.txt", n), "content": "scan"}); r.Status != http.StatusCreated {
						b.Fatalf("upload: %d %s", r.Status, r.Body)
					}
				}
			}
			b.Run("staff", func(b *testing.B) { run(b, e.As(o.mem)) })
			b.Run("client", func(b *testing.B) { run(b, e.As(o.cli)) })
		})
	}
}
