package billing_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

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
		// A French customer billed in USD pays VAT, which the invoice states in EUR too: at
		// the rate the platform entered (TestVATInEUR).
		padmin := e.As(e.NewPlatformUser(actor.PlatformAdmin))
		ok(t, padmin.Post("/api/v1/platform/billing/rates", map[string]any{"currency": "USD", "valid_on": "2000-01-01", "rate": "1.1"}), http.StatusOK, "USD rate")
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

// TestVATInEUR: an invoice in another currency states its VAT in EUR too, at the exchange rate
// the platform admin entered that is in force on its day. Without one, the subscription of a
// French customer billed in GBP (VAT 20%) is refused with a 422 naming the currency and the
// day, nothing is invoiced, and the platform page warns of the missing rate. Bad rates are
// refused next to their field; a rate of a later day is not used; the HTML page and the PDF
// state the VAT in EUR with the rate and its day, and the PDF the customer's Cyrillic name.
func TestVATInEUR(t *testing.T) {
	eachShared(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		padmin := e.As(e.NewPlatformUser(actor.PlatformAdmin))
		base := "/api/v1/" + acc.Slug + "/billing"
		ok(t, owner.Put(base+"/details", map[string]any{"legal_name": "ООО «Ромашка»", "address": "ул. Тверская, 1", "country": "FR", "currency": "GBP"}), http.StatusOK, "details in GBP")
		ok(t, owner.Post(base+"/payment-method", map[string]any{"gateway_token": "tok_test_visa"}), http.StatusOK, "card")
		sub := map[string]any{"plan": "starter", "offerings": []string{"projects"}, "seats": 2}
		r := owner.Post(base+"/subscription", sub)
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.FieldErrors()["currency"], "GBP") {
			t.Fatalf("a GBP invoice with VAT without a rate: %d %s", r.Status, r.Body)
		}
		if got := invoices(t, owner, acc.Slug); len(got) != 0 {
			t.Fatalf("invoiced without a rate: %+v", got)
		}
		var rates billing.RateList
		ok(t, padmin.Get("/api/v1/platform/billing/rates"), http.StatusOK, "rates").JSON(t, &rates)
		if !slices.Contains(rates.Missing, "GBP") {
			t.Fatalf("GBP is not among the missing rates: %+v", rates.Missing)
		}
		if !contains(ok(t, padmin.Get("/platform/billing"), http.StatusOK, "platform page").Body, `id="rates-missing"`) {
			t.Fatal("the platform page does not warn of the missing rate")
		}
		now := time.Now().UTC()
		past, later := now.AddDate(0, 0, -10).Format("2006-01-02"), now.AddDate(0, 0, 5).Format("2006-01-02")
		for field, bad := range map[string]map[string]any{
			"currency": {"currency": "EUR", "valid_on": past, "rate": "1"},
			"valid_on": {"currency": "GBP", "valid_on": "2026-13-01", "rate": "1"},
			"rate":     {"currency": "GBP", "valid_on": past, "rate": "0,85"},
		} {
			if r := padmin.Post("/api/v1/platform/billing/rates", bad); r.Status != http.StatusUnprocessableEntity || r.FieldErrors()[field] == "" {
				t.Fatalf("a bad %s: %d %s", field, r.Status, r.Body)
			}
		}
		for _, bad := range []string{"0", "-1", "1.1234567", "abc"} {
			if r := padmin.Post("/api/v1/platform/billing/rates", map[string]any{"currency": "GBP", "valid_on": past, "rate": bad}); r.Status != http.StatusUnprocessableEntity {
				t.Fatalf("the rate %q: %d", bad, r.Status)
			}
		}
		res := padmin.SubmitForm("/platform/billing", "/platform/billing/rates", url.Values{"currency": {"GBP"}, "valid_on": {past}, "rate": {"oops"}})
		if res.Status != http.StatusUnprocessableEntity || !contains(res.Body, `id="e-rate"`) {
			t.Fatalf("a bad rate in the page's form: %d", res.Status)
		}
		var saved billing.ExchangeRate
		ok(t, padmin.Post("/api/v1/platform/billing/rates", map[string]any{"currency": "gbp", "valid_on": past, "rate": "0.8512"}), http.StatusOK, "GBP rate").JSON(t, &saved)
		if saved.RateMicro != 851200 || saved.Rate != "0.8512" || saved.Currency != "GBP" {
			t.Fatalf("the saved rate: %+v", saved)
		}
		res = padmin.SubmitForm("/platform/billing", "/platform/billing/rates", url.Values{"currency": {"GBP"}, "valid_on": {later}, "rate": {"0.9"}})
		if res.Status != http.StatusOK || !contains(res.Body, `id="rates-table"`) || !contains(res.Body, "0.9 GBP") {
			t.Fatalf("a later rate through the page: %d", res.Status)
		}

		var o billing.Overview
		ok(t, owner.Post(base+"/subscription", sub), http.StatusOK, "subscribe with a rate").JSON(t, &o)
		inv := invoices(t, owner, acc.Slug)[0]
		var full billing.Invoice
		ok(t, owner.Get("/api/v1/"+acc.Slug+"/invoices/"+itoa(inv.ID)), http.StatusOK, "invoice").JSON(t, &full)
		want := billing.ToEUR(full.VATMinor, 851200)
		if full.Currency != "GBP" || full.VATMinor == 0 || full.VATEURMinor == nil || *full.VATEURMinor != want ||
			full.EURRateMicro == nil || *full.EURRateMicro != 851200 || full.EURRateOn == nil || *full.EURRateOn != past {
			t.Fatalf("the GBP invoice's VAT in EUR: %+v", full)
		}
		page := ok(t, owner.Get("/"+acc.Slug+"/admin/billing/invoices/"+itoa(inv.ID)), http.StatusOK, "invoice page").String()
		if !strings.Contains(page, `id="invoice-vat-eur"`) || !strings.Contains(page, billing.Money(want, "EUR")) || !strings.Contains(page, "0.8512") {
			t.Fatal("the invoice page does not state the VAT in EUR with its rate")
		}
		pdf := ok(t, owner.Get("/api/v1/"+acc.Slug+"/invoices/"+itoa(inv.ID)+".pdf"), http.StatusOK, "pdf").Body
		if err := validPDF(pdf, inv.Number); err != nil || !pdfHas(pdf, "VAT in EUR") || !pdfHas(pdf, billing.Money(want, "EUR")) || !pdfHas(pdf, "1 EUR = 0.8512 GBP, "+past) {
			t.Fatalf("the PDF does not state the VAT in EUR (%v)", err)
		}
		// The embedded font prints the Russian customer's name as typed (no "?").
		if !pdfHas(pdf, "ООО «Ромашка»") || !pdfHas(pdf, "ул. Тверская, 1") || !contains(pdf, "/FontFile2") {
			t.Fatal("the PDF does not show the Cyrillic name and address")
		}
	})
}

// TestRateArithmetic: rates are read exactly (millionths, no float) and amounts converted
// with rounding half away from zero.
func TestRateArithmetic(t *testing.T) {
	for in, want := range map[string]int64{"1": 1_000_000, "1.0523": 1_052_300, "0.000001": 1, "123.456789": 123_456_789, " 0.85 ": 850_000} {
		if got, err := billing.ParseRate(in); err != nil || got != want {
			t.Errorf("ParseRate(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0", "0.0000001", "-1", "1e3", "1,5", ".5", "1.", "10000000"} {
		if _, err := billing.ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q) accepted", bad)
		}
	}
	if s := billing.FormatRate(1_052_300); s != "1.0523" {
		t.Errorf("FormatRate: %s", s)
	}
	for _, c := range []struct{ minor, rate, want int64 }{{180, 851_200, 211}, {-180, 851_200, -211}, {105, 1_050_000, 100}, {1, 2_000_000, 1}, {-1, 2_000_000, -1}, {0, 1_100_000, 0}} {
		if got := billing.ToEUR(c.minor, c.rate); got != c.want {
			t.Errorf("ToEUR(%d, %d) = %d, want %d", c.minor, c.rate, got, c.want)
		}
	}
}
