package billing_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules/billing"
)

// TestCurrencies: an account billed in USD (chosen in its billing details during the trial)
// is priced from the plan's USD list and invoiced in USD — lines, VAT and total — and the
// platform counts its revenue in USD, apart from the EUR. Once invoiced its currency cannot
// change (422 currency mismatch), nor can a transfer or a credit in another currency be
// recorded against it; an unsupported currency is 422. An account whose own currency is a
// supported one (CHF) is billed in it from the start; one in JPY is billed in EUR.
func TestCurrencies(t *testing.T) {
	eachShared(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		base := "/api/v1/" + acc.Slug + "/billing"
		details := map[string]any{"legal_name": "Dollar Inc", "address": "1 Main Street", "country": "FR", "currency": "XYZ"}
		r := owner.Put(base+"/details", details)
		if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["currency"] == "" {
			t.Fatalf("an unsupported currency: %d %s", r.Status, r.Body)
		}
		details["currency"] = "usd"
		var o billing.Overview
		ok(t, owner.Put(base+"/details", details), http.StatusOK, "details in USD").JSON(t, &o)
		if o.Currency != "USD" || o.Details.Currency != "USD" {
			t.Fatalf("the billing currency: %q / %q", o.Currency, o.Details.Currency)
		}
		if page := ok(t, owner.Get("/"+acc.Slug+"/admin/billing"), http.StatusOK, "billing page").String(); !strings.Contains(page, `<option value="USD" selected>`) {
			t.Fatal("the billing page's details do not show USD chosen")
		}
		// The page's form refuses an unsupported currency next to its field.
		form := owner.Form("/"+acc.Slug+"/admin/billing/details", url.Values{"legal_name": {"Dollar Inc"}, "country": {"FR"}, "currency": {"XYZ"}})
		if form.Status != http.StatusUnprocessableEntity || !strings.Contains(form.String(), `id="e-currency"`) {
			t.Fatalf("the details form with an unsupported currency: %d", form.Status)
		}
		o = subscribed(t, owner, acc.Slug, "FR", "", "tok_test_visa", "starter", 2, "projects")
		starter, _ := billing.PlanOf("starter")
		usd := starter.Lists["USD"]["projects"]
		if usd == 0 || usd == starter.Prices["projects"].Minor {
			t.Fatalf("the starter plan's USD list: %v", starter.Lists)
		}
		if o.Currency != "USD" || o.MonthlyMinor != 2*usd {
			t.Fatalf("the monthly amount: %d %s, want %d USD", o.MonthlyMinor, o.Currency, 2*usd)
		}
		inv := invoices(t, owner, acc.Slug)[0]
		var full billing.Invoice
		ok(t, owner.Get("/api/v1/"+acc.Slug+"/invoices/"+itoa(inv.ID)), http.StatusOK, "invoice").JSON(t, &full)
		if full.Currency != "USD" || full.NetMinor != 2*usd || full.VATMinor != 2*usd/5 || full.TotalMinor != 2*usd+2*usd/5 ||
			len(full.Lines) != 1 || full.Lines[0].UnitMinor != usd {
			t.Fatalf("the USD invoice: %+v", full)
		}
		if page := ok(t, owner.Get("/"+acc.Slug+"/admin/billing/invoices/"+itoa(inv.ID)), http.StatusOK, "invoice page").String(); !strings.Contains(page, "USD") {
			t.Fatal("the invoice page does not say USD")
		}
		// Invoiced: the currency is fixed.
		details["currency"] = "EUR"
		r = owner.Put(base+"/details", details)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.FieldErrors()["currency"], "mismatch") {
			t.Fatalf("a change of currency once invoiced: %d %s", r.Status, r.Body)
		}
		ok(t, owner.Get(base), http.StatusOK, "overview").JSON(t, &o)
		if o.Currency != "USD" {
			t.Fatalf("a refused change changed the currency: %s", o.Currency)
		}
		padmin := e.As(e.NewPlatformUser(actor.PlatformAdmin))
		r = padmin.Post("/api/v1/platform/billing/accounts/"+acc.Slug+"/credit", map[string]any{"amount_minor": 500, "reason": "gesture", "currency": "EUR"})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.FieldErrors()["currency"], "mismatch") {
			t.Fatalf("a credit in EUR to a USD balance: %d %s", r.Status, r.Body)
		}
		ok(t, padmin.Post("/api/v1/platform/billing/accounts/"+acc.Slug+"/credit", map[string]any{"amount_minor": 500, "reason": "gesture", "currency": "USD"}), http.StatusOK, "a credit in USD")
		r = padmin.Post("/api/v1/platform/billing/transfers", map[string]any{"reference": inv.Number, "amount_minor": 100, "bank_ref": "bank-" + acc.Slug, "currency": "GBP"})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.FieldErrors()["currency"], "mismatch") {
			t.Fatalf("a transfer in GBP for a USD invoice: %d %s", r.Status, r.Body)
		}
		var rev billing.Revenue
		ok(t, padmin.Get("/api/v1/platform/billing/mrr"), http.StatusOK, "revenue").JSON(t, &rev)
		found := false
		for _, l := range rev.Accounts {
			if l.Slug == acc.Slug {
				found = l.Currency == "USD" && l.MRRMinor == 2*usd
			}
		}
		if !found || rev.MRRByCurrency["USD"] < 2*usd {
			t.Fatalf("the USD revenue: %+v", rev.MRRByCurrency)
		}

		// The account's own currency, when supported, from the start; else EUR.
		for cur, want := range map[string]string{"CHF": "CHF", "JPY": "EUR"} {
			other := e.NewAccount()
			oo := e.As(other.Owner)
			ok(t, oo.Patch("/api/v1/"+other.Slug+"/account", map[string]any{"currency": cur}), http.StatusOK, "account currency")
			ok(t, oo.Get("/api/v1/"+other.Slug+"/billing"), http.StatusOK, "overview").JSON(t, &o)
			if o.Currency != want {
				t.Fatalf("an account in %s is billed in %s, want %s", cur, o.Currency, want)
			}
		}
	})
}
