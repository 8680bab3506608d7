package sso_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// TestInvitationAloneImposesNothing: an account's rules (single sign-on required, two-factor
// required) bind the people who joined it, not those it merely invited: otherwise any
// account's administrator could shut a stranger out of password sign-in everywhere (and send
// them to enrol) by inviting their email. Once the invitation is accepted — here through the
// provider, the login proven — the rules apply.
func TestInvitationAloneImposesNothing(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		p := newProvider(t)
		home, strict := e.NewAccount(), e.NewAccount()
		u := e.NewUser(home, actor.RoleMember)
		configure(t, e.As(strict.Owner), strict.Slug, p, map[string]any{"required": true, "require_totp": true, "domains": []string{}})
		r := e.As(strict.Owner).Post("/api/v1/"+strict.Slug+"/users", map[string]any{"name": "Invited", "email": u.Email, "role": actor.RoleMember})
		if r.Status != http.StatusCreated {
			t.Fatalf("invite: %d %s", r.Status, r.Body)
		}
		login := func() *testkit.Response {
			return e.Anonymous().Post("/api/v1/login", map[string]any{"email": u.Email, "password": u.Password})
		}
		if r := login(); r.Status != http.StatusOK {
			t.Fatalf("password sign-in of someone merely invited into an SSO account: %d %s", r.Status, r.Body)
		}
		if r := e.BrowserLogin(u).Get("/" + home.Slug); r.Status != http.StatusOK {
			t.Fatalf("home page of someone merely invited where two-factor is required: %d to %q", r.Status, r.Header.Get("Location"))
		}

		// Accepted through the provider: now a colleague there, the rules are theirs.
		p.set(func(p *provider) { p.person = person{Subject: "sub-invited", Email: u.Email} })
		f := signIn(t, e, strict.Slug)
		link, csrf := linkStep(t, "sign-in through the provider", f)
		r = f.browser.Form("/sso/link", url.Values{"_csrf": {csrf}, "link": {link}, "password": {u.Password}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/profile/two-factor" {
			t.Fatalf("the login proven: %d to %q %s", r.Status, r.Header.Get("Location"), r.Body)
		}
		if r := login(); r.Status != http.StatusForbidden || !strings.Contains(r.String(), "/"+strict.Slug+"/sso/login") {
			t.Errorf("password sign-in once a colleague there: %d %s", r.Status, r.Body)
		}
	})
}

// TestInvitedColleagueJoinsThroughTheProvider: accepting an invitation of an account that
// requires single sign-on of its colleagues lands on its provider's sign-in (not on an error
// after the welcome), which then signs the newcomer in.
func TestInvitedColleagueJoinsThroughTheProvider(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		p := newProvider(t)
		acc := e.NewAccount()
		configure(t, e.As(acc.Owner), acc.Slug, p, map[string]any{"required": true})
		email := "newcomer@" + acc.Slug + ".test"
		r := e.As(acc.Owner).Post("/api/v1/"+acc.Slug+"/users", map[string]any{"name": "Newcomer", "email": email, "role": actor.RoleMember})
		if r.Status != http.StatusCreated {
			t.Fatalf("invite: %d %s", r.Status, r.Body)
		}
		link := r.Map()["invitation_url"].(string)
		path := link[strings.Index(link, "/invitations/"):]
		b := e.Browser()
		r = b.SubmitForm(path, path, url.Values{"name": {"Newcomer"}, "password": {"a long enough passphrase 42"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/"+acc.Slug+"/sso/login" {
			t.Fatalf("accepted: %d to %q %s", r.Status, r.Header.Get("Location"), r.Body)
		}
		p.set(func(p *provider) { p.person = person{Subject: "sub-newcomer", Email: email} })
		signedInAs(t, signInWith(t, e, b, acc.Slug), email)
	})
}
