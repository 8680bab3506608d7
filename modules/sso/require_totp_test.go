package sso_test

import (
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// TestRequiredTwoFactorEverywhere: once the admin requires two-factor sign-in, a colleague
// who has not turned it on is sent to enrol from every page of a session they already had,
// not only at sign-in; the JSON API of that session and the enrolment page stay open; an API
// password login is refused with a 403 saying why; personal API tokens keep working. Someone
// of another account is not concerned.
func TestRequiredTwoFactorEverywhere(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc, other := e.NewAccount(), e.NewAccount()
		member := e.NewUser(acc, actor.RoleMember)
		tok := e.As(member).Post("/api/v1/tokens", map[string]any{"name": "CI"})
		if tok.Status != http.StatusCreated {
			t.Fatalf("token: %d %s", tok.Status, tok.Body)
		}
		personal, _ := tok.Map()["token"].(string)
		browser := e.BrowserLogin(member) // signed in before the admin requires it
		home := "/" + acc.Slug
		if r := browser.Get(home); r.Status != http.StatusOK {
			t.Fatalf("home before the requirement: %d", r.Status)
		}
		if r := e.As(acc.Owner).Put("/api/v1/"+acc.Slug+"/sso", map[string]any{"require_totp": true}); r.Status != http.StatusOK {
			t.Fatalf("require 2FA: %d %s", r.Status, r.Body)
		}

		for _, page := range []string{home, home + "/people", "/profile"} {
			r := browser.Get(page)
			if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/profile/two-factor" {
				t.Errorf("GET %s: %d to %q, want 303 to the enrolment", page, r.Status, r.Header.Get("Location"))
			}
		}
		if r := browser.Get("/profile/two-factor"); r.Status != http.StatusOK {
			t.Errorf("the enrolment page: %d", r.Status)
		}
		if r := browser.Get("/api/v1/me"); r.Status != http.StatusOK {
			t.Errorf("the session's API: %d", r.Status)
		}

		r := e.Anonymous().Post("/api/v1/login", map[string]string{"email": member.Email, "password": member.Password})
		if r.Status != http.StatusForbidden || !strings.Contains(r.String(), "two-factor") || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("API password login: %d %s, want a 403 problem about two-factor", r.Status, r.Body)
		}
		if r := e.WithToken(personal).Get("/api/v1/me"); r.Status != http.StatusOK {
			t.Errorf("personal API token: %d %s", r.Status, r.Body)
		}

		outsider := e.NewUser(other, actor.RoleMember)
		if r := e.BrowserLogin(outsider).Get("/" + other.Slug); r.Status != http.StatusOK {
			t.Errorf("another account's member: %d", r.Status)
		}
	})
}
