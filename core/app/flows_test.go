package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"groupcamp/core/auth"
	"groupcamp/core/testkit"
	"groupcamp/core/token"
)

// sendJSON sends body as JSON with extra headers.
func sendJSON(c *testkit.Client, method, path string, body any, hdr map[string]string) *testkit.Response {
	h := http.Header{}
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
		h.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		h.Set(k, v)
	}
	if rd == nil {
		return c.Send(method, path, h, nil)
	}
	return c.Send(method, path, h, rd)
}

func login(t testing.TB, e *testkit.Env, email, pw string) (*testkit.Response, string) {
	t.Helper()
	r := e.Anonymous().Post("/api/v1/login", map[string]string{"email": email, "password": pw})
	tok, _ := r.Map()["token"].(string)
	return r, tok
}

func linkToken(t testing.TB, e *testkit.Env, email, marker string) string {
	t.Helper()
	msg, ok := e.Mailbox.Last(email)
	if !ok {
		t.Fatalf("no mail to %s", email)
	}
	i := strings.Index(msg.Text, marker)
	if i < 0 {
		t.Fatalf("mail to %s has no %s link: %s", email, marker, msg.Text)
	}
	rest := msg.Text[i+len(marker):]
	if j := strings.IndexAny(rest, " \n\r"); j >= 0 {
		rest = rest[:j]
	}
	return rest
}

// TestCoreFlows walks the Core API the way a customer does, from sign-up to the audit trail.
func TestCoreFlows(t *testing.T) {
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		const ownerPW = "correct horse battery"
		const slug = "acme-works"
		owner := &testkit.User{Email: "olivia@acme.test", Password: ownerPW, Role: "owner"}
		var accountID int64
		users := func(id int64) string { return "/api/v1/" + slug + "/users/" + strconv.FormatInt(id, 10) }

		t.Run("signup", func(t *testing.T) {
			r := e.Anonymous().Post("/api/v1/signup", map[string]any{
				"account_name": "Acme Works", "slug": slug, "country": "FR",
				"owner_name": "Olivia Owner", "email": "Olivia@Acme.test", "password": ownerPW,
			})
			wantStatus(t, "signup", r, http.StatusCreated)
			var out struct {
				Account struct {
					ID       int64  `json:"id"`
					Slug     string `json:"slug"`
					Name     string `json:"name"`
					Country  string `json:"country"`
					Currency string `json:"currency"`
					TimeUnit string `json:"time_unit"`
					Locale   string `json:"locale"`
				} `json:"account"`
				User struct {
					ID    int64  `json:"id"`
					Email string `json:"email"`
					Name  string `json:"name"`
				} `json:"user"`
			}
			r.JSON(t, &out)
			if out.Account.ID == 0 || out.Account.Slug != slug || out.Account.Name != "Acme Works" || out.Account.Country != "FR" ||
				out.Account.Currency != "EUR" || out.Account.TimeUnit != "hours" || out.Account.Locale != "en" {
				t.Errorf("account = %+v", out.Account)
			}
			if out.User.ID == 0 || out.User.Email != "olivia@acme.test" || out.User.Name != "Olivia Owner" {
				t.Errorf("user = %+v (the email is stored lower-cased)", out.User)
			}
			if containsFold(r.Body, "argon2") || containsFold(r.Body, "password") {
				t.Errorf("signup answer shows the password hash: %s", r.Body)
			}
			accountID, owner.ID = out.Account.ID, out.User.ID
		})

		t.Run("login", func(t *testing.T) {
			r := e.Anonymous().Post("/api/v1/login", map[string]string{"email": "OLIVIA@acme.test ", "password": ownerPW})
			wantStatus(t, "login", r, http.StatusOK)
			var out struct {
				Token     string    `json:"token"`
				ExpiresAt time.Time `json:"expires_at"`
				CSRFToken string    `json:"csrf_token"`
			}
			r.JSON(t, &out)
			if out.Token == "" || out.CSRFToken == "" || !out.ExpiresAt.After(time.Now().Add(24*time.Hour)) {
				t.Errorf("login = %+v", out)
			}
			cookies := (&http.Response{Header: r.Header}).Cookies()
			var session, csrf *http.Cookie
			for _, c := range cookies {
				switch c.Name {
				case auth.SessionCookie:
					session = c
				case auth.CSRFCookie:
					csrf = c
				}
			}
			if session == nil {
				t.Fatalf("no %s cookie in %v", auth.SessionCookie, r.Header["Set-Cookie"])
			}
			if !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" || session.Value != out.Token {
				t.Errorf("session cookie = %+v; want HttpOnly, SameSite=Lax, Path=/, the token", session)
			}
			if csrf == nil || csrf.HttpOnly || csrf.Value != out.CSRFToken {
				t.Errorf("csrf cookie = %+v; want readable by scripts, the csrf_token", csrf)
			}
			owner.Token = out.Token
		})

		t.Run("me", func(t *testing.T) {
			r := e.As(owner).Get("/api/v1/me")
			wantStatus(t, "me", r, http.StatusOK)
			var me struct {
				User struct {
					ID    int64  `json:"id"`
					Email string `json:"email"`
				} `json:"user"`
				Memberships []struct {
					Account struct{ Slug, Name string } `json:"account"`
					Role    string                      `json:"role"`
				} `json:"memberships"`
			}
			r.JSON(t, &me)
			if me.User.ID != owner.ID || me.User.Email != owner.Email || len(me.Memberships) != 1 ||
				me.Memberships[0].Account.Slug != slug || me.Memberships[0].Account.Name != "Acme Works" || me.Memberships[0].Role != "owner" {
				t.Errorf("me = %+v", me)
			}
			if containsFold(r.Body, "argon2") {
				t.Errorf("me shows the password hash: %s", r.Body)
			}
		})

		member := &testkit.User{Email: "max@acme.test", Name: "Max Member", Password: "max's own passphrase", Role: "member"}
		t.Run("invite and accept", func(t *testing.T) {
			r := e.As(owner).Post("/api/v1/"+slug+"/users", map[string]any{"name": "Max", "email": "MAX@acme.test", "role": "member"})
			wantStatus(t, "invite", r, http.StatusCreated)
			var inv struct {
				User struct {
					ID     int64  `json:"id"`
					Email  string `json:"email"`
					Role   string `json:"role"`
					Status string `json:"status"`
					Active bool   `json:"active"`
				} `json:"user"`
				URL string `json:"invitation_url"`
			}
			r.JSON(t, &inv)
			if inv.User.ID == 0 || inv.User.Email != member.Email || inv.User.Role != "member" || inv.User.Status != "invited" || inv.User.Active {
				t.Errorf("invited = %+v", inv.User)
			}
			if !strings.HasPrefix(inv.URL, e.URL+"/invitations/") {
				t.Errorf("invitation_url = %q", inv.URL)
			}
			msg, ok := e.Mailbox.Last(member.Email)
			if !ok || !strings.Contains(msg.Text, inv.URL) || !strings.Contains(msg.Subject, "Acme Works") {
				t.Fatalf("invitation mail = %+v (ok=%v), want the link %s", msg, ok, inv.URL)
			}
			member.ID = inv.User.ID
			tok := inv.URL[strings.LastIndexByte(inv.URL, '/')+1:]

			// Not in yet: no password, no access.
			if r, _ := login(t, e, member.Email, member.Password); r.Status != http.StatusUnauthorized {
				t.Errorf("login before accepting: %d %s", r.Status, r.Body)
			}
			r = e.Anonymous().Post("/api/v1/invitations/"+tok+"/accept", map[string]string{"name": member.Name, "password": member.Password})
			wantStatus(t, "accept", r, http.StatusOK)
			var acc struct {
				User struct {
					ID   int64  `json:"id"`
					Name string `json:"name"`
				} `json:"user"`
			}
			r.JSON(t, &acc)
			if acc.User.ID != member.ID || acc.User.Name != member.Name {
				t.Errorf("accepted user = %+v", acc.User)
			}
			r, member.Token = login(t, e, member.Email, member.Password)
			wantStatus(t, "new user logs in", r, http.StatusOK)
			r = e.As(member).Get("/api/v1/me")
			wantStatus(t, "new user me", r, http.StatusOK)
			if !strings.Contains(string(r.Body), `"role":"member"`) || !strings.Contains(string(r.Body), slug) {
				t.Errorf("new user me = %s", r.Body)
			}
			r = e.As(owner).Get(users(member.ID))
			wantStatus(t, "get member", r, http.StatusOK)
			if m := r.Map(); m["status"] != "active" || m["active"] != true {
				t.Errorf("member after accepting = %s", r.Body)
			}
		})

		t.Run("teams", func(t *testing.T) {
			r := e.As(owner).Post("/api/v1/"+slug+"/teams", map[string]any{"name": "  Leadership  ", "management": true})
			wantStatus(t, "create team", r, http.StatusCreated)
			m := r.Map()
			if m["name"] != "Leadership" || m["management"] != true {
				t.Errorf("team = %s", r.Body)
			}
			team := idOf(t, r)
			members := fmt.Sprintf("/api/v1/%s/teams/%d/members/%d", slug, team, member.ID)
			wantStatus(t, "add member", e.As(owner).Put(members, nil), http.StatusNoContent)
			wantStatus(t, "add member again (idempotent)", e.As(owner).Put(members, nil), http.StatusNoContent)
			memberIDs := func() []any {
				l := readList(t, e.As(member).Get("/api/v1/"+slug+"/teams"))
				for _, it := range l.Items {
					if int64(num(it["id"])) == team {
						ids, _ := it["member_ids"].([]any)
						return ids
					}
				}
				t.Fatalf("team %d not listed", team)
				return nil
			}
			if ids := memberIDs(); len(ids) != 1 || int64(num(ids[0])) != member.ID {
				t.Errorf("member_ids = %v, want [%d]", ids, member.ID)
			}
			wantStatus(t, "remove member", e.As(owner).Delete(members), http.StatusNoContent)
			if ids := memberIDs(); len(ids) != 0 {
				t.Errorf("member_ids after removal = %v", ids)
			}
			wantProblem(t, "remove again", e.As(owner).Delete(members), http.StatusNotFound)
			wantProblem(t, "duplicate team name", e.As(owner).Post("/api/v1/"+slug+"/teams", map[string]any{"name": "Leadership"}), http.StatusConflict, "name")
			wantProblem(t, "unknown team", e.As(owner).Put(fmt.Sprintf("/api/v1/%s/teams/%d/members/%d", slug, team+1000, member.ID), nil), http.StatusNotFound)
			wantProblem(t, "unknown user", e.As(owner).Put(fmt.Sprintf("/api/v1/%s/teams/%d/members/%d", slug, team, member.ID+1000), nil), http.StatusNotFound)
		})

		t.Run("companies", func(t *testing.T) {
			r := e.As(owner).Post("/api/v1/"+slug+"/companies", map[string]any{"name": "Globex", "kind": "client"})
			wantStatus(t, "create company", r, http.StatusCreated)
			if m := r.Map(); m["name"] != "Globex" || m["kind"] != "client" {
				t.Errorf("company = %s", r.Body)
			}
			l := readList(t, e.As(owner).Get("/api/v1/"+slug+"/companies"))
			kinds := map[string]string{}
			for _, it := range l.Items {
				kinds[it["name"].(string)] = it["kind"].(string)
			}
			if len(l.Items) != 2 || kinds["Acme Works"] != "internal" || kinds["Globex"] != "client" {
				t.Errorf("companies = %v", l.Items)
			}
			wantProblem(t, "duplicate company", e.As(owner).Post("/api/v1/"+slug+"/companies", map[string]any{"name": "Globex", "kind": "supplier"}), http.StatusConflict, "name")
			wantProblem(t, "second internal company", e.As(owner).Post("/api/v1/"+slug+"/companies", map[string]any{"name": "Acme Two", "kind": "internal"}), http.StatusUnprocessableEntity, "kind")
		})

		admin := &testkit.User{Email: "ada@acme.test", Name: "Ada Admin", Password: "ada's admin passphrase", Role: "admin"}
		const adminUA = "AdaBrowser/1.0 (audit test)"
		t.Run("account settings", func(t *testing.T) {
			_, tok := invitation(t, e, owner, slug, map[string]any{"name": admin.Name, "email": admin.Email, "role": "admin"})
			wantStatus(t, "accept admin", e.Anonymous().Post("/api/v1/invitations/"+tok+"/accept", map[string]string{"name": admin.Name, "password": admin.Password}), http.StatusOK)
			var r *testkit.Response
			r, admin.Token = login(t, e, admin.Email, admin.Password)
			wantStatus(t, "admin login", r, http.StatusOK)
			admin.ID = int64(num(e.As(admin).Get("/api/v1/me").Map()["user"].(map[string]any)["id"]))

			r = sendJSON(e.As(admin), http.MethodPatch, "/api/v1/"+slug+"/account", map[string]any{"name": "Acme Works Ltd"}, map[string]string{"User-Agent": adminUA})
			wantStatus(t, "admin renames", r, http.StatusOK)
			if r.Map()["name"] != "Acme Works Ltd" {
				t.Errorf("after rename: %s", r.Body)
			}
			for _, f := range []map[string]any{{"country": "DE"}, {"vat_number": "FR12345678901"}, {"currency": "USD"}, {"name": "Sneaky", "currency": "USD"}} {
				snap := e.Snapshot()
				r = e.As(admin).Patch("/api/v1/"+slug+"/account", f)
				var fields []string
				for k := range f {
					if k != "name" {
						fields = append(fields, k)
					}
				}
				wantProblem(t, fmt.Sprintf("admin PATCH %v", f), r, http.StatusForbidden, fields...)
				if s := e.Snapshot(); s != snap {
					t.Errorf("a refused PATCH wrote: %s -> %s", snap, s)
				}
			}
			r = e.As(owner).Patch("/api/v1/"+slug+"/account", map[string]any{"country": "DE", "vat_number": "de 123456789", "currency": "CHF", "time_unit": "days", "locale": "fr"})
			wantStatus(t, "owner changes legal fields", r, http.StatusOK)
			r = e.As(admin).Get("/api/v1/" + slug + "/account")
			wantStatus(t, "admin GET account", r, http.StatusOK)
			m := r.Map()
			if m["name"] != "Acme Works Ltd" || m["country"] != "DE" || m["vat_number"] != "DE123456789" || m["currency"] != "CHF" || m["time_unit"] != "days" || m["locale"] != "fr" {
				t.Errorf("account = %s", r.Body)
			}
			wantProblem(t, "member GET account", e.As(member).Get("/api/v1/"+slug+"/account"), http.StatusForbidden)
		})

		t.Run("roles and deactivation", func(t *testing.T) {
			r := sendJSON(e.As(admin), http.MethodPatch, users(member.ID), map[string]any{"role": "manager"}, map[string]string{"User-Agent": adminUA})
			wantStatus(t, "promote", r, http.StatusOK)
			if r.Map()["role"] != "manager" {
				t.Errorf("after promotion: %s", r.Body)
			}
			if !strings.Contains(e.As(member).Get("/api/v1/me").String(), `"role":"manager"`) {
				t.Error("me does not show the new role")
			}
			// The owner stays the owner.
			for _, who := range []*testkit.User{owner, admin} {
				snap := e.Snapshot()
				wantProblem(t, who.Role+" demotes the owner", e.As(who).Patch(users(owner.ID), map[string]any{"role": "admin"}), http.StatusConflict)
				wantProblem(t, who.Role+" deactivates the owner", e.As(who).Delete(users(owner.ID)), http.StatusConflict)
				wantProblem(t, who.Role+" deactivates the owner by PATCH", e.As(who).Patch(users(owner.ID), map[string]any{"active": false}), http.StatusConflict)
				if s := e.Snapshot(); s != snap {
					t.Errorf("refused owner changes wrote: %s -> %s", snap, s)
				}
			}
			if r := e.As(owner).Get("/api/v1/" + slug + "/account"); r.Status != http.StatusOK {
				t.Errorf("owner lost access: %d", r.Status)
			}

			// Deactivation: the data stays, the access goes.
			r = e.As(admin).Delete(users(member.ID))
			wantStatus(t, "deactivate", r, http.StatusOK)
			if m := r.Map(); m["active"] != false || m["deactivated_at"] == nil {
				t.Errorf("after deactivation: %s", r.Body)
			}
			// Their only account: their sessions and tokens end with it.
			wantProblem(t, "deactivated token on the account", e.As(member).Get("/api/v1/"+slug+"/teams"), http.StatusUnauthorized)
			wantProblem(t, "deactivated me", e.As(member).Get("/api/v1/me"), http.StatusUnauthorized)
			r, _ = login(t, e, member.Email, member.Password)
			wantProblem(t, "deactivated login", r, http.StatusForbidden)
			// Still listed, as inactive.
			r = e.As(owner).Get(users(member.ID))
			if r.Status != http.StatusOK || r.Map()["active"] != false {
				t.Errorf("deactivated person: %d %s", r.Status, r.Body)
			}
			// Reactivation lets them in again.
			wantStatus(t, "reactivate", e.As(owner).Patch(users(member.ID), map[string]any{"active": true}), http.StatusOK)
			r, member.Token = login(t, e, member.Email, member.Password)
			wantStatus(t, "login after reactivation", r, http.StatusOK)
			wantStatus(t, "account after reactivation", e.As(member).Get("/api/v1/"+slug+"/teams"), http.StatusOK)
		})

		t.Run("personal API tokens", func(t *testing.T) {
			r := e.As(member).Post("/api/v1/tokens", map[string]any{"name": "CI script"})
			wantStatus(t, "create token", r, http.StatusCreated)
			var nt struct {
				ID     int64  `json:"id"`
				Name   string `json:"name"`
				Prefix string `json:"prefix"`
				Token  string `json:"token"`
			}
			r.JSON(t, &nt)
			if nt.ID == 0 || nt.Name != "CI script" || nt.Token == "" || !strings.HasPrefix(nt.Token, nt.Prefix) || len(nt.Prefix) >= len(nt.Token) {
				t.Fatalf("new token = %+v", nt)
			}
			var stored string
			if err := e.App.DB.NewSelect().TableExpr("api_tokens").Column("token_hash").Where("id = ?", nt.ID).Scan(context.Background(), &stored); err != nil {
				t.Fatal(err)
			}
			if stored == "" || stored == nt.Token || strings.Contains(stored, nt.Token) || stored != token.Hash(nt.Token) {
				t.Errorf("token_hash = %q for token %q: want its SHA-256, never the token", stored, nt.Token)
			}
			// Listed without the secret.
			r = e.As(member).Get("/api/v1/tokens")
			l := readList(t, r)
			if len(l.Items) != 1 || int64(num(l.Items[0]["id"])) != nt.ID || strings.Contains(r.String(), nt.Token) || strings.Contains(r.String(), stored) {
				t.Errorf("token list = %s", r.Body)
			}
			for _, it := range l.Items {
				if _, ok := it["token"]; ok {
					t.Errorf("token list shows a token field: %s", r.Body)
				}
			}
			// Usable as a bearer token.
			pat := e.WithToken(nt.Token)
			if r := pat.Get("/api/v1/me"); r.Status != http.StatusOK || !strings.Contains(r.String(), member.Email) {
				t.Errorf("me with the token: %d %s", r.Status, r.Body)
			}
			wantStatus(t, "account route with the token", pat.Get("/api/v1/"+slug+"/users"), http.StatusOK)
			// Nobody else can revoke it.
			wantProblem(t, "owner revokes member's token", e.As(owner).Delete(fmt.Sprintf("/api/v1/tokens/%d", nt.ID)), http.StatusNotFound)
			wantStatus(t, "token still works", pat.Get("/api/v1/me"), http.StatusOK)
			// Bad input.
			wantProblem(t, "token without name", e.As(member).Post("/api/v1/tokens", map[string]any{"name": " "}), http.StatusUnprocessableEntity, "name")
			wantProblem(t, "token expiring in the past", e.As(member).Post("/api/v1/tokens", map[string]any{"name": "old", "expires_at": "2001-01-01T00:00:00Z"}), http.StatusUnprocessableEntity, "expires_at")
			// Revoked: 401 at once.
			wantStatus(t, "revoke", e.As(member).Delete(fmt.Sprintf("/api/v1/tokens/%d", nt.ID)), http.StatusNoContent)
			wantProblem(t, "revoked token", pat.Get("/api/v1/me"), http.StatusUnauthorized)
			wantProblem(t, "revoke again", e.As(member).Delete(fmt.Sprintf("/api/v1/tokens/%d", nt.ID)), http.StatusNotFound)
			if l := readList(t, e.As(member).Get("/api/v1/tokens")); len(l.Items) != 0 {
				t.Errorf("revoked token still listed: %v", l.Items)
			}
			// An expiring token works until it expires.
			r = e.As(member).Post("/api/v1/tokens", map[string]any{"name": "short", "expires_at": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
			wantStatus(t, "token with expiry", r, http.StatusCreated)
			short := r.Map()["token"].(string)
			wantStatus(t, "expiring token", e.WithToken(short).Get("/api/v1/me"), http.StatusOK)
			if _, err := e.App.DB.NewUpdate().TableExpr("api_tokens").Set("expires_at = ?", time.Now().Add(-time.Minute).UTC()).Where("id = ?", idOf(t, r)).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
			// Changed behind the App's back: credentials are cached for auth.CacheTTL, so let
			// this instance forget them, as it does itself on logout and revocation.
			e.App.Auth.Forget(member.ID)
			wantProblem(t, "expired token", e.WithToken(short).Get("/api/v1/me"), http.StatusUnauthorized)
		})

		t.Run("logout", func(t *testing.T) {
			r, tok := login(t, e, member.Email, member.Password)
			wantStatus(t, "login", r, http.StatusOK)
			c := e.WithToken(tok)
			wantStatus(t, "me", c.Get("/api/v1/me"), http.StatusOK)
			wantStatus(t, "logout", c.Post("/api/v1/logout", nil), http.StatusNoContent)
			wantProblem(t, "me after logout", c.Get("/api/v1/me"), http.StatusUnauthorized)
			wantProblem(t, "logout again", c.Post("/api/v1/logout", nil), http.StatusUnauthorized)
			// Other sessions of the same person live on.
			wantStatus(t, "other session", e.As(member).Get("/api/v1/me"), http.StatusOK)
		})

		t.Run("browser session and CSRF", func(t *testing.T) {
			b := e.Browser()
			r := b.Post("/api/v1/login", map[string]string{"email": admin.Email, "password": admin.Password})
			wantStatus(t, "browser login", r, http.StatusOK)
			csrf, _ := r.Map()["csrf_token"].(string)
			wantStatus(t, "cookie read", b.Get("/api/v1/"+slug+"/teams"), http.StatusOK)
			snap := e.Snapshot()
			wantProblem(t, "cookie write without CSRF", b.Post("/api/v1/"+slug+"/teams", map[string]any{"name": "Cookie team"}), http.StatusForbidden)
			b.CSRF = "0000" + csrf[4:]
			wantProblem(t, "cookie write with a wrong CSRF", b.Post("/api/v1/"+slug+"/teams", map[string]any{"name": "Cookie team"}), http.StatusForbidden)
			wantProblem(t, "cookie logout without CSRF", func() *testkit.Response { b.CSRF = ""; return b.Post("/api/v1/logout", nil) }(), http.StatusForbidden)
			if s := e.Snapshot(); s != snap {
				t.Errorf("refused cookie writes wrote: %s -> %s", snap, s)
			}
			// Another session's CSRF token does not fit this one.
			_, other := login(t, e, admin.Email, admin.Password)
			b.CSRF = e.App.Auth.CSRFToken(other)
			wantProblem(t, "CSRF of another session", b.Post("/api/v1/"+slug+"/teams", map[string]any{"name": "Cookie team"}), http.StatusForbidden)
			b.CSRF = csrf
			wantStatus(t, "cookie write with CSRF", b.Post("/api/v1/"+slug+"/teams", map[string]any{"name": "Cookie team"}), http.StatusCreated)
			// A bearer token needs no CSRF header.
			wantStatus(t, "bearer write", e.WithToken(other).Post("/api/v1/"+slug+"/teams", map[string]any{"name": "Bearer team"}), http.StatusCreated)
			r = b.Post("/api/v1/logout", nil)
			wantStatus(t, "cookie logout", r, http.StatusNoContent)
			for _, c := range (&http.Response{Header: r.Header}).Cookies() {
				if (c.Name == auth.SessionCookie || c.Name == auth.CSRFCookie) && c.Value != "" && c.MaxAge >= 0 {
					t.Errorf("logout keeps cookie %+v", c)
				}
			}
			wantProblem(t, "cookie after logout", b.Get("/api/v1/me"), http.StatusUnauthorized)
		})

		t.Run("password reset", func(t *testing.T) {
			// Same answer whether the email is known or not.
			known := e.Anonymous().Post("/api/v1/password-resets", map[string]string{"email": "Max@Acme.test"})
			unknown := e.Anonymous().Post("/api/v1/password-resets", map[string]string{"email": "nobody@acme.test"})
			wantStatus(t, "reset known", known, http.StatusAccepted)
			wantStatus(t, "reset unknown", unknown, http.StatusAccepted)
			if string(known.Body) != string(unknown.Body) {
				t.Errorf("known %s vs unknown %s", known.Body, unknown.Body)
			}
			if _, ok := e.Mailbox.Last("nobody@acme.test"); ok {
				t.Error("a mail went to an unknown address")
			}
			wantProblem(t, "reset malformed email", e.Anonymous().Post("/api/v1/password-resets", map[string]string{"email": "not-an-email"}), http.StatusUnprocessableEntity, "email")
			tok := linkToken(t, e, member.Email, "/password-reset/")

			before := member.Token
			wantProblem(t, "reset to a short password", e.Anonymous().Post("/api/v1/password-resets/"+tok, map[string]string{"password": "short"}), http.StatusUnprocessableEntity, "password")
			wantProblem(t, "reset to a common password", e.Anonymous().Post("/api/v1/password-resets/"+tok, map[string]string{"password": "password123"}), http.StatusUnprocessableEntity, "password")
			const newPW = "max's brand new passphrase"
			wantStatus(t, "reset", e.Anonymous().Post("/api/v1/password-resets/"+tok, map[string]string{"password": newPW}), http.StatusNoContent)
			wantProblem(t, "reset link used twice", e.Anonymous().Post("/api/v1/password-resets/"+tok, map[string]string{"password": "yet another passphrase"}), http.StatusGone)
			wantProblem(t, "unknown reset link", e.Anonymous().Post("/api/v1/password-resets/gcr_nope", map[string]string{"password": "yet another passphrase"}), http.StatusNotFound)
			wantProblem(t, "old session after reset", e.WithToken(before).Get("/api/v1/me"), http.StatusUnauthorized)
			if r, _ := login(t, e, member.Email, member.Password); r.Status != http.StatusUnauthorized {
				t.Errorf("old password after reset: %d %s", r.Status, r.Body)
			}
			member.Password = newPW
			var r *testkit.Response
			r, member.Token = login(t, e, member.Email, member.Password)
			wantStatus(t, "new password", r, http.StatusOK)

			// An expired link is gone.
			wantStatus(t, "reset again", e.Anonymous().Post("/api/v1/password-resets", map[string]string{"email": member.Email}), http.StatusAccepted)
			tok = linkToken(t, e, member.Email, "/password-reset/")
			if _, err := e.App.DB.NewUpdate().TableExpr("password_resets").Set("expires_at = ?", time.Now().Add(-time.Minute).UTC()).Where("token_hash = ?", token.Hash(tok)).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
			wantProblem(t, "expired reset link", e.Anonymous().Post("/api/v1/password-resets/"+tok, map[string]string{"password": "yet another passphrase"}), http.StatusGone)
		})

		t.Run("people search", func(t *testing.T) {
			names := func(query string) []string {
				var out []string
				for _, it := range readList(t, e.As(member).Get("/api/v1/"+slug+"/users?"+query)).Items {
					out = append(out, it["email"].(string))
				}
				return out
			}
			for query, want := range map[string]int{
				"q=ada": 1, "q=ADA": 1, "q=acme.test": 3, "q=zzz": 0, "role=admin": 1, "role=owner": 1, "q=max&role=admin": 0,
				// Typed wildcards are literal.
				"q=_": 0, "q=%25": 0, "q=a_a": 0, "q=%5C": 0,
			} {
				if got := names(query); len(got) != want {
					t.Errorf("?%s: %v, want %d people", query, got, want)
				}
			}
			wantProblem(t, "?q= with a NUL", e.As(member).Get("/api/v1/"+slug+"/users?q=a%00"), http.StatusUnprocessableEntity, "q")
		})

		t.Run("pagination", func(t *testing.T) {
			for i := 0; i < 5; i++ {
				newTeam(t, e, owner, slug, fmt.Sprintf("Paged team %d", i))
			}
			total := e.Count("teams")
			seen := map[int64]int{}
			cursor, pages := "", 0
			for {
				path := "/api/v1/" + slug + "/teams?limit=2"
				if cursor != "" {
					path += "&cursor=" + cursor
				}
				l := readList(t, e.As(member).Get(path))
				pages++
				if len(l.Items) > 2 || (l.NextCursor != "" && len(l.Items) != 2) {
					t.Fatalf("page %d: %d items, next_cursor %q", pages, len(l.Items), l.NextCursor)
				}
				for _, it := range l.Items {
					seen[int64(num(it["id"]))]++
				}
				if l.NextCursor == "" {
					break
				}
				if pages > total {
					t.Fatal("pagination does not end")
				}
				cursor = l.NextCursor
			}
			if len(seen) != total || pages != (total+1)/2 {
				t.Errorf("saw %d of %d teams in %d pages", len(seen), total, pages)
			}
			for id, n := range seen {
				if n != 1 {
					t.Errorf("team %d seen %d times", id, n)
				}
			}
			// The default page holds them all; users page the same way.
			if l := readList(t, e.As(member).Get("/api/v1/"+slug+"/teams")); len(l.Items) != total || l.NextCursor != "" {
				t.Errorf("default page: %d items, cursor %q", len(l.Items), l.NextCursor)
			}
			l := readList(t, e.As(member).Get("/api/v1/"+slug+"/users?limit=1"))
			if len(l.Items) != 1 || l.NextCursor == "" {
				t.Errorf("users limit=1: %+v", l)
			}
			for _, list := range []string{"teams", "users", "companies", "audit"} {
				as := owner
				for _, q := range []string{"limit=0", "limit=201", "limit=-1", "limit=abc", "limit=1.5"} {
					wantProblem(t, list+"?"+q, e.As(as).Get("/api/v1/"+slug+"/"+list+"?"+q), http.StatusUnprocessableEntity, "limit")
				}
				for _, q := range []string{"cursor=garbage!", "cursor=MA", "cursor=" + strings.Repeat("A", 300)} {
					wantProblem(t, list+"?"+q, e.As(as).Get("/api/v1/"+slug+"/"+list+"?"+q), http.StatusUnprocessableEntity, "cursor")
				}
				wantStatus(t, list+"?limit=200", e.As(as).Get("/api/v1/"+slug+"/"+list+"?limit=200"), http.StatusOK)
			}
			wantProblem(t, "tokens?limit=0", e.As(owner).Get("/api/v1/tokens?limit=0"), http.StatusUnprocessableEntity, "limit")
		})

		t.Run("audit", func(t *testing.T) {
			r := e.As(admin).Get("/api/v1/" + slug + "/audit")
			wantStatus(t, "audit", r, http.StatusOK)
			var page struct {
				Items []struct {
					ID        int64     `json:"id"`
					ActorID   *int64    `json:"actor_id"`
					ActorName string    `json:"actor_name"`
					Action    string    `json:"action"`
					Target    string    `json:"target"`
					IP        string    `json:"ip"`
					UserAgent string    `json:"user_agent"`
					CreatedAt time.Time `json:"created_at"`
				} `json:"items"`
				NextCursor string `json:"next_cursor"`
			}
			r.JSON(t, &page)
			found := map[string]bool{}
			for i, ev := range page.Items {
				if i > 0 && (ev.ID >= page.Items[i-1].ID || ev.CreatedAt.After(page.Items[i-1].CreatedAt)) {
					t.Errorf("audit not newest first at %d: %+v after %+v", i, ev, page.Items[i-1])
				}
				if ev.ActorID == nil || ev.ActorName == "" || ev.IP == "" || ev.UserAgent == "" {
					t.Errorf("audit event without actor, ip or user agent: %+v", ev)
				}
				switch {
				case ev.Action == "user.invited" && ev.Target == member.Email:
					found[ev.Action] = *ev.ActorID == owner.ID && ev.ActorName == "Olivia Owner" && ev.IP == "127.0.0.1"
				case ev.Action == "user.role_changed" && ev.Target == member.Email:
					found[ev.Action] = *ev.ActorID == admin.ID && ev.UserAgent == adminUA && ev.IP == "127.0.0.1"
				case ev.Action == "account.settings_changed" && *ev.ActorID == admin.ID:
					found[ev.Action] = ev.UserAgent == adminUA && ev.Target == slug
				}
			}
			for _, a := range []string{"user.invited", "user.role_changed", "account.settings_changed", "user.deactivated", "team.member_added", "company.created", "account.created", "invitation.accepted"} {
				hit := false
				for _, ev := range page.Items {
					hit = hit || ev.Action == a
				}
				if !hit {
					t.Errorf("audit has no %s: %s", a, r.Body)
				}
			}
			for _, a := range []string{"user.invited", "user.role_changed", "account.settings_changed"} {
				if !found[a] {
					t.Errorf("%s is not recorded with the right actor, ip and user agent: %s", a, r.Body)
				}
			}
			// Filters.
			l := readList(t, e.As(owner).Get("/api/v1/"+slug+"/audit?action=user.role_changed"))
			if len(l.Items) != 1 || l.Items[0]["action"] != "user.role_changed" {
				t.Errorf("?action=user.role_changed: %v", l.Items)
			}
			l = readList(t, e.As(owner).Get(fmt.Sprintf("/api/v1/%s/audit?actor=%d", slug, admin.ID)))
			if len(l.Items) < 2 {
				t.Errorf("?actor=admin: %v", l.Items)
			}
			for _, it := range l.Items {
				if int64(num(it["actor_id"])) != admin.ID {
					t.Errorf("?actor=%d lists %v", admin.ID, it)
				}
			}
			l = readList(t, e.As(owner).Get(fmt.Sprintf("/api/v1/%s/audit?actor=%d&action=account.settings_changed", slug, owner.ID)))
			if len(l.Items) != 1 {
				t.Errorf("owner's settings changes: %v", l.Items)
			}
			wantProblem(t, "?actor=abc", e.As(owner).Get("/api/v1/"+slug+"/audit?actor=abc"), http.StatusUnprocessableEntity, "actor")
			// Paging through the trail, newest first.
			all := readList(t, e.As(owner).Get("/api/v1/"+slug+"/audit?limit=200")).Items
			var paged []map[string]any
			for cursor := ""; ; {
				l := readList(t, e.As(owner).Get("/api/v1/"+slug+"/audit?limit=3&cursor="+cursor))
				paged = append(paged, l.Items...)
				if cursor = l.NextCursor; cursor == "" || len(paged) > len(all) {
					break
				}
			}
			if len(paged) != len(all) {
				t.Errorf("paged audit has %d events, the full list %d", len(paged), len(all))
			}
			for i := range paged {
				if i < len(all) && paged[i]["id"] != all[i]["id"] {
					t.Errorf("paged audit differs at %d", i)
					break
				}
			}
			wantProblem(t, "member reads audit", e.As(member).Get("/api/v1/"+slug+"/audit"), http.StatusForbidden)
			if accountID == 0 {
				t.Error("no account id")
			}
		})
	})
}
