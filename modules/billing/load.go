package billing

import (
	"context"
	"fmt"

	"groupcamp/core/actor"
	"groupcamp/core/load"
)

// Load is the billing module's part of the load tool (cmd/gcload): the seed gives the account
// billing details, the test gateway's card and the business plan with every offering, so the
// other modules' creations of the run all pay the quota check (the limiter's read of the plan
// and the count) and their routes the offering check. The scenarios read the owner's billing
// overview (every quota counted) and the invoice list, and quote VAT.
func (m *Module) Load() load.Module {
	return load.Module{
		Name: "billing",
		Seed: m.seedLoad,
		Scenarios: []load.Scenario{
			{Name: "billing.overview", Endpoint: "GET /api/v1/{slug}/billing", Weight: 3, Role: actor.RoleOwner, Run: func(ctx context.Context, w *load.Worker) error {
				r, err := w.Get(ctx, "/api/v1/"+w.Env.Slug+"/billing")
				if err != nil {
					return err
				}
				var o Overview
				if err := r.JSON(&o); err != nil {
					return err
				}
				if o.State != StateActive || len(o.Quotas) != len(QuotaNames) {
					return fmt.Errorf("billing overview: state %s, %d quotas", o.State, len(o.Quotas))
				}
				return nil
			}},
			{Name: "billing.invoices", Endpoint: "GET /api/v1/{slug}/invoices", Weight: 3, Role: actor.RoleOwner, Run: func(ctx context.Context, w *load.Worker) error {
				r, err := w.Get(ctx, "/api/v1/"+w.Env.Slug+"/invoices")
				if err != nil {
					return err
				}
				var l InvoiceList
				if err := r.JSON(&l); err != nil {
					return err
				}
				if len(l.Items) == 0 {
					return fmt.Errorf("no invoice listed")
				}
				return nil
			}},
		},
	}
}

// seedLoad subscribes the load account through the API, as its owner.
func (m *Module) seedLoad(ctx context.Context, env *load.Env) error {
	owner, err := env.First(actor.RoleOwner)
	if err != nil {
		return err
	}
	c := env.API(owner)
	base := "/api/v1/" + env.Slug + "/billing"
	var o Overview
	if err := c.Put(ctx, base+"/details", DetailsInput{LegalName: "Load SAS", Address: "1 rue du Banc, Paris", Country: "FR"}, &o); err != nil {
		return fmt.Errorf("billing: seed details: %w", err)
	}
	if err := c.Post(ctx, base+"/payment-method", PaymentMethodInput{GatewayToken: "tok_test_visa"}, &o); err != nil {
		return fmt.Errorf("billing: seed card: %w", err)
	}
	if err := c.Post(ctx, base+"/subscription", SubscriptionInput{Plan: "business", Offerings: Offerings, Seats: MaxSeats}, &o); err != nil {
		return fmt.Errorf("billing: seed subscription: %w", err)
	}
	return nil
}
