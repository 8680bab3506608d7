package sso

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/web"
)

// pageRoutes registers the administration page "Sign-in".
func (h *handlers) pageRoutes(r routes) {
	manage := api.Can("sso", "manage")
	r.Get("/:slug/admin/sign-in", manage, h.page)
	r.Post("/:slug/admin/sign-in", manage, h.save)
}

// pageData is what /{slug}/admin/sign-in shows.
type pageData struct {
	View    SSOSettings
	Presets []string
}

func (h *handlers) render(c *fiber.Ctx, form *web.Form) error {
	v, err := h.svc.Get(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	if form == nil {
		vals := map[string]string{"preset": v.Preset, "issuer": v.Issuer, "client_id": v.ClientID, "domains": strings.Join(v.Domains, ", ")}
		for k, on := range map[string]bool{"required": v.Required, "jit": v.JIT, "require_totp": v.RequireTOTP} {
			if on {
				vals[k] = "1"
			}
		}
		form = web.EmptyForm(vals)
	}
	p := h.web.NewPage(c, "sso.title")
	p.Form = form
	if form.Error != "" || len(form.Errors) > 0 {
		p.Status = fiber.StatusUnprocessableEntity
	}
	p.Data = &pageData{View: v, Presets: []string{PresetCustom, PresetGoogle, PresetMicrosoft}}
	return h.web.Render(c, "sso/settings", p)
}

func (h *handlers) page(c *fiber.Ctx) error { return h.render(c, nil) }

func (h *handlers) save(c *fiber.Ctx) error {
	form := web.NewForm(c, "preset", "issuer", "client_id", "client_secret", "domains", "required", "jit", "require_totp")
	var domains []string
	for _, d := range strings.FieldsFunc(form.Get("domains"), func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == ';' }) {
		domains = append(domains, d)
	}
	in := SSOInput{Preset: form.Get("preset"), Issuer: form.Get("issuer"), ClientID: form.Get("client_id"), ClientSecret: form.Get("client_secret"),
		Domains: domains, Required: form.Get("required") != "", JIT: form.Get("jit") != "", RequireTOTP: form.Get("require_totp") != ""}
	if _, err := h.svc.Put(c.UserContext(), actor.From(c), in); err != nil {
		if !form.Fail(err) {
			return err
		}
		form.Values["client_secret"] = ""
		return h.render(c, form)
	}
	return web.Done(c, "sso.saved", "/"+actor.From(c).Account.Slug+"/admin/sign-in")
}
