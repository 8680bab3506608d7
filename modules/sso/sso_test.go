package sso_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/config"
	"groupcamp/core/seal"
	"groupcamp/core/testkit"
	"groupcamp/modules"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// options boot every module with http:// issuers allowed: the provider runs on loopback.
func options() testkit.Options {
	return testkit.Options{Modules: modules.All(), Config: func(c *config.Config) { c.SSOAllowHTTP = true }}
}

// configure saves the account's settings for p (and extra fields).
func configure(t testing.TB, c *testkit.Client, slug string, p *provider, extra map[string]any) map[string]any {
	t.Helper()
	body := map[string]any{"preset": "custom", "issuer": p.URL, "client_id": p.clientID, "client_secret": p.secret, "domains": []string{slug + ".test"}}
	for k, v := range extra {
		body[k] = v
	}
	r := c.Put("/api/v1/"+slug+"/sso", body)
	if r.Status != http.StatusOK {
		t.Fatalf("PUT sso: %d %s", r.Status, r.Body)
	}
	return r.Map()
}

// flow is one sign-in through the provider: the browser goes to /{slug}/sso/login, the
// provider approves and sends it back, the callback answers. query is the callback's, for
// replaying it.
type flow struct {
	browser  *testkit.Client
	callback *testkit.Response
	query    string
}

func signIn(t testing.TB, e *testkit.Env, slug string) flow {
	t.Helper()
	return signInWith(t, e, e.Browser(), slug)
}

// signInWith is signIn in browser b (its cookies: a remembered device).
func signInWith(t testing.TB, e *testkit.Env, b *testkit.Client, slug string) flow {
	t.Helper()
	r := b.Get("/" + slug + "/sso/login")
	if r.Status != http.StatusFound {
		t.Fatalf("sso/login: %d %s", r.Status, r.Body)
	}
	to := r.Header.Get("Location")
	if u, _ := url.Parse(to); u.Query().Get("code_challenge_method") != "S256" || u.Query().Get("nonce") == "" || u.Query().Get("state") == "" {
		t.Fatalf("authorization request without PKCE, nonce or state: %s", to)
	}
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(to)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	back, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || !strings.HasSuffix(back.Path, "/sso/callback") {
		t.Fatalf("the provider sent the browser to %q (%d)", resp.Header.Get("Location"), resp.StatusCode)
	}
	return flow{browser: b, callback: b.Get("/sso/callback?" + back.RawQuery), query: back.RawQuery}
}

// signedInAs checks that the flow opened a session for email.
func signedInAs(t *testing.T, f flow, email string) {
	t.Helper()
	if f.callback.Status != http.StatusSeeOther {
		t.Fatalf("callback: %d %s", f.callback.Status, f.callback.Body)
	}
	r := f.browser.Get("/api/v1/me")
	if r.Status != http.StatusOK || !strings.Contains(r.String(), email) {
		t.Fatalf("after the sign-in, /api/v1/me: %d %s", r.Status, r.Body)
	}
}

// refusedWith checks that the flow was refused with status and opened no session.
func refusedWith(t *testing.T, what string, f flow, status int, detail string) {
	t.Helper()
	if f.callback.Status != status || !strings.Contains(f.callback.String(), detail) {
		t.Errorf("%s: %d, want %d with %q: %s", what, f.callback.Status, status, detail, f.callback.Body)
	}
	if r := f.browser.Get("/api/v1/me"); r.Status != http.StatusUnauthorized {
		t.Errorf("%s: a session was opened (%d)", what, r.Status)
	}
}

// TestSignIn: the happy path links a known member at the first sign-in (then by subject);
// the state works once; an unknown email is refused unless just-in-time creation is on (then
// a member); other domains are refused; the secret is sealed and never answered; SSO
// required refuses colleagues' passwords, not clients'.
func TestSignIn(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		ctx := context.Background()
		p := newProvider(t)
		acc := e.NewAccount()
		owner := e.As(acc.Owner)
		member := e.NewUser(acc, actor.RoleMember)
		client := e.NewClient(acc, e.ClientCompany(acc))
		v := configure(t, owner, acc.Slug, p, nil)
		if v["client_secret_set"] != true || strings.Contains(owner.Get("/api/v1/"+acc.Slug+"/sso").String(), p.secret) {
			t.Fatalf("settings answer %v", v)
		}
		var stored string
		if err := e.App.DB.NewSelect().Table("sso_settings").Column("client_secret").Where("account_id = ?", acc.ID).Scan(ctx, &stored); err != nil {
			t.Fatal(err)
		}
		if !seal.IsSealed(stored) || strings.Contains(stored, p.secret) {
			t.Fatalf("stored secret %q", stored)
		}

		p.set(func(p *provider) {
			p.person = person{Subject: "sub-member", Email: strings.ToUpper(member.Email), Name: "M"}
		})
		f := signIn(t, e, acc.Slug)
		signedInAs(t, f, member.Email)
		if loc := f.callback.Header.Get("Location"); loc != "/"+acc.Slug {
			t.Errorf("after the sign-in: Location %q", loc)
		}
		// The state is used up: the same answer again opens nothing.
		replay := e.Browser()
		if r := replay.Get("/sso/callback?" + f.query); r.Status != http.StatusBadRequest || replay.Get("/api/v1/me").Status != http.StatusUnauthorized {
			t.Errorf("replayed state: %d %s", r.Status, r.Body)
		}
		// Linked: the subject finds the person even if the provider's email changes.
		p.set(func(p *provider) { p.person.Email = "renamed@" + acc.Slug + ".test" })
		signedInAs(t, signIn(t, e, acc.Slug), member.Email)

		stranger := "new-person@" + acc.Slug + ".test"
		p.set(func(p *provider) { p.person = person{Subject: "sub-new", Email: stranger, Name: "New Person"} })
		refusedWith(t, "unknown email without JIT", signIn(t, e, acc.Slug), http.StatusForbidden, "ask an administrator")
		p.set(func(p *provider) { p.person = person{Subject: "sub-out", Email: "someone@elsewhere.test"} })
		refusedWith(t, "another domain", signIn(t, e, acc.Slug), http.StatusForbidden, "elsewhere.test")
		p.set(func(p *provider) { p.person = person{Subject: "sub-unverified", Email: member.Email, Unverified: true} })
		refusedWith(t, "unverified email", signIn(t, e, acc.Slug), http.StatusForbidden, "verified email")

		configure(t, owner, acc.Slug, p, map[string]any{"jit": true, "client_secret": ""})
		p.set(func(p *provider) { p.person = person{Subject: "sub-new", Email: stranger, Name: "New Person"} })
		signedInAs(t, signIn(t, e, acc.Slug), stranger)
		var role string
		if err := e.App.DB.NewSelect().TableExpr("memberships AS m").Join("JOIN users AS u ON u.id = m.user_id").Column("m.role").
			Where("m.account_id = ? AND u.email = ?", acc.ID, stranger).Scan(ctx, &role); err != nil || role != actor.RoleMember {
			t.Fatalf("created just in time with role %q (%v)", role, err)
		}

		configure(t, owner, acc.Slug, p, map[string]any{"required": true, "client_secret": ""})
		login := func(u *testkit.User) *testkit.Response {
			return e.Anonymous().Post("/api/v1/login", map[string]any{"email": u.Email, "password": u.Password})
		}
		if r := login(member); r.Status != http.StatusForbidden || !strings.Contains(r.String(), "/"+acc.Slug+"/sso/login") {
			t.Errorf("password of a colleague with SSO required: %d %s", r.Status, r.Body)
		}
		if r := login(client); r.Status != http.StatusOK {
			t.Errorf("password of a client with SSO required: %d %s", r.Status, r.Body)
		}
	})
}

// TestForgedAnswers: an ID token for another audience, from another issuer, with another
// sign-in's nonce (a token replayed into this sign-in), an expired one, one signed with a key
// the provider never published, and a provider error are refused, and open no session.
func TestForgedAnswers(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		p := newProvider(t)
		acc := e.NewAccount()
		member := e.NewUser(acc, actor.RoleMember)
		configure(t, e.As(acc.Owner), acc.Slug, p, nil)
		p.set(func(p *provider) { p.person = person{Subject: "sub-1", Email: member.Email} })
		p.set(func(p *provider) { p.audience = "someone-else" })
		refusedWith(t, "wrong audience", signIn(t, e, acc.Slug), http.StatusForbidden, "audience")
		p.set(func(p *provider) { p.audience, p.issuer = "", "https://another-issuer.example.com" })
		refusedWith(t, "another issuer", signIn(t, e, acc.Slug), http.StatusForbidden, "issuer")
		p.set(func(p *provider) { p.issuer, p.nonce = "", "the-nonce-of-another-sign-in" })
		refusedWith(t, "another sign-in's nonce", signIn(t, e, acc.Slug), http.StatusForbidden, "nonce")
		p.set(func(p *provider) { p.nonce, p.expired = "", true })
		refusedWith(t, "expired", signIn(t, e, acc.Slug), http.StatusForbidden, "expired")
		p.set(func(p *provider) { p.expired, p.forged = false, true })
		refusedWith(t, "forged signature", signIn(t, e, acc.Slug), http.StatusForbidden, "signature")
		b := e.Browser()
		if r := b.Get("/sso/callback?error=access_denied&state=x"); r.Status != http.StatusForbidden || !strings.Contains(r.String(), "access_denied") {
			t.Errorf("provider error: %d %s", r.Status, r.Body)
		}
		if r := b.Get("/sso/callback?state=never-issued&code=abc"); r.Status != http.StatusBadRequest {
			t.Errorf("unknown state: %d %s", r.Status, r.Body)
		}
		for lang, says := range map[string]string{"fr": "cette connexion a déjà servi ou a expiré", "ru": "этот вход уже использован или истёк"} {
			r := b.Send(http.MethodGet, "/sso/callback?state=never-issued&code=abc", http.Header{"Accept-Language": {lang}}, nil)
			if r.Status != http.StatusBadRequest || !strings.Contains(r.String(), says) {
				t.Errorf("unknown state in %s: %d %s", lang, r.Status, r.Body)
			}
		}
		p.set(func(p *provider) { p.forged = false })
		signedInAs(t, signIn(t, e, acc.Slug), member.Email)
	})
}

// TestSettingsRefusals: bad settings are 422 naming the field and change nothing; only
// administrators reach them; another account's settings are 404; an account without SSO has
// no sign-in link.
func TestSettingsRefusals(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc, other := e.NewAccount(), e.NewAccount()
		owner := e.As(acc.Owner)
		base := "/api/v1/" + acc.Slug + "/sso"
		for name, c := range map[string]struct {
			body  map[string]any
			field string
		}{
			"not a URL":         {map[string]any{"issuer": "accounts google"}, "issuer"},
			"ftp":               {map[string]any{"issuer": "ftp://idp.example.com"}, "issuer"},
			"google elsewhere":  {map[string]any{"preset": "google", "issuer": "https://evil.example.com"}, "issuer"},
			"microsoft common":  {map[string]any{"preset": "microsoft", "issuer": "https://login.microsoftonline.com/common/v2.0"}, "issuer"},
			"unknown preset":    {map[string]any{"preset": "okta"}, "preset"},
			"required, no idp":  {map[string]any{"required": true}, "required"},
			"bad domain":        {map[string]any{"domains": []string{"not a domain"}}, "domains[0]"},
			"long client id":    {map[string]any{"client_id": strings.Repeat("x", 301)}, "client_id"},
			"control in secret": {map[string]any{"client_secret": "a\x00b"}, "client_secret"},
		} {
			r := owner.Put(base, c.body)
			if _, ok := r.FieldErrors()[c.field]; r.Status != http.StatusUnprocessableEntity || !ok {
				t.Errorf("%s: %d %s, want 422 on %s", name, r.Status, r.Body, c.field)
			}
		}
		n, err := e.App.DB.NewSelect().Table("sso_settings").Where("account_id = ?", acc.ID).Count(context.Background())
		if err != nil || n != 0 {
			t.Errorf("%d settings written by refused requests", n)
		}
		r := owner.Put(base, map[string]any{"preset": "google", "client_id": "x.apps.googleusercontent.com", "client_secret": "s"})
		if r.Status != http.StatusOK || r.Map()["issuer"] != "https://accounts.google.com" {
			t.Errorf("google preset: %d %s", r.Status, r.Body)
		}
		if r := e.As(e.NewUser(acc, actor.RoleManager)).Get(base); r.Status != http.StatusForbidden {
			t.Errorf("manager: %d", r.Status)
		}
		if r := e.As(other.Owner).Get(base); r.Status != http.StatusNotFound {
			t.Errorf("another account's owner: %d", r.Status)
		}
		if r := e.Browser().Get("/" + other.Slug + "/sso/login"); r.Status != http.StatusNotFound {
			t.Errorf("sign-in link of an account without SSO: %d", r.Status)
		}
	})
}
