package sso

import (
	"context"
	"fmt"

	"groupcamp/core/actor"
	"groupcamp/core/load"
)

// Load is the sso module's part of the load tool (cmd/gcload): the account's settings saved
// once (an issuer under .invalid, RFC 2606: nothing reaches out of the machine; nothing
// required, so the other scenarios' sign-ins go on with passwords), then read by its admins.
// Every password sign-in of the run also pays the module's sign-in rule (auth.Service.Rules),
// one query over the person's memberships.
func (m *Module) Load() load.Module {
	return load.Module{
		Name: "sso",
		Seed: func(ctx context.Context, env *load.Env) error {
			owner, err := env.First(actor.RoleOwner)
			if err != nil {
				return err
			}
			in := SSOInput{Preset: PresetCustom, Issuer: "https://sso.invalid", ClientID: "gcload", ClientSecret: "gcload-secret", Domains: []string{"example.com"}}
			var v SSOSettings
			if err := env.API(owner).Put(ctx, "/api/v1/"+env.Slug+"/sso", in, &v); err != nil {
				return fmt.Errorf("sso: seed the settings: %w", err)
			}
			return nil
		},
		Scenarios: []load.Scenario{
			{Name: "sso.settings", Endpoint: "GET /api/v1/{slug}/sso", Weight: 1, Role: actor.RoleAdmin, Run: func(ctx context.Context, w *load.Worker) error {
				r, err := w.Get(ctx, "/api/v1/"+w.Env.Slug+"/sso")
				if err != nil {
					return err
				}
				var v SSOSettings
				if err := r.JSON(&v); err != nil {
					return err
				}
				if !v.ClientSecretSet {
					return fmt.Errorf("the seeded settings are not there: %+v", v)
				}
				return nil
			}},
		},
	}
}
