package webhooks

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

// WebhookList is the account's hooks.
type WebhookList struct {
	Items []Webhook `json:"items"`
}

// apiRoutes registers the JSON API (shared/API.md "Sign-in and integrations").
func (h *handlers) apiRoutes(r routes) {
	const tag = "Webhooks"
	manage := api.Can("webhooks", "manage")
	r.Get("/api/v1/:slug/webhooks", manage, h.list, api.Doc{Summary: "The account's outgoing webhooks (administrators)", Tag: tag, Response: WebhookList{}})
	r.Post("/api/v1/:slug/webhooks", manage, h.create, api.Doc{Summary: "Register a URL for event types (\"*\" for all; see /webhooks/events); a blank secret is generated, and answered this once. Private, loopback and link-local targets are refused (422 on url)", Tag: tag,
		Request: WebhookInput{}, Response: NewWebhook{}, Status: 201})
	r.Get("/api/v1/:slug/webhooks/events", manage, h.choices, api.Doc{Summary: "The event types a webhook may ask for", Tag: tag, Response: EventChoices{}})
	r.Get("/api/v1/:slug/webhooks/:id", manage, api.One("id", h.svc.Get), api.Doc{Summary: "One webhook (never its secret)", Tag: tag, Response: Webhook{}})
	r.Patch("/api/v1/:slug/webhooks/:id", manage, api.Update("id", h.svc.Update), api.Doc{Summary: "Change a webhook's URL, events, secret or description", Tag: tag, Request: WebhookPatch{}, Response: Webhook{}})
	r.Delete("/api/v1/:slug/webhooks/:id", manage, api.Delete("id", h.svc.Delete), api.Doc{Summary: "Delete a webhook and its delivery log", Tag: tag, Status: 204})
	r.Get("/api/v1/:slug/webhooks/:id/deliveries", manage, api.Paged("id", h.svc.Deliveries), api.Doc{Summary: "A webhook's delivery log, newest first: state, attempts, status code, duration, error, the first bytes of the answer", Tag: tag,
		Response: api.List[Delivery]{}, Query: pageParams})
	r.Post("/api/v1/:slug/webhooks/:id/test", manage, api.One("id", h.svc.Test), api.Doc{Summary: "Send a ping (type webhook.ping) now and answer what the receiver said; not retried", Tag: tag, Response: Delivery{}})
	r.Post("/api/v1/:slug/webhooks/:id/enable", manage, api.One("id", h.svc.Enable), api.Doc{Summary: "Enable a webhook disabled after its failures: its failures start over and the waiting deliveries go", Tag: tag, Response: Webhook{}})
}

var pageParams = []api.Param{{Name: "limit", Type: "integer", Description: "at most this many (default 50, max 200)"}, {Name: "cursor", Type: "string", Description: "the next_cursor of the previous page"}}

func (h *handlers) list(c *fiber.Ctx) error {
	out, err := h.svc.List(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, WebhookList{Items: out})
}

func (h *handlers) create(c *fiber.Ctx) error {
	var in WebhookInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Create(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) choices(c *fiber.Ctx) error {
	return api.JSON(c, fiber.StatusOK, EventChoices{Items: h.svc.Choices()})
}
