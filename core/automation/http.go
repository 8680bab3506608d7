package automation

import (
	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
)

// HTTP serves the rules API.
type HTTP struct {
	Engine *Engine
}

// Routes registers the endpoints with their guards (automation:manage, administrators).
func (h *HTTP) Routes(r *api.Routes) {
	const tag = "Automation"
	can := api.Can("automation", "manage")
	page := []api.Param{{Name: "limit", Type: "integer", Description: "page size, 1-200"}, {Name: "cursor", Type: "string", Description: "next_cursor of the previous page"}}
	r.Get("/api/v1/:slug/automation-rules", can, h.list, api.Doc{Summary: "List automation rules", Tag: tag, Response: api.List[Rule]{}, Query: page})
	r.Post("/api/v1/:slug/automation-rules", can, h.create, api.Doc{Summary: "Create a rule: when an event, if conditions, then actions", Tag: tag, Request: RuleInput{}, Response: Rule{}, Status: 201})
	r.Get("/api/v1/:slug/automation-rules/:id", can, h.get, api.Doc{Summary: "One rule", Tag: tag, Response: Rule{}})
	r.Patch("/api/v1/:slug/automation-rules/:id", can, h.update, api.Doc{Summary: "Replace a rule's definition", Tag: tag, Request: RuleInput{}, Response: Rule{}})
	r.Delete("/api/v1/:slug/automation-rules/:id", can, h.remove, api.Doc{Summary: "Delete a rule", Tag: tag, Status: 204})
	r.Post("/api/v1/:slug/automation-rules/:id/enable", can, h.enable, api.Doc{Summary: "Enable a rule", Tag: tag, Response: Rule{}})
	r.Post("/api/v1/:slug/automation-rules/:id/disable", can, h.disable, api.Doc{Summary: "Disable a rule", Tag: tag, Response: Rule{}})
	r.Post("/api/v1/:slug/automation-rules/:id/test", can, h.test, api.Doc{Summary: "What the rule would do with the last matching event (does nothing)", Tag: tag, Response: Trial{}})
	r.Get("/api/v1/:slug/automation-rules/:id/runs", can, h.runs, api.Doc{Summary: "The rule's run log, newest first", Tag: tag, Response: api.List[Run]{}, Query: page})
	r.Get("/api/v1/:slug/automation-actions", can, h.actions, api.Doc{Summary: "Named actions modules and plugins provide", Tag: tag, Response: []ActionInfo{}})
}

// ActionInfo describes a named action.
type ActionInfo struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

func (h *HTTP) list(c *fiber.Ctx) error {
	p, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	l, err := h.Engine.List(c.UserContext(), actor.From(c), p)
	if err != nil {
		return err
	}
	return c.JSON(l)
}

func (h *HTTP) create(c *fiber.Ctx) error {
	var in RuleInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	r, err := h.Engine.Create(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, r)
}

func (h *HTTP) withID(c *fiber.Ctx, fn func(id int64) (any, error)) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	v, err := fn(id)
	if err != nil {
		return err
	}
	if v == nil {
		return c.SendStatus(fiber.StatusNoContent)
	}
	return c.JSON(v)
}

func (h *HTTP) get(c *fiber.Ctx) error {
	return h.withID(c, func(id int64) (any, error) { return h.Engine.Get(c.UserContext(), actor.From(c), id) })
}

func (h *HTTP) update(c *fiber.Ctx) error {
	var in RuleInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	return h.withID(c, func(id int64) (any, error) { return h.Engine.Update(c.UserContext(), actor.From(c), id, in) })
}

func (h *HTTP) remove(c *fiber.Ctx) error {
	return h.withID(c, func(id int64) (any, error) { return nil, h.Engine.Delete(c.UserContext(), actor.From(c), id) })
}

func (h *HTTP) enable(c *fiber.Ctx) error {
	return h.withID(c, func(id int64) (any, error) { return h.Engine.SetEnabled(c.UserContext(), actor.From(c), id, true) })
}

func (h *HTTP) disable(c *fiber.Ctx) error {
	return h.withID(c, func(id int64) (any, error) { return h.Engine.SetEnabled(c.UserContext(), actor.From(c), id, false) })
}

func (h *HTTP) test(c *fiber.Ctx) error {
	return h.withID(c, func(id int64) (any, error) { return h.Engine.Test(c.UserContext(), actor.From(c), id) })
}

func (h *HTTP) runs(c *fiber.Ctx) error {
	p, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	return h.withID(c, func(id int64) (any, error) { return h.Engine.Runs(c.UserContext(), actor.From(c), id, p) })
}

func (h *HTTP) actions(c *fiber.Ctx) error {
	out := []ActionInfo{}
	for _, a := range h.Engine.Actions() {
		out = append(out, ActionInfo{Name: a.Name, Description: a.Description})
	}
	return c.JSON(out)
}
