package privacy

import (
	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/web"
)

// apiRoutes registers the JSON API (shared/API.md "Privacy").
func (h *handlers) apiRoutes(r routes) {
	const tag = "Privacy"
	self, selfWrite := api.Can("privacy.self", "read"), api.Can("privacy.self", "write")
	r.Get("/api/v1/:slug/me/personal-data", self, h.report, api.Doc{Summary: "The access report: what the account holds about me, per module, why and how long", Tag: tag, Response: Report{}})
	r.Post("/api/v1/:slug/me/exports", selfWrite, h.requestExport, api.Doc{Summary: "Export my data (a ZIP of JSON and files, built in the background)", Tag: tag, Response: Request{}, Status: fiber.StatusAccepted})
	r.Get("/api/v1/:slug/me/exports/:id", self, h.export, api.Doc{Summary: "An export's state and progress; url (once ready) works once, for 24 hours", Tag: tag, Response: Request{}})
	r.Get("/api/v1/:slug/me/erasure", self, h.myErasure, api.Doc{Summary: "My open erasure request", Tag: tag, Response: Request{}})
	r.Post("/api/v1/:slug/me/erasure", selfWrite, h.requestErasure, api.Doc{Summary: "Ask to be erased from the account (confirmed by password, then by an emailed link; 7 days of grace)", Tag: tag, Request: ErasureInput{}, Response: Request{}, Status: fiber.StatusAccepted})
	r.Delete("/api/v1/:slug/me/erasure", selfWrite, h.cancelMyErasure, api.Doc{Summary: "Cancel my erasure during the grace period", Tag: tag, Response: Request{}})

	r.Post("/api/v1/:slug/users/:id/erasure", api.Can("privacy.erasures", "manage"), h.eraseMember, api.Doc{Summary: "Erase a person of the account (after 7 days; at once for a deactivated person with immediately)", Tag: tag, Request: MemberErasureInput{}, Response: Request{}, Status: fiber.StatusAccepted})
	r.Get("/api/v1/:slug/erasures", api.Can("privacy.erasures", "read"), h.erasures, api.Doc{Summary: "The account's erasure and closure requests", Tag: tag, Response: api.List[Request]{}})
	r.Get("/api/v1/:slug/erasures/:id", api.Can("privacy.erasures", "read"), h.erasure, api.Doc{Summary: "An erasure's state", Tag: tag, Response: Request{}})
	r.Delete("/api/v1/:slug/erasures/:id", api.Can("privacy.erasures", "manage"), h.cancelErasure, api.Doc{Summary: "Cancel an erasure during its grace period", Tag: tag, Response: Request{}})

	r.Post("/api/v1/:slug/account/closure", api.Can("privacy.account", "close"), h.closeAccount, api.Doc{Summary: "Close the account: every member erased, every row and file of the account deleted (7 days of grace unless immediately)", Tag: tag, Request: ClosureInput{}, Response: Request{}, Status: fiber.StatusAccepted})
	r.Get("/api/v1/:slug/account/closure", api.Can("privacy.account", "close"), h.closure, api.Doc{Summary: "The account's open closure", Tag: tag, Response: Request{}})
	r.Delete("/api/v1/:slug/account/closure", api.Can("privacy.account", "close"), h.cancelClosure, api.Doc{Summary: "Cancel the closure during its grace period", Tag: tag, Response: Request{}})

	r.Get("/api/v1/:slug/privacy/settings", api.Can("privacy.settings", "read"), h.settings, api.Doc{Summary: "The account's privacy settings", Tag: tag, Response: Settings{}})
	r.Put("/api/v1/:slug/privacy/settings", api.Can("privacy.settings", "update"), h.saveSettings, api.Doc{Summary: "Change the connection data retention and what an erasure keeps", Tag: tag, Request: SettingsInput{}, Response: Settings{}})
	r.Get("/api/v1/:slug/privacy/record", api.Can("privacy.settings", "read"), h.record, api.Doc{Summary: "The record of processing activities, from every module's description", Tag: tag, Response: []ModuleReport{}})
}

func (h *handlers) report(c *fiber.Ctx) error {
	rep, err := h.svc.Report(c.UserContext(), actor.From(c), h.lang(c))
	return respond(c, fiber.StatusOK, rep, err)
}

func (h *handlers) requestExport(c *fiber.Ctx) error {
	r, err := h.svc.RequestExport(c.UserContext(), actor.From(c))
	return respond(c, fiber.StatusAccepted, r, err)
}

func (h *handlers) export(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	r, err := h.svc.Export(c.UserContext(), actor.From(c), id)
	return respond(c, fiber.StatusOK, r, err)
}

func (h *handlers) myErasure(c *fiber.Ctx) error {
	r, err := h.svc.MyErasure(c.UserContext(), actor.From(c))
	return respond(c, fiber.StatusOK, r, err)
}

func (h *handlers) requestErasure(c *fiber.Ctx) error {
	var in ErasureInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	r, err := h.svc.RequestErasure(c.UserContext(), actor.From(c), in)
	return respond(c, fiber.StatusAccepted, r, err)
}

func (h *handlers) cancelMyErasure(c *fiber.Ctx) error {
	r, err := h.svc.CancelMyErasure(c.UserContext(), actor.From(c))
	return respond(c, fiber.StatusOK, r, err)
}

func (h *handlers) eraseMember(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var in MemberErasureInput
	if len(c.Body()) > 0 {
		if err := api.Decode(c, &in); err != nil {
			return err
		}
	}
	r, err := h.svc.EraseMember(c.UserContext(), actor.From(c), id, in)
	return respond(c, fiber.StatusAccepted, r, err)
}

func (h *handlers) erasures(c *fiber.Ctx) error {
	list, err := h.svc.Erasures(c.UserContext(), actor.From(c))
	return respond(c, fiber.StatusOK, api.List[Request]{Items: list}, err)
}

func (h *handlers) erasure(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	r, err := h.svc.Erasure(c.UserContext(), actor.From(c), id)
	return respond(c, fiber.StatusOK, r, err)
}

func (h *handlers) cancelErasure(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	r, err := h.svc.CancelErasure(c.UserContext(), actor.From(c), id)
	return respond(c, fiber.StatusOK, r, err)
}

func (h *handlers) closeAccount(c *fiber.Ctx) error {
	var in ClosureInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	r, err := h.svc.CloseAccount(c.UserContext(), actor.From(c), in)
	return respond(c, fiber.StatusAccepted, r, err)
}

func (h *handlers) closure(c *fiber.Ctx) error {
	r, err := h.svc.Closure(c.UserContext(), actor.From(c))
	return respond(c, fiber.StatusOK, r, err)
}

func (h *handlers) cancelClosure(c *fiber.Ctx) error {
	r, err := h.svc.CancelClosure(c.UserContext(), actor.From(c))
	return respond(c, fiber.StatusOK, r, err)
}

func (h *handlers) settings(c *fiber.Ctx) error {
	st, err := h.svc.Settings(c.UserContext(), actor.From(c).AccountID())
	return respond(c, fiber.StatusOK, st, err)
}

func (h *handlers) saveSettings(c *fiber.Ctx) error {
	var in SettingsInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	st, err := h.svc.SaveSettings(c.UserContext(), actor.From(c), in)
	return respond(c, fiber.StatusOK, st, err)
}

func (h *handlers) record(c *fiber.Ctx) error {
	rec, err := h.svc.Record(c.UserContext(), actor.From(c), h.lang(c))
	return respond(c, fiber.StatusOK, rec, err)
}

// lang is the reader's language: their profile's, else their browser's.
func (h *handlers) lang(c *fiber.Ctx) string {
	return h.svc.Catalog.Choose(web.ReaderChoice(c))
}

// respond writes v with status, or passes err on to the error handler.
func respond(c *fiber.Ctx, status int, v any, err error) error {
	if err != nil {
		return err
	}
	return api.JSON(c, status, v)
}
