package people_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// BenchmarkImport measures, on every test database, in an account of 30 people:
//
//   - preview500: the dry run of a file of 500 people (the limit) — the heaviest request:
//     parsing, and the core's checks of each row (its company, "already in the account");
//   - import20: a confirmed import of 20 people — 20 invitations in one transaction, each
//     with its login, membership, invitation, event, email and audit entry.
func BenchmarkImport(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			acc := e.NewAccount()
			for range 29 {
				e.NewUser(acc, actor.RoleMember)
			}
			owner := e.As(acc.Owner)
			path := "/api/v1/" + acc.Slug + "/people/import"
			file := func(prefix string, n int) []byte {
				var s strings.Builder
				s.WriteString("name,email,role\n")
				for i := range n {
					fmt.Fprintf(&s, "Person %d,%s-%d@example.test,member\n", i, prefix, i)
				}
				return []byte(s.String())
			}
			big := file("preview", 500)
			b.Run("preview500", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := sendB(b, owner, path+"?dry_run=true", big); r.Status != http.StatusOK {
						b.Fatalf("%d %s", r.Status, r.Body)
					}
				}
			})
			n := 0
			b.Run("import20", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					n++
					if r := sendB(b, owner, path, file(fmt.Sprintf("run%d", n), 20)); r.Status != http.StatusCreated {
						b.Fatalf("%d %s", r.Status, r.Body)
					}
				}
			})
		})
	}
}
