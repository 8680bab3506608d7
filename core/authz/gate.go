package authz

import (
	"context"
	"encoding/base64"
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
	// Support lets platform support into an account it is no member of, under the owner's
	// consent; nil keeps support out of every account.
	Support SupportReach
	// Access caches the memberships resolved (nil: none; see AccessCache).
	Access *AccessCache
}

// SupportReach is the owner's consent as the Gate needs it (core/consent implements it).
type SupportReach interface {
	// DataGrant returns the account with that slug when its owner has a "data" grant in force,
	// else nil: support may then not know the account exists.
	DataGrant(ctx context.Context, slug string) (*actor.Account, error)
	// RecordDataAccess writes support's access (allowed or refused) to route into the
	// account's audit trail; an access that cannot be recorded does not happen.
	RecordDataAccess(ctx context.Context, a *actor.Actor, route string, allowed bool) error
}

// Credential returns the secret a request authenticates with and whether it came from the
// session cookie.
func Credential(c *fiber.Ctx) (raw string, viaCookie bool) {
	if h := c.Get(fiber.HeaderAuthorization); h != "" {
		if t, ok := strings.CutPrefix(h, "Bearer "); ok {
			return strings.TrimSpace(t), false
		}
		// HTTP Basic with a personal API token as the password (any user name): how WebDAV
		// clients sign in.
		if t, ok := strings.CutPrefix(h, "Basic "); ok {
			if b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(t)); err == nil {
				if _, pw, ok := strings.Cut(string(b), ":"); ok && auth.AppPassword(pw) {
					return pw, false
				}
			}
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
	return method != fiber.MethodGet && method != fiber.MethodHead && method != fiber.MethodOptions && method != "PROPFIND"
}

// EnrolPath is the page where a person turns two-factor sign-in on (core/shell).
const EnrolPath = "/profile/two-factor"

// enrolmentPage reports whether the request is a page view that a person who must enrol in
// two-factor sign-in is sent away from: a GET of a page, not of the API, nor of the
// enrolment page itself.
func enrolmentPage(c *fiber.Ctx) bool {
	if c.Method() != fiber.MethodGet {
		return false
	}
	p := c.Path()
	return !strings.HasPrefix(p, "/api/") && !strings.HasPrefix(p, EnrolPath)
}

// Middleware returns the handler that runs before a route with guard g.
func (gt *Gate) Middleware(g api.Guard) fiber.Handler {
	if g.Public {
		return func(c *fiber.Ctx) error { return c.Next() }
	}
	guard := gt.guard(g)
	return func(c *fiber.Ctx) error {
		err := guard(c)
		NoStore(c)
		return err
	}
}

// NoStore marks the answer as one no cache may keep (a shared proxy's, the browser's, its
// back-button history): what a signed-in person sees. Every route that is not public gets it,
// whatever its handler set (a handler may only ask for more, e.g. "private, no-store").
func NoStore(c *fiber.Ctx) {
	if !strings.Contains(string(c.Response().Header.Peek(fiber.HeaderCacheControl)), "no-store") {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
}

// guard checks the credential, the scopes, the membership and the capability of a request
// on a route that is not public.
func (gt *Gate) guard(g api.Guard) fiber.Handler {
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
		if viaCookie && enrolmentPage(c) {
			// An account requires two-factor sign-in and this person has not turned it on:
			// every page sends them to enrol, not only the sign-in (a session opened before
			// the admin required it, or one that skipped the redirect). The JSON API and the
			// forms' writes are left alone, so that the enrolment page itself works.
			if must, err := gt.Auth.MustEnrol(c.UserContext(), a.UserID); err != nil {
				return err
			} else if must {
				return c.Redirect(EnrolPath, fiber.StatusSeeOther)
			}
		}
		// A personal token's scopes narrow what it reaches (never past the role); sessions
		// have none. Off account routes they are checked here, on them once the account is
		// known, so that a non-member still learns nothing but 404.
		scopes := auth.Scopes(a.Scopes)
		switch {
		case g.Authenticated:
			if err := scopes.Permit(c.Method(), g); err != nil {
				return err
			}
			return c.Next()
		case g.Platform != "":
			if a.PlatformRole == "" || (g.Platform != "*" && g.Platform != a.PlatformRole) {
				return problem.NotFound()
			}
			if err := scopes.Permit(c.Method(), g); err != nil {
				return err
			}
			return c.Next()
		}
		slug := strings.Clone(c.Params("slug"))
		access, err := gt.accessFor(c.UserContext(), slug, a.UserID)
		if err != nil {
			return err
		}
		if access == nil {
			if a.PlatformRole == actor.PlatformSupport && gt.Support != nil {
				return gt.supportAccess(c, a, slug, g)
			}
			// Not a member: the account does not exist as far as this user knows.
			return problem.NotFound()
		}
		a.Account = &actor.Account{ID: access.AccountID, Slug: slug, Name: access.AccountName, Locale: access.Locale}
		a.Role, a.CompanyID = access.Role, access.CompanyID
		a.Can = func(object, action string) bool { return gt.Enforcer.Allowed(a.Role, slug, object, action) }
		if err := scopes.Permit(c.Method(), g); err != nil {
			return err
		}
		if !gt.Enforcer.Allowed(a.Role, slug, g.Object, g.Action) {
			return problem.Forbidden("your role does not allow this")
		}
		return c.Next()
	}
}

// supportAccess lets platform support read an account under its owner's data grant: without a
// grant in force the account does not exist for support (404); with one, support holds the
// role "support" (read capabilities only, see policies/), writes are refused whatever the
// capability (403), and every access, allowed or refused, goes to the account's audit trail.
func (gt *Gate) supportAccess(c *fiber.Ctx, a *actor.Actor, slug string, g api.Guard) error {
	acc, err := gt.Support.DataGrant(c.UserContext(), slug)
	if err != nil {
		return err
	}
	if acc == nil {
		return problem.NotFound()
	}
	a.Account, a.Role = acc, actor.PlatformSupport
	a.Can = func(object, action string) bool { return gt.Enforcer.Allowed(a.Role, slug, object, action) }
	scopeErr := auth.Scopes(a.Scopes).Permit(c.Method(), g)
	allowed := scopeErr == nil && !isWrite(c.Method()) && gt.Enforcer.Allowed(a.Role, slug, g.Object, g.Action)
	if err := gt.Support.RecordDataAccess(c.UserContext(), a, c.Method()+" "+c.Route().Path, allowed); err != nil {
		return err
	}
	if scopeErr != nil {
		return scopeErr
	}
	if !allowed {
		return problem.Forbidden("support may only read this account's data, and only while its owner consents")
	}
	return c.Next()
}
