package auth

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/obs"
	"groupcamp/core/web"
)

// The cookies of a browser session, for the cookie notice (web.Cookies).
var (
	_ = web.DeclareCookie(web.Cookie{Name: SessionCookie, Purpose: "cookie.session.purpose", Lifetime: "cookie.session.lifetime", HTTPOnly: true})
	_ = web.DeclareCookie(web.Cookie{Name: CSRFCookie, Purpose: "cookie.csrf.purpose", Lifetime: "cookie.session.lifetime"})
)

// HTTP serves sign-in, sign-out, password reset and personal API tokens.
type HTTP struct {
	Svc    *Service
	Secure bool // Secure cookies (the public URL is https)
}

// LoginResult is the body of a successful login.
type LoginResult struct {
	Token     string    `json:"token"`
	ExpiresAt time.Time `json:"expires_at"`
	CSRFToken string    `json:"csrf_token"`
}

// Routes registers the endpoints with their guards.
func (h *HTTP) Routes(r *api.Routes) {
	const tag = "Core"
	r.Post("/api/v1/login", api.Public(), h.login, api.Doc{Summary: "Sign in: returns a login token and sets the session cookie", Tag: tag, Request: LoginInput{}, Response: LoginResult{}})
	r.Post("/api/v1/logout", api.Authenticated(), h.logout, api.Doc{Summary: "Revoke the current session or token", Tag: tag, Status: 204})
	r.Post("/api/v1/password-resets", api.Public(), h.requestReset, api.Doc{Summary: "Mail a password-reset link", Tag: tag, Request: ResetRequest{}, Status: 202})
	r.Post("/api/v1/password-resets/:token", api.Public(), h.reset, api.Doc{Summary: "Set a new password from a reset link", Tag: tag, Request: ResetInput{}, Status: 204})
	r.Get("/api/v1/tokens", api.Authenticated(), h.tokens, api.Doc{Summary: "List your personal API tokens (with their scopes and expiry)", Tag: tag, Response: api.List[APIToken]{}})
	r.Post("/api/v1/tokens", api.Authenticated(), h.createToken, api.Doc{Summary: "Create a personal API token (shown once)", Description: tokenDoc, Tag: tag, Request: TokenInput{}, Response: NewToken{}, Status: 201})
	r.Delete("/api/v1/tokens/:id", api.Authenticated(), h.revokeToken, api.Doc{Summary: "Revoke a personal API token", Tag: tag, Status: 204})
	h.totpRoutes(r)
}

// tokenDoc explains scopes and expiry in the OpenAPI document.
const tokenDoc = "`scopes` (default `[\"write\"]`) narrow what the token may do, never past your role: " +
	"`write` is everything you may do; `read` allows GET and HEAD only (other methods: 403); " +
	"`<module>:read` and `<module>:write` (e.g. `projects:read`, `users:write`) limit it to the account routes " +
	"whose capability object is that module or starts with `<module>.` (see `x-capability`). " +
	"Any token may read `/api/v1/me` and its own token list; changes outside an account need `write`. " +
	"`expires_at` (RFC 3339, optional) must be in the future and at most one year ahead; " +
	"a token past it is refused with 401, like a revoked one. An unknown scope or a bad expiry is a 422 naming the field (`scopes[0]`, `expires_at`)."

// ClientOf is the request's origin (IP, user agent) for throttling and audit.
func ClientOf(c *fiber.Ctx) Client {
	return Client{IP: obs.ClientIP(c), UserAgent: string(c.Request().Header.UserAgent())}
}

func (h *HTTP) login(c *fiber.Ctx) error {
	var in LoginInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	raw, sess, err := h.Svc.Login(c.UserContext(), in, KindLogin, ClientOf(c))
	if err != nil {
		return err
	}
	csrf := h.Svc.CSRFToken(raw)
	h.SetCookies(c, raw, csrf, sess.ExpiresAt)
	c.Set(fiber.HeaderCacheControl, "no-store") // a public route, but the answer is a credential
	return c.JSON(LoginResult{Token: raw, ExpiresAt: sess.ExpiresAt, CSRFToken: csrf})
}

// SetCookies sets the session cookie (HttpOnly) and the CSRF cookie (readable by scripts).
func (h *HTTP) SetCookies(c *fiber.Ctx, raw, csrf string, expires time.Time) {
	c.Cookie(&fiber.Cookie{Name: SessionCookie, Value: raw, Path: "/", Expires: expires, HTTPOnly: true, Secure: h.Secure, SameSite: fiber.CookieSameSiteLaxMode})
	c.Cookie(&fiber.Cookie{Name: CSRFCookie, Value: csrf, Path: "/", Expires: expires, Secure: h.Secure, SameSite: fiber.CookieSameSiteLaxMode})
}

// SetDevice sets the remembered-device cookie (DeviceCookie) until until.
func (h *HTTP) SetDevice(c *fiber.Ctx, v string, until time.Time) {
	c.Cookie(&fiber.Cookie{Name: DeviceCookie, Value: v, Path: "/", Expires: until, HTTPOnly: true, Secure: h.Secure, SameSite: fiber.CookieSameSiteLaxMode})
}

// ClearDevice forgets the remembered device.
func (h *HTTP) ClearDevice(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{Name: DeviceCookie, Value: "", Path: "/", Expires: time.Unix(0, 0), HTTPOnly: true, Secure: h.Secure, SameSite: fiber.CookieSameSiteLaxMode})
}

// ClearCookies removes both cookies.
func (h *HTTP) ClearCookies(c *fiber.Ctx) {
	for _, n := range []string{SessionCookie, CSRFCookie} {
		c.Cookie(&fiber.Cookie{Name: n, Value: "", Path: "/", Expires: time.Unix(0, 0), HTTPOnly: n == SessionCookie, Secure: h.Secure, SameSite: fiber.CookieSameSiteLaxMode})
	}
}

func (h *HTTP) logout(c *fiber.Ctx) error {
	if err := h.Svc.Logout(c.UserContext(), actor.From(c)); err != nil {
		return err
	}
	h.ClearCookies(c)
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *HTTP) requestReset(c *fiber.Ctx) error {
	var in ResetRequest
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	if err := h.Svc.RequestReset(c.UserContext(), in); err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(fiber.Map{"detail": "if this email has a GroupCamp login, a reset link is on its way"})
}

func (h *HTTP) reset(c *fiber.Ctx) error {
	var in ResetInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	if err := h.Svc.ResetPassword(c.UserContext(), strings.Clone(c.Params("token")), in, ClientOf(c)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *HTTP) tokens(c *fiber.Ctx) error {
	p, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	list, err := h.Svc.ListTokens(c.UserContext(), actor.From(c), p)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (h *HTTP) createToken(c *fiber.Ctx) error {
	var in TokenInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	t, err := h.Svc.CreateToken(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, t)
}

func (h *HTTP) revokeToken(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.Svc.RevokeToken(c.UserContext(), actor.From(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
