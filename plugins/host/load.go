package host

import (
	"context"
	"fmt"

	"groupcamp/core/actor"
	"groupcamp/core/load"
)

// Load is the plugins module's part of the load tool (cmd/gcload): administrators list the
// plugins (the supervisor's states and the account's enablement rows), and, when the server
// runs with the example status report installed (GROUPCAMP_PLUGINS_DIR), the seed enables it
// so that the scenario's listing shows it running — its section's cost is measured by
// BenchmarkPlugins, on the client portal page.
func (m *Module) Load() load.Module {
	return load.Module{
		Name: "plugins",
		Seed: m.seedLoad,
		Scenarios: []load.Scenario{
			{Name: "plugins.list", Endpoint: "GET /api/v1/{slug}/plugins", Weight: 1, Role: actor.RoleAdmin, Run: func(ctx context.Context, w *load.Worker) error {
				r, err := w.Get(ctx, "/api/v1/"+w.Env.Slug+"/plugins")
				if err != nil {
					return err
				}
				var v PluginList
				return r.JSON(&v)
			}},
		},
	}
}

// seedLoad enables the status report, when installed, as the account's owner.
func (m *Module) seedLoad(ctx context.Context, env *load.Env) error {
	if _, ok := m.svc.Sup.Manifest("status-report"); !ok {
		return nil
	}
	owner, err := env.First(actor.RoleOwner)
	if err != nil {
		return err
	}
	var p Plugin
	if err := env.API(owner).Post(ctx, "/api/v1/"+env.Slug+"/plugins/status-report/enable", EnableInput{}, &p); err != nil {
		return fmt.Errorf("plugins: enable the status report: %w", err)
	}
	return nil
}
