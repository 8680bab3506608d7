package billing_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules/billing"
)

// TestCoupons: the platform admin makes coupons (bad input 422 on the field, nothing
// written; a code taken twice refused); an owner's unknown, expired, not yet valid, other
// currency's or other plan's code is 422 on code; a 20% coupon for two months is redeemed
// (audited; a second coupon meanwhile 409), and the monthly run takes it off two invoices as
// a discount line before VAT — in the JSON, the HTML page and the PDF — then it ends; a fixed
// amount redeemed during the trial comes off the first invoice; a coupon redeemable once is
// exhausted for the next account. The pages' forms answer their refusals next to the field.
func TestCoupons(t *testing.T) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			clk := &clock{now: time.Date(2027, 1, 15, 10, 0, 0, 0, time.UTC)}
			e := testkit.Start(t, kind, clocked(clk))
			svc := module(t, e).Service()
			ctx := context.Background()
			padmin := e.As(e.NewPlatformUser(actor.PlatformAdmin))
			const coupons = "/api/v1/platform/billing/coupons"

			for field, bad := range map[string]map[string]any{
				"code":             {"code": "x", "percent_off": 10, "duration": "once"},
				"percent_off":      {"code": "BOTH", "percent_off": 10, "amount_off_minor": 100, "currency": "EUR", "duration": "once"},
				"amount_off_minor": {"code": "NEG", "amount_off_minor": -100, "currency": "EUR", "duration": "once"},
				"currency":         {"code": "NOCUR", "amount_off_minor": 100, "duration": "once"},
				"duration":         {"code": "WEEKLY", "percent_off": 10, "duration": "weekly"},
				"months":           {"code": "NOMONTHS", "percent_off": 10, "duration": "repeating"},
				"valid_until":      {"code": "BACKWARDS", "percent_off": 10, "duration": "once", "valid_from": "2027-02-01", "valid_until": "2027-01-01"},
				"plans":            {"code": "GOLD", "percent_off": 10, "duration": "once", "plans": []string{"gold"}},
				"max_redemptions":  {"code": "MAXNEG", "percent_off": 10, "duration": "once", "max_redemptions": -1},
			} {
				if r := padmin.Post(coupons, bad); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()[field] == "" {
					t.Fatalf("a bad %s: %d %s", field, r.Status, r.Body)
				}
			}
			if r := padmin.Post(coupons, map[string]any{"code": "PCT", "percent_off": 101, "duration": "once"}); r.FieldErrors()["percent_off"] == "" {
				t.Fatalf("101%%: %d %s", r.Status, r.Body)
			}
			if n := e.Count("billing_coupons"); n != 0 {
				t.Fatalf("refusals wrote %d coupons", n)
			}
			for _, in := range []map[string]any{
				{"code": "spring20", "percent_off": 20, "duration": "repeating", "months": 2},
				{"code": "TENOFF", "amount_off_minor": 1000, "currency": "EUR", "duration": "once", "max_redemptions": 1},
				{"code": "USDOFF", "amount_off_minor": 500, "currency": "USD", "duration": "forever"},
				{"code": "OLD", "percent_off": 10, "duration": "once", "valid_until": "2026-12-31"},
				{"code": "LATER", "percent_off": 10, "duration": "once", "valid_from": "2027-06-01"},
				{"code": "BIZONLY", "percent_off": 10, "duration": "forever", "plans": []string{"business"}},
			} {
				ok(t, padmin.Post(coupons, in), http.StatusCreated, "coupon "+in["code"].(string))
			}
			r := padmin.Post(coupons, map[string]any{"code": "SPRING20", "percent_off": 5, "duration": "once"})
			if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["code"] == "" {
				t.Fatalf("a code taken: %d %s", r.Status, r.Body)
			}
			var list billing.CouponList
			ok(t, padmin.Get(coupons), http.StatusOK, "coupons").JSON(t, &list)
			if len(list.Items) != 6 || list.Items[len(list.Items)-1].Code != "SPRING20" {
				t.Fatalf("coupons: %+v", list.Items)
			}
			res := padmin.SubmitForm("/platform/billing", "/platform/billing/coupons", url.Values{"code": {"FORM10"}, "percent_off": {"10"}, "duration": {"repeating"}, "months": {"99"}})
			if res.Status != http.StatusUnprocessableEntity || !contains(res.Body, `id="e-months"`) {
				t.Fatalf("a bad coupon in the page's form: %d", res.Status)
			}
			res = padmin.SubmitForm("/platform/billing", "/platform/billing/coupons", url.Values{"code": {"FORM10"}, "percent_off": {"10"}, "duration": {"once"}, "plans": {"team"}})
			if res.Status != http.StatusOK || !contains(res.Body, `data-code="FORM10"`) {
				t.Fatalf("a coupon through the page: %d", res.Status)
			}

			// A subscriber redeems: the refusals first.
			acc := e.NewAccount()
			owner := e.As(acc.Owner)
			subscribed(t, owner, acc.Slug, "FR", "", "tok_test_visa", "starter", 2, "projects")
			redeem := "/api/v1/" + acc.Slug + "/billing/coupon"
			for code, want := range map[string]string{"NOPE": "no coupon", "OLD": "expired", "LATER": "valid from", "USDOFF": "currency mismatch", "BIZONLY": "starter", "": "no coupon", "FORM10": "starter"} {
				r := owner.Post(redeem, map[string]any{"code": code})
				if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.FieldErrors()["code"], want) {
					t.Fatalf("redeem %q: %d %s", code, r.Status, r.Body)
				}
			}
			res = e.BrowserLogin(acc.Owner).SubmitForm("/"+acc.Slug+"/admin/billing", "/"+acc.Slug+"/admin/billing/coupon", url.Values{"code": {"NOPE"}})
			if res.Status != http.StatusUnprocessableEntity || !contains(res.Body, `id="e-code"`) {
				t.Fatalf("a bad code in the page's form: %d", res.Status)
			}
			if n := e.Count("billing_coupon_redemptions"); n != 0 {
				t.Fatalf("refusals wrote %d redemptions", n)
			}
			var o billing.Overview
			ok(t, owner.Post(redeem, map[string]any{"code": " spring20 "}), http.StatusOK, "redeem").JSON(t, &o)
			if o.Coupon == nil || o.Coupon.Code != "SPRING20" || o.Coupon.PercentOff != 20 || o.Coupon.InvoicesLeft != 2 {
				t.Fatalf("the overview's coupon: %+v", o.Coupon)
			}
			ok(t, owner.Post(redeem, map[string]any{"code": "TENOFF"}), http.StatusConflict, "a second coupon")
			var audited int
			if err := e.App.DB.NewSelect().TableExpr("audit_events").ColumnExpr("count(*)").Where("account_id = ? AND action = 'billing.coupon_redeemed'", acc.ID).Scan(ctx, &audited); err != nil || audited != 1 {
				t.Fatalf("audited redemptions: %d %v", audited, err)
			}
			if !contains(ok(t, owner.Get("/"+acc.Slug+"/admin/billing"), http.StatusOK, "page").Body, `id="coupon-running"`) {
				t.Fatal("the billing page does not show the coupon")
			}

			// Two monthly runs discount; the third does not.
			want := []int64{-200, -200, 0}
			for i, off := range want {
				clk.Add(31 * 24 * time.Hour)
				if n, err := svc.Run(ctx); err != nil || n != 1 {
					t.Fatalf("run %d: %d %v", i, n, err)
				}
				var inv billing.Invoice
				ok(t, owner.Get("/api/v1/"+acc.Slug+"/invoices/"+itoa(invoices(t, owner, acc.Slug)[0].ID)), http.StatusOK, "invoice").JSON(t, &inv)
				if off == 0 {
					if len(inv.Lines) != 1 || inv.NetMinor != 1000 {
						t.Fatalf("run %d, after the coupon: %+v", i, inv.Lines)
					}
					continue
				}
				// starter projects, 2 seats × 5.00 = 10.00; 20% off: -2.00 before VAT; 20% VAT of 8.00.
				last := inv.Lines[len(inv.Lines)-1]
				if len(inv.Lines) != 2 || last.Coupon != "SPRING20" || last.NetMinor != off || inv.NetMinor != 800 || inv.VATMinor != 160 || inv.TotalMinor != 960 ||
					inv.VATLines[0].BaseMinor != 800 {
					t.Fatalf("run %d, the discounted invoice: %+v", i, inv)
				}
				if i == 0 {
					page := ok(t, owner.Get("/"+acc.Slug+"/admin/billing/invoices/"+itoa(inv.ID)), http.StatusOK, "invoice page").String()
					if !strings.Contains(page, `data-coupon="SPRING20"`) || !strings.Contains(page, "-2.00") {
						t.Fatal("the invoice page shows no discount line")
					}
					pdf := ok(t, owner.Get("/api/v1/"+acc.Slug+"/invoices/"+itoa(inv.ID)+".pdf"), http.StatusOK, "pdf").Body
					if err := validPDF(pdf, inv.Number); err != nil || !pdfHas(pdf, "Coupon SPRING20") {
						t.Fatalf("the PDF shows no discount line (%v)", err)
					}
				}
			}
			ok(t, owner.Get("/api/v1/"+acc.Slug+"/billing"), http.StatusOK, "overview").JSON(t, &o)
			if o.Coupon != nil {
				t.Fatalf("the coupon still runs: %+v", o.Coupon)
			}

			// A fixed amount redeemed during the trial comes off the first invoice.
			trial := e.NewAccount()
			towner := e.As(trial.Owner)
			ok(t, towner.Put("/api/v1/"+trial.Slug+"/billing/details", map[string]any{"legal_name": "Trial SAS", "country": "FR"}), http.StatusOK, "details")
			ok(t, towner.Post("/api/v1/"+trial.Slug+"/billing/coupon", map[string]any{"code": "TENOFF"}), http.StatusOK, "redeem in the trial")
			subscribed(t, towner, trial.Slug, "FR", "", "tok_test_visa", "starter", 3, "projects")
			var first billing.Invoice
			ok(t, towner.Get("/api/v1/"+trial.Slug+"/invoices/"+itoa(invoices(t, towner, trial.Slug)[0].ID)), http.StatusOK, "first invoice").JSON(t, &first)
			if first.NetMinor != 500 || first.VATMinor != 100 || first.TotalMinor != 600 || first.Lines[len(first.Lines)-1].Coupon != "TENOFF" {
				t.Fatalf("the first invoice with 10.00 off: %+v", first)
			}
			// TENOFF was redeemable once.
			late := e.NewAccount()
			r = e.As(late.Owner).Post("/api/v1/"+late.Slug+"/billing/coupon", map[string]any{"code": "TENOFF"})
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.FieldErrors()["code"], "as many times") {
				t.Fatalf("an exhausted coupon: %d %s", r.Status, r.Body)
			}
			// An amount's coupon fixes the currency the trial could still change.
			ok(t, padmin.Post(coupons, map[string]any{"code": "EURFIVE", "amount_off_minor": 500, "currency": "EUR", "duration": "forever"}), http.StatusCreated, "EURFIVE")
			ok(t, e.As(late.Owner).Post("/api/v1/"+late.Slug+"/billing/coupon", map[string]any{"code": "EURFIVE"}), http.StatusOK, "redeem EURFIVE")
			r = e.As(late.Owner).Put("/api/v1/"+late.Slug+"/billing/details", map[string]any{"legal_name": "Late Inc", "country": "US", "currency": "USD"})
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.FieldErrors()["currency"], "EURFIVE") {
				t.Fatalf("a currency change under an amount's coupon: %d %s", r.Status, r.Body)
			}
			ok(t, padmin.Get(coupons), http.StatusOK, "coupons").JSON(t, &list)
			for _, c := range list.Items {
				if c.Code == "TENOFF" && c.Redemptions != 1 || c.Code == "SPRING20" && c.Redemptions != 1 {
					t.Fatalf("redemptions: %+v", c)
				}
			}
			// Nobody else makes or lists coupons.
			for _, who := range []*testkit.Client{owner, e.As(e.NewPlatformUser(actor.PlatformSupport)), e.As(e.NewPlatformUser(actor.PlatformPartner))} {
				ok(t, who.Get(coupons), http.StatusNotFound, "coupons, not as the platform admin")
				ok(t, who.Post(coupons, map[string]any{"code": "MINE", "percent_off": 100, "duration": "forever"}), http.StatusNotFound, "a coupon, not as the platform admin")
			}
		})
	}
}

// TestPercentOf: a percentage of an amount in exact minor units, rounded half away from zero.
func TestPercentOf(t *testing.T) {
	for _, c := range []struct{ net, pct, want int64 }{
		{1000, 20, 200}, {999, 15, 150}, {1, 50, 1}, {3, 50, 2}, {10, 33, 3}, {0, 20, 0}, {1234567, 100, 1234567}, {5, 10, 1}, {4, 10, 0},
	} {
		if got := billing.PercentOf(c.net, c.pct); got != c.want {
			t.Errorf("%d%% of %d: %d, want %d", c.pct, c.net, got, c.want)
		}
	}
}
