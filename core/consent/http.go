package consent

import (
	"embed"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/web"
)

//go:embed views locales
var files embed.FS

// HTTP serves the consent API and pages; Install it before the first page renders.
type HTTP struct {
	Svc *Service
	Web *web.Renderer
}

// Nav is what consent adds to an account's navigation (each entry shown to the roles holding
// its capability: the owner for consent, owner and admins for support requests).
var Nav = []web.NavItem{
	{Label: "consent.nav", Path: "/consent", Object: "consent", Action: "manage", Order: 95, Group: web.GroupAdmin},
	{Label: "support.nav", Path: "/support", Object: "support_requests", Action: "read", Order: 96, Group: web.GroupAdmin},
}

// Install loads the views (named "consent/<file>") and the message catalogs.
func (h *HTTP) Install() error { return h.Web.Mount(files, "consent") }

// Routes registers the API and the pages with their guards. The account pages live under
// /:slug, so register them before the account home's /:slug catch-all.
func (h *HTTP) Routes(r *api.Routes) {
	const tagC, tagP = "Consent", "Platform"
	pageParams := []api.Param{
		{Name: "limit", Type: "integer", Description: "page size, 1-200 (default 50)"},
		{Name: "cursor", Type: "string", Description: "next_cursor of the previous page"},
	}
	h.workflowRoutes(r)
	// The owner's consent.
	r.Get("/api/v1/:slug/support-grants", api.Can("consent", "manage"), h.listGrants, api.Doc{Summary: "The owner's support grants, newest first", Tag: tagC,
		Response: api.List[Grant]{}, Query: pageParams})
	r.Post("/api/v1/:slug/support-grants", api.Can("consent", "manage"), h.give, api.Doc{Summary: "Grant support access to the application log (logs) or to the data, read only (data), for at most 30 days", Tag: tagC,
		Request: GrantInput{}, Response: Grant{}, Status: fiber.StatusCreated})
	r.Post("/api/v1/:slug/support-grants/:id/revoke", api.Can("consent", "manage"), h.revoke, api.Doc{Summary: "Revoke a support grant, at once", Tag: tagC,
		Response: Grant{}})

	// Support requests, the account's side.
	r.Get("/api/v1/:slug/support-requests", api.Can("support_requests", "read"), h.listRequests, api.Doc{Summary: "The account's support requests, newest first", Tag: tagC,
		Response: api.List[SupportRequest]{}, Query: pageParams})
	r.Post("/api/v1/:slug/support-requests", api.Can("support_requests", "create"), h.openRequest, api.Doc{Summary: "Open a support request", Tag: tagC,
		Request: RequestInput{}, Response: SupportRequest{}, Status: fiber.StatusCreated})
	r.Get("/api/v1/:slug/support-requests/:id", api.Can("support_requests", "read"), h.thread, api.Doc{Summary: "A support request with its replies", Tag: tagC,
		Response: Thread{}})
	r.Post("/api/v1/:slug/support-requests/:id/replies", api.Can("support_requests", "create"), h.reply, api.Doc{Summary: "Reply to a support request", Tag: tagC,
		Request: ReplyInput{}, Response: Reply{}, Status: fiber.StatusCreated})

	// The platform console: support and partners, every access audited in the account.
	r.Get("/api/v1/platform/accounts", api.Platform("*"), h.platformAccounts, api.Doc{Summary: "Accounts a platform user may reach: support all, with counters only; a partner those it manages, with account and billing data (items shaped as GET .../accounts/{slug})", Tag: tagP,
		Response: api.List[SupportListItem]{}, Query: pageParams})
	r.Get("/api/v1/platform/accounts/:slug", api.Platform("*"), h.platformAccount, api.Doc{Summary: "One account: support gets administrators' and management teams' names, counters and configuration; a partner gets account and billing data, counters and plan (PartnerView)", Tag: tagP,
		Response: SupportView{}})
	r.Get("/api/v1/platform/accounts/:slug/logs", api.Platform(actor.PlatformSupport), h.platformLogs, api.Doc{Summary: "The account's application log, newest first; 403 unless the owner's logs grant is in force", Tag: tagP,
		Response: api.List[LogEntry]{}, Query: pageParams})
	r.Get("/api/v1/platform/accounts/:slug/support-requests", api.Platform("*"), h.platformRequests, api.Doc{Summary: "The account's support requests", Tag: tagP,
		Response: api.List[SupportRequest]{}, Query: pageParams})
	r.Post("/api/v1/platform/accounts/:slug/support-requests", api.Platform("*"), h.platformOpen, api.Doc{Summary: "Open a support request for the account", Tag: tagP,
		Request: RequestInput{}, Response: SupportRequest{}, Status: fiber.StatusCreated})
	r.Get("/api/v1/platform/accounts/:slug/support-requests/:id", api.Platform("*"), h.platformThread, api.Doc{Summary: "A support request of the account with its replies", Tag: tagP,
		Response: Thread{}})
	r.Post("/api/v1/platform/accounts/:slug/support-requests/:id/replies", api.Platform("*"), h.platformReply, api.Doc{Summary: "Answer a support request of the account", Tag: tagP,
		Request: ReplyInput{}, Response: Reply{}, Status: fiber.StatusCreated})

	h.pageRoutes(r)
}

func (h *HTTP) listGrants(c *fiber.Ctx) error {
	p, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	list, err := h.Svc.ListGrants(c.UserContext(), actor.From(c), p)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (h *HTTP) give(c *fiber.Ctx) error {
	var in GrantInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	g, err := h.Svc.Give(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, g)
}

func (h *HTTP) revoke(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	g, err := h.Svc.Revoke(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	return c.JSON(g)
}

func (h *HTTP) listRequests(c *fiber.Ctx) error {
	p, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	list, err := h.Svc.ListRequests(c.UserContext(), actor.From(c), p)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (h *HTTP) openRequest(c *fiber.Ctx) error {
	var in RequestInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	r, err := h.Svc.OpenRequest(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, r)
}

func (h *HTTP) thread(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	t, err := h.Svc.Thread(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	return c.JSON(t)
}

func (h *HTTP) reply(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var in ReplyInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	rp, err := h.Svc.Reply(c.UserContext(), actor.From(c), id, in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, rp)
}

// slug is the :slug of a platform route (copied: fasthttp reuses its buffers).
func slug(c *fiber.Ctx) string { return strings.Clone(c.Params("slug")) }

func (h *HTTP) platformAccounts(c *fiber.Ctx) error {
	p, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	a := actor.From(c)
	if a.PlatformRole == actor.PlatformSupport {
		list, err := h.Svc.SupportAccounts(c.UserContext(), a, p)
		if err != nil {
			return err
		}
		return c.JSON(list)
	}
	list, err := h.Svc.PartnerAccounts(c.UserContext(), a, p)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (h *HTTP) platformAccount(c *fiber.Ctx) error {
	a := actor.From(c)
	if a.PlatformRole == actor.PlatformSupport {
		v, err := h.Svc.SupportAccount(c.UserContext(), a, slug(c))
		if err != nil {
			return err
		}
		return c.JSON(v)
	}
	v, err := h.Svc.PartnerAccount(c.UserContext(), a, slug(c))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (h *HTTP) platformLogs(c *fiber.Ctx) error {
	p, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	list, err := h.Svc.ReadLogs(c.UserContext(), actor.From(c), slug(c), p)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (h *HTTP) platformRequests(c *fiber.Ctx) error {
	p, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	list, err := h.Svc.PlatformRequests(c.UserContext(), actor.From(c), slug(c), p)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (h *HTTP) platformOpen(c *fiber.Ctx) error {
	var in RequestInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	r, err := h.Svc.PlatformOpen(c.UserContext(), actor.From(c), slug(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, r)
}

func (h *HTTP) platformThread(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	t, err := h.Svc.PlatformThread(c.UserContext(), actor.From(c), slug(c), id)
	if err != nil {
		return err
	}
	return c.JSON(t)
}

func (h *HTTP) platformReply(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var in ReplyInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	rp, err := h.Svc.PlatformReply(c.UserContext(), actor.From(c), slug(c), id, in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, rp)
}
