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
			"domains": {"example.com, example.org"}, "require_totp": {"1"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", r.Status, r.Body)
		}
		r = b.Get(page)
		if !strings.Contains(r.String(), "https://accounts.google.com") || !strings.Contains(r.String(), "example.com, example.org") ||
			strings.Contains(r.String(), "very-secret-value") || !strings.Contains(r.String(), "A secret is stored") {
			t.Fatalf("after saving: %s", r.Body)
		}
	})
}
