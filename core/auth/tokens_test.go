package auth_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/auth"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/example"
	"groupcamp/core/token"
)

// newToken creates a personal token for u through the API and returns its secret.
func newToken(t *testing.T, e *testkit.Env, u *testkit.User, body map[string]any) string {
	t.Helper()
	r := e.As(u).Post("/api/v1/tokens", body)
	if r.Status != http.StatusCreated {
		t.Fatalf("create token %v: %d %s", body, r.Status, r.Body)
	}
	return r.Map()["token"].(string)
}

func want(t *testing.T, what string, r *testkit.Response, status int, detail ...string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("%s: %d, want %d: %s", what, r.Status, status, r.Body)
		return
	}
	ct := r.Header.Get("Content-Type")
	if status >= 400 && !strings.HasPrefix(ct, "text/html") && !strings.HasPrefix(ct, "application/problem+json") {
		t.Errorf("%s: content type %q, want problem+json", what, r.Header.Get("Content-Type"))
	}
	for _, d := range detail {
		if !strings.Contains(r.String(), d) {
			t.Errorf("%s: the answer does not say %q: %s", what, d, r.Body)
		}
	}
}

func TestTokenScopes(t *testing.T) {
	testkit.EachDB(t, testkit.Options{Modules: []app.Module{example.New()}}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		owner := acc.Owner
		member := e.NewUser(acc, "member")
		users, teams := "/api/v1/"+acc.Slug+"/users", "/api/v1/"+acc.Slug+"/teams"
		team := func(name string) map[string]any { return map[string]any{"name": name, "management": false} }

		t.Run("no scopes given: full access, listed as write", func(t *testing.T) {
			full := e.WithToken(newToken(t, e, owner, map[string]any{"name": "full"}))
			want(t, "GET users", full.Get(users), http.StatusOK)
			want(t, "POST teams", full.Post(teams, team("Full")), http.StatusCreated)
			want(t, "PATCH account", full.Patch("/api/v1/"+acc.Slug+"/account", map[string]any{"name": "Renamed"}), http.StatusOK)
			l := e.As(owner).Get("/api/v1/tokens")
			if !strings.Contains(l.String(), `"scopes":["write"]`) {
				t.Errorf("the listing does not show the default scope: %s", l.Body)
			}
		})

		t.Run("a token made before scopes existed keeps full access", func(t *testing.T) {
			raw, hash := token.New("gcp_")
			// The row as the code before scopes wrote it: the column takes its default.
			if _, err := e.App.DB.NewRaw("INSERT INTO api_tokens (user_id, name, prefix, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
				owner.ID, "legacy", raw[:10], hash, time.Now().UTC()).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
			old := e.WithToken(raw)
			want(t, "GET users", old.Get(users), http.StatusOK)
			want(t, "POST teams", old.Post(teams, team("Legacy")), http.StatusCreated)
		})

		t.Run("read-only", func(t *testing.T) {
			ro := e.WithToken(newToken(t, e, owner, map[string]any{"name": "ro", "scopes": []string{"read"}}))
			want(t, "GET users", ro.Get(users), http.StatusOK)
			want(t, "GET account", ro.Get("/api/v1/"+acc.Slug+"/account"), http.StatusOK)
			want(t, "GET me", ro.Get("/api/v1/me"), http.StatusOK)
			want(t, "GET own tokens", ro.Get("/api/v1/tokens"), http.StatusOK)
			n := e.Count("teams")
			want(t, "POST teams", ro.Post(teams, team("Nope")), http.StatusForbidden, "read-only")
			want(t, "PATCH account", ro.Patch("/api/v1/"+acc.Slug+"/account", map[string]any{"name": "X"}), http.StatusForbidden, "read-only")
			want(t, "DELETE a user", ro.Delete(fmt.Sprintf("%s/%d", users, member.ID)), http.StatusForbidden, "read-only")
			// A narrow token cannot mint a wider one.
			want(t, "POST tokens", ro.Post("/api/v1/tokens", map[string]any{"name": "wider"}), http.StatusForbidden, "read-only")
			if e.Count("teams") != n {
				t.Error("a refused write wrote something")
			}
		})

		t.Run("module scopes", func(t *testing.T) {
			// Only the example module: nothing of the core account.
			pr := e.WithToken(newToken(t, e, owner, map[string]any{"name": "projects", "scopes": []string{"example:read"}}))
			want(t, "example:read GET users", pr.Get(users), http.StatusForbidden, "limited to example:read")
			want(t, "example:read POST teams", pr.Post(teams, team("No")), http.StatusForbidden, "read-only")
			want(t, "example:read GET me", pr.Get("/api/v1/me"), http.StatusOK)

			ur := e.WithToken(newToken(t, e, owner, map[string]any{"name": "users", "scopes": []string{"users:read"}}))
			want(t, "users:read GET users", ur.Get(users), http.StatusOK)
			want(t, "users:read GET one user", ur.Get(fmt.Sprintf("%s/%d", users, member.ID)), http.StatusOK)
			want(t, "users:read GET teams", ur.Get(teams), http.StatusForbidden, "may not read teams")
			want(t, "users:read POST users", ur.Post(users, map[string]any{"name": "Z", "email": "z@example.test", "role": "member"}), http.StatusForbidden, "read-only")

			tw := e.WithToken(newToken(t, e, owner, map[string]any{"name": "teams", "scopes": []string{"teams:write", "users:read"}}))
			want(t, "teams:write POST teams", tw.Post(teams, team("Scoped")), http.StatusCreated)
			want(t, "teams:write GET teams", tw.Get(teams), http.StatusOK)
			want(t, "teams:write GET users (users:read)", tw.Get(users), http.StatusOK)
			want(t, "teams:write POST users", tw.Post(users, map[string]any{"name": "Z", "email": "z@example.test", "role": "member"}), http.StatusForbidden, "may not change users")
			want(t, "teams:write GET account", tw.Get("/api/v1/"+acc.Slug+"/account"), http.StatusForbidden)
			want(t, "teams:write POST tokens", tw.Post("/api/v1/tokens", map[string]any{"name": "wider"}), http.StatusForbidden, "changes outside an account need a token with the")

			// read everywhere, write in one module.
			rw := e.WithToken(newToken(t, e, owner, map[string]any{"name": "mixed", "scopes": []string{"read", "teams:write"}}))
			want(t, "read+teams:write GET account", rw.Get("/api/v1/"+acc.Slug+"/account"), http.StatusOK)
			want(t, "read+teams:write POST teams", rw.Post(teams, team("Mixed")), http.StatusCreated)
			want(t, "read+teams:write PATCH account", rw.Patch("/api/v1/"+acc.Slug+"/account", map[string]any{"name": "X"}), http.StatusForbidden, "may not change account")
		})

		t.Run("scopes never widen the role", func(t *testing.T) {
			mw := e.WithToken(newToken(t, e, member, map[string]any{"name": "m", "scopes": []string{"teams:write", "users:write"}}))
			want(t, "member's teams:write POST teams", mw.Post(teams, team("Not mine")), http.StatusForbidden, "your role does not allow this")
			want(t, "member's users:write GET users", mw.Get(users), http.StatusOK)
			mf := e.WithToken(newToken(t, e, member, map[string]any{"name": "m2", "scopes": []string{"write"}}))
			want(t, "member's write PATCH account", mf.Patch("/api/v1/"+acc.Slug+"/account", map[string]any{"name": "X"}), http.StatusForbidden, "your role")
			// Another account stays invisible, whatever the scope.
			other := e.NewAccount()
			want(t, "other account", mf.Get("/api/v1/"+other.Slug+"/users"), http.StatusNotFound)
			want(t, "other account, scoped", e.WithToken(newToken(t, e, member, map[string]any{"name": "m3", "scopes": []string{"example:read"}})).Get("/api/v1/"+other.Slug+"/users"), http.StatusNotFound)
		})

		t.Run("sessions have no scopes", func(t *testing.T) {
			want(t, "login token POST teams", e.As(owner).Post(teams, team("Session")), http.StatusCreated)
			b := e.BrowserLogin(owner)
			csrf := testkit.CSRFIn(b.Get("/profile").Body)
			r := b.Form("/profile/tokens", url.Values{"_csrf": {csrf}, "token_name": {"from the page"}, "token_scopes": {"read"}})
			want(t, "browser creates a token", r, http.StatusOK)
		})
	})
}

func TestTokenExpiryAndBadInput(t *testing.T) {
	testkit.EachDB(t, testkit.Options{Modules: []app.Module{example.New()}}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		owner := acc.Owner
		users := "/api/v1/" + acc.Slug + "/users"

		t.Run("an expired token is refused like a revoked one", func(t *testing.T) {
			r := e.As(owner).Post("/api/v1/tokens", map[string]any{"name": "short", "scopes": []string{"users:read"},
				"expires_at": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)})
			want(t, "create", r, http.StatusCreated)
			var nt struct {
				ID        int64     `json:"id"`
				Token     string    `json:"token"`
				Scopes    []string  `json:"scopes"`
				ExpiresAt time.Time `json:"expires_at"`
			}
			r.JSON(t, &nt)
			if len(nt.Scopes) != 1 || nt.Scopes[0] != "users:read" || time.Until(nt.ExpiresAt) < 59*time.Minute {
				t.Errorf("new token = %+v", nt)
			}
			l := e.As(owner).Get("/api/v1/tokens")
			if !strings.Contains(l.String(), `"scopes":["users:read"]`) || !strings.Contains(l.String(), nt.ExpiresAt.Format("2006-01-02T15:04")) {
				t.Errorf("the listing lacks scopes or expiry: %s", l.Body)
			}
			want(t, "before expiry", e.WithToken(nt.Token).Get(users), http.StatusOK)
			if _, err := e.App.DB.NewUpdate().TableExpr("api_tokens").Set("expires_at = ?", time.Now().Add(-time.Second).UTC()).
				Where("id = ?", nt.ID).Exec(context.Background()); err != nil {
				t.Fatal(err)
			}
			e.App.Auth.Forget(owner.ID) // changed behind the App's back: drop its cache
			want(t, "after expiry", e.WithToken(nt.Token).Get(users), http.StatusUnauthorized, "expired or been revoked")
			want(t, "after expiry, me", e.WithToken(nt.Token).Get("/api/v1/me"), http.StatusUnauthorized)
		})

		t.Run("bad input is a 422 on its field and writes nothing", func(t *testing.T) {
			before := e.Count("api_tokens")
			cases := []struct {
				name  string
				body  map[string]any
				field string
				msg   string
			}{
				{"unknown scope", map[string]any{"name": "x", "scopes": []string{"admin"}}, "scopes[0]", "is not a scope"},
				{"unknown module", map[string]any{"name": "x", "scopes": []string{"read", "widgets:read"}}, "scopes[1]", "is not a scope"},
				{"unknown level", map[string]any{"name": "x", "scopes": []string{"example:delete"}}, "scopes[0]", "is not a scope"},
				{"half a module name", map[string]any{"name": "x", "scopes": []string{"proj:read"}}, "scopes[0]", "is not a scope"},
				{"empty scope", map[string]any{"name": "x", "scopes": []string{""}}, "scopes[0]", "is not a scope"},
				{"too many scopes", map[string]any{"name": "x", "scopes": strings.Split(strings.Repeat("read,", auth.MaxScopes)+"write", ",")}, "scopes", "at most"},
				{"past expiry", map[string]any{"name": "x", "expires_at": "2001-01-01T00:00:00Z"}, "expires_at", "must be in the future"},
				{"expiry too far", map[string]any{"name": "x", "expires_at": time.Now().AddDate(1, 1, 0).UTC().Format(time.RFC3339)}, "expires_at", "within one year"},
			}
			for _, c := range cases {
				r := e.As(owner).Post("/api/v1/tokens", c.body)
				want(t, c.name, r, http.StatusUnprocessableEntity)
				if m := r.FieldErrors()[c.field]; !strings.Contains(m, c.msg) {
					t.Errorf("%s: field %s says %q, want %q: %s", c.name, c.field, m, c.msg, r.Body)
				}
			}
			// A scope of the wrong type is a bad body, never a 500.
			want(t, "scopes as a string", e.As(owner).Post("/api/v1/tokens", map[string]any{"name": "x", "scopes": "read"}), http.StatusBadRequest)
			if n := e.Count("api_tokens"); n != before {
				t.Errorf("refused tokens were written: %d rows, want %d", n, before)
			}
			// Scopes are trimmed, lower-cased and deduplicated; nested module prefixes are scopes.
			r := e.As(owner).Post("/api/v1/tokens", map[string]any{"name": "ok", "scopes": []string{" Example.Notes:Write ", "example.notes:write", "read"},
				"expires_at": time.Now().AddDate(1, 0, 0).UTC().Format(time.RFC3339)})
			want(t, "a nested module scope, a year ahead", r, http.StatusCreated)
			if !strings.Contains(r.String(), `"scopes":["example.notes:write","read"]`) {
				t.Errorf("scopes not normalized: %s", r.Body)
			}
		})

		t.Run("the profile page asks for scopes and shows them", func(t *testing.T) {
			b := e.BrowserLogin(owner)
			prof := b.Get("/profile")
			csrf := testkit.CSRFIn(prof.Body)
			if !strings.Contains(prof.String(), `name="token_scopes"`) {
				t.Fatal("no scopes field on the profile page")
			}
			before := e.Count("api_tokens")
			r := b.Form("/profile/tokens", url.Values{"_csrf": {csrf}, "token_name": {"bad"}, "token_scopes": {"read, nope:read"}})
			want(t, "page: unknown scope", r, http.StatusUnprocessableEntity)
			if !strings.Contains(r.String(), "&#34;nope:read&#34; is not a scope") || !strings.Contains(r.String(), `value="read, nope:read"`) {
				t.Errorf("the page does not name the wrong scope or loses the input: %s", r.Body)
			}
			if e.Count("api_tokens") != before {
				t.Error("a refused token was written")
			}
			r = b.Form("/profile/tokens", url.Values{"_csrf": {csrf}, "token_name": {"reader"}, "token_scopes": {"users:read, teams:read"}})
			want(t, "page: scoped token", r, http.StatusOK)
			m := regexp.MustCompile(`class="secret"[^>]*>(gcp_[A-Za-z0-9_-]+)<`).FindSubmatch(r.Body)
			if m == nil {
				t.Fatal("the new token is not shown")
			}
			want(t, "page token GET users", e.WithToken(string(m[1])).Get(users), http.StatusOK)
			want(t, "page token GET account", e.WithToken(string(m[1])).Get("/api/v1/"+acc.Slug+"/account"), http.StatusForbidden)
			if p := b.Get("/profile"); !strings.Contains(p.String(), "<code>users:read</code> <code>teams:read</code>") {
				t.Errorf("the token list does not show the scopes")
			}
		})

		t.Run("the OpenAPI document describes scopes", func(t *testing.T) {
			r := e.Anonymous().Get("/api/v1/openapi.json")
			for _, s := range []string{`"scopes"`, "read-only", "at most one year ahead"} {
				if !strings.Contains(r.String(), s) && !(s == "read-only" && strings.Contains(r.String(), "GET and HEAD only")) {
					t.Errorf("openapi.json does not mention %q", s)
				}
			}
		})
	})
}
