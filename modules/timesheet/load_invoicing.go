package timesheet

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"groupcamp/core/actor"
	"groupcamp/core/load"
)

// The load tool's invoicing: the seed gives the first seeded project a client company ("Load
// client") and a bill rate, and approves everyone's first seeded week (submitted and approved
// by the owner); the scenario drafts that company's invoice lines of November as an
// administrator — the rate rules over every entry, the approved weeks looked up.

const loadClientKey = "timesheet.client"

func seedInvoicingLoad(ctx context.Context, env *load.Env, ids []int64) error {
	owner, err := env.First(actor.RoleOwner)
	if err != nil {
		return err
	}
	api := env.API(owner)
	var co struct{ ID int64 }
	if err := api.Post(ctx, "/api/v1/"+env.Slug+"/companies", map[string]any{"name": "Load client", "kind": "client"}, &co); err != nil {
		return fmt.Errorf("timesheet: seed a client: %w", err)
	}
	if err := api.Do(ctx, http.MethodPatch, fmt.Sprintf("/api/v1/%s/projects/%d", env.Slug, ids[0]), map[string]any{"client_company_id": co.ID}, nil); err != nil {
		return fmt.Errorf("timesheet: seed the project's client: %w", err)
	}
	if err := api.Put(ctx, fmt.Sprintf("/api/v1/%s/project-rates/%d", env.Slug, ids[0]), RateInput{RateCents: new(int64(11000))}, nil); err != nil {
		return fmt.Errorf("timesheet: seed a rate: %w", err)
	}
	for _, p := range append(env.ByRole(actor.RoleManager), env.ByRole(actor.RoleMember)...) {
		for _, step := range []string{Submit, Approve} {
			if err := api.Post(ctx, fmt.Sprintf("/api/v1/%s/timesheets/%d/%s/%s", env.Slug, p.ID, loadWeeks[0], step), map[string]any{}, nil); err != nil {
				return fmt.Errorf("timesheet: seed an approved week: %w", err)
			}
		}
	}
	env.Set(loadClientKey, co.ID)
	return nil
}

// invoicingScenario drafts the seeded client's lines of November (an administrator's).
var invoicingScenario = load.Scenario{Name: "timesheet.invoicing", Endpoint: "GET /api/v1/{slug}/invoice-lines?client=&from=&to=", Weight: 1, Role: actor.RoleAdmin,
	Run: func(ctx context.Context, w *load.Worker) error {
		co, _ := w.Env.Get(loadClientKey).(int64)
		if co == 0 {
			return errors.New("no seeded client company")
		}
		r, err := w.Get(ctx, fmt.Sprintf("/api/v1/%s/invoice-lines?client=%d&from=2026-11-01&to=2026-11-30", w.Env.Slug, co))
		if err != nil {
			return err
		}
		var d InvoiceDraft
		if err := r.JSON(&d); err != nil {
			return err
		}
		if d.Entries == 0 {
			return errors.New("a draft of the seeded client without time")
		}
		return nil
	}}
