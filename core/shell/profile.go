package shell

import (
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/auth"
	"groupcamp/core/holidays"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
	"groupcamp/core/mail"
	"groupcamp/core/web"
)

// profileData is what the profile page shows.
type profileData struct {
	User      *identity.User
	Tokens    []auth.APIToken
	NewToken  *auth.NewToken // shown once, right after creation
	Languages []string
	Zones     []string
	PwForm    *web.Form
	TokenForm *web.Form
	// MailBlocks are the accounts whose email the person stopped ("report spam").
	MailBlocks []mail.Block
	// Sections are the modules' parts of the profile (hooks.ProfileSection), in order.
	Sections []template.HTML
	// Countries are offered for the person's country (public holidays); "" follows the account.
	Countries []country
}

// country is a choice of the profile's country, named in the page's language.
type country struct{ Code, Name string }

// countries are those with a holiday calendar, named by CLDR in lang (no catalogue entry
// per country: x/text knows every region's name in every language).
func countries(lang string) []country {
	names := display.Regions(language.Make(lang))
	var out []country
	for _, code := range holidays.Countries() {
		name := code
		if r, err := language.ParseRegion(code); err == nil && names.Name(r) != "" {
			name = names.Name(r)
		}
		out = append(out, country{code, name})
	}
	return out
}

// commonZones are offered in the time-zone list; any IANA zone is accepted.
var commonZones = []string{"UTC", "Europe/Paris", "Europe/London", "Europe/Berlin", "Europe/Madrid", "Europe/Brussels",
	"Europe/Moscow", "America/New_York", "America/Chicago", "America/Los_Angeles", "America/Montreal", "Asia/Tokyo", "Asia/Dubai", "Australia/Sydney"}

func (s *Shell) profilePage(c *fiber.Ctx, form, pw, tok *web.Form, created *auth.NewToken) (*web.Page, error) {
	a := actor.From(c)
	u, err := s.People.User(c.UserContext(), a.UserID)
	if err != nil {
		return nil, err
	}
	tokens, err := s.Auth.ListTokens(c.UserContext(), a, api.Page{Limit: api.MaxLimit})
	if err != nil {
		return nil, err
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"name": u.Name, "locale": u.Locale, "time_zone": u.TimeZone, "country": u.Country})
	}
	if pw == nil {
		pw = web.EmptyForm(map[string]string{"revoke_tokens": "1"}) // ticked until the person unticks it
	}
	if tok == nil {
		tok = web.EmptyForm(nil)
	}
	var blocks []mail.Block
	if s.Notices != nil {
		if blocks, err = s.Notices.MailBlocks(c.UserContext(), a.UserID); err != nil {
			return nil, err
		}
	}
	p := s.Web.NewPage(c, "profile.title")
	p.Form = form
	d := profileData{User: u, Tokens: tokens.Items, NewToken: created, Languages: web.Languages, Zones: commonZones, PwForm: pw, TokenForm: tok, MailBlocks: blocks,
		Countries: countries(p.Lang)}
	if s.Hooks != nil {
		sections := slices.Clone(s.Hooks.Profile)
		slices.SortStableFunc(sections, func(x, y hooks.ProfileSection) int { return x.Order - y.Order })
		for _, sec := range sections {
			html, err := sec.Render(c, p)
			if err != nil {
				return nil, err
			}
			if html != "" {
				d.Sections = append(d.Sections, html)
			}
		}
	}
	p.Data = d
	return p, nil
}

func (s *Shell) profile(c *fiber.Ctx) error {
	p, err := s.profilePage(c, nil, nil, nil, nil)
	if err != nil {
		return err
	}
	return s.Web.Render(c, "shell/profile", p)
}

func (s *Shell) updateProfile(c *fiber.Ctx) error {
	form := web.NewForm(c, "name", "locale", "time_zone", "country")
	_, err := s.People.UpdateProfile(c.UserContext(), actor.From(c), identity.ProfileInput{Name: form.Get("name"), Locale: form.Get("locale"), TimeZone: form.Get("time_zone"), Country: form.Get("country")})
	s.Auth.Forget(actor.From(c).UserID) // the cached identity carries the language
	if err != nil {
		p, perr := s.profilePage(c, form, nil, nil, nil)
		if perr != nil {
			return perr
		}
		return s.Web.Refuse(c, "shell/profile", p, err)
	}
	web.Flash(c, "success", "profile.saved")
	return c.Redirect("/profile", fiber.StatusSeeOther)
}

func (s *Shell) changePassword(c *fiber.Ctx) error {
	pw := web.NewForm(c, "current_password", "new_password", "revoke_tokens")
	revoke := pw.Get("revoke_tokens") != ""
	err := s.Auth.ChangePassword(c.UserContext(), actor.From(c), auth.PasswordChange{Current: pw.Get("current_password"), New: pw.Get("new_password"), RevokeTokens: revoke})
	if err != nil {
		p, perr := s.profilePage(c, nil, pw, nil, nil)
		if perr != nil {
			return perr
		}
		if !pw.Fail(err) {
			return err
		}
		p.Status = pw.Status(err)
		return s.Web.Render(c, "shell/profile", p)
	}
	if revoke {
		web.Flash(c, "success", "profile.password_changed_tokens")
	} else {
		web.Flash(c, "success", "profile.password_changed")
	}
	return c.Redirect("/profile", fiber.StatusSeeOther)
}

func (s *Shell) createToken(c *fiber.Ctx) error {
	tok := web.NewForm(c, "token_name", "token_scopes", "expires_on")
	// Scopes are typed as a list ("read", "projects:write users:read"); none is "write".
	in := auth.TokenInput{Name: tok.Get("token_name"), Scopes: strings.FieldsFunc(tok.Get("token_scopes"), func(r rune) bool {
		return r == ',' || unicode.IsSpace(r)
	})}
	if v := tok.Get("expires_on"); v != "" {
		d, err := time.Parse(time.DateOnly, v)
		if err != nil {
			tok.Errors["expires_on"] = "must be a date"
		} else {
			end := d.Add(24*time.Hour - time.Second)
			in.ExpiresAt = &end
		}
	}
	var created *auth.NewToken
	var err error
	if len(tok.Errors) == 0 {
		created, err = s.Auth.CreateToken(c.UserContext(), actor.From(c), in)
	}
	if err != nil {
		// The service names the field "name"; the form calls it token_name.
		tok.Fail(err)
		if m, ok := tok.Errors["name"]; ok {
			tok.Errors["token_name"] = m
		}
		if m, ok := tok.Errors["expires_at"]; ok {
			tok.Errors["expires_on"] = m
		}
		// One message for the scopes field: the first wrong scope's, named.
		for i := range in.Scopes {
			if m, ok := tok.Errors[fmt.Sprintf("scopes[%d]", i)]; ok && tok.Errors["token_scopes"] == "" {
				tok.Errors["token_scopes"] = fmt.Sprintf("%q %s", in.Scopes[i], m)
			}
		}
		if m, ok := tok.Errors["scopes"]; ok {
			tok.Errors["token_scopes"] = m
		}
		if !tok.Fail(err) {
			return err
		}
	}
	p, perr := s.profilePage(c, nil, nil, tok, created)
	if perr != nil {
		return perr
	}
	if len(tok.Errors) > 0 || tok.Error != "" {
		p.Status = fiber.StatusUnprocessableEntity
	}
	// No redirect: the secret is shown on this response only, never stored in a cookie.
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.Web.Render(c, "shell/profile", p)
}

func (s *Shell) revokeToken(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.Auth.RevokeToken(c.UserContext(), actor.From(c), id); err != nil {
		return err
	}
	web.Flash(c, "success", "profile.token_revoked")
	return c.Redirect("/profile", fiber.StatusSeeOther)
}
