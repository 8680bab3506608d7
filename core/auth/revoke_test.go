package auth_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// join invites an existing person into acc and accepts with their password.
func join(t *testing.T, e *testkit.Env, acc *testkit.Account, u *testkit.User) {
	t.Helper()
	r := e.As(acc.Owner).Post("/api/v1/"+acc.Slug+"/users", map[string]any{"name": u.Name, "email": u.Email, "role": "member"})
	if r.Status != http.StatusCreated {
		t.Fatalf("invite: %d %s", r.Status, r.Body)
	}
	link := r.Map()["invitation_url"].(string)
	tok := link[strings.LastIndexByte(link, '/')+1:]
	if r := e.Anonymous().Post("/api/v1/invitations/"+tok+"/accept", map[string]string{"name": u.Name, "password": u.Password}); r.Status != http.StatusOK {
		t.Fatalf("accept: %d %s", r.Status, r.Body)
	}
}

// Deactivating a person's last active membership ends their sessions and tokens; a person
// still active in another account keeps them there, and the deactivated account is closed.
func TestDeactivationEndsCredentials(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		a, b := e.NewAccount(), e.NewAccount()
		u := e.NewUser(a, "member")
		tok := newToken(t, e, u, map[string]any{"name": "script"})
		browser := e.BrowserLogin(u)
		want(t, "token before", e.WithToken(tok).Get("/api/v1/me"), http.StatusOK)
		want(t, "login before", e.As(u).Get("/api/v1/me"), http.StatusOK)

		// Only account a: deactivation there ends everything.
		want(t, "deactivate", e.As(a.Owner).Delete(fmt.Sprintf("/api/v1/%s/users/%d", a.Slug, u.ID)), http.StatusOK)
		want(t, "token after", e.WithToken(tok).Get("/api/v1/me"), http.StatusUnauthorized)
		want(t, "login token after", e.As(u).Get("/api/v1/me"), http.StatusUnauthorized)
		if r := browser.Get("/profile"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login") {
			t.Errorf("browser session after: %d %s", r.Status, r.Header.Get("Location"))
		}
		// Reactivation gives no credential back.
		want(t, "reactivate", e.As(a.Owner).Patch(fmt.Sprintf("/api/v1/%s/users/%d", a.Slug, u.ID), map[string]any{"active": true}), http.StatusOK)
		want(t, "token after reactivation", e.WithToken(tok).Get("/api/v1/me"), http.StatusUnauthorized)

		// In two accounts: deactivated in a, the credentials still serve b, not a.
		e.Login(u)
		join(t, e, b, u)
		tok = newToken(t, e, u, map[string]any{"name": "script 2"})
		want(t, "deactivate in a", e.As(a.Owner).Delete(fmt.Sprintf("/api/v1/%s/users/%d", a.Slug, u.ID)), http.StatusOK)
		want(t, "token: me", e.WithToken(tok).Get("/api/v1/me"), http.StatusOK)
		want(t, "token: account b", e.WithToken(tok).Get("/api/v1/"+b.Slug+"/users"), http.StatusOK)
		want(t, "token: account a", e.WithToken(tok).Get("/api/v1/"+a.Slug+"/users"), http.StatusNotFound)
		want(t, "login token: account a", e.As(u).Get("/api/v1/"+a.Slug+"/users"), http.StatusNotFound)
		// Deactivated in b too: nothing is left.
		want(t, "deactivate in b", e.As(b.Owner).Delete(fmt.Sprintf("/api/v1/%s/users/%d", b.Slug, u.ID)), http.StatusOK)
		want(t, "token after both", e.WithToken(tok).Get("/api/v1/me"), http.StatusUnauthorized)
		want(t, "login token after both", e.As(u).Get("/api/v1/me"), http.StatusUnauthorized)
	})
}

var resetLink = regexp.MustCompile(`/password-reset/([A-Za-z0-9_\-]+)`)

// A password reset ends every session and revokes every personal API token.
func TestPasswordResetEndsCredentials(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		u := e.NewUser(acc, "member")
		tok := newToken(t, e, u, map[string]any{"name": "script"})
		want(t, "token before", e.WithToken(tok).Get("/api/v1/me"), http.StatusOK)
		want(t, "ask", e.Anonymous().Post("/api/v1/password-resets", map[string]string{"email": u.Email}), http.StatusAccepted)
		m, ok := e.Mailbox.Last(u.Email)
		if !ok {
			t.Fatal("no reset mail")
		}
		link := resetLink.FindStringSubmatch(m.Text)
		if link == nil {
			t.Fatalf("no link in %q", m.Text)
		}
		want(t, "reset", e.Anonymous().Post("/api/v1/password-resets/"+link[1], map[string]string{"password": "a-brand-new-password-42"}), http.StatusNoContent)
		want(t, "token after", e.WithToken(tok).Get("/api/v1/me"), http.StatusUnauthorized)
		want(t, "login token after", e.As(u).Get("/api/v1/me"), http.StatusUnauthorized)
	})
}

// A password change on the profile ends the other sessions, and revokes the personal API
// tokens when revoke_tokens is ticked (it is, by default).
func TestPasswordChangeRevokesTokensWhenAsked(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		u := e.NewUser(acc, "member")
		change := func(revoke bool, newPassword string) *testkit.Client {
			t.Helper()
			b := e.BrowserLogin(u)
			page := b.Get("/profile")
			if !regexp.MustCompile(`name="revoke_tokens" type="checkbox" value="1"[^>]* checked`).Match(page.Body) {
				t.Error("the profile's revoke_tokens box is not ticked by default")
			}
			v := url.Values{"_csrf": {testkit.CSRFIn(page.Body)}, "current_password": {u.Password}, "new_password": {newPassword}}
			if revoke {
				v.Set("revoke_tokens", "1")
			}
			if r := b.Form("/profile/password", v); r.Status != http.StatusSeeOther {
				t.Fatalf("change: %d %s", r.Status, r.Body)
			}
			u.Password = newPassword
			return b
		}
		tok := newToken(t, e, u, map[string]any{"name": "script"})
		b := change(false, "second-long-password-1")
		want(t, "token kept (box unticked)", e.WithToken(tok).Get("/api/v1/me"), http.StatusOK)
		want(t, "other session ended", e.As(u).Get("/api/v1/me"), http.StatusUnauthorized)
		want(t, "this session kept", b.Get("/profile"), http.StatusOK)

		e.Login(u)
		b = change(true, "third-long-password-2")
		want(t, "token revoked (box ticked)", e.WithToken(tok).Get("/api/v1/me"), http.StatusUnauthorized)
		want(t, "other session ended", e.As(u).Get("/api/v1/me"), http.StatusUnauthorized)
		want(t, "this session kept", b.Get("/profile"), http.StatusOK)
	})
}
