package consent

import (
	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/web"
	"groupcamp/core/workflow"
)

// workflowRoutes registers the grant workflow: support asks, the owner decides.
func (h *HTTP) workflowRoutes(r *api.Routes) {
	const tagC, tagP = "Consent", "Platform"
	r.Post("/api/v1/platform/accounts/:slug/support-grants", api.Platform(actor.PlatformSupport), h.request, api.Doc{Summary: "Ask the owner for access (logs or data) with a reason, until an end date at most 30 days ahead", Tag: tagP,
		Request: GrantInput{}, Response: Grant{}, Status: fiber.StatusCreated})
	r.Post("/api/v1/:slug/support-grants/:id/grant", api.Can("consent", "manage"), h.decide("grant"), api.Doc{Summary: "Grant support's request", Tag: tagC, Request: DecideInput{}, Response: Grant{}})
	r.Post("/api/v1/:slug/support-grants/:id/refuse", api.Can("consent", "manage"), h.decide("refuse"), api.Doc{Summary: "Refuse support's request", Tag: tagC, Request: DecideInput{}, Response: Grant{}})
	r.Get("/api/v1/:slug/support-grants/:id/history", api.Can("consent", "manage"), h.history, api.Doc{Summary: "Every decision on a grant: who, when, from, to, comment", Tag: tagC, Response: []workflow.Step{}})
	r.Post("/:slug/consent/:id/grant", api.Can("consent", "manage"), h.decideForm("grant"))
	r.Post("/:slug/consent/:id/refuse", api.Can("consent", "manage"), h.decideForm("refuse"))
	r.Post("/platform/accounts/:slug/support-grants", api.Platform(actor.PlatformSupport), h.requestForm)
}

func (h *HTTP) request(c *fiber.Ctx) error {
	var in GrantInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	g, err := h.Svc.Request(c.UserContext(), actor.From(c), slug(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, g)
}

// decide answers a decision; the body (a comment) is optional.
func (h *HTTP) decide(transition string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		var in DecideInput
		if len(c.Body()) > 0 {
			if err := api.Decode(c, &in); err != nil {
				return err
			}
		}
		g, err := h.Svc.Decide(c.UserContext(), actor.From(c), id, transition, in.Comment)
		if err != nil {
			return err
		}
		return c.JSON(g)
	}
}

func (h *HTTP) history(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	steps, err := h.Svc.History(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	if steps == nil {
		steps = []workflow.Step{}
	}
	return c.JSON(steps)
}

func (h *HTTP) decideForm(transition string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		form := web.NewForm(c, "comment")
		if _, err := h.Svc.Decide(c.UserContext(), actor.From(c), id, transition, form.Get("comment")); err != nil {
			p, perr := h.consentView(c, nil)
			if perr != nil {
				return perr
			}
			p.Form = form
			return h.Web.Refuse(c, "consent/consent", p, err)
		}
		return web.Done(c, "consent.decided."+transition, "/"+actor.From(c).Account.Slug+"/consent")
	}
}

func (h *HTTP) requestForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "scope", "expires_at", "reason")
	s := slug(c)
	if _, err := h.Svc.Request(c.UserContext(), actor.From(c), s, GrantInput{Scope: form.Get("scope"), ExpiresAt: form.Get("expires_at"), Reason: form.Get("reason")}); err != nil {
		p, perr := h.consoleAccountView(c, form)
		if perr != nil {
			return perr
		}
		return h.Web.Refuse(c, "consent/console_account", p, err)
	}
	return web.Done(c, "platform.requested", "/platform/accounts/"+s)
}
