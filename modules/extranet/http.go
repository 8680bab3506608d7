package extranet

import (
	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/authz"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// handlers serve the API and the pages.
type handlers struct {
	svc   *Service
	web   *web.Renderer
	hooks *hooks.Set
	// enforcer answers a client's capabilities for the preview (pages_preview.go).
	enforcer func() *authz.Enforcer
}

// DeliverableList is a page of deliverables.
type DeliverableList = api.List[Deliverable]

// apiRoutes registers the JSON API (shared/API.md "Extranet and plugins").
func (h *handlers) apiRoutes(r routes) {
	const tag = "Extranet"
	read, write, decide := api.Can("extranet.deliverables", "read"), api.Can("extranet.deliverables", "write"), api.Can("extranet.deliverables", "decide")
	r.Get("/api/v1/:slug/deliverables", read, h.list, api.Doc{Summary: "The deliverables you see, newest first: a client their company's, colleagues those of the projects they see", Tag: tag, Response: DeliverableList{},
		Query: []api.Param{{Name: "state", Type: "string", Description: "pending, approved or rejected"}, {Name: "project_id", Type: "integer", Format: "int64", Description: "only this project's"},
			{Name: "limit", Type: "integer", Description: "at most this many (default 50, max 200)"}, {Name: "cursor", Type: "string", Description: "the next_cursor of the previous page"}}})
	r.Post("/api/v1/:slug/deliverables", write, h.create, api.Doc{Summary: "Submit a deliverable to a client company of a project you see (its first round); file_id or file_ids (up to 10), optional, each in a folder shared with the company", Tag: tag,
		Request: DeliverableInput{}, Response: DeliverableView{}, Status: 201})
	r.Get("/api/v1/:slug/deliverables/:id", read, api.One("id", h.svc.Get), api.Doc{Summary: "A deliverable with its rounds, newest first", Tag: tag, Response: DeliverableView{}})
	r.Post("/api/v1/:slug/deliverables/:id/resubmit", write, api.Update("id", h.svc.Resubmit), api.Doc{Summary: "Submit a new round of a deliverable not approved yet, with its own description and files (file_ids, up to 10); a pending round is superseded; 409 once approved", Tag: tag,
		Request: RoundInput{}, Response: DeliverableView{}})
	r.Post("/api/v1/:slug/deliverables/:id/approve", decide, api.Update("id", h.svc.Approve), api.Doc{Summary: "Approve the pending round (a client of the deliverable's company); 409 when nothing is pending", Tag: tag,
		Request: Decision{}, Response: DeliverableView{}})
	r.Post("/api/v1/:slug/deliverables/:id/reject", decide, api.Update("id", h.svc.Reject), api.Doc{Summary: "Reject the pending round with a comment (required: 422 without); a client of the deliverable's company", Tag: tag,
		Request: Decision{}, Response: DeliverableView{}})
}

// filter reads ?state= and ?project_id=.
func filter(c *fiber.Ctx) (Filter, error) {
	var f problem.Fields
	out := Filter{State: CheckState(&f, c.Query("state"))}
	if s := c.Query("project_id"); s != "" {
		var ok bool
		if out.ProjectID, ok = api.ParseID(s); !ok {
			f.Add("project_id", "must be an id")
		}
	}
	return out, f.Err()
}

func (h *handlers) list(c *fiber.Ctx) error {
	f, err := filter(c)
	if err != nil {
		return err
	}
	pg, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	out, err := h.svc.List(c.UserContext(), actor.From(c), f, pg)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) create(c *fiber.Ctx) error {
	var in DeliverableInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Create(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}
