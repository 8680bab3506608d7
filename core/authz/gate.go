package authz

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/auth"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
)

// Gate builds the middleware that enforces a route's guard.
type Gate struct {
	Auth     *auth.Service
	People   *identity.Service
	Enforcer *Enforcer
}

// Credential returns the secret a request authenticates with and whether it came from the
// session cookie.
func Credential(c *fiber.Ctx) (raw string, viaCookie bool) {
	if h := c.Get(fiber.HeaderAuthorization); h != "" {
		if t, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(t), false
		}
		return "", false
	}
	if v := c.Cookies(auth.SessionCookie); v != "" {
		return v, true
	}
	return "", false
}

// csrfFrom reads the CSRF token from the header (scripts) or the _csrf form field (forms).
func csrfFrom(c *fiber.Ctx) string {
	if v := c.Get(auth.CSRFHeader); v != "" {
		return v
	}
	return c.FormValue("_csrf")
}

func isWrite(method string) bool {
	return method != fiber.MethodGet && method != fiber.MethodHead && method != fiber.MethodOptions
}

// Middleware returns the handler that runs before a route with guard g.
func (gt *Gate) Middleware(g api.Guard) fiber.Handler {
	if g.Public {
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	return func(c *fiber.Ctx) error {
		raw, viaCookie := Credential(c)
		if raw == "" {
			return problem.Unauthorized("sign in first")
		}
		a, err := gt.Auth.Authenticate(c.UserContext(), raw)
		if err != nil {
			return err
		}
		if viaCookie && isWrite(c.Method()) && !gt.Auth.CheckCSRF(raw, csrfFrom(c)) {
			return problem.Forbidden("missing or wrong CSRF token")
		}
		a.ViaCookie = viaCookie
		cl := auth.ClientOf(c)
		a.IP, a.UserAgent = cl.IP, cl.UserAgent
		actor.Set(c, a)
		switch {
		case g.Authenticated:
			return c.Next()
		case g.Platform != "":
			if a.PlatformRole == "" || (g.Platform != "*" && g.Platform != a.PlatformRole) {
				return problem.NotFound()
			}
			return c.Next()
		}
		slug := strings.Clone(c.Params("slug"))
		access, err := gt.People.AccessFor(c.UserContext(), slug, a.UserID)
		if err != nil {
			return err
		}
		if access == nil {
			// Not a member: the account does not exist as far as this user knows.
			return problem.NotFound()
		}
		a.Account = &actor.Account{ID: access.AccountID, Slug: slug, Name: access.AccountName}
		a.Role, a.CompanyID = access.Role, access.CompanyID
		a.Can = func(object, action string) bool { return gt.Enforcer.Allowed(a.Role, slug, object, action) }
		if !gt.Enforcer.Allowed(a.Role, slug, g.Object, g.Action) {
			return problem.Forbidden("your role does not allow this")
		}
		return c.Next()
	}
}
