package shell

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"image/png"

	"github.com/gofiber/fiber/v2"
	"github.com/pquerna/otp"

	"groupcamp/core/actor"
	"groupcamp/core/auth"
	"groupcamp/core/web"
)

// The remembered-device cookie, for the cookie notice.
var _ = web.DeclareCookie(web.Cookie{Name: auth.DeviceCookie, Purpose: "cookie.device.purpose", Lifetime: "cookie.device.lifetime", HTTPOnly: true})

// twoFactorData is what the two-factor page shows.
type twoFactorData struct {
	State auth.TOTPStatus
	// Key is the enrolment waiting for its code; QR its otpauth URL as a PNG data URI.
	Key *otp.Key
	QR  template.URL
	// Codes are the recovery codes, right after the confirmation (shown this once).
	Codes []string
	// Required: an account of the person requires two-factor sign-in.
	Required bool
}

// qrPNG renders the key's otpauth URL as a QR code (boombuler/barcode through pquerna/otp),
// server-side: the secret never goes to a third-party QR service.
func qrPNG(key *otp.Key) (template.URL, error) {
	img, err := key.Image(220, 220)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), nil
}

func (s *Shell) twoFactorPage(c *fiber.Ctx, form *web.Form, d *twoFactorData) error {
	a := actor.From(c)
	ctx := c.UserContext()
	if d == nil {
		d = &twoFactorData{}
	}
	st, err := s.Auth.TOTPState(ctx, a)
	if err != nil {
		return err
	}
	d.State = st
	if !st.Enabled && d.Key == nil {
		if d.Key, err = s.Auth.PendingTOTP(ctx, a); err != nil {
			return err
		}
	}
	if d.Key != nil {
		if d.QR, err = qrPNG(d.Key); err != nil {
			return err
		}
	}
	if d.Required, err = s.Auth.MustEnrol(ctx, a.UserID); err != nil {
		return err
	}
	if form == nil {
		form = web.EmptyForm(nil)
	}
	p := s.Web.NewPage(c, "twofactor.title")
	p.Form = form
	p.Data = d
	c.Set(fiber.HeaderCacheControl, "no-store")
	if form.Error != "" || len(form.Errors) > 0 {
		p.Status = fiber.StatusUnprocessableEntity
	}
	return s.Web.Render(c, "shell/twofactor", p)
}

func (s *Shell) twoFactor(c *fiber.Ctx) error { return s.twoFactorPage(c, nil, nil) }

func (s *Shell) enrolTwoFactor(c *fiber.Ctx) error {
	key, err := s.Auth.EnrolTOTP(c.UserContext(), actor.From(c))
	if err != nil {
		form := web.EmptyForm(nil)
		if !form.Fail(err) {
			return err
		}
		return s.twoFactorPage(c, form, nil)
	}
	return s.twoFactorPage(c, nil, &twoFactorData{Key: key})
}

func (s *Shell) confirmTwoFactor(c *fiber.Ctx) error {
	form := web.NewForm(c, "code")
	codes, err := s.Auth.ConfirmTOTP(c.UserContext(), actor.From(c), auth.TOTPCode{Code: form.Get("code")})
	if err != nil {
		if !form.Fail(err) {
			return err
		}
		return s.twoFactorPage(c, form, nil)
	}
	web.Flash(c, "success", "twofactor.enabled")
	return s.twoFactorPage(c, nil, &twoFactorData{Codes: codes.RecoveryCodes})
}

func (s *Shell) disableTwoFactor(c *fiber.Ctx) error {
	form := web.NewForm(c, "password")
	if err := s.Auth.DisableTOTP(c.UserContext(), actor.From(c), auth.TOTPOff{Password: form.Get("password")}); err != nil {
		if !form.Fail(err) {
			return err
		}
		return s.twoFactorPage(c, form, nil)
	}
	s.AuthHTTP.ClearDevice(c)
	return web.Done(c, "twofactor.disabled", "/profile/two-factor")
}

// loginSecondStep is POST /login/totp: the code (or a recovery code) with the pending proof
// of the password, and the optional "remember this device".
func (s *Shell) loginSecondStep(c *fiber.Ctx) error {
	if err := checkPre(c); err != nil {
		return err
	}
	form := web.NewForm(c, "pending", "totp", "remember", "next")
	in := auth.LoginInput{Pending: form.Get("pending"), TOTP: form.Get("totp")}
	raw, sess, pending, err := s.Auth.LoginStep(c.UserContext(), in, auth.KindBrowser, auth.ClientOf(c))
	if err != nil {
		if pending == "" {
			// The proof expired, or the throttle: back to the first step.
			p := s.bare(c, "login.title", web.EmptyForm(map[string]string{"next": form.Get("next")}))
			return s.Web.Refuse(c, "shell/login", p, err)
		}
		form.Values["pending"] = pending
		form.Values["totp"] = ""
		p := s.bare(c, "login.title", form)
		return s.Web.Refuse(c, "shell/login_totp", p, err)
	}
	s.AuthHTTP.SetCookies(c, raw, s.Auth.CSRFToken(raw), sess.ExpiresAt)
	if form.Get("remember") != "" {
		v, until := s.Auth.DeviceToken(c.UserContext(), sess.UserID)
		s.AuthHTTP.SetDevice(c, v, until)
	}
	return s.afterSignIn(c, sess.UserID, form.Get("next"))
}

// afterSignIn sends a person whose account requires two-factor sign-in, and who has not
// turned it on, to enrol; the others where they were going.
func (s *Shell) afterSignIn(c *fiber.Ctx, userID int64, next string) error {
	if must, err := s.Auth.MustEnrol(c.UserContext(), userID); err != nil {
		return err
	} else if must {
		return c.Redirect("/profile/two-factor", fiber.StatusSeeOther)
	}
	return c.Redirect(web.SafeNext(next, "/"), fiber.StatusSeeOther)
}
