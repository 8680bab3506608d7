package gcapi

import (
	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/web"
)

// keyHandlers serve our own API and page for the key pairs (owner and administrators).
type keyHandlers struct {
	svc *Service
	web *web.Renderer
}

// apiRoutes registers GET, POST /api/v1/{slug}/gcapi-keys and DELETE .../gcapi-keys/{key}.
func (h *keyHandlers) apiRoutes(r *app.Registry) {
	const tag = "GroupCamp-compatible API"
	manage := api.Can("gcapi", "manage")
	r.Get("/api/v1/:slug/gcapi-keys", manage, h.list, api.Doc{Summary: "The account's key pairs of the GroupCamp-compatible API, revoked ones too (never their secrets)", Tag: tag, Response: KeyList{}})
	r.Post("/api/v1/:slug/gcapi-keys", manage, h.create, api.Doc{Summary: "Create a key pair for provisioning-1 or reporting-1: the secret is answered this once", Tag: tag,
		Request: KeyInput{}, Response: NewKey{}, Status: 201})
	r.Delete("/api/v1/:slug/gcapi-keys/:key", manage, h.revoke, api.Doc{Summary: "Revoke a key pair: its requests are refused at once", Tag: tag, Status: 204})
}

func (h *keyHandlers) list(c *fiber.Ctx) error {
	ks, err := h.svc.Keys(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, KeyList{Items: ks})
}

func (h *keyHandlers) create(c *fiber.Ctx) error {
	var in KeyInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.CreateKey(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *keyHandlers) revoke(c *fiber.Ctx) error {
	if err := h.svc.RevokeKey(c.UserContext(), actor.From(c), keyParam(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// keyParam is the key of the path (a copy: Fiber reuses its buffers).
func keyParam(c *fiber.Ctx) string {
	k := c.Params("key")
	if len(k) > MaxKeyID {
		return ""
	}
	return string([]byte(k))
}
