package billing_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/app"
	"groupcamp/core/testkit"
	"groupcamp/modules/billing"
)

// sellerIBAN is the bank account the tests' seller prints on its invoices.
const sellerIBAN = "FR7630006000011234567890189"

// withBank is options with the seller's bank details configured (set before the App serves).
func withBank() testkit.Options {
	o := options()
	o.BeforeServe = func(*app.App) {
		for _, m := range o.Modules {
			if b, ok := m.(*billing.Module); ok {
				b.Service().Seller.IBAN, b.Service().Seller.BIC = sellerIBAN, "AGRIFRPP"
			}
		}
	}
	return o
}

// TestProformaAndTransfer: an owner who pays by wire transfer asks for a pro-forma (PF
// series: the legal sequence does not move; its PDF says it is no invoice), converts it (an
// invoice in the legal sequence naming it, nothing charged; a second conversion is 409, and so
// is converting an invoice), and reads the bank details with the invoice's number as the
// reference on the page and in the PDF. The platform admin records two partial transfers
// (the same bank reference twice counts once; more than is due, or an unknown reference, is
// 422): the one that settles the invoice makes the past-due account active. Nobody but the
// platform admin reaches the route.
func TestProformaAndTransfer(t *testing.T) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			e := testkit.Start(t, kind, withBank())
			ctx := context.Background()
			acc := e.NewAccount()
			owner := e.As(acc.Owner)
			base := "/api/v1/" + acc.Slug
			ok(t, owner.Put(base+"/billing/details", map[string]any{"legal_name": "Acme SAS", "address": "1 rue de la Paix, Paris", "country": "FR"}), http.StatusOK, "details")
			var o billing.Overview
			ok(t, owner.Post(base+"/billing/payment-method", map[string]any{"method": "transfer"}), http.StatusOK, "transfer").JSON(t, &o)
			if o.PaymentMethod != billing.MethodTransfer {
				t.Fatalf("payment method %q", o.PaymentMethod)
			}
			r := owner.Post(base+"/billing/payment-method", map[string]any{"method": "cheque"})
			if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["method"] == "" {
				t.Fatalf("a cheque: %d %s", r.Status, r.Body)
			}
			r = owner.Post(base+"/billing/proforma", map[string]any{"plan": "starter", "offerings": []string{"projects"}, "seats": 0})
			if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["seats"] == "" {
				t.Fatalf("a pro-forma of no seat: %d %s", r.Status, r.Body)
			}

			var pf billing.Invoice
			ok(t, owner.Post(base+"/billing/proforma", map[string]any{"plan": "starter", "offerings": []string{"projects", "timesheet"}, "seats": 2}), http.StatusCreated, "pro-forma").JSON(t, &pf)
			if pf.Kind != billing.KindProforma || !strings.HasPrefix(pf.Number, "PF-") || pf.TotalMinor <= 0 || pf.VATMinor*5 != pf.NetMinor || pf.BalanceMinor != 0 {
				t.Fatalf("pro-forma %+v", pf)
			}
			for _, inv := range invoices(t, owner, acc.Slug) {
				if inv.Kind != billing.KindProforma {
					t.Fatalf("a pro-forma issued an invoice: %+v", inv)
				}
			}
			var pays int
			if err := e.App.DB.NewSelect().TableExpr("billing_payments").ColumnExpr("count(*)").Where("account_id = ?", acc.ID).Scan(ctx, &pays); err != nil || pays != 0 {
				t.Fatalf("payments after a pro-forma: %d %v", pays, err)
			}
			pdf := ok(t, owner.Get(fmt.Sprintf("%s/invoices/%d.pdf", base, pf.ID)), http.StatusOK, "pro-forma PDF")
			if err := validPDF(pdf.Body, pf.Number); err != nil || !pdfHas(pdf.Body, "Ne vaut pas facture") || pdfHas(pdf.Body, sellerIBAN) {
				t.Fatalf("pro-forma PDF: %v", err)
			}

			var inv billing.Invoice
			ok(t, owner.Post(fmt.Sprintf("%s/invoices/%d/convert", base, pf.ID), nil), http.StatusCreated, "convert").JSON(t, &inv)
			if inv.Kind != billing.KindInvoice || !strings.HasPrefix(inv.Number, billing.Entity+"-") || inv.ProformaID == nil || *inv.ProformaID != pf.ID ||
				inv.TotalMinor != pf.TotalMinor || len(inv.Lines) != len(pf.Lines) || inv.PaidMinor != 0 {
				t.Fatalf("converted %+v", inv)
			}
			r = owner.Post(fmt.Sprintf("%s/invoices/%d/convert", base, pf.ID), nil)
			if r.Status != http.StatusConflict {
				t.Fatalf("a second conversion: %d %s", r.Status, r.Body)
			}
			ok(t, owner.Post(fmt.Sprintf("%s/invoices/%d/convert", base, inv.ID), nil), http.StatusConflict, "converting an invoice")
			var again billing.Invoice
			ok(t, owner.Get(fmt.Sprintf("%s/invoices/%d", base, pf.ID)), http.StatusOK, "the pro-forma").JSON(t, &again)
			if again.ConvertedID == nil || *again.ConvertedID != inv.ID {
				t.Fatalf("the pro-forma does not name its invoice: %+v", again)
			}
			if err := e.App.DB.NewSelect().TableExpr("billing_payments").ColumnExpr("count(*)").Where("account_id = ?", acc.ID).Scan(ctx, &pays); err != nil || pays != 0 {
				t.Fatalf("a transfer account was charged: %d %v", pays, err)
			}
			page := ok(t, owner.Get(fmt.Sprintf("/%s/admin/billing/invoices/%d", acc.Slug, inv.ID)), http.StatusOK, "invoice page")
			if !contains(page.Body, `id="transfer-details"`) || !contains(page.Body, sellerIBAN) || !contains(page.Body, `id="transfer-reference">`+inv.Number) {
				t.Fatal("the invoice page shows no bank details")
			}
			pdf = ok(t, owner.Get(fmt.Sprintf("%s/invoices/%d.pdf", base, inv.ID)), http.StatusOK, "invoice PDF")
			if err := validPDF(pdf.Body, inv.Number); err != nil || !pdfHas(pdf.Body, "IBAN "+sellerIBAN) {
				t.Fatalf("invoice PDF: %v", err)
			}

			// The account fell behind (as dunning would put it); the platform admin records the transfers.
			if _, err := e.App.DB.ExecContext(ctx, "UPDATE billing_subscriptions SET state = ?, past_due_since = ? WHERE account_id = ?", billing.StatePastDue, time.Now().UTC(), acc.ID); err != nil {
				t.Fatal(err)
			}
			padmin := e.As(e.NewPlatformUser(actor.PlatformAdmin))
			const route = "/api/v1/platform/billing/transfers"
			half := inv.TotalMinor / 2
			for _, who := range []*testkit.Client{owner, e.As(e.NewPlatformUser(actor.PlatformSupport)), e.As(e.NewPlatformUser(actor.PlatformPartner))} {
				ok(t, who.Post(route, map[string]any{"reference": inv.Number, "amount_minor": half, "bank_ref": "nope"}), http.StatusNotFound, "not the platform admin")
			}
			for field, body := range map[string]map[string]any{
				"reference":    {"reference": "GC-FR-999999", "amount_minor": half, "bank_ref": "x"},
				"amount_minor": {"reference": inv.Number, "amount_minor": inv.TotalMinor + 1, "bank_ref": "x"},
				"bank_ref":     {"reference": inv.Number, "amount_minor": half, "bank_ref": ""},
			} {
				r := padmin.Post(route, body)
				if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()[field] == "" {
					t.Fatalf("bad %s: %d %s", field, r.Status, r.Body)
				}
			}
			r = padmin.Post(route, map[string]any{"reference": pf.Number, "amount_minor": half, "bank_ref": "x"})
			if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["reference"] == "" {
				t.Fatalf("a pro-forma's number: %d %s", r.Status, r.Body)
			}
			var tr billing.TransferResult
			for range 2 { // the bank's reference makes the repeat harmless
				ok(t, padmin.Post(route, map[string]any{"reference": strings.ToLower(inv.Number), "amount_minor": half, "bank_ref": "BANK-1"}), http.StatusOK, "first part").JSON(t, &tr)
				if tr.PaidMinor != half || tr.DueMinor != inv.TotalMinor-half || tr.State != billing.StatePastDue {
					t.Fatalf("after the first part: %+v", tr)
				}
			}
			ok(t, padmin.Post(route, map[string]any{"reference": inv.Number, "amount_minor": inv.TotalMinor - half, "bank_ref": "BANK-2"}), http.StatusOK, "the rest").JSON(t, &tr)
			if tr.PaidMinor != inv.TotalMinor || tr.DueMinor != 0 || tr.State != billing.StateActive {
				t.Fatalf("after the rest: %+v", tr)
			}
			ok(t, owner.Get(base+"/billing"), http.StatusOK, "overview").JSON(t, &o)
			ok(t, owner.Get(fmt.Sprintf("%s/invoices/%d", base, inv.ID)), http.StatusOK, "invoice").JSON(t, &inv)
			if o.State != billing.StateActive || inv.PaidMinor != inv.TotalMinor {
				t.Fatalf("once paid: %s, paid %d of %d", o.State, inv.PaidMinor, inv.TotalMinor)
			}
			page = ok(t, owner.Get(fmt.Sprintf("/%s/admin/billing/invoices/%d", acc.Slug, inv.ID)), http.StatusOK, "paid invoice page")
			if contains(page.Body, `id="transfer-details"`) {
				t.Fatal("a paid invoice still asks for a transfer")
			}
			var audited int
			if err := e.App.DB.NewSelect().TableExpr("audit_events").ColumnExpr("count(*)").Where("account_id = ? AND action = ?", acc.ID, "billing.transfer_recorded").Scan(ctx, &audited); err != nil || audited != 2 {
				t.Fatalf("audited transfers: %d %v", audited, err)
			}

			// The page: a pro-forma from the subscription form, then its conversion.
			res := owner.SubmitForm("/"+acc.Slug+"/admin/billing", "/"+acc.Slug+"/admin/billing/proforma", url.Values{"plan": {"team"}, "offerings": {"files"}, "seats": {"3"}})
			action := regexp.MustCompile(`action="(/[^"]+/convert)" id="convert-form"`).FindSubmatch(res.Body)
			if res.Status != http.StatusOK || action == nil || !contains(res.Body, `id="proforma-mention"`) {
				t.Fatalf("pro-forma form: %d %s", res.Status, res.Body)
			}
			pagePath := strings.TrimSuffix(string(action[1]), "/convert")
			res = owner.SubmitForm(pagePath, string(action[1]), url.Values{})
			if res.Status != http.StatusOK || !contains(res.Body, `id="transfer-reference"`) {
				t.Fatalf("convert form: %d %s", res.Status, res.Body)
			}
		})
	}
}
