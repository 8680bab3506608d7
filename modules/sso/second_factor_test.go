package sso_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

var pendingField = regexp.MustCompile(`name="pending" value="([^"]+)"`)

// secondStep checks that the flow stopped at the code's page without a session, and answers
// the page's pending proof and CSRF token.
func secondStep(t *testing.T, what string, f flow) (pending, csrf string) {
	t.Helper()
	return stoppedAt(t, what, f, pendingField, "/login/totp")
}

// TestSecondFactorAfterSSO: a person who turned two-factor sign-in on gives their code after
// the identity provider too — even where single sign-on is required (the password's rule is
// met) — on the sign-in page's second step: a wrong code keeps them there, the right one
// opens the session where they were going, the same code is refused at the next sign-in
// (same step), and "remember this device" spares the code at the next single sign-on in
// that browser only. Where the account requires two-factor sign-in, a colleague without it
// is sent to set it up.
func TestSecondFactorAfterSSO(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		p := newProvider(t)
		acc := e.NewAccount()
		member := e.NewUser(acc, actor.RoleMember)
		other := e.NewUser(acc, actor.RoleMember) // invited (by password) before SSO is required
		me := e.As(member)
		secret, _ := me.Post("/api/v1/me/totp", nil).Map()["secret"].(string)
		now := time.Now()
		first, _ := totp.GenerateCode(secret, now)
		if r := me.Post("/api/v1/me/totp/confirm", map[string]any{"code": first}); r.Status != http.StatusOK {
			t.Fatalf("confirm: %d %s", r.Status, r.Body)
		}
		configure(t, e.As(acc.Owner), acc.Slug, p, map[string]any{"required": true})
		p.set(func(p *provider) { p.person = person{Subject: "sub-2fa", Email: member.Email} })

		f := signIn(t, e, acc.Slug)
		pending, csrf := secondStep(t, "first sign-in", f)
		r := f.browser.Form("/login/totp", url.Values{"_csrf": {csrf}, "pending": {pending}, "totp": {"000000"}})
		if r.Status != http.StatusUnauthorized || pendingField.Find(r.Body) == nil {
			t.Fatalf("wrong code: %d %s", r.Status, r.Body)
		}
		if r := f.browser.Form("/login/totp", url.Values{"_csrf": {csrf}, "pending": {pending}, "totp": {first}}); r.Status != http.StatusUnauthorized {
			t.Fatalf("the confirmation's code again: %d", r.Status)
		}
		next, _ := totp.GenerateCode(secret, now.Add(30*time.Second))
		r = f.browser.Form("/login/totp", url.Values{"_csrf": {csrf}, "pending": {pending}, "totp": {next}, "remember": {"1"}, "next": {"/" + acc.Slug}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/"+acc.Slug {
			t.Fatalf("right code: %d to %q %s", r.Status, r.Header.Get("Location"), r.Body)
		}
		if r := f.browser.Get("/api/v1/me"); r.Status != http.StatusOK || !strings.Contains(r.String(), member.Email) {
			t.Fatalf("after the code: %d %s", r.Status, r.Body)
		}

		// Another browser: the code again, and the one just used is refused.
		g := signIn(t, e, acc.Slug)
		pending, csrf = secondStep(t, "another browser", g)
		if r := g.browser.Form("/login/totp", url.Values{"_csrf": {csrf}, "pending": {pending}, "totp": {next}}); r.Status != http.StatusUnauthorized {
			t.Errorf("a used code: %d", r.Status)
		}
		// The remembered browser goes straight in.
		signedInAs(t, signInWith(t, e, f.browser, acc.Slug), member.Email)

		// Two-factor required by the account: a colleague without it who signs in through the
		// provider is sent to set it up (signed in, to do so).
		configure(t, e.As(acc.Owner), acc.Slug, p, map[string]any{"required": true, "require_totp": true, "client_secret": ""})
		p.set(func(p *provider) { p.person = person{Subject: "sub-no-2fa", Email: other.Email} })
		h := signIn(t, e, acc.Slug)
		if h.callback.Status != http.StatusSeeOther || h.callback.Header.Get("Location") != "/profile/two-factor" {
			t.Fatalf("without two-factor where it is required: %d to %q", h.callback.Status, h.callback.Header.Get("Location"))
		}
		if r := h.browser.Get("/profile/two-factor"); r.Status != http.StatusOK || !strings.Contains(r.String(), "/profile/two-factor/enrol") {
			t.Errorf("the enrolment page: %d", r.Status)
		}

	})
}
