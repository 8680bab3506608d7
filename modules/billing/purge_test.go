package billing_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/app"
	"groupcamp/core/db"
	"groupcamp/core/testkit"
	"groupcamp/modules/billing"
)

// TestPurgeClosedAccount is the end of the dunning, end to end: an account that never pays
// goes read-only, then closed after ClosureDays — its data still there, its purge scheduled on
// the platform page — and PurgeDays later the daily run erases it through the privacy
// module's purge: its people (memberships, the member's login, which no other account
// holds), its projects, tasks and comments are gone, and the card billing kept is blanked;
// the invoices stay as issued, with their lines and payments, and the platform page says
// the account was purged. Another account, paying, keeps everything.
func TestPurgeClosedAccount(t *testing.T) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			clk := &clock{now: time.Now().UTC()}
			e := testkit.Start(t, kind, clocked(clk))
			svc := module(t, e).Service()
			ctx := context.Background()
			day := func(n int) {
				clk.Add(24 * time.Hour * time.Duration(n))
				if _, err := svc.Dun(ctx); err != nil {
					t.Fatal(err)
				}
			}
			count := func(table string, accountID int64) int {
				t.Helper()
				n, err := e.App.DB.NewSelect().TableExpr(table).Where("account_id = ?", accountID).Count(ctx)
				if err != nil {
					t.Fatal(err)
				}
				return int(n)
			}
			never, payer := e.NewAccount(), e.NewAccount()
			n := e.As(never.Owner)
			member := e.NewUser(never, actor.RoleMember)
			base := "/api/v1/" + never.Slug
			var id struct {
				ID int64 `json:"id"`
			}
			ok(t, n.Post(base+"/projects", map[string]any{"name": "Doomed"}), http.StatusCreated, "project").JSON(t, &id)
			pbase := fmt.Sprintf("%s/projects/%d", base, id.ID)
			ok(t, n.Put(fmt.Sprintf("%s/members/%d", pbase, member.ID), map[string]any{"role": "member"}), http.StatusOK, "project member")
			ok(t, n.Post(pbase+"/lists", map[string]any{"name": "Work"}), http.StatusCreated, "list").JSON(t, &id)
			ok(t, n.Post(pbase+"/tasks", map[string]any{"list_id": id.ID, "title": "Written by the owner", "assignees": []map[string]any{{"user_id": member.ID}}}),
				http.StatusCreated, "task").JSON(t, &id)
			ok(t, e.As(member).Post(fmt.Sprintf("%s/tasks/%d/comments", base, id.ID), map[string]any{"body": "A comment by the member"}), http.StatusCreated, "comment")
			subscribed(t, n, never.Slug, "FR", "", "tok_test_declined", "starter", 2, "projects")
			subscribed(t, e.As(payer.Owner), payer.Slug, "FR", "", "tok_test_visa", "starter", 1, "projects")
			ok(t, e.As(payer.Owner).Post("/api/v1/"+payer.Slug+"/projects", map[string]any{"name": "Kept"}), http.StatusCreated, "the payer's project")
			invoicesBefore := invoices(t, n, never.Slug)
			if len(invoicesBefore) == 0 {
				t.Fatal("no invoice")
			}

			day(billing.GraceDays)
			ok(t, n.Post(base+"/projects", map[string]any{"name": "Blocked"}), http.StatusPaymentRequired, "a write when read-only")
			day(billing.ClosureDays - billing.GraceDays)
			var o billing.Overview
			ok(t, n.Get(base+"/billing"), http.StatusOK, "overview when closed").JSON(t, &o)
			if o.State != billing.StateClosed {
				t.Fatalf("after %d days: %s", billing.ClosureDays, o.State)
			}
			ok(t, n.Get(base+"/projects"), http.StatusOK, "a read when closed: the data is still there")
			padmin := e.As(e.NewPlatformUser(actor.PlatformAdmin))
			closed := func() billing.ClosedAccount {
				t.Helper()
				var rev billing.Revenue
				ok(t, padmin.Get("/api/v1/platform/billing/mrr"), http.StatusOK, "revenue").JSON(t, &rev)
				for _, c := range rev.Closed {
					if c.Slug == never.Slug {
						return c
					}
				}
				t.Fatalf("%s not among the closed accounts: %+v", never.Slug, rev.Closed)
				return billing.ClosedAccount{}
			}
			want := clk.Now().AddDate(0, 0, billing.PurgeDays).Format("2006-01-02")
			if c := closed(); c.Purge != "scheduled" || c.PurgeOn != want || c.PurgedAt != nil {
				t.Fatalf("the purge once closed: %+v, want scheduled on %s", c, want)
			}
			page := ok(t, padmin.Get("/platform/billing"), http.StatusOK, "the platform page").Body
			if !contains(page, `data-purge="scheduled"`) || !contains(page, want) {
				t.Fatal("the platform page does not show the scheduled purge")
			}

			day(billing.PurgeDays - 1)
			if count("projects", never.ID) == 0 {
				t.Fatal("purged before the end of the retention")
			}
			day(1)
			if c := closed(); c.Purge != "done" || c.PurgedAt == nil {
				t.Fatalf("the purge after the retention: %+v", c)
			}
			if !contains(ok(t, padmin.Get("/platform/billing"), http.StatusOK, "the platform page").Body, `data-purge="done"`) {
				t.Fatal("the platform page does not show the purge done")
			}
			for _, table := range []string{"memberships", "projects", "tasks", "task_assignees", "comments", "project_members"} {
				if got := count(table, never.ID); got != 0 {
					t.Errorf("%s: %d rows of the purged account", table, got)
				}
			}
			if gone, err := e.App.DB.NewSelect().TableExpr("users").Where("id IN (?, ?)", member.ID, never.Owner.ID).Count(ctx); err != nil || gone != 0 {
				t.Errorf("the logins of the purged account's people: %d left (%v)", gone, err)
			}
			var card struct {
				Token  string `bun:"gateway_token"`
				Last4  string `bun:"card_last4"`
				Holder string `bun:"card_holder"`
			}
			if err := e.App.DB.NewSelect().TableExpr("billing_subscriptions").Column("gateway_token", "card_last4", "card_holder").Where("account_id = ?", never.ID).Scan(ctx, &card); err != nil {
				t.Fatal(err)
			}
			if card.Token != "" || card.Last4 != "" || card.Holder != "" {
				t.Errorf("the card after the purge: %+v", card)
			}
			// The invoices stay as issued: the same numbers, customer and totals, with their lines.
			var kept []billing.Invoice
			if err := e.App.DB.NewSelect().Model(&kept).Where("i.account_id = ?", never.ID).OrderExpr("i.id DESC").Scan(ctx); err != nil {
				t.Fatal(err)
			}
			if len(kept) != len(invoicesBefore) {
				t.Fatalf("%d invoices after the purge, %d before", len(kept), len(invoicesBefore))
			}
			for i, inv := range kept {
				b := invoicesBefore[i]
				if inv.Number != b.Number || inv.LegalName != b.LegalName || inv.TotalMinor != b.TotalMinor {
					t.Errorf("invoice %s changed: %+v, was %+v", b.Number, inv, b)
				}
			}
			if count("billing_invoice_lines", never.ID) == 0 || count("billing_payments", never.ID) == 0 {
				t.Error("the invoices' lines or payments went with the purge")
			}
			if n, err := e.App.DB.NewSelect().TableExpr("audit_events").Where("account_id IS NULL AND action = ?", "account.purged").Count(ctx); err != nil || n != 1 {
				t.Errorf("the platform's trail of the purge: %d (%v)", n, err)
			}
			// A second run finds nothing more to do; the paying account kept everything.
			day(1)
			if count("projects", payer.ID) != 1 || count("memberships", payer.ID) == 0 {
				t.Error("the paying account lost data")
			}
		})
	}
}

// TestPurgeWaitsWithoutThePort: on a platform without the privacy module nothing can purge a
// closed account: past its retention the run leaves its data as it is, and the platform page
// lists its purge as waiting.
func TestPurgeWaitsWithoutThePort(t *testing.T) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			o := options()
			var ms []app.Module
			for _, m := range o.Modules {
				if m.Name() != "privacy" {
					ms = append(ms, m)
				}
			}
			o.Modules = ms
			e := testkit.Start(t, kind, o)
			ctx := context.Background()
			acc := e.NewAccount()
			owner := e.As(acc.Owner)
			ok(t, owner.Post("/api/v1/"+acc.Slug+"/projects", map[string]any{"name": "Kept for want of a purge"}), http.StatusCreated, "project")
			svc := module(t, e).Service()
			if err := svc.Enroll(ctx, acc.ID); err != nil {
				t.Fatal(err)
			}
			long := time.Now().UTC().AddDate(0, 0, -billing.PurgeDays-1)
			if _, err := e.App.DB.ExecContext(ctx, "UPDATE billing_subscriptions SET state = ?, closed_at = ? WHERE account_id = ?", billing.StateClosed, long, acc.ID); err != nil {
				t.Fatal(err)
			}
			if n, err := svc.Purge(ctx); err != nil || n != 0 {
				t.Fatalf("a purge without the port: %d %v", n, err)
			}
			if n, err := e.App.DB.NewSelect().TableExpr("projects").Where("account_id = ?", acc.ID).Count(ctx); err != nil || n != 1 {
				t.Fatalf("the account's projects: %d %v", n, err)
			}
			var rev billing.Revenue
			ok(t, e.As(e.NewPlatformUser(actor.PlatformAdmin)).Get("/api/v1/platform/billing/mrr"), http.StatusOK, "revenue").JSON(t, &rev)
			if len(rev.Closed) != 1 || rev.Closed[0].Purge != "waiting" || rev.Closed[0].PurgeOn != long.AddDate(0, 0, billing.PurgeDays).Format("2006-01-02") {
				t.Fatalf("the closed account's purge: %+v", rev.Closed)
			}
		})
	}
}

// TestOwnerClosureKeepsWhatThePurgeKeeps: the owner's own closure (the privacy module's)
// keeps the accounting records the purge of an unpaid account keeps — the same tables,
// through the same function: the invoices as issued with their lines, VAT lines and payments,
// the ledger and the subscription row (closed, purged, its card forgotten) — and deletes the
// rest. The closure page says so beforehand. An account that never issued an invoice keeps
// nothing: not even its row.
func TestOwnerClosureKeepsWhatThePurgeKeeps(t *testing.T) {
	eachShared(t, func(t *testing.T, e *testkit.Env) {
		ctx := context.Background()
		count := func(table string, accountID int64) int {
			t.Helper()
			n, err := e.App.DB.NewSelect().TableExpr(table).Where("account_id = ?", accountID).Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return int(n)
		}
		acc, trial := e.NewAccount(), e.NewAccount()
		o := e.As(acc.Owner)
		ok(t, o.Post("/api/v1/"+acc.Slug+"/projects", map[string]any{"name": "Gone with the account"}), http.StatusCreated, "project")
		subscribed(t, o, acc.Slug, "DE", "", "tok_test_visa", "starter", 1, "projects")
		before := invoices(t, o, acc.Slug)
		if len(before) == 0 {
			t.Fatal("no invoice")
		}
		page := ok(t, o.Get("/"+acc.Slug+"/privacy/closure"), http.StatusOK, "the closure page").Body
		if !contains(page, "data-kept") || !contains(page, "ten years") {
			t.Error("the closure page does not say what is kept")
		}
		for _, a := range []*testkit.Account{acc, trial} {
			ok(t, e.As(a.Owner).Post("/api/v1/"+a.Slug+"/account/closure", map[string]any{"password": a.Owner.Password, "immediately": true}), http.StatusAccepted, "closure")
		}
		e.Settle()

		for _, table := range billing.KeptTables {
			if table == "billing_invoice_pdfs" || table == "billing_balance_entries" || table == "billing_vat_lines" {
				continue // rendered by a job / none on a card-paid invoice: counted when there
			}
			if count(table, acc.ID) == 0 {
				t.Errorf("%s: the closure deleted the account's rows", table)
			}
		}
		var kept []billing.Invoice
		if err := e.App.DB.NewSelect().Model(&kept).Where("i.account_id = ?", acc.ID).OrderExpr("i.id DESC").Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if len(kept) != len(before) || kept[0].Number != before[0].Number || kept[0].TotalMinor != before[0].TotalMinor || kept[0].LegalName != before[0].LegalName {
			t.Fatalf("the invoices after the closure: %+v, before %+v", kept, before)
		}
		for _, table := range []string{"memberships", "projects", "project_members", "privacy_requests"} {
			if n := count(table, acc.ID); n != 0 {
				t.Errorf("%s: %d rows left after the closure", table, n)
			}
		}
		var sub billing.Subscription
		if err := e.App.DB.NewSelect().Model(&sub).Where("s.account_id = ?", acc.ID).Scan(ctx); err != nil {
			t.Fatal(err)
		}
		if sub.State != billing.StateClosed || sub.PurgedAt == nil || sub.GatewayToken != "" || sub.CardLast4 != "" || sub.CardHolder != "" {
			t.Errorf("the subscription after the closure: %+v", sub)
		}
		if n, err := e.App.DB.NewSelect().TableExpr("accounts").Where("id = ?", trial.ID).Count(ctx); err != nil || n != 0 || len(rowsLeft(t, e, trial.ID)) != 0 {
			t.Errorf("the account without invoices: %d (%v), rows %v", n, err, rowsLeft(t, e, trial.ID))
		}
	})
}

// rowsLeft lists the tables that still hold rows of the account.
func rowsLeft(t *testing.T, e *testkit.Env, accountID int64) []string {
	t.Helper()
	ctx := context.Background()
	tables, err := db.AccountTables(ctx, e.App.DB)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, table := range tables {
		if n, err := e.App.DB.NewSelect().TableExpr(table).Where("account_id = ?", accountID).Count(ctx); err != nil || n > 0 {
			out = append(out, fmt.Sprintf("%s:%d(%v)", table, n, err))
		}
	}
	return out
}
