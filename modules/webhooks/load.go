package webhooks

import (
	"context"
	"errors"
	"fmt"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/load"
)

// loadHooks is how many webhooks the seed registers.
const loadHooks = 20

// Load is the webhooks module's part of the load tool (cmd/gcload): a seed of loadHooks hooks
// on the events the other scenarios cause (tasks created and completed, people invited), so
// that every such write of the run also pays the fan-out — the delivery rows written in its
// event's transaction — and the job then tries them. Their host is under .invalid (RFC 2606):
// an attempt fails at once, without reaching out of the machine, and is retried later (the
// load measures the server, not a receiver). The scenarios read the list and a delivery log,
// as an admin.
func (m *Module) Load() load.Module {
	return load.Module{
		Name: "webhooks",
		Seed: m.seedLoad,
		Scenarios: []load.Scenario{
			{Name: "webhooks.list", Endpoint: "GET /api/v1/{slug}/webhooks", Weight: 1, Role: actor.RoleAdmin, Run: func(ctx context.Context, w *load.Worker) error {
				r, err := w.Get(ctx, "/api/v1/"+w.Env.Slug+"/webhooks")
				if err != nil {
					return err
				}
				var v WebhookList
				if err := r.JSON(&v); err != nil {
					return err
				}
				if len(v.Items) < loadHooks {
					return fmt.Errorf("%d webhooks listed, want %d at least", len(v.Items), loadHooks)
				}
				return nil
			}},
			{Name: "webhooks.deliveries", Endpoint: "GET /api/v1/{slug}/webhooks/{id}/deliveries", Weight: 1, Role: actor.RoleAdmin, Run: func(ctx context.Context, w *load.Worker) error {
				ids, _ := w.Env.Get("webhooks.ids").([]int64)
				if len(ids) == 0 {
					return errors.New("no seeded webhook")
				}
				r, err := w.Get(ctx, fmt.Sprintf("/api/v1/%s/webhooks/%d/deliveries", w.Env.Slug, ids[w.Rand.IntN(len(ids))]))
				if err != nil {
					return err
				}
				var v api.List[Delivery]
				return r.JSON(&v)
			}},
		},
	}
}

// seedLoad registers the hooks through the API, as the account's owner.
func (m *Module) seedLoad(ctx context.Context, env *load.Env) error {
	owner, err := env.First(actor.RoleOwner)
	if err != nil {
		return err
	}
	c := env.API(owner)
	ids := make([]int64, 0, loadHooks)
	for i := range loadHooks {
		var h NewWebhook
		in := WebhookInput{URL: fmt.Sprintf("https://hooks-%d.invalid/groupcamp", i), Events: []string{"task.created", "task.completed", "user.invited"}}
		if err := c.Post(ctx, "/api/v1/"+env.Slug+"/webhooks", in, &h); err != nil {
			return fmt.Errorf("webhooks: seed a hook: %w", err)
		}
		ids = append(ids, h.ID)
	}
	env.Set("webhooks.ids", ids)
	return nil
}
