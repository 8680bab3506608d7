package billing_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules/billing"
)

// TestPartnerInvoices: a partner lists the invoices of the accounts it manages (not of
// another's, nor of an account without a partner), narrows them to one account, downloads one
// as PDF (audited in the account's trail) and reads them on its console page; another
// account's slug or invoice is 404, as is the list for anyone but a partner.
func TestPartnerInvoices(t *testing.T) {
	eachShared(t, func(t *testing.T, e *testkit.Env) {
		ctx := context.Background()
		partner, other := e.NewPlatformUser(actor.PlatformPartner), e.NewPlatformUser(actor.PlatformPartner)
		mine, theirs := e.NewAccount(), e.NewAccount()
		// Invoiced here before the partner took them over.
		subscribed(t, e.As(mine.Owner), mine.Slug, "FR", "", "tok_test_visa", "starter", 2, "projects")
		subscribed(t, e.As(theirs.Owner), theirs.Slug, "FR", "", "tok_test_visa", "starter", 2, "projects")
		for acc, p := range map[*testkit.Account]*testkit.User{mine: partner, theirs: other} {
			if _, err := e.App.DB.NewUpdate().Table("accounts").Set("partner_user_id = ?", p.ID).Where("id = ?", acc.ID).Exec(ctx); err != nil {
				t.Fatal(err)
			}
		}
		myInv := invoices(t, e.As(mine.Owner), mine.Slug)[0]
		theirInv := invoices(t, e.As(theirs.Owner), theirs.Slug)[0]

		p := e.As(partner)
		const list = "/api/v1/platform/billing/invoices"
		var got billing.PartnerInvoiceList
		ok(t, p.Get(list), http.StatusOK, "the partner's invoices").JSON(t, &got)
		if len(got.Items) != 1 || got.Items[0].Slug != mine.Slug || got.Items[0].ID != myInv.ID || got.Items[0].Number != myInv.Number || got.Items[0].TotalMinor != myInv.TotalMinor {
			t.Fatalf("the partner's invoices: %+v", got.Items)
		}
		ok(t, p.Get(list+"?account="+url.QueryEscape(mine.Slug)), http.StatusOK, "one account's").JSON(t, &got)
		if len(got.Items) != 1 {
			t.Fatalf("one account's invoices: %+v", got.Items)
		}
		ok(t, p.Get(list+"?account="+url.QueryEscape(theirs.Slug)), http.StatusNotFound, "another partner's account")

		pdfOf := func(slug string, id int64) string {
			return "/api/v1/platform/billing/accounts/" + slug + "/invoices/" + itoa(id) + ".pdf"
		}
		r := ok(t, p.Get(pdfOf(mine.Slug, myInv.ID)), http.StatusOK, "the PDF")
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/pdf") {
			t.Fatalf("the PDF's type: %s", r.Header.Get("Content-Type"))
		}
		if err := validPDF(r.Body, myInv.Number); err != nil {
			t.Fatal(err)
		}
		var audited int
		if err := e.App.DB.NewSelect().TableExpr("audit_events").ColumnExpr("count(*)").Where("account_id = ? AND action = 'billing.invoice_downloaded'", mine.ID).Scan(ctx, &audited); err != nil || audited != 1 {
			t.Fatalf("audited downloads: %d %v", audited, err)
		}
		ok(t, p.Get(pdfOf(theirs.Slug, theirInv.ID)), http.StatusNotFound, "another partner's invoice")
		ok(t, p.Get(pdfOf(mine.Slug, theirInv.ID)), http.StatusNotFound, "another account's invoice under my account")
		ok(t, p.Get(pdfOf("no-such-account", myInv.ID)), http.StatusNotFound, "no account")

		if !contains(ok(t, p.Get("/platform"), http.StatusOK, "the console").Body, `href="/platform/billing/invoices"`) {
			t.Fatal("the partner's console does not link to the invoices")
		}
		page := ok(t, p.Get("/platform/billing/invoices"), http.StatusOK, "the console page").String()
		if !strings.Contains(page, `id="partner-invoices"`) || !strings.Contains(page, myInv.Number) || strings.Contains(page, theirs.Slug) {
			t.Fatal("the console page does not list the partner's invoices alone")
		}
		ok(t, p.Get("/platform/billing/invoices?account="+url.QueryEscape(theirs.Slug)), http.StatusNotFound, "the page for another partner's account")

		for _, who := range []*testkit.Client{e.As(mine.Owner), e.As(e.NewPlatformUser(actor.PlatformSupport)), e.As(e.NewPlatformUser(actor.PlatformAdmin))} {
			ok(t, who.Get(list), http.StatusNotFound, "the list, not as a partner")
			ok(t, who.Get(pdfOf(mine.Slug, myInv.ID)), http.StatusNotFound, "the PDF, not as a partner")
			ok(t, who.Get("/platform/billing/invoices"), http.StatusNotFound, "the page, not as a partner")
		}
	})
}

// TestDeleteRate: the platform admin deletes a rate entered by mistake (audited; again 404),
// through the API and the page; a rate an issued invoice used is kept (409); nobody else
// deletes one.
func TestDeleteRate(t *testing.T) {
	eachShared(t, func(t *testing.T, e *testkit.Env) {
		ctx := context.Background()
		padmin := e.As(e.NewPlatformUser(actor.PlatformAdmin))
		const rates = "/api/v1/platform/billing/rates"
		// Far in the future: no invoice of any test uses it.
		ok(t, padmin.Post(rates, map[string]any{"currency": "USD", "valid_on": "2098-07-13", "rate": "1.25"}), http.StatusOK, "a mistaken rate")
		ok(t, padmin.Post(rates, map[string]any{"currency": "USD", "valid_on": "2098-07-14", "rate": "1.26"}), http.StatusOK, "another")
		for _, who := range []*testkit.Client{e.As(e.NewAccount().Owner), e.As(e.NewPlatformUser(actor.PlatformSupport)), e.As(e.NewPlatformUser(actor.PlatformPartner))} {
			ok(t, who.Delete(rates+"/USD/2098-07-13"), http.StatusNotFound, "delete, not as the platform admin")
		}
		ok(t, padmin.Delete(rates+"/usd/2098-07-13"), http.StatusNoContent, "delete")
		ok(t, padmin.Delete(rates+"/USD/2098-07-13"), http.StatusNotFound, "delete again")
		ok(t, padmin.Delete(rates+"/EUR/2098-07-13"), http.StatusNotFound, "EUR has no rate")
		ok(t, padmin.Delete(rates+"/USD/someday"), http.StatusNotFound, "not a day")
		var audited int
		if err := e.App.DB.NewSelect().TableExpr("audit_events").ColumnExpr("count(*)").Where("action = 'billing.rate_deleted' AND target = 'USD' AND details LIKE '%2098-07-13%'").Scan(ctx, &audited); err != nil || audited != 1 {
			t.Fatalf("audited deletions: %d %v", audited, err)
		}
		res := padmin.SubmitForm("/platform/billing", "/platform/billing/rates/USD/2098-07-14/delete", url.Values{})
		if res.Status != http.StatusOK || contains(res.Body, "2098-07-14") {
			t.Fatalf("delete through the page: %d", res.Status)
		}

		// An invoice in CHF with VAT uses the rate in force: kept.
		ok(t, padmin.Post(rates, map[string]any{"currency": "CHF", "valid_on": "2020-01-01", "rate": "0.95"}), http.StatusOK, "CHF rate")
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		base := "/api/v1/" + acc.Slug + "/billing"
		ok(t, owner.Put(base+"/details", map[string]any{"legal_name": "Client SA", "country": "FR", "currency": "CHF"}), http.StatusOK, "details in CHF")
		ok(t, owner.Post(base+"/payment-method", map[string]any{"gateway_token": "tok_test_visa"}), http.StatusOK, "card")
		ok(t, owner.Post(base+"/subscription", map[string]any{"plan": "starter", "offerings": []string{"projects"}, "seats": 2}), http.StatusOK, "subscribe")
		var inv billing.Invoice
		ok(t, owner.Get("/api/v1/"+acc.Slug+"/invoices/"+itoa(invoices(t, owner, acc.Slug)[0].ID)), http.StatusOK, "invoice").JSON(t, &inv)
		if inv.EURRateOn == nil {
			t.Fatalf("the CHF invoice used no rate: %+v", inv)
		}
		used := rates + "/CHF/" + *inv.EURRateOn
		ok(t, padmin.Delete(used), http.StatusConflict, "a rate an invoice used")
		var n int
		if err := e.App.DB.NewSelect().TableExpr("billing_exchange_rates").ColumnExpr("count(*)").Where("currency = 'CHF' AND valid_on = ?", *inv.EURRateOn).Scan(ctx, &n); err != nil || n != 1 {
			t.Fatalf("the used rate: %d %v", n, err)
		}
		res = padmin.SubmitForm("/platform/billing", "/platform/billing/rates/CHF/"+*inv.EURRateOn+"/delete", url.Values{})
		if res.Status != http.StatusConflict || !contains(res.Body, "issued invoice") {
			t.Fatalf("the page deletes a used rate: %d", res.Status)
		}
	})
}
