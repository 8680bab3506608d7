package privacy

import (
	"context"
	"errors"

	"groupcamp/core/actor"
	"groupcamp/core/load"
)

// Load is the privacy module's part of the load tool (cmd/gcload): the access report of the
// run's person (every module's Describe with counts), and the account's record of processing
// (every Describe without a person) for an admin. Exports and erasures are background work,
// measured by the benchmarks (BenchmarkPrivacy), not by a request rate.
func (m *Module) Load() load.Module {
	return load.Module{
		Name: "privacy",
		Scenarios: []load.Scenario{
			{Name: "privacy.report", Endpoint: "GET /api/v1/{slug}/me/personal-data", Weight: 1, Run: func(ctx context.Context, w *load.Worker) error {
				r, err := w.Get(ctx, "/api/v1/"+w.Env.Slug+"/me/personal-data")
				if err != nil {
					return err
				}
				var rep Report
				if err := r.JSON(&rep); err != nil {
					return err
				}
				if len(rep.Modules) == 0 {
					return errors.New("an empty access report")
				}
				return nil
			}},
			{Name: "privacy.record", Endpoint: "GET /api/v1/{slug}/privacy/record", Weight: 1, Role: actor.RoleAdmin, Run: func(ctx context.Context, w *load.Worker) error {
				_, err := w.Get(ctx, "/api/v1/"+w.Env.Slug+"/privacy/record")
				return err
			}},
		},
	}
}
