package notify

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/mail"
	"groupcamp/core/problem"
	"groupcamp/core/validate"
)

// HTTP serves the notification API, the person's mail blocks and support's mail-block console.
type HTTP struct {
	Svc *Service
}

const (
	tag         = "Notifications"
	tagPlatform = "Platform"
)

// ReadAll is the answer to POST .../notifications/read-all.
type ReadAll struct {
	Marked int `json:"marked"`
}

// Unread is the answer to GET .../notifications/unread-count.
type Unread struct {
	Unread int `json:"unread"`
}

// Routes registers the API.
func (h *HTTP) Routes(r *api.Routes) {
	can := api.Can("notifications", "read")
	r.Get("/api/v1/:slug/notifications", can, h.list, api.Doc{Summary: "My notifications in the account, newest first", Tag: tag,
		Response: api.List[Notification]{}, Query: []api.Param{{Name: "unread", Type: "boolean", Description: "true: only the unread ones"}}})
	r.Get("/api/v1/:slug/notifications/unread-count", can, h.unread, api.Doc{Summary: "How many of my notifications are unread (the bell)", Tag: tag, Response: Unread{}})
	r.Post("/api/v1/:slug/notifications/read-all", can, h.readAll, api.Doc{Summary: "Mark all my notifications read", Tag: tag, Response: ReadAll{}})
	r.Post("/api/v1/:slug/notifications/:id/read", can, h.read, api.Doc{Summary: "Mark one of my notifications read", Tag: tag, Response: Notification{}})
	r.Get("/api/v1/:slug/notification-preferences", can, h.prefs, api.Doc{Summary: "My channel per event type: email (in the app and by email, the default), in_app, digest (in the app and a daily email), off", Tag: tag, Response: Prefs{}})
	r.Put("/api/v1/:slug/notification-preferences", can, h.setPrefs, api.Doc{Summary: "Choose my channel for some event types", Tag: tag, Request: Prefs{}, Response: Prefs{}})

	r.Get("/api/v1/me/mail-blocks", api.Authenticated(), h.myBlocks, api.Doc{Summary: "The accounts whose email I blocked (report spam)", Tag: tag, Response: []mail.Block{}})
	r.Post("/api/v1/me/mail-blocks/:id/lift", api.Authenticated(), h.liftMine, api.Doc{Summary: "Allow an account's email again", Tag: tag, Status: fiber.StatusNoContent})

	r.Get("/api/v1/platform/mail-blocks", api.Platform(actor.PlatformSupport), h.supportBlocks, api.Doc{Summary: "A person's mail blocks, in force and lifted (support)", Tag: tagPlatform,
		Response: []BlockRecord{}, Query: []api.Param{{Name: "email", Type: "string", Description: "the person's email address"}}})
	r.Post("/api/v1/platform/mail-blocks/:id/lift", api.Platform(actor.PlatformSupport), h.supportLift, api.Doc{Summary: "Lift a person's mail block at their request (support)", Tag: tagPlatform, Status: fiber.StatusNoContent})
}

// unreadOnly reads ?unread=true|false.
func unreadOnly(c *fiber.Ctx) (bool, error) {
	switch c.Query("unread") {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, problem.Invalid(problem.FieldError{Field: "unread", Message: "must be true or false"})
}

func (h *HTTP) list(c *fiber.Ctx) error {
	p, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	unread, err := unreadOnly(c)
	if err != nil {
		return err
	}
	out, err := h.Svc.List(c.UserContext(), actor.From(c), unread, p)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (h *HTTP) unread(c *fiber.Ctx) error {
	a := actor.From(c)
	n, err := h.Svc.UnreadCount(c.UserContext(), a.AccountID(), a.UserID)
	if err != nil {
		return err
	}
	return c.JSON(Unread{Unread: n})
}

func (h *HTTP) read(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	n, err := h.Svc.MarkRead(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	return c.JSON(n)
}

func (h *HTTP) readAll(c *fiber.Ctx) error {
	n, err := h.Svc.MarkAllRead(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return c.JSON(ReadAll{Marked: n})
}

func (h *HTTP) prefs(c *fiber.Ctx) error {
	out, err := h.Svc.Preferences(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (h *HTTP) setPrefs(c *fiber.Ctx) error {
	var in Prefs
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.Svc.SetPreferences(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (h *HTTP) myBlocks(c *fiber.Ctx) error {
	out, err := h.Svc.MailBlocks(c.UserContext(), actor.From(c).UserID)
	if err != nil {
		return err
	}
	if out == nil {
		out = []mail.Block{}
	}
	return c.JSON(out)
}

func (h *HTTP) liftMine(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.Svc.Lift(c.UserContext(), actor.From(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *HTTP) supportBlocks(c *fiber.Ctx) error {
	email, err := api.QueryText(c, "email", 254)
	if err != nil {
		return err
	}
	email = validate.NormalizeEmail(email)
	if msg := validate.Email(email); msg != "" {
		return problem.Invalid(problem.FieldError{Field: "email", Message: msg})
	}
	out, err := h.Svc.BlocksOf(c.UserContext(), strings.Clone(email))
	if err != nil {
		return err
	}
	return c.JSON(out)
}

func (h *HTTP) supportLift(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.Svc.SupportLift(c.UserContext(), actor.From(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
