// Package shell is the browser face of core: sign-up, sign-in, sign-out, invitation and
// password-reset pages, the account home, and the profile (name, language, time zone,
// password, personal API tokens). It also decorates every page with what the layout needs:
// the CSRF token, the account switcher and the navigation the viewer may see.
//
// Anonymous forms (sign-in, sign-up, invitation, reset) are protected against cross-site
// posting by a double-submit token: a random cookie echoed in the form's _csrf field.
package shell

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"github.com/uptrace/bun"
	"groupcamp/core/hooks"
	"io/fs"
	"sort"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/auth"
	"groupcamp/core/identity"
	"groupcamp/core/mail"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

//go:embed views
var views embed.FS

// Shell serves the core pages.
type Shell struct {
	Web          *web.Renderer
	People       *identity.Service
	Auth         *auth.Service
	AuthHTTP     *auth.HTTP
	SignupClosed bool
	Nav          []web.NavItem // core and module navigation, in order
	Notices      Notices       // the bell and the profile's mail blocks; nil shows neither
	// Hooks are what the modules fed: home sections and activity (nil: none).
	Hooks *hooks.Set
	// DB keeps the home visits.
	DB bun.IDB
	// Enabled says whether the account has a module on (nil: every module is on).
	Enabled func(ctx context.Context, accountID int64, module string) (bool, error)
}

// Notices is what the pages need from core/notify.
type Notices interface {
	// Bell is the layout's bell for the viewer on an account page (nil: none).
	Bell(c *fiber.Ctx, a *actor.Actor) *web.Bell
	// MailBlocks lists the accounts whose email the person blocked.
	MailBlocks(ctx context.Context, userID int64) ([]mail.Block, error)
}

var preCookie = web.DeclareCookie(web.Cookie{Name: "groupcamp_pre", Purpose: "cookie.pre.purpose", Lifetime: "cookie.pre.lifetime", HTTPOnly: true})

// Install loads the shell's views and sets the renderer's decoration hook.
func (s *Shell) Install() error {
	sub, _ := fs.Sub(views, "views")
	if err := s.Web.Load(sub, "shell"); err != nil {
		return err
	}
	sort.SliceStable(s.Nav, func(i, j int) bool { return s.Nav[i].Order < s.Nav[j].Order })
	s.Web.Decorate = s.decorate
	return nil
}

// CoreNav is the navigation of core's own pages (the admin pages add theirs).
var CoreNav = []web.NavItem{
	{Label: "nav.home", Path: "", Object: "home", Action: "read", Order: 0},
}

// viewer returns the request's actor, or — on public pages — the signed-in user of the
// session cookie when there is one.
func (s *Shell) viewer(c *fiber.Ctx) *actor.Actor {
	if a := actor.From(c); a != nil {
		return a
	}
	raw := c.Cookies(auth.SessionCookie)
	if raw == "" {
		return nil
	}
	a, err := s.Auth.Authenticate(c.UserContext(), raw)
	if err != nil {
		return nil
	}
	return a
}

func (s *Shell) decorate(c *fiber.Ctx, p *web.Page) {
	if p.Actor == nil {
		p.Actor = s.viewer(c)
		if p.Actor != nil {
			ch := web.ReaderChoice(c)
			ch.Profile = p.Actor.Locale
			p.Lang = s.Web.Catalog.Choose(ch)
			p.L = s.Web.Catalog.For(p.Lang)
		}
	}
	if raw := c.Cookies(auth.SessionCookie); raw != "" && p.Actor != nil {
		p.CSRF = s.Auth.CSRFToken(raw)
	} else {
		p.CSRF = preToken(c, s.AuthHTTP.Secure)
	}
	if p.Actor == nil || p.Bare {
		return
	}
	if me, err := s.People.Me(c.UserContext(), p.Actor.UserID); err == nil {
		for _, m := range me.Memberships {
			p.Accounts = append(p.Accounts, web.AccountLink{Slug: m.Account.Slug, Name: m.Account.Name, Role: m.Role})
		}
	}
	if p.Actor.Account == nil {
		p.Nav = platformNav(p.Actor, p.Path)
		s.profileBell(c, p)
		return
	}
	if s.Notices != nil {
		p.Bell = s.Notices.Bell(c, p.Actor)
	}
	s.banners(c, p)
	base := "/" + p.Actor.Account.Slug
	// A module the account has off shows no entry (asked once per module and page; an
	// error hides it too: its routes would refuse anyway).
	hidden := map[string]bool{}
	for _, n := range s.Nav {
		if !p.Actor.May(n.Object, n.Action) {
			continue
		}
		if n.Module != "" && s.Enabled != nil {
			hide, asked := hidden[n.Module]
			if !asked {
				on, err := s.Enabled(c.UserContext(), p.Actor.AccountID(), n.Module)
				hide = err != nil || !on
				hidden[n.Module] = hide
			}
			if hide {
				continue
			}
		}
		href := base + n.Path
		active := p.Path == href || (n.Path != "" && strings.HasPrefix(p.Path, href+"/"))
		link := web.NavLink{Label: n.Label, Href: href, Active: active}
		if n.Group == web.GroupAdmin {
			p.AdminNav = append(p.AdminNav, link)
		} else {
			p.Nav = append(p.Nav, link)
		}
	}
	onlyDeepest(p.Nav, p.AdminNav)
}

// banners asks the modules for the notices of the account's pages (hooks.Banner); a module
// that fails shows none rather than failing the page.
func (s *Shell) banners(c *fiber.Ctx, p *web.Page) {
	if s.Hooks == nil {
		return
	}
	for _, b := range s.Hooks.Banners {
		if got, err := b.Hook(c.UserContext(), p.Actor); err == nil {
			p.Banners = append(p.Banners, got...)
		}
	}
}

// onlyDeepest keeps one entry current: the one whose path is the longest prefix of the page's.
// An entry nested in another's path (Timesheet's "/timesheet/budgets" under "/timesheet")
// would otherwise light both on its pages.
func onlyDeepest(navs ...[]web.NavLink) {
	best := ""
	for _, nav := range navs {
		for _, l := range nav {
			if l.Active && len(l.Href) > len(best) {
				best = l.Href
			}
		}
	}
	for _, nav := range navs {
		for i := range nav {
			nav[i].Active = nav[i].Active && nav[i].Href == best
		}
	}
}

// profileBell gives the profile, which is outside any account, the bell of the person's
// current account: the one named by ?from= (the layout's profile link carries the account the
// person came from) when they are an active member of it, else their first account.
func (s *Shell) profileBell(c *fiber.Ctx, p *web.Page) {
	if s.Notices == nil || len(p.Accounts) == 0 || (p.Path != "/profile" && !strings.HasPrefix(p.Path, "/profile/")) {
		return
	}
	slug := p.Accounts[0].Slug
	if from := c.Query("from"); from != "" {
		for _, l := range p.Accounts {
			if l.Slug == from {
				slug = l.Slug
			}
		}
	}
	acc, err := s.People.AccessFor(c.UserContext(), slug, p.Actor.UserID)
	if err != nil || acc == nil {
		return
	}
	in := *p.Actor
	in.Account = &actor.Account{ID: acc.AccountID, Slug: slug, Name: acc.AccountName, Locale: acc.Locale}
	in.Role, in.CompanyID = acc.Role, acc.CompanyID
	// Every account role reads its own notifications (policies: owner to client); this actor
	// serves the bell only, so it holds that capability and no other.
	in.Can = func(object, action string) bool { return object == "notifications" && action == "read" }
	p.Bell = s.Notices.Bell(c, &in)
}

// platformNav is the navigation of platform staff outside any account: the console, and for
// support the failed background tasks (core/ops, support only: a partner gets a 404 there),
// for a partner the invoices of its accounts.
func platformNav(a *actor.Actor, path string) []web.NavLink {
	if a.PlatformRole == "" {
		return nil
	}
	nav := []web.NavLink{{Label: "nav.platform", Href: "/platform", Active: path == "/platform" || strings.HasPrefix(path, "/platform/accounts/")}}
	if a.PlatformRole == actor.PlatformSupport {
		nav = append(nav, web.NavLink{Label: "nav.platform_jobs", Href: "/platform/jobs", Active: path == "/platform/jobs" || strings.HasPrefix(path, "/platform/jobs/")})
	}
	if a.PlatformRole == actor.PlatformPartner { // the invoices of its accounts (modules/billing)
		nav = append(nav, web.NavLink{Label: "nav.platform_invoices", Href: "/platform/billing/invoices", Active: path == "/platform/billing/invoices"})
	}
	if a.PlatformRole == actor.PlatformAdmin { // the platform's business (modules/billing), no account's console
		nav = []web.NavLink{{Label: "nav.platform_billing", Href: "/platform/billing", Active: path == "/platform/billing"}}
	}
	return nav
}

// preToken returns the anonymous CSRF token, setting its cookie on first use (Secure when the
// public URL is https, like the session cookie).
func preToken(c *fiber.Ctx, secure bool) string {
	if v := c.Cookies(preCookie); len(v) == 32 {
		return v
	}
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	v := hex.EncodeToString(b)
	c.Cookie(&fiber.Cookie{Name: preCookie, Value: v, Path: "/", HTTPOnly: true, Secure: secure, SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Now().Add(12 * time.Hour)})
	return v
}

// checkPre verifies an anonymous form's token.
func checkPre(c *fiber.Ctx) error {
	want := c.Cookies(preCookie)
	got := c.FormValue("_csrf")
	if want == "" || subtle.ConstantTimeCompare([]byte(want), []byte(got)) != 1 {
		return problem.Forbidden("this form has expired; reload the page and try again")
	}
	return nil
}

// Routes registers the pages. Fixed paths come before the /:slug pages.
func (s *Shell) Routes(r *api.Routes) {
	r.Get("/", api.Public(), s.root)
	r.Get("/signup", api.Public(), s.signupPage)
	r.Post("/signup", api.Public(), s.signup)
	r.Get("/login", api.Public(), s.loginPage)
	r.Get("/language/:code", api.Public(), s.pickLanguage)
	r.Post("/login", api.Public(), s.login)
	r.Post("/login/totp", api.Public(), s.loginSecondStep)
	r.Post("/logout", api.Authenticated(), s.logout)
	r.Get("/invitations/:token", api.Public(), s.invitationPage)
	r.Post("/invitations/:token", api.Public(), s.acceptInvitation)
	r.Get("/password-reset", api.Public(), s.resetRequestPage)
	r.Post("/password-reset", api.Public(), s.resetRequest)
	r.Get("/password-reset/:token", api.Public(), s.resetPage)
	r.Post("/password-reset/:token", api.Public(), s.reset)
	r.Get("/profile", api.Authenticated(), s.profile)
	r.Post("/profile", api.Authenticated(), s.updateProfile)
	r.Post("/profile/password", api.Authenticated(), s.changePassword)
	r.Post("/profile/tokens", api.Authenticated(), s.createToken)
	r.Post("/profile/tokens/:id/revoke", api.Authenticated(), s.revokeToken)
	r.Get("/profile/two-factor", api.Authenticated(), s.twoFactor)
	r.Post("/profile/two-factor/enrol", api.Authenticated(), s.enrolTwoFactor)
	r.Post("/profile/two-factor/confirm", api.Authenticated(), s.confirmTwoFactor)
	r.Post("/profile/two-factor/disable", api.Authenticated(), s.disableTwoFactor)
}

// HomeRoutes registers the account home; call it after every fixed path is registered.
func (s *Shell) HomeRoutes(r *api.Routes) {
	r.Get("/:slug", api.Can("home", "read"), s.home)
}

func (s *Shell) root(c *fiber.Ctx) error {
	a := s.viewer(c)
	if a == nil {
		return c.Redirect("/login", fiber.StatusSeeOther)
	}
	me, err := s.People.Me(c.UserContext(), a.UserID)
	if err != nil {
		return err
	}
	if len(me.Memberships) > 0 {
		return c.Redirect("/"+me.Memberships[0].Account.Slug, fiber.StatusSeeOther)
	}
	if a.PlatformRole != "" {
		return c.Redirect("/platform", fiber.StatusSeeOther)
	}
	return c.Redirect("/profile", fiber.StatusSeeOther)
}

// startSession signs the person in with a browser session and sets the cookies.
func (s *Shell) startSession(c *fiber.Ctx, email, password string) error {
	_, _, err := s.startSessionStep(c, email, password)
	return err
}

// startSessionStep is startSession that answers, when the second factor is missing, the
// pending proof of the password (auth.Service.LoginStep), and the person's id on success.
func (s *Shell) startSessionStep(c *fiber.Ctx, email, password string) (int64, string, error) {
	in := auth.LoginInput{Email: email, Password: password, Device: c.Cookies(auth.DeviceCookie)}
	raw, sess, pending, err := s.Auth.LoginStep(c.UserContext(), in, auth.KindBrowser, auth.ClientOf(c))
	if err != nil {
		return 0, pending, err
	}
	s.AuthHTTP.SetCookies(c, raw, s.Auth.CSRFToken(raw), sess.ExpiresAt)
	return sess.UserID, "", nil
}
