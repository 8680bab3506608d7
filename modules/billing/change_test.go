package billing_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/config"
	"groupcamp/core/problem"
	"groupcamp/core/testkit"
	"groupcamp/modules/billing"
)

// TestPeriodChanges runs a subscription through a month on a fixed clock: subscribed on 15
// January (period to 15 February, 31 days); on the 25th an upgrade is invoiced at once for the
// 21 days left, each line reproducible from its fraction; a credit fills the prepaid balance
// (never below zero); a downgrade is scheduled, shown, cancelled and scheduled again; on 15
// February the monthly run applies it and issues the new period's invoice, paid first from the
// balance; the background job renders its PDF and the owner receives an email.
func TestPeriodChanges(t *testing.T) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			clk := &clock{now: time.Date(2027, 1, 15, 10, 0, 0, 0, time.UTC)}
			opts := clocked(clk)
			opts.Config = func(c *config.Config) { c.SellerName, c.SellerVATNumber = "Operator Billing SAS", "FR40303265045" }
			e := testkit.Start(t, kind, opts)
			svc := module(t, e).Service()
			ctx := context.Background()
			acc := e.NewAccount()
			c := e.As(acc.Owner)
			base := "/api/v1/" + acc.Slug + "/billing"
			overview := func() billing.Overview {
				var o billing.Overview
				ok(t, c.Get(base), http.StatusOK, "overview").JSON(t, &o)
				return o
			}
			o := subscribed(t, c, acc.Slug, "FR", "", "tok_test_visa", "starter", 2, "projects")
			if o.PeriodStart != "2027-01-15" || o.PeriodEnd != "2027-02-15" {
				t.Fatalf("period %s – %s", o.PeriodStart, o.PeriodEnd)
			}

			// The upgrade on the 25th: 21 of 31 days.
			clk.Add(10 * 24 * time.Hour)
			ok(t, c.Post(base+"/subscription", map[string]any{"plan": "team", "offerings": []string{"projects"}, "seats": 2}), http.StatusOK, "upgrade")
			invs := invoices(t, c, acc.Slug)
			if len(invs) != 2 {
				t.Fatalf("%d invoices after the upgrade", len(invs))
			}
			var up billing.Invoice
			ok(t, c.Get("/api/v1/"+acc.Slug+"/invoices/"+itoa(invs[0].ID)), http.StatusOK, "upgrade invoice").JSON(t, &up)
			// -2×500×21/31 = -677.4 → -677; 2×900×21/31 = 1219.4 → 1219; net 542, VAT 20% 108.
			if len(up.Lines) != 2 || up.Lines[0].NetMinor != -677 || up.Lines[1].NetMinor != 1219 || up.NetMinor != 542 || up.VATMinor != 108 || up.TotalMinor != 650 || up.PaidMinor != 650 {
				t.Fatalf("upgrade invoice: %+v", up)
			}
			var sum int64
			for _, l := range up.Lines {
				if l.ProrateDays != 21 || l.PeriodDays != 31 {
					t.Fatalf("line fraction %d/%d", l.ProrateDays, l.PeriodDays)
				}
				n := l.Quantity * l.UnitMinor * l.ProrateDays
				r := (abs(n) + l.PeriodDays/2) / l.PeriodDays
				if n < 0 {
					r = -r
				}
				if r != l.NetMinor {
					t.Fatalf("line %q: %d is not reproducible (%d)", l.Description, l.NetMinor, r)
				}
				sum += l.NetMinor
			}
			if sum != up.NetMinor {
				t.Fatalf("lines sum to %d, net %d", sum, up.NetMinor)
			}
			if o := overview(); o.Plan != "team" || o.Pending != nil {
				t.Fatalf("after the upgrade: %s, pending %+v", o.Plan, o.Pending)
			}

			// The prepaid balance: a credit, and never below zero.
			if b, err := svc.Credit(ctx, acc.ID, 300, "goodwill"); err != nil || b != 300 {
				t.Fatalf("credit: %d %v", b, err)
			}
			if _, err := svc.Credit(ctx, acc.ID, -301, "too much"); err == nil {
				t.Fatal("a balance below zero was accepted")
			} else if p, _ := problem.As(err); p == nil || p.Status != http.StatusUnprocessableEntity {
				t.Fatalf("below zero: %v", err)
			}

			// The downgrade waits for the period's end; it can be cancelled.
			down := map[string]any{"plan": "starter", "offerings": []string{"projects"}, "seats": 1}
			ok(t, c.Post(base+"/subscription", down), http.StatusOK, "downgrade")
			o = overview()
			if o.Plan != "team" || o.Pending == nil || o.Pending.Plan != "starter" || o.Pending.From != "2027-02-15" || o.BalanceMinor != 300 {
				t.Fatalf("scheduled: %+v", o)
			}
			page := ok(t, e.BrowserLogin(acc.Owner).Get("/"+acc.Slug+"/admin/billing"), http.StatusOK, "page")
			if !strings.Contains(string(page.Body), `id="pending-change"`) || !strings.Contains(string(page.Body), "3.00 EUR") {
				t.Fatal("the page shows no scheduled change or balance")
			}
			ok(t, c.Delete(base+"/subscription/pending"), http.StatusOK, "cancel")
			ok(t, c.Delete(base+"/subscription/pending"), http.StatusNotFound, "cancel again")
			if o := overview(); o.Pending != nil {
				t.Fatal("still pending after the cancel")
			}
			ok(t, c.Post(base+"/subscription", down), http.StatusOK, "downgrade again")

			// The monthly run on the anniversary.
			if n, err := svc.Run(ctx); err != nil || n != 0 {
				t.Fatalf("run before the anniversary: %d %v", n, err)
			}
			clk.Add(21 * 24 * time.Hour)
			if n, err := svc.Run(ctx); err != nil || n != 1 {
				t.Fatalf("run on the anniversary: %d %v", n, err)
			}
			if n, err := svc.Run(ctx); err != nil || n != 0 {
				t.Fatalf("run twice: %d %v", n, err)
			}
			o = overview()
			if o.Plan != "starter" || o.Seats != 1 || o.Pending != nil || o.PeriodStart != "2027-02-15" || o.PeriodEnd != "2027-03-15" || o.BalanceMinor != 0 {
				t.Fatalf("after the run: %+v", o)
			}
			invs = invoices(t, c, acc.Slug)
			var month billing.Invoice
			ok(t, c.Get("/api/v1/"+acc.Slug+"/invoices/"+itoa(invs[0].ID)), http.StatusOK, "month invoice").JSON(t, &month)
			if month.TotalMinor != 600 || month.BalanceMinor != 300 || month.PaidMinor != 600 {
				t.Fatalf("month invoice: total %d, balance %d, paid %d", month.TotalMinor, month.BalanceMinor, month.PaidMinor)
			}
			e.Settle()
			pdf, err := svc.StoredPDF(ctx, acc.ID, month.ID)
			if err != nil || pdf == nil {
				t.Fatalf("no PDF rendered: %v", err)
			}
			if err := validPDF(pdf, "Operator Billing SAS"); err != nil {
				t.Fatal(err)
			}
			e.Mailbox.Last(acc.Owner.Email) // waits for the mail still queued
			mailed := false
			for _, m := range e.Mailbox.Messages() {
				mailed = mailed || (m.To == acc.Owner.Email && strings.Contains(m.Text, "/admin/billing/invoices/"+itoa(month.ID)))
			}
			if !mailed {
				t.Fatal("no email of the month's invoice")
			}

			// A credit note after the customer moved to Germany (19% for a consumer): the
			// invoice's 20% still, and what was paid comes back as prepaid balance.
			ok(t, c.Put(base+"/details", map[string]any{"legal_name": "Moved", "country": "DE"}), http.StatusOK, "moved")
			cn, err := svc.CreditNote(ctx, &actor.Actor{Account: &actor.Account{ID: acc.ID, Slug: acc.Slug}}, month.ID)
			if err != nil {
				t.Fatal(err)
			}
			if cn.VATLines[0].RateBP != 2000 || cn.TotalMinor != -600 || cn.Country != "FR" {
				t.Fatalf("credit note: rate %d, total %d, country %s", cn.VATLines[0].RateBP, cn.TotalMinor, cn.Country)
			}
			if o := overview(); o.BalanceMinor != 600 {
				t.Fatalf("balance after the credit note: %d", o.BalanceMinor)
			}
		})
	}
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
