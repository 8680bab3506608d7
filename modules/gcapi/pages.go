package gcapi

import (
	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// pageRoutes registers the administration page "API keys (GroupCamp compatible)".
func (h *keyHandlers) pageRoutes(r *app.Registry) {
	manage := api.Can("gcapi", "manage")
	r.Get("/:slug/admin/gcapi-keys", manage, h.indexPage)
	r.Post("/:slug/admin/gcapi-keys", manage, h.createForm)
	r.Post("/:slug/admin/gcapi-keys/:key/revoke", manage, h.revokeForm)
}

// keysData is what the page shows.
type keysData struct {
	Keys []Key
	// Created is the key pair just created: its secret shows this once.
	Created *NewKey
	Base    string
	Filter  string // all (default), active or revoked
	// Apps are the choices of the form's application.
	Apps [][]string
}

func (h *keyHandlers) view(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	ks, err := h.svc.Keys(c.UserContext(), actor.From(c))
	if err != nil {
		return nil, err
	}
	filter := c.Query("show")
	if filter == "active" || filter == "revoked" {
		kept := ks[:0:0]
		for _, k := range ks {
			if k.Active() == (filter == "active") {
				kept = append(kept, k)
			}
		}
		ks = kept
	} else {
		filter = "all"
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"application": "reporting-1"})
	}
	p := h.web.NewPage(c, "gcapi.title")
	p.Data = &keysData{Keys: ks, Base: c.BaseURL(), Filter: filter, Apps: [][]string{{"reporting-1", "gcapi.app.reporting"}, {"provisioning-1", "gcapi.app.provisioning"}}}
	p.Form = form
	return p, nil
}

func (h *keyHandlers) indexPage(c *fiber.Ctx) error {
	p, err := h.view(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "gcapi/keys", p)
}

func (h *keyHandlers) createForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "application", "label")
	out, err := h.svc.CreateKey(c.UserContext(), actor.From(c), KeyInput{Application: form.Get("application"), Label: form.Get("label")})
	if err != nil {
		if pr, ok := problem.As(err); !ok || pr.Status >= 500 {
			return err
		}
		p, verr := h.view(c, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "gcapi/keys", p, err)
	}
	// The secret shows this once: the page is rendered here, not redirected to.
	p, err := h.view(c, nil)
	if err != nil {
		return err
	}
	p.Data.(*keysData).Created = &out
	p.Flash = &web.FlashMsg{Kind: "success", Key: "gcapi.flash.created"}
	p.Status = fiber.StatusCreated
	return h.web.Render(c, "gcapi/keys", p)
}

func (h *keyHandlers) revokeForm(c *fiber.Ctx) error {
	if err := h.svc.RevokeKey(c.UserContext(), actor.From(c), keyParam(c)); err != nil {
		return err
	}
	return web.Done(c, "gcapi.flash.revoked", "/"+actor.From(c).Account.Slug+"/admin/gcapi-keys")
}
