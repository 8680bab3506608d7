package shell

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/auth"
	"groupcamp/core/identity"
	"groupcamp/core/obs"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

func (s *Shell) bare(c *fiber.Ctx, title string, form *web.Form) *web.Page {
	p := s.Web.NewPage(c, title)
	p.Bare = true
	p.Form = form
	return p
}

var signupFields = []string{"account_name", "slug", "country", "owner_name", "email", "password"}

func (s *Shell) signupPage(c *fiber.Ctx) error {
	p := s.bare(c, "signup.title", web.EmptyForm(map[string]string{"country": "FR"}))
	p.Data = s.SignupClosed
	return s.Web.Render(c, "shell/signup", p)
}

func (s *Shell) signup(c *fiber.Ctx) error {
	if err := checkPre(c); err != nil {
		return err
	}
	form := web.NewForm(c, signupFields...)
	p := s.bare(c, "signup.title", form)
	p.Data = s.SignupClosed
	if s.SignupClosed {
		return problem.Forbidden("sign-up is closed on this server")
	}
	in := identity.SignupInput{AccountName: form.Get("account_name"), Slug: strings.ToLower(strings.TrimSpace(form.Get("slug"))),
		Country: strings.ToUpper(strings.TrimSpace(form.Get("country"))), OwnerName: form.Get("owner_name"),
		Email: form.Get("email"), Password: form.Get("password"), Locale: p.Lang}
	acc, _, err := s.People.Signup(c.UserContext(), in, &actor.Actor{IP: obs.ClientIP(c), UserAgent: string(c.Request().Header.UserAgent())})
	if err != nil {
		return s.Web.Refuse(c, "shell/signup", p, err)
	}
	if err := s.startSession(c, in.Email, in.Password); err != nil {
		return err
	}
	web.Flash(c, "success", "signup.done")
	return c.Redirect("/"+acc.Slug, fiber.StatusSeeOther)
}

func (s *Shell) loginPage(c *fiber.Ctx) error {
	if s.viewer(c) != nil {
		return c.Redirect(web.SafeNext(c.Query("next"), "/"), fiber.StatusSeeOther)
	}
	p := s.bare(c, "login.title", web.EmptyForm(map[string]string{"next": c.Query("next")}))
	if err := s.signInBanner(c, p, c.Query("next")); err != nil {
		return err
	}
	return s.Web.Render(c, "shell/login", p)
}

// signInBanner puts the banner of the account the visitor is headed for (next = /{slug}/...)
// in the sign-in page's Data, when a module provides one (hooks.Set.SignIn).
func (s *Shell) signInBanner(c *fiber.Ctx, p *web.Page, next string) error {
	if s.Hooks == nil || s.Hooks.SignIn == nil || !web.LocalPath(next) {
		return nil
	}
	slug, _, _ := strings.Cut(strings.TrimPrefix(next, "/"), "/")
	if slug == "" {
		return nil
	}
	banner, err := s.Hooks.SignIn(c, p, slug)
	if err != nil {
		return err
	}
	p.Data = banner
	return nil
}

func (s *Shell) login(c *fiber.Ctx) error {
	if err := checkPre(c); err != nil {
		return err
	}
	form := web.NewForm(c, "email", "password", "next")
	p := s.bare(c, "login.title", form)
	userID, pending, err := s.startSessionStep(c, form.Get("email"), form.Get("password"))
	if err != nil {
		if pending != "" {
			// The password was right; the second factor is asked on a page of its own.
			step := web.EmptyForm(map[string]string{"pending": pending, "next": form.Get("next")})
			p := s.bare(c, "twofactor.login_title", step)
			c.Set(fiber.HeaderCacheControl, "no-store")
			return s.Web.Render(c, "shell/login_totp", p)
		}
		if berr := s.signInBanner(c, p, form.Get("next")); berr != nil {
			return berr
		}
		return s.Web.Refuse(c, "shell/login", p, err)
	}
	return s.afterSignIn(c, userID, form.Get("next"))
}

func (s *Shell) logout(c *fiber.Ctx) error {
	if err := s.Auth.Logout(c.UserContext(), actor.From(c)); err != nil {
		return err
	}
	s.AuthHTTP.ClearCookies(c)
	web.Flash(c, "info", "logout.done")
	return c.Redirect("/login", fiber.StatusSeeOther)
}

func (s *Shell) invitationPage(c *fiber.Ctx) error {
	info, err := s.People.Invitation(c.UserContext(), strings.Clone(c.Params("token")))
	if err != nil {
		return err
	}
	p := s.bare(c, "invitation.title", web.EmptyForm(map[string]string{"name": info.Name}))
	p.Data = info
	if info.State != identity.InvitationValid {
		p.Status = fiber.StatusGone
	}
	return s.Web.Render(c, "shell/invitation", p)
}

func (s *Shell) acceptInvitation(c *fiber.Ctx) error {
	if err := checkPre(c); err != nil {
		return err
	}
	raw := strings.Clone(c.Params("token"))
	info, err := s.People.Invitation(c.UserContext(), raw)
	if err != nil {
		return err
	}
	form := web.NewForm(c, "name", "password")
	p := s.bare(c, "invitation.title", form)
	p.Data = info
	u, err := s.People.AcceptInvitation(c.UserContext(), raw, identity.AcceptInput{Name: form.Get("name"), Password: form.Get("password"), Locale: browserLang(c, p.Lang)},
		&actor.Actor{IP: obs.ClientIP(c), UserAgent: string(c.Request().Header.UserAgent())})
	if err != nil {
		return s.Web.Refuse(c, "shell/invitation", p, err)
	}
	if err := s.startSession(c, u.Email, form.Get("password")); err != nil {
		// The account requires single sign-on of its colleagues: the invitation is accepted,
		// the sign-in is its provider's (rather than an error page after the welcome).
		if s.Auth.Rules != nil {
			if r, rerr := s.Auth.Rules(c.UserContext(), u.ID); rerr == nil && r.PasswordRefused && web.LocalPath(r.SSOPath) {
				web.Flash(c, "success", "invitation.done_sso")
				return c.Redirect(r.SSOPath, fiber.StatusSeeOther)
			}
		}
		return err
	}
	web.Flash(c, "success", "invitation.done")
	return c.Redirect("/", fiber.StatusSeeOther)
}

func (s *Shell) resetRequestPage(c *fiber.Ctx) error {
	return s.Web.Render(c, "shell/reset_request", s.bare(c, "reset.title", web.EmptyForm(nil)))
}

func (s *Shell) resetRequest(c *fiber.Ctx) error {
	if err := checkPre(c); err != nil {
		return err
	}
	form := web.NewForm(c, "email")
	p := s.bare(c, "reset.title", form)
	if err := s.Auth.RequestReset(c.UserContext(), auth.ResetRequest{Email: form.Get("email")}); err != nil {
		return s.Web.Refuse(c, "shell/reset_request", p, err)
	}
	p.Data = true // sent
	return s.Web.Render(c, "shell/reset_request", p)
}

func (s *Shell) resetPage(c *fiber.Ctx) error {
	p := s.bare(c, "reset.title", web.EmptyForm(nil))
	if err := s.Auth.CheckReset(c.UserContext(), strings.Clone(c.Params("token"))); err != nil {
		// An unknown, used or expired link: say so, with the way to ask for a new one, rather
		// than a form that can only fail.
		if pr, ok := problem.As(err); !ok || (pr.Status != fiber.StatusNotFound && pr.Status != fiber.StatusGone) {
			return err
		}
		p.Status, p.Data = fiber.StatusGone, "invalid"
	}
	return s.Web.Render(c, "shell/reset", p)
}

func (s *Shell) reset(c *fiber.Ctx) error {
	if err := checkPre(c); err != nil {
		return err
	}
	form := web.NewForm(c, "password")
	p := s.bare(c, "reset.title", form)
	if err := s.Auth.ResetPassword(c.UserContext(), strings.Clone(c.Params("token")), auth.ResetInput{Password: form.Get("password")}, auth.ClientOf(c)); err != nil {
		return s.Web.Refuse(c, "shell/reset", p, err)
	}
	web.Flash(c, "success", "reset.done")
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// browserLang is the page's language when the browser said which it wants (Accept-Language),
// else "": a new login then follows each browser it is used in.
func browserLang(c *fiber.Ctx, lang string) string {
	if strings.TrimSpace(c.Get(fiber.HeaderAcceptLanguage)) == "" {
		return ""
	}
	return lang
}

// pickLanguage is a link of the signed-out pages' language menu: it keeps the language in a
// cookie for a year and goes back to the page it was clicked on. A signed-in person's
// profile language still wins (web.Choose).
func (s *Shell) pickLanguage(c *fiber.Ctx) error {
	lang := c.Params("code")
	if !web.Speaks(lang) {
		return problem.NotFound()
	}
	c.Cookie(&fiber.Cookie{Name: web.LangCookie, Value: lang, Path: "/", HTTPOnly: true, Secure: s.AuthHTTP.Secure,
		SameSite: fiber.CookieSameSiteLaxMode, Expires: time.Now().AddDate(1, 0, 0)})
	return c.Redirect(web.SafeNext(c.Query("next"), "/login"), fiber.StatusSeeOther)
}
