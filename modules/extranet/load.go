package extranet

import (
	"context"
	"errors"
	"fmt"

	"groupcamp/core/actor"
	"groupcamp/core/load"
)

// loadDeliverables is how many deliverables the seed submits.
const loadDeliverables = 200

// Load is the extranet's part of the load tool (cmd/gcload): a seed of a project whose client
// is the run's client company and loadDeliverables deliverables of it for that company, and
// the requests of the deliverables API — the list (as the run's role: a client reads their
// company's, colleagues the projects they see), one deliverable with its rounds, a submission.
func (m *Module) Load() load.Module {
	return load.Module{
		Name: "extranet",
		Seed: m.seedLoad,
		Scenarios: []load.Scenario{
			{Name: "extranet.list", Endpoint: "GET /api/v1/{slug}/deliverables", Weight: 3, Run: func(ctx context.Context, w *load.Worker) error {
				r, err := w.Get(ctx, "/api/v1/"+w.Env.Slug+"/deliverables")
				if err != nil {
					return err
				}
				var l DeliverableList
				return r.JSON(&l)
			}},
			{Name: "extranet.get", Endpoint: "GET /api/v1/{slug}/deliverables/{id}", Weight: 2, Run: func(ctx context.Context, w *load.Worker) error {
				ids, _ := w.Env.Get("extranet.ids").([]int64)
				if len(ids) == 0 {
					return errors.New("no seeded deliverable")
				}
				_, err := w.Get(ctx, fmt.Sprintf("/api/v1/%s/deliverables/%d", w.Env.Slug, ids[w.Rand.IntN(len(ids))]))
				return err
			}},
			{Name: "extranet.submit", Endpoint: "POST /api/v1/{slug}/deliverables", Weight: 1, Role: actor.RoleMember, Run: func(ctx context.Context, w *load.Worker) error {
				project, _ := w.Env.Get("extranet.project").(int64)
				_, err := w.Post(ctx, "/api/v1/"+w.Env.Slug+"/deliverables", DeliverableInput{ProjectID: project, CompanyID: w.Env.ClientCompanyID, Title: w.Unique("load")})
				return err
			}},
		},
	}
}

// seedLoad makes the project and the deliverables through the API, as the account's owner.
func (m *Module) seedLoad(ctx context.Context, env *load.Env) error {
	if env.ClientCompanyID == 0 {
		return errors.New("extranet: the load needs a client company")
	}
	owner, err := env.First(actor.RoleOwner)
	if err != nil {
		return err
	}
	api := env.API(owner)
	base := "/api/v1/" + env.Slug
	var project struct{ ID int64 }
	if err := api.Post(ctx, base+"/projects", map[string]any{"name": "Load client work", "client_company_id": env.ClientCompanyID, "access": "open"}, &project); err != nil {
		return fmt.Errorf("extranet: seed the project: %w", err)
	}
	ids := make([]int64, 0, loadDeliverables)
	for i := range loadDeliverables {
		var d DeliverableView
		if err := api.Post(ctx, base+"/deliverables", DeliverableInput{ProjectID: project.ID, CompanyID: env.ClientCompanyID,
			Title: fmt.Sprintf("Deliverable %04d", i), Description: "seeded for the load"}, &d); err != nil {
			return fmt.Errorf("extranet: seed a deliverable: %w", err)
		}
		ids = append(ids, d.ID)
	}
	env.Set("extranet.project", project.ID)
	env.Set("extranet.ids", ids)
	return nil
}
