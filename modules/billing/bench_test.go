package billing_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"groupcamp/core/testkit"
	"groupcamp/modules/billing"
)

// BenchmarkBilling measures, on every test database, with an account on the starter plan
// holding 9 projects and 5 colleagues and 12 invoices:
//
//   - overview: GET /billing, the owner's heaviest read (every quota counted by its module);
//   - quota: the limiter's check of one more project, as a creation pays it in its transaction;
//   - quota-assignees: the check of a task's 3 assignees (no counter: the plan's limit alone);
//   - quota-plugins: the check of the plugins turned on (starter allows none: 0 more fits);
//   - issue: one invoice issued (number, VAT, lines) and committed;
//   - pdf: an invoice rendered as PDF through the API.
func BenchmarkBilling(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			acc := e.NewAccount()
			owner := e.As(acc.Owner)
			for i := range 9 {
				ok(b, owner.Post("/api/v1/"+acc.Slug+"/projects", map[string]any{"name": fmt.Sprintf("Project %d", i)}), http.StatusCreated, "project")
			}
			subscribed(b, owner, acc.Slug, "FR", "", "tok_test_visa", "starter", 5, "projects", "timesheet", "files")
			for i := range 4 {
				ok(b, owner.Post("/api/v1/"+acc.Slug+"/users", map[string]any{"name": fmt.Sprintf("M %d", i), "email": fmt.Sprintf("b%d-%s@example.test", i, acc.Slug), "role": "member"}), http.StatusCreated, "invite")
			}
			svc := module(b, e).Service()
			ctx := context.Background()
			for range 11 {
				if _, err := svc.IssueInvoice(ctx, acc.ID, []billing.Line{{Description: "Extra", Quantity: 3, UnitMinor: 1234}}); err != nil {
					b.Fatal(err)
				}
			}
			b.Run("overview", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					ok(b, owner.Get("/api/v1/"+acc.Slug+"/billing"), http.StatusOK, "overview")
				}
			})
			b.Run("quota", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := e.App.Hooks.Allow(ctx, e.App.DB, acc.ID, "projects", 1); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("quota-assignees", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := e.App.Hooks.AllowEach(ctx, e.App.DB, acc.ID, "assignees", 3); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("quota-plugins", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := e.App.Hooks.Allow(ctx, e.App.DB, acc.ID, "plugins", 0); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("issue", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := svc.IssueInvoice(ctx, acc.ID, []billing.Line{{Description: "Extra", Quantity: 3, UnitMinor: 1234}}); err != nil {
						b.Fatal(err)
					}
				}
			})
			inv := invoices(b, owner, acc.Slug)[0]
			b.Run("pdf", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					ok(b, owner.Get(fmt.Sprintf("/api/v1/%s/invoices/%d.pdf", acc.Slug, inv.ID)), http.StatusOK, "pdf")
				}
			})
		})
	}
}
