package planning

import (
	"context"
	"errors"
	"fmt"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/load"
)

// loadWeeks is the period the load's reads ask for (the heatmap: 26 weeks).
const loadWeeks = 26

// Load is the planning module's part of the load tool (cmd/gcload): a seed of a project with
// allocations for every person of the run (50 each over 26 weeks) and leave, and the
// requests — the workload heatmap, the availability search, and moving an allocation (the
// timeline's drag: a PATCH that answers the over-allocation flag; the target is ≥ 500/s
// at c=16 with no errors).
func (m *Module) Load() load.Module {
	from := monday(time.Now().UTC()).Format(time.DateOnly)
	to := monday(time.Now().UTC()).AddDate(0, 0, 7*loadWeeks-1).Format(time.DateOnly)
	return load.Module{
		Name: "planning",
		Seed: m.seedLoad,
		Scenarios: []load.Scenario{
			{Name: "planning.workload", Endpoint: "GET /api/v1/{slug}/workload", Weight: 2, Run: func(ctx context.Context, w *load.Worker) error {
				r, err := w.Get(ctx, fmt.Sprintf("/api/v1/%s/workload?from=%s&to=%s", w.Env.Slug, from, to))
				if err != nil {
					return err
				}
				var v Workload
				if err := r.JSON(&v); err != nil {
					return err
				}
				if len(v.Weeks) != loadWeeks || len(v.Resources) == 0 {
					return fmt.Errorf("workload: %d weeks, %d resources", len(v.Weeks), len(v.Resources))
				}
				return nil
			}},
			{Name: "planning.availability", Endpoint: "GET /api/v1/{slug}/availability", Weight: 2, Run: func(ctx context.Context, w *load.Worker) error {
				_, err := w.Get(ctx, fmt.Sprintf("/api/v1/%s/availability?from=%s&to=%s&minutes=480", w.Env.Slug, from, monday(time.Now().UTC()).AddDate(0, 0, 13).Format(time.DateOnly)))
				return err
			}},
			{Name: "planning.move", Endpoint: "PATCH /api/v1/{slug}/allocations/{id}", Weight: 4, Run: func(ctx context.Context, w *load.Worker) error {
				ids, _ := w.Env.Get("planning.allocations").([]int64)
				if len(ids) == 0 {
					return errors.New("no seeded allocation")
				}
				start := monday(time.Now().UTC()).AddDate(0, 0, w.Rand.IntN(7*loadWeeks-7))
				_, err := w.Patch(ctx, fmt.Sprintf("/api/v1/%s/allocations/%d", w.Env.Slug, ids[w.Rand.IntN(len(ids))]),
					map[string]any{"starts_on": start.Format(time.DateOnly), "ends_on": start.AddDate(0, 0, w.Rand.IntN(5)).Format(time.DateOnly)})
				return err
			}},
		},
	}
}

// seedLoad books every person of the run on a project through the API, as the account's owner.
func (m *Module) seedLoad(ctx context.Context, env *load.Env) error {
	owner, err := env.First(actor.RoleOwner)
	if err != nil {
		return err
	}
	api := env.API(owner)
	base := "/api/v1/" + env.Slug
	var project struct{ ID int64 }
	if err := api.Post(ctx, base+"/projects", map[string]any{"name": "Load planning"}, &project); err != nil {
		return fmt.Errorf("planning: seed the project: %w", err)
	}
	var rs ResourceList
	if err := api.Get(ctx, base+"/resources", &rs); err != nil {
		return fmt.Errorf("planning: seed: resources: %w", err)
	}
	start := monday(time.Now().UTC())
	perResource := max(1, 10_000/max(len(rs.Items), 1))
	perResource = min(perResource, 50)
	ids := make([]int64, 0, len(rs.Items)*perResource)
	for i, r := range rs.Items {
		for k := range perResource {
			s := start.AddDate(0, 0, (k*7*loadWeeks/perResource+i)%(7*loadWeeks))
			var al Allocation
			if err := api.Post(ctx, base+"/allocations", AllocationInput{ResourceID: r.ID, ProjectID: project.ID, StartsOn: s.Format(time.DateOnly),
				EndsOn: s.AddDate(0, 0, k%5).Format(time.DateOnly), MinutesPerDay: 60 * (1 + k%4)}, &al); err != nil {
				return fmt.Errorf("planning: seed an allocation: %w", err)
			}
			ids = append(ids, al.ID)
		}
		env.Progressf("planning: %d of %d resources booked", i+1, len(rs.Items))
	}
	env.Set("planning.allocations", ids)
	return nil
}
