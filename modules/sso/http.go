package sso

import (
	"crypto/subtle"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/auth"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// handlers serve the API, the sign-in redirects and the admin page.
type handlers struct {
	svc      *Service
	web      *web.Renderer
	authHTTP *auth.HTTP
}

const ssoDoc = "Single sign-on with OpenID Connect for the account (authorization code flow with PKCE S256, state and nonce). " +
	"`client_secret` is write-only: the answer says `client_secret_set`; a blank one keeps the stored secret. " +
	"`preset` `google` fills the issuer (https://accounts.google.com); `microsoft` wants https://login.microsoftonline.com/<tenant id>/v2.0. " +
	"`domains` limits the emails that may sign in (empty: any verified email the provider gives). " +
	"`required`: colleagues cannot sign in with a password any more (403 naming the SSO link); clients keep their passwords. " +
	"`jit`: an unknown email that passes is created as a member; off, it is refused (403). " +
	"`require_totp`: every person of the account must turn two-factor sign-in on (pages send them to enrol). " +
	"People sign in at `login_url`; register `callback_url` as the redirect URI at the provider."

// apiRoutes registers the JSON API (shared/API.md "Sign-in and integrations").
func (h *handlers) apiRoutes(r routes) {
	const tag = "Sign-in"
	manage := api.Can("sso", "manage")
	r.Get("/api/v1/:slug/sso", manage, h.get, api.Doc{Summary: "The account's single sign-on and two-factor settings (administrators)", Description: ssoDoc, Tag: tag, Response: SSOSettings{}})
	r.Put("/api/v1/:slug/sso", manage, h.put, api.Doc{Summary: "Set the account's single sign-on and two-factor settings", Description: ssoDoc, Tag: tag, Request: SSOInput{}, Response: SSOSettings{}})
	r.Get("/sso/callback", api.Public(), h.callback)
	r.Post("/sso/link", api.Public(), h.link)
	r.Get("/sso", api.Public(), h.start)
	r.Get("/:slug/sso/login", api.Public(), h.login)
}

func (h *handlers) get(c *fiber.Ctx) error {
	v, err := h.svc.Get(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (h *handlers) put(c *fiber.Ctx) error {
	var in SSOInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	v, err := h.svc.Put(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// login sends the browser to the account's provider.
func (h *handlers) login(c *fiber.Ctx) error { return h.begin(c, strings.Clone(c.Params("slug"))) }

func (h *handlers) begin(c *fiber.Ctx, slug string) error {
	to, err := h.svc.Begin(c.UserContext(), slug, c.Query("next"))
	if err != nil {
		return h.failed(c, err)
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(to, fiber.StatusFound)
}

// start is the sign-in page's "single sign-on" way in: the account's address, then its
// provider (/{slug}/sso/login).
func (h *handlers) start(c *fiber.Ctx) error {
	slug := strings.Trim(strings.ToLower(strings.TrimSpace(c.Query("account"))), "/")
	if slug == "" {
		p := h.web.NewPage(c, "sso.start_title")
		p.Bare = true
		p.Form = web.EmptyForm(nil)
		return h.web.Render(c, "sso/start", p)
	}
	return h.begin(c, slug)
}

// callback is where the provider sends the browser back.
func (h *handlers) callback(c *fiber.Ctx) error {
	if e := c.Query("error"); e != "" {
		return h.failed(c, problem.Forbidden("the identity provider did not sign you in ("+clip(e)+")"))
	}
	out, err := h.svc.Callback(c.UserContext(), c.Query("state"), c.Query("code"), auth.ClientOf(c), c.Cookies(auth.DeviceCookie))
	if err != nil {
		return h.failed(c, err)
	}
	if out.Link != "" {
		return h.linkPage(c, web.EmptyForm(map[string]string{"link": out.Link, "email": out.Email}))
	}
	if out.Pending != "" {
		// Two-factor sign-in is on: the sign-in page's second step, as after a password.
		p := h.web.NewPage(c, "login.title")
		p.Bare = true
		p.Form = web.EmptyForm(map[string]string{"pending": out.Pending, "next": out.Next})
		c.Set(fiber.HeaderCacheControl, "no-store")
		return h.web.Render(c, "shell/login_totp", p)
	}
	h.authHTTP.SetCookies(c, out.Raw, h.svc.Auth.CSRFToken(out.Raw), out.Session.ExpiresAt)
	if must, err := h.svc.Auth.MustEnrol(c.UserContext(), out.Session.UserID); err == nil && must {
		return c.Redirect("/profile/two-factor", fiber.StatusSeeOther)
	}
	return c.Redirect(web.SafeNext(out.Next, "/"), fiber.StatusSeeOther)
}

// linkPage asks the holder of an existing login for its password (and code) before the
// provider may stand for it.
func (h *handlers) linkPage(c *fiber.Ctx, form *web.Form) error {
	p := h.web.NewPage(c, "sso.link_title")
	p.Bare = true
	p.Form = form
	if form.Error != "" || len(form.Errors) > 0 {
		p.Status = fiber.StatusUnprocessableEntity
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return h.web.Render(c, "sso/link", p)
}

// link is POST /sso/link: the proof of the existing login, then the session.
func (h *handlers) link(c *fiber.Ctx) error {
	form := web.NewForm(c, "link", "email", "password", "totp")
	if want := c.Cookies(preCookie); want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(c.FormValue("_csrf"))) != 1 {
		return h.failed(c, problem.Forbidden("this form has expired; reload the page and try again"))
	}
	out, err := h.svc.LinkLogin(c.UserContext(), form.Get("link"), form.Get("password"), form.Get("totp"), auth.ClientOf(c))
	if err != nil {
		if pr, ok := problem.As(err); ok && pr.Status == fiber.StatusUnprocessableEntity && form.Fail(err) {
			form.Values["password"], form.Values["totp"] = "", ""
			return h.linkPage(c, form)
		}
		return h.failed(c, err)
	}
	h.authHTTP.SetCookies(c, out.Raw, h.svc.Auth.CSRFToken(out.Raw), out.Session.ExpiresAt)
	if must, err := h.svc.Auth.MustEnrol(c.UserContext(), out.Session.UserID); err == nil && must {
		return c.Redirect("/profile/two-factor", fiber.StatusSeeOther)
	}
	return c.Redirect(web.SafeNext(out.Next, "/"), fiber.StatusSeeOther)
}

// preCookie is the anonymous forms' CSRF cookie (core/shell's, which the pages' CSRF field
// carries before sign-in).
const preCookie = "groupcamp_pre"

// failed shows why a single sign-on did not work, on a page of its own with the way back.
func (h *handlers) failed(c *fiber.Ctx, err error) error {
	pr, ok := problem.As(err)
	if !ok {
		return err
	}
	p := h.web.NewPage(c, "sso.failed_title")
	p.Bare = true
	p.Status = pr.Status
	p.Data = pr.Detail
	return h.web.Render(c, "sso/failed", p)
}
