package billing_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
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

// TestPersonalData: the owner whose name is on the card finds it described and exported; the
// erasure blanks the holder's name and keeps the card's token and the invoices. A partner sees
// the plan, state and MRR of the accounts it manages only.
func TestPersonalData(t *testing.T) {
	eachShared(t, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		tok, err := module(t, e).TestGateway().Tokenize("5555 5555 5555 4444", acc.Owner.Name, "01/2032")
		if err != nil {
			t.Fatal(err)
		}
		subscribed(t, owner, acc.Slug, "FR", "", tok, "starter", 1, "projects")
		var pd hooks.PersonalData
		for _, h := range e.App.Hooks.PersonalData {
			if h.Module == "billing" {
				pd = h.Hook
			}
		}
		ctx := context.Background()
		s := hooks.Subject{AccountID: acc.ID, UserID: acc.Owner.ID, Email: acc.Owner.Email, Name: acc.Owner.Name}
		cats, err := pd.Describe(ctx, s)
		if err != nil || len(cats) != 1 || cats[0].Count != 1 {
			t.Fatalf("describe: %+v %v", cats, err)
		}
		x := exporter{}
		if err := pd.Export(ctx, s, x); err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal(x["billing.json"])
		if !contains(b, `"last4":"4444"`) || !contains(b, acc.Owner.Name) {
			t.Fatalf("export: %s", b)
		}
		if err := pd.Erase(ctx, e.App.DB, s, hooks.Erasure{}); err != nil {
			t.Fatal(err)
		}
		var o billing.Overview
		ok(t, owner.Get("/api/v1/"+acc.Slug+"/billing"), http.StatusOK, "overview").JSON(t, &o)
		if o.Card == nil || o.Card.Holder != "" || o.Card.Last4 != "4444" || len(invoices(t, owner, acc.Slug)) != 1 {
			t.Fatalf("after the erasure: %+v", o.Card)
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
		// A partner-billed account is not billed here.
		ok(t, owner.Post("/api/v1/"+acc.Slug+"/billing/subscription", map[string]any{"plan": "team", "offerings": []string{"projects"}, "seats": 1}), http.StatusConflict, "a partner-billed subscription")
	})
}
