package sso_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// TestSettingsPage: the administration page shows the URLs to give the provider, saves the
// form (the secret sealed, never shown back) and shows a bad issuer's message beside it.
func TestSettingsPage(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		b := e.BrowserLogin(acc.Owner)
		page := "/" + acc.Slug + "/admin/sign-in"
		r := b.Get(page)
		if r.Status != http.StatusOK || !strings.Contains(r.String(), "/sso/callback") || !strings.Contains(r.String(), "Require two-factor sign-in") {
			t.Fatalf("page: %d %s", r.Status, r.Body)
		}
		r = b.SubmitForm(page, page, url.Values{"preset": {"custom"}, "issuer": {"not a url"}, "client_id": {"x"}})
		if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), "issuer URL") {
			t.Fatalf("bad issuer: %d %s", r.Status, r.Body)
		}
		r = b.SubmitForm(page, page, url.Values{"preset": {"google"}, "client_id": {"abc.apps.googleusercontent.com"}, "client_secret": {"very-secret-value"},
			"domains": {"example.com, example.org"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", r.Status, r.Body)
		}
		r = b.Get(page)
		if !strings.Contains(r.String(), "https://accounts.google.com") || !strings.Contains(r.String(), "example.com, example.org") ||
			strings.Contains(r.String(), "very-secret-value") || !strings.Contains(r.String(), "A secret is stored") {
			t.Fatalf("after saving: %s", r.Body)
		}
		// Requiring two-factor sign-in concerns the admin too: without it, their next page is
		// the enrolment.
		r = b.SubmitForm(page, page, url.Values{"preset": {"google"}, "client_id": {"abc.apps.googleusercontent.com"},
			"domains": {"example.com, example.org"}, "require_totp": {"1"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("save with 2FA required: %d %s", r.Status, r.Body)
		}
		if r = b.Get(page); r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/profile/two-factor" {
			t.Fatalf("after requiring 2FA: %d %q", r.Status, r.Header.Get("Location"))
		}
	})
}

// TestStartPage: the sign-in page links to single sign-on, which asks for the account's
// address and sends the browser to its provider; an account without SSO is a clear 404 page.
func TestStartPage(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		p := newProvider(t)
		acc := e.NewAccount()
		configure(t, e.As(acc.Owner), acc.Slug, p, nil)
		b := e.Browser()
		if r := b.Get("/login"); !strings.Contains(r.String(), `href="/sso"`) {
			t.Fatalf("the sign-in page has no single sign-on link")
		}
		if r := b.Get("/sso"); r.Status != http.StatusOK || !strings.Contains(r.String(), "Account address") {
			t.Fatalf("/sso: %d %s", r.Status, r.Body)
		}
		if r := b.Get("/sso?account=" + strings.ToUpper(acc.Slug)); r.Status != http.StatusFound || !strings.HasPrefix(r.Header.Get("Location"), p.URL+"/authorize?") {
			t.Fatalf("/sso?account=: %d %s", r.Status, r.Header.Get("Location"))
		}
		if r := b.Get("/sso?account=" + e.NewAccount().Slug); r.Status != http.StatusNotFound {
			t.Fatalf("an account without SSO: %d", r.Status)
		}
	})
}
