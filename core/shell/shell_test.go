package shell_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"groupcamp/core/config"
	"groupcamp/core/testkit"
)

func contains(t *testing.T, r *testkit.Response, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(string(r.Body), w) {
			t.Errorf("page lacks %q (status %d)", w, r.Status)
		}
	}
}

func TestSecurityHeadersAndAssets(t *testing.T) {
	t.Parallel()
	e := testkit.Start(t, "sqlite", testkit.Options{})
	r := e.Anonymous().Get("/login")
	if r.Status != http.StatusOK {
		t.Fatalf("login page: %d", r.Status)
	}
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP allows inline code: %q", csp)
	}
	if r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Referrer-Policy") == "" {
		t.Errorf("headers: %v", r.Header)
	}
	if r.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS must only be sent under https")
	}
	if regexp.MustCompile(`<script>|\son[a-z]+="|style="`).Match(r.Body) {
		t.Error("page has inline script, handler or style, which the CSP forbids")
	}
	css := regexp.MustCompile(`href="(/static/[0-9a-f]+/app\.css)"`).FindSubmatch(r.Body)
	if css == nil {
		t.Fatal("no cache-busted stylesheet link")
	}
	a := e.Anonymous().Get(string(css[1]))
	if a.Status != http.StatusOK || !strings.Contains(a.Header.Get("Cache-Control"), "immutable") || !strings.HasPrefix(a.Header.Get("Content-Type"), "text/css") {
		t.Errorf("asset: %d %v", a.Status, a.Header)
	}
	stale := e.Anonymous().Get("/static/0000000000/app.css")
	if stale.Status != http.StatusOK || strings.Contains(stale.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("stale asset hash must be served uncached: %d %v", stale.Status, stale.Header)
	}
	with := testkit.Start(t, "sqlite", testkit.Options{Config: func(c *config.Config) { c.BaseURL = "https://gc.example.test" }})
	if with.Anonymous().Get("/login").Header.Get("Strict-Transport-Security") == "" {
		t.Error("HSTS missing under https")
	}
}

func TestSignupSigninPagesBothDatabases(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		b := e.Browser()
		// A form without its CSRF token is refused.
		if r := b.Form("/signup", url.Values{"account_name": {"X"}}); r.Status != http.StatusForbidden {
			t.Errorf("signup without _csrf: %d", r.Status)
		}
		// Errors re-render the form with the values kept and the messages next to the fields.
		before := e.Snapshot()
		r := b.SubmitForm("/signup", "/signup", url.Values{"account_name": {"Durand & Fils"}, "slug": {"admin"},
			"country": {"FR"}, "owner_name": {"Marie Durand"}, "email": {"marie@durand.test"}, "password": {"short"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("bad signup: %d", r.Status)
		}
		contains(t, r, `value="Durand &amp; Fils"`, `id="e-slug"`, "is a reserved word", `id="e-password"`, "at least 10 characters", `aria-invalid="true"`)
		if after := e.Snapshot(); after != before {
			t.Errorf("a refused signup wrote: %s -> %s", before, after)
		}
		// A good signup signs the owner in and lands on the account home.
		r = b.SubmitForm("/signup", "/signup", url.Values{"account_name": {"Durand & Fils"}, "slug": {"durand"},
			"country": {"FR"}, "owner_name": {"Marie Durand"}, "email": {"marie@durand.test"}, "password": {"tres-secret-mot-de-passe"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/durand" {
			t.Fatalf("signup: %d %s", r.Status, r.Header.Get("Location"))
		}
		home := b.Get("/durand")
		if home.Status != http.StatusOK {
			t.Fatalf("home: %d", home.Status)
		}
		contains(t, home, "Durand &amp; Fils", "Welcome, Marie Durand", "Your account is ready", `href="/durand"`, `action="/logout"`)
		// The flash shows once.
		if again := b.Get("/durand"); strings.Contains(string(again.Body), "Your account is ready") {
			t.Error("flash shown twice")
		}
		// Sign out needs the CSRF field, then the session is gone.
		if r := b.Form("/logout", url.Values{}); r.Status != http.StatusForbidden {
			t.Errorf("logout without csrf: %d", r.Status)
		}
		if r := b.Form("/logout", url.Values{"_csrf": {testkit.CSRFIn(home.Body)}}); r.Status != http.StatusSeeOther {
			t.Errorf("logout: %d", r.Status)
		}
		if r := b.Get("/durand"); r.Status != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/login?next=") {
			t.Errorf("after logout: %d %s", r.Status, r.Header.Get("Location"))
		}
		// Wrong password: a form error that does not say which part was wrong.
		r = b.SubmitForm("/login", "/login", url.Values{"email": {"marie@durand.test"}, "password": {"not-the-password"}})
		if r.Status != http.StatusUnauthorized {
			t.Errorf("bad login: %d", r.Status)
		}
		contains(t, r, "the email or the password is wrong", `value="marie@durand.test"`)
		// Sign in, following next= only to local paths.
		r = b.SubmitForm("/login", "/login", url.Values{"email": {"marie@durand.test"}, "password": {"tres-secret-mot-de-passe"}, "next": {"//evil.test/x"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/" {
			t.Errorf("login with foreign next: %d %s", r.Status, r.Header.Get("Location"))
		}
	})
}

func TestFrenchAndRussianPages(t *testing.T) {
	t.Parallel()
	e := testkit.Start(t, "sqlite", testkit.Options{})
	h := http.Header{"Accept-Language": {"fr-FR,fr;q=0.9"}}
	r := e.Anonymous().Send(http.MethodGet, "/login", h, nil)
	contains(t, r, `lang="fr"`, "Connexion", "Mot de passe oublié")
	h.Set("Accept-Language", "ru")
	r = e.Anonymous().Send(http.MethodGet, "/signup", h, nil)
	contains(t, r, `lang="ru"`, "Создайте свой GroupCamp", "Название компании")

	// The profile language wins over the browser's.
	acc := e.NewAccount()
	b := e.BrowserLogin(acc.Owner)
	prof := b.Get("/profile")
	r = b.Form("/profile", url.Values{"_csrf": {testkit.CSRFIn(prof.Body)}, "name": {acc.Owner.Name}, "locale": {"ru"}, "time_zone": {"Europe/Moscow"}})
	if r.Status != http.StatusSeeOther {
		t.Fatalf("profile save: %d %s", r.Status, r.Body)
	}
	r = b.Get("/" + acc.Slug)
	contains(t, r, `lang="ru"`, "Добро пожаловать", "Профиль сохранён")
}

func TestErrorPagesInsideLayout(t *testing.T) {
	t.Parallel()
	e := testkit.Start(t, "sqlite", testkit.Options{})
	a, other := e.NewAccount(), e.NewAccount()
	b := e.BrowserLogin(a.Owner)
	r := b.Get("/" + other.Slug)
	if r.Status != http.StatusNotFound {
		t.Fatalf("other account's home: %d", r.Status)
	}
	contains(t, r, "Page not found", `class="topbar"`, `href="/`+a.Slug+`"`)
	if strings.Contains(string(r.Body), other.Name) {
		t.Error("the 404 page leaks the other account's name")
	}
	api := b.Get("/api/v1/" + other.Slug + "/account")
	if api.Status != http.StatusNotFound || !strings.HasPrefix(api.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("API 404 must stay problem+json: %d %s", api.Status, api.Header.Get("Content-Type"))
	}
}

func TestProfileTokensAndPassword(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		b := e.BrowserLogin(acc.Owner)
		prof := b.Get("/profile")
		csrf := testkit.CSRFIn(prof.Body)
		contains(t, prof, "You have no tokens yet")
		r := b.Form("/profile/tokens", url.Values{"_csrf": {csrf}, "token_name": {"deploy script"}})
		if r.Status != http.StatusOK {
			t.Fatalf("create token: %d %s", r.Status, r.Body)
		}
		m := regexp.MustCompile(`class="secret"[^>]*>(gcp_[A-Za-z0-9_-]+)<`).FindSubmatch(r.Body)
		if m == nil {
			t.Fatal("the new token is not shown")
		}
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Error("the page showing a secret must not be cached")
		}
		if me := e.WithToken(string(m[1])).Get("/api/v1/me"); me.Status != http.StatusOK {
			t.Errorf("new token does not work: %d", me.Status)
		}
		if again := b.Get("/profile"); strings.Contains(string(again.Body), string(m[1])) {
			t.Error("the token secret is shown twice")
		}
		// Bad input keeps the values and says what is wrong.
		r = b.Form("/profile/tokens", url.Values{"_csrf": {csrf}, "token_name": {strings.Repeat("x", 101)}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("long token name: %d", r.Status)
		}
		contains(t, r, "must be at most 100 characters")
		r = b.Form("/profile/password", url.Values{"_csrf": {csrf}, "current_password": {"wrong-one-here"}, "new_password": {"another-long-password"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Errorf("wrong current password: %d", r.Status)
		}
		contains(t, r, "is not your current password")
		r = b.Form("/profile/password", url.Values{"_csrf": {csrf}, "current_password": {acc.Owner.Password}, "new_password": {"another-long-password"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("change password: %d %s", r.Status, r.Body)
		}
		// Other sessions end; this one stays.
		if me := e.As(acc.Owner).Get("/api/v1/me"); me.Status != http.StatusUnauthorized {
			t.Errorf("old login token after password change: %d", me.Status)
		}
		if p := b.Get("/profile"); p.Status != http.StatusOK {
			t.Errorf("current session after password change: %d", p.Status)
		}
	})
}

func TestInvitationAndResetPages(t *testing.T) {
	t.Parallel()
	testkit.EachDB(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		r := e.As(acc.Owner).Post("/api/v1/"+acc.Slug+"/users", map[string]string{"name": "Paul", "email": "paul@example.test", "role": "member"})
		if r.Status != http.StatusCreated {
			t.Fatalf("invite: %d %s", r.Status, r.Body)
		}
		link := r.Map()["invitation_url"].(string)
		path := link[strings.Index(link, "/invitations/"):]
		b := e.Browser()
		page := b.Get(path)
		contains(t, page, acc.Name, "paul@example.test", "Accept the invitation")
		r = b.Form(path, url.Values{"_csrf": {testkit.CSRFIn(page.Body)}, "name": {"Paul Martin"}, "password": {"password123"}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("common password accepted: %d", r.Status)
		}
		contains(t, r, "is too common", `value="Paul Martin"`)
		r = b.Form(path, url.Values{"_csrf": {testkit.CSRFIn(page.Body)}, "name": {"Paul Martin"}, "password": {"un-mot-de-passe-long"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("accept: %d %s", r.Status, r.Body)
		}
		if home := b.Get("/" + acc.Slug); home.Status != http.StatusOK {
			t.Errorf("invitee's home: %d", home.Status)
		}
		used := e.Browser().Get(path)
		if used.Status != http.StatusGone {
			t.Errorf("used invitation page: %d", used.Status)
		}
		contains(t, used, "already been used")

		// Password reset by link, through the pages.
		anon := e.Browser()
		r = anon.SubmitForm("/password-reset", "/password-reset", url.Values{"email": {"paul@example.test"}})
		contains(t, r, "a link is on its way")
		msg, ok := e.Mailbox.Last("paul@example.test")
		if !ok || !strings.Contains(msg.Text, "/password-reset/") {
			t.Fatalf("no reset mail: %+v", msg)
		}
		resetPath := regexp.MustCompile(`/password-reset/\S+`).FindString(msg.Text)
		form := anon.Get(resetPath)
		r = anon.Form(resetPath, url.Values{"_csrf": {testkit.CSRFIn(form.Body)}, "password": {"le-nouveau-mot-de-passe"}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/login" {
			t.Fatalf("reset: %d %s", r.Status, r.Body)
		}
		e.BrowserLogin(&testkit.User{Email: "paul@example.test", Password: "le-nouveau-mot-de-passe"})
		// The used link, and a made-up one, say so and offer a new one — no form that can only fail.
		for _, p := range []string{resetPath, "/password-reset/made-up-token"} {
			page := anon.Get(p)
			if page.Status != http.StatusGone || !strings.Contains(string(page.Body), "This link is no longer valid") ||
				!strings.Contains(string(page.Body), `href="/password-reset"`) || strings.Contains(string(page.Body), `name="password"`) {
				t.Errorf("GET %s: %d %.300s", p, page.Status, page.Body)
			}
		}
	})
}
