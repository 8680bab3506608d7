package shell_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"groupcamp/core/auth"
	"groupcamp/core/testkit"
)

var pendingField = regexp.MustCompile(`name="pending" value="([^"]+)"`)

// cookieOf is the value r sets for the cookie name.
func cookieOf(r *testkit.Response, name string) string {
	for _, c := range (&http.Response{Header: r.Header}).Cookies() {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

// TestSignInSecondStep: with two-factor on, the sign-in form asks for the code on a second
// page (the password is not in it: a signed proof is); a wrong code keeps the person there;
// the right one with "remember this device" signs in and sets the device cookie, which spares
// the code at the next sign-in in that browser only.
func TestSignInSecondStep(t *testing.T) {
	testkit.EachShared(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		u := e.NewUser(acc, "member")
		me := e.As(u)
		secret := me.Post("/api/v1/me/totp", nil).Map()["secret"].(string)
		now := time.Now()
		code, _ := totp.GenerateCode(secret, now)
		if r := me.Post("/api/v1/me/totp/confirm", map[string]any{"code": code}); r.Status != http.StatusOK {
			t.Fatalf("confirm: %d %s", r.Status, r.Body)
		}

		b := e.Browser()
		r := b.SubmitForm("/login", "/login", url.Values{"email": {u.Email}, "password": {u.Password}})
		m := pendingField.FindSubmatch(r.Body)
		if r.Status != http.StatusOK || m == nil || strings.Contains(r.String(), u.Password) {
			t.Fatalf("first step: %d %s", r.Status, r.Body)
		}
		csrf := testkit.CSRFIn(r.Body)
		r = b.Form("/login/totp", url.Values{"_csrf": {csrf}, "pending": {string(m[1])}, "totp": {"000000"}})
		if r.Status != http.StatusUnauthorized || pendingField.FindSubmatch(r.Body) == nil {
			t.Fatalf("wrong code: %d %s", r.Status, r.Body)
		}
		next, _ := totp.GenerateCode(secret, now.Add(30*time.Second))
		r = b.Form("/login/totp", url.Values{"_csrf": {csrf}, "pending": {string(m[1])}, "totp": {next}, "remember": {"1"}})
		if r.Status != http.StatusSeeOther || cookieOf(r, auth.DeviceCookie) == "" {
			t.Fatalf("right code: %d %v %s", r.Status, r.Header["Set-Cookie"], r.Body)
		}
		if r := b.Form("/login/totp", url.Values{"_csrf": {csrf}, "pending": {"1.99999999999.forged"}, "totp": {next}}); r.Status != http.StatusUnauthorized {
			t.Errorf("forged proof: %d", r.Status)
		}
		b.CSRF = cookieOf(r, auth.CSRFCookie)
		if r := b.Post("/logout", nil); r.Status != http.StatusSeeOther {
			t.Fatalf("logout: %d %s", r.Status, r.Body)
		}
		if r := b.SubmitForm("/login", "/login", url.Values{"email": {u.Email}, "password": {u.Password}}); r.Status != http.StatusSeeOther {
			t.Errorf("remembered device: %d (asked for the code again?)", r.Status)
		}
		if r := e.Browser().SubmitForm("/login", "/login", url.Values{"email": {u.Email}, "password": {u.Password}}); r.Status != http.StatusOK || pendingField.Find(r.Body) == nil {
			t.Errorf("another browser: %d, want the second step", r.Status)
		}
	})
}
