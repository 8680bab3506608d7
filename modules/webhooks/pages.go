package webhooks

import (
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// pageRoutes registers the pages and their forms (the administration menu's "Webhooks").
func (h *handlers) pageRoutes(r routes) {
	manage := api.Can("webhooks", "manage")
	r.Get("/:slug/admin/webhooks", manage, h.indexPage)
	r.Post("/:slug/admin/webhooks", manage, h.createForm)
	r.Get("/:slug/admin/webhooks/:id", manage, h.hookPage)
	r.Post("/:slug/admin/webhooks/:id", manage, h.updateForm)
	r.Post("/:slug/admin/webhooks/:id/test", manage, h.testForm)
	r.Post("/:slug/admin/webhooks/:id/enable", manage, h.enableForm)
	r.Post("/:slug/admin/webhooks/:id/delete", manage, h.deleteForm)
}

// choice is an event type's checkbox.
type choice struct {
	Type    string
	Checked bool
}

func (h *handlers) choicesOf(chosen []string) []choice {
	all := h.svc.Choices()
	out := make([]choice, len(all))
	for i, t := range all {
		out[i] = choice{Type: t, Checked: slices.Contains(chosen, t)}
	}
	return out
}

// formEvents are the checked event types of a posted form.
func formEvents(c *fiber.Ctx) []string {
	var out []string
	for _, raw := range c.Request().PostArgs().PeekMulti("events") {
		out = append(out, string(raw))
	}
	return out
}

// indexData is what /{slug}/admin/webhooks shows.
type indexData struct {
	Hooks   []Webhook
	Choices []choice
	Max     int
}

func (h *handlers) indexView(c *fiber.Ctx, form *web.Form, chosen []string) (*web.Page, error) {
	hooks, err := h.svc.List(c.UserContext(), actor.From(c))
	if err != nil {
		return nil, err
	}
	if form == nil {
		form = web.EmptyForm(nil)
	}
	p := h.web.NewPage(c, "webhooks.title")
	p.Data = &indexData{Hooks: hooks, Choices: h.choicesOf(chosen), Max: MaxHooks}
	p.Form = form
	return p, nil
}

func (h *handlers) indexPage(c *fiber.Ctx) error {
	p, err := h.indexView(c, nil, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "webhooks/webhooks", p)
}

func (h *handlers) createForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "url", "secret", "description")
	evs := formEvents(c)
	out, err := h.svc.Create(c.UserContext(), actor.From(c), WebhookInput{URL: form.Get("url"), Events: evs, Secret: form.Get("secret"), Description: form.Get("description")})
	if err != nil {
		if !refusable(err) {
			return err
		}
		p, verr := h.indexView(c, form, evs)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "webhooks/webhooks", p, err)
	}
	// The secret shows this once: the hook's page is rendered here, not redirected to.
	p, err := h.hookView(c, out.ID, nil, nil)
	if err != nil {
		return err
	}
	p.Data.(*hookData).Secret = out.Secret
	p.Flash = &web.FlashMsg{Kind: "success", Key: "webhooks.flash.created"}
	p.Status = fiber.StatusCreated
	return h.web.Render(c, "webhooks/webhooks", p)
}

// hookData is what a hook's page shows.
type hookData struct {
	Webhook    Webhook
	Choices    []choice
	Deliveries api.List[Delivery]
	// Secret is the generated secret, right after the hook is created.
	Secret string
	// First is whether the log shows its newest page.
	First bool
}

func (h *handlers) hookView(c *fiber.Ctx, id int64, form *web.Form, chosen []string) (*web.Page, error) {
	a := actor.From(c)
	ctx := c.UserContext()
	hook, err := h.svc.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	pg := api.Page{Limit: 20}
	if s := c.Query("cursor"); s != "" {
		if p, err := api.ParsePage(c); err == nil {
			pg.After = p.After
		}
	}
	ds, err := h.svc.Deliveries(ctx, a, id, pg)
	if err != nil {
		return nil, err
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"url": hook.URL, "description": hook.Description})
		chosen = hook.Events
	}
	p := h.web.NewPage(c, "webhooks.hook.title")
	p.Data = &hookData{Webhook: hook, Choices: h.choicesOf(chosen), Deliveries: ds, First: pg.After == 0}
	p.Form = form
	return p, nil
}

func (h *handlers) hookPage(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.hookView(c, id, nil, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "webhooks/webhooks", p)
}

func (h *handlers) hookPath(c *fiber.Ctx, id int64) string {
	return "/" + actor.From(c).Account.Slug + "/admin/webhooks/" + strconv.FormatInt(id, 10)
}

func (h *handlers) updateForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "url", "secret", "description")
	evs := formEvents(c)
	in := WebhookPatch{URL: ptr(form.Get("url")), Events: &evs, Description: ptr(form.Get("description"))}
	if s := form.Get("secret"); s != "" {
		in.Secret = &s
	}
	if _, err := h.svc.Update(c.UserContext(), actor.From(c), id, in); err != nil {
		if !refusable(err) {
			return err
		}
		p, verr := h.hookView(c, id, form, evs)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "webhooks/webhooks", p, err)
	}
	return web.Done(c, "webhooks.flash.saved", h.hookPath(c, id))
}

func (h *handlers) testForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	d, err := h.svc.Test(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	if d.State != StateSucceeded {
		web.Flash(c, "error", "webhooks.flash.test_failed")
		return c.Redirect(h.hookPath(c, id), fiber.StatusSeeOther)
	}
	return web.Done(c, "webhooks.flash.test_sent", h.hookPath(c, id))
}

func (h *handlers) enableForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := h.svc.Enable(c.UserContext(), actor.From(c), id); err != nil {
		return err
	}
	return web.Done(c, "webhooks.flash.enabled", h.hookPath(c, id))
}

func (h *handlers) deleteForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.svc.Delete(c.UserContext(), actor.From(c), id); err != nil {
		return err
	}
	return web.Done(c, "webhooks.flash.deleted", "/"+actor.From(c).Account.Slug+"/admin/webhooks")
}

func ptr(s string) *string { return &s }

// refusable: a refusal a person can fix on the form (4xx but 404).
func refusable(err error) bool {
	p, ok := problem.As(err)
	return ok && p.Status < 500 && p.Status != fiber.StatusNotFound
}

// Class is the colour of the delivery's state badge.
func (d Delivery) Class() string {
	switch d.State {
	case StateSucceeded:
		return "ok"
	case StateFailed:
		return "off"
	}
	return "warn"
}

// One tells the page's template which page it is: a hook's, or the list.
func (*indexData) One() bool { return false }

// One tells the page's template which page it is: a hook's, or the list.
func (*hookData) One() bool { return true }
