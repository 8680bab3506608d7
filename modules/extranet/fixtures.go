package extranet

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"groupcamp/core/app"
)

// fixtures are the module's part of the test walkers (app.Fixtures): a project whose client is
// the walker's client company (open, so that every colleague sees it) and a deliverable of it
// for that company; Prepare gives approving and rejecting (API and pages) a fresh pending
// deliverable, so each decision has something to decide.
type fixtures struct{}

func (fixtures) Seed(c app.FixtureClient) (app.Params, error) {
	base := "/api/v1/" + c.Slug()
	p := app.Params{}
	project, err := app.Created(c, "POST", base+"/projects", map[string]any{"name": fmt.Sprintf("Client work %d", c.N()), "client_company_id": c.ClientCompany(), "access": "open"})
	if err != nil {
		return nil, err
	}
	p["extranet_project"] = project
	p["extranet_company"] = strconv.FormatInt(c.ClientCompany(), 10)
	if p["deliverables/:id"], err = newDeliverable(c, p); err != nil {
		return nil, err
	}
	return p, nil
}

func newDeliverable(c app.FixtureClient, p app.Params) (string, error) {
	return app.Created(c, "POST", "/api/v1/"+c.Slug()+"/deliverables", map[string]any{"project_id": p.ID("extranet_project"),
		"company_id": p.ID("extranet_company"), "title": fmt.Sprintf("Deliverable %d", c.N()), "description": "for the walkers"})
}

func (fixtures) Body(method, path string, p app.Params, n int) (any, bool) {
	switch method + " " + path {
	case "POST /api/v1/:slug/deliverables", "POST /:slug/deliverables":
		return map[string]any{"project_id": p.ID("extranet_project"), "company_id": p.ID("extranet_company"), "title": fmt.Sprintf("Walker deliverable %d", n)}, true
	case "POST /api/v1/:slug/deliverables/:id/resubmit", "POST /:slug/deliverables/:id/resubmit":
		return map[string]any{"description": fmt.Sprintf("round from the walker %d", n)}, true
	case "POST /api/v1/:slug/deliverables/:id/approve":
		return map[string]any{"comment": "fine"}, true
	case "POST /api/v1/:slug/deliverables/:id/reject":
		return map[string]any{"comment": "please change it"}, true
	case "PUT /api/v1/:slug/extranet/branding", "POST /:slug/extranet/branding":
		return map[string]any{"color": "#1d4ed8", "welcome": fmt.Sprintf("Welcome %d", n)}, true
	case "POST /:slug/extranet/deliverables/:id/approve", "POST /:slug/extranet/deliverables/:id/reject":
		return map[string]any{"comment": "seen by the walker", "confirm": "1"}, true
	}
	return nil, false
}

// Prepare gives each decision a fresh pending deliverable (the fixture one is decided once).
func (fixtures) Prepare(c app.FixtureClient, method, path, filled string, p app.Params) (string, error) {
	if method != http.MethodPost || !(strings.HasSuffix(path, "/approve") || strings.HasSuffix(path, "/reject")) {
		return filled, nil
	}
	id, err := newDeliverable(c, p)
	if err != nil {
		return "", err
	}
	return strings.Replace(filled, "/deliverables/"+p["deliverables/:id"]+"/", "/deliverables/"+id+"/", 1), nil
}
