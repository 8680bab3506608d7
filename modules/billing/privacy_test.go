package billing_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
	"groupcamp/modules/billing"
)

// exporter keeps what an export writes.
type exporter map[string]any

func (x exporter) JSON(name string, v any) error { x[name] = v; return nil }
func (x exporter) File(name string, r io.Reader) error {
	b, _ := io.ReadAll(r)
	x[name] = b
	return nil
}

// TestPersonalData: the owner of a consumer account (no VAT number) whose name is on the card
// finds the card, the documents naming them and the balance's movements described and
// exported, each document with its PDF. The erasure blanks the holder's name and keeps the
// card's token; the invoice within its retention stays as issued, while the pro-forma and an
// invoice past the ten years are redacted and their stored PDFs go (the PDF route draws the
// redacted row). A partner sees the plan, state and MRR of the accounts it manages only.
func TestPersonalData(t *testing.T) {
	eachShared(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		tok, err := module(t, e).TestGateway().Tokenize("5555 5555 5555 4444", acc.Owner.Name, "01/2032")
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		svc := module(t, e).Service()
		if _, err := svc.Credit(ctx, acc.ID, 200, "welcome gesture"); err != nil {
			t.Fatal(err)
		}
		subscribed(t, owner, acc.Slug, "FR", "", tok, "starter", 1, "projects")
		var pf billing.Invoice
		ok(t, owner.Post("/api/v1/"+acc.Slug+"/billing/proforma", map[string]any{"plan": "team", "offerings": []string{"files"}, "seats": 1}), http.StatusCreated, "pro-forma").JSON(t, &pf)
		old, err := svc.IssueInvoice(ctx, acc.ID, []billing.Line{{Description: "An old month", Quantity: 1, UnitMinor: 1000}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.App.DB.NewUpdate().Table("billing_invoices").Set("issued_on = ?", "2014-01-31").Where("id = ?", old.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		storedPDFs(t, e, acc.ID, 3) // the background job's, of each document
		var pd hooks.PersonalData
		for _, h := range e.App.Hooks.PersonalData {
			if h.Module == "billing" {
				pd = h.Hook
			}
		}
		s := hooks.Subject{AccountID: acc.ID, UserID: acc.Owner.ID, Email: acc.Owner.Email, Name: acc.Owner.Name}
		cats, err := pd.Describe(ctx, s)
		if err != nil || len(cats) != 3 || cats[0].Count != 1 || cats[1].Count != 3 || cats[2].Count != 2 { // the credit, and its use by the first invoice
			t.Fatalf("describe: %+v %v", cats, err)
		}
		x := exporter{}
		if err := pd.Export(ctx, s, x); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(x["billing.json"])
		var got struct {
			Documents []struct{ Number, PDF string }
			Balance   []struct {
				AmountMinor int64 `json:"amount_minor"`
			}
		}
		_ = json.Unmarshal(b, &got)
		if !contains(b, `"last4":"4444"`) || !contains(b, acc.Owner.Name) || len(got.Documents) != 3 || len(got.Balance) != 2 || got.Balance[0].AmountMinor != 200 || got.Balance[1].AmountMinor != -200 {
			t.Fatalf("export: %s", b)
		}
		for _, d := range got.Documents {
			body, _ := x[d.PDF].([]byte)
			if err := validPDF(body, d.Number); err != nil {
				t.Fatalf("exported PDF %s: %v", d.PDF, err)
			}
		}
		if err := pd.Erase(ctx, e.App.DB, s, hooks.Erasure{}); err != nil {
			t.Fatal(err)
		}
		var o billing.Overview
		ok(t, owner.Get("/api/v1/"+acc.Slug+"/billing"), http.StatusOK, "overview").JSON(t, &o)
		if o.Card == nil || o.Card.Holder != "" || o.Card.Last4 != "4444" || len(invoices(t, owner, acc.Slug)) != 3 {
			t.Fatalf("after the erasure: %+v", o.Card)
		}
		for _, inv := range invoices(t, owner, acc.Slug) {
			erased := inv.ID == pf.ID || inv.ID == old.ID
			if (inv.LegalName == billing.Redacted) != erased || (inv.Address == billing.Redacted) != erased {
				t.Errorf("after the erasure, %s (%s, %s): %q, %q", inv.Number, inv.Kind, inv.IssuedOn, inv.LegalName, inv.Address)
			}
		}
		storedPDFs(t, e, acc.ID, 1) // the current invoice's alone
		pdf := ok(t, owner.Get(fmt.Sprintf("/api/v1/%s/invoices/%d.pdf", acc.Slug, pf.ID)), http.StatusOK, "a redacted pro-forma's PDF").Body
		if err := validPDF(pdf, billing.Redacted); err != nil || pdfHas(pdf, "Customer "+acc.Slug) {
			t.Fatalf("the redacted pro-forma's PDF: %v", err)
		}

		partner := e.NewPlatformUser(actor.PlatformPartner)
		var l billing.PlatformList
		ok(t, e.As(partner).Get("/api/v1/platform/billing/accounts"), http.StatusOK, "partner").JSON(t, &l)
		if len(l.Items) != 0 {
			t.Fatalf("a partner sees accounts it does not manage: %+v", l.Items)
		}
		ok(t, owner.Get("/api/v1/platform/billing/accounts"), http.StatusNotFound, "an owner on the platform route")
		// The partner manages the account (groupcamp platform manage): it is listed, with its MRR.
		if _, err := e.App.DB.NewUpdate().Table("accounts").Set("partner_user_id = ?", partner.ID).Where("id = ?", acc.ID).Exec(ctx); err != nil {
			t.Fatal(err)
		}
		ok(t, e.As(partner).Get("/api/v1/platform/billing/accounts"), http.StatusOK, "partner").JSON(t, &l)
		if len(l.Items) != 1 || l.Items[0].Slug != acc.Slug || l.Items[0].MRRMinor != 500 || l.MRRMinor != 500 || l.Items[0].Plan != "starter" {
			t.Fatalf("the partner's list: %+v", l)
		}
		// The platform console's view of the account gives the partner its plan too (the
		// hooks.AccountPlan port), on the page as in the API.
		var view struct {
			Plan *struct {
				Plan, State string
				Offerings   []string
				Seats       int64
			}
		}
		ok(t, e.As(partner).Get("/api/v1/platform/accounts/"+acc.Slug), http.StatusOK, "the console's view").JSON(t, &view)
		if view.Plan == nil || view.Plan.Plan != "starter" || view.Plan.State != l.Items[0].State || len(view.Plan.Offerings) == 0 {
			t.Errorf("the partner's view of the plan: %+v", view.Plan)
		}
		if page := ok(t, e.As(partner).Get("/platform/accounts/"+acc.Slug), http.StatusOK, "the console page").String(); !strings.Contains(page, `id="partner-plan"`) || !strings.Contains(page, "<code>starter</code>") {
			t.Errorf("the console page shows the partner no plan")
		}
		// A partner-billed account is not billed here.
		ok(t, owner.Post("/api/v1/"+acc.Slug+"/billing/subscription", map[string]any{"plan": "team", "offerings": []string{"projects"}, "seats": 1}), http.StatusConflict, "a partner-billed subscription")
	})
}

// storedPDFs waits for the background work (the PDFs are rendered by the billing.invoice_issued
// subscriber) and checks the account has n stored PDFs.
func storedPDFs(t *testing.T, e *testkit.Env, accountID, n int64) {
	t.Helper()
	e.Settle()
	got, err := e.App.DB.NewSelect().Table("billing_invoice_pdfs").Where("account_id = ?", accountID).Count(context.Background())
	if err != nil || got != n {
		t.Fatalf("%d stored PDFs, want %d (%v)", got, n, err)
	}
}
