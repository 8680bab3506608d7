package host

import (
	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/web"
)

// handlers serve the API and the pages.
type handlers struct {
	svc *Service
	web *web.Renderer
}

// routes is where the module registers its routes.
type routes interface {
	Get(p string, g api.Guard, h fiber.Handler, d ...api.Doc)
	Post(p string, g api.Guard, h fiber.Handler, d ...api.Doc)
	Handle(method, path string, g api.Guard, h fiber.Handler, doc ...api.Doc)
}

// apiRoutes registers the JSON API (shared/API.md "Extranet and plugins").
func (h *handlers) apiRoutes(r routes) {
	const tag = "Plugins"
	manage := api.Can("plugins", "manage")
	r.Get("/api/v1/:slug/plugins", manage, h.list, api.Doc{Summary: "The plugins installed on the server, their state, what each asks for, and the account's choice (administrators)", Tag: tag, Response: PluginList{}})
	r.Get("/api/v1/:slug/plugins/:name", manage, h.get, api.Doc{Summary: "One plugin", Tag: tag, Response: Plugin{}})
	r.Post("/api/v1/:slug/plugins/:name/enable", manage, h.enable, api.Doc{Summary: "Enable a plugin for the account, granting the capabilities listed (of those it asks for; absent: all) and setting its settings (absent: unchanged, \"\" removes one); audited", Tag: tag,
		Request: EnableInput{}, Response: Plugin{}})
	r.Post("/api/v1/:slug/plugins/:name/disable", manage, h.disable, api.Doc{Summary: "Disable a plugin for the account (its waiting events are dropped); audited", Tag: tag, Response: Plugin{}})
}

func (h *handlers) list(c *fiber.Ctx) error {
	out, err := h.svc.List(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, PluginList{Items: out})
}

func (h *handlers) get(c *fiber.Ctx) error {
	out, err := h.svc.Get(c.UserContext(), actor.From(c), c.Params("name"))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) enable(c *fiber.Ctx) error {
	var in EnableInput
	if len(c.Body()) > 0 {
		if err := api.Decode(c, &in); err != nil {
			return err
		}
	}
	out, err := h.svc.Enable(c.UserContext(), actor.From(c), c.Params("name"), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) disable(c *fiber.Ctx) error {
	out, err := h.svc.Disable(c.UserContext(), actor.From(c), c.Params("name"))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}
