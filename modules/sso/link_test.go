package sso_test

import (
	"context"
	"html"
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

var linkField = regexp.MustCompile(`name="link" value="([^"]+)"`)

// linkStep checks that the flow stopped at the page asking for the existing login's proof,
// with no session, and answers its sealed link and CSRF token.
func linkStep(t *testing.T, what string, f flow) (link, csrf string) {
	t.Helper()
	return stoppedAt(t, what, f, linkField, "/sso/link")
}

// stoppedAt checks that the flow stopped, without a session, at the page whose form posts to
// action, and answers the hidden field's value (matched by field) and the CSRF token.
func stoppedAt(t *testing.T, what string, f flow, field *regexp.Regexp, action string) (value, csrf string) {
	t.Helper()
	m := field.FindSubmatch(f.callback.Body)
	if f.callback.Status != http.StatusOK || m == nil || !strings.Contains(f.callback.String(), `action="`+action+`"`) {
		t.Fatalf("%s: callback %d, want the page posting to %s: %s", what, f.callback.Status, action, f.callback.Body)
	}
	if r := f.browser.Get("/api/v1/me"); r.Status != http.StatusUnauthorized {
		t.Fatalf("%s: a session opened before %s (%d)", what, action, r.Status)
	}
	return html.UnescapeString(string(m[1])), testkit.CSRFIn(f.callback.Body)
}

// TestProviderCannotClaimAnotherAccountsLogin: an account's administrators control its
// identity provider, and a session is its person's in every account. So a provider that
// names — by a verified email — a login active in another account does not sign it in, not
// even with just-in-time creation and no domain limit (the takeover of anyone's login by any
// account's admin): the page asks that login's password, and its code when two-factor is on;
// wrong answers are refused (and throttled) and write nothing; the right ones link the
// subject, make the person a member, and sign them in — later sign-ins go straight through
// the link. A forged or altered proof is refused. A login active only in this account is
// still linked at once (TestSignIn).
func TestProviderCannotClaimAnotherAccountsLogin(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		ctx := context.Background()
		p := newProvider(t)
		home, evil := e.NewAccount(), e.NewAccount()
		victim := e.NewUser(home, actor.RoleAdmin)
		me := e.As(victim)
		secret, _ := me.Post("/api/v1/me/totp", nil).Map()["secret"].(string)
		now := time.Now()
		first, _ := totp.GenerateCode(secret, now)
		var codes struct {
			RecoveryCodes []string `json:"recovery_codes"`
		}
		if r := me.Post("/api/v1/me/totp/confirm", map[string]any{"code": first}); r.Status != http.StatusOK {
			t.Fatalf("confirm: %d %s", r.Status, r.Body)
		} else {
			r.JSON(t, &codes)
		}
		configure(t, e.As(evil.Owner), evil.Slug, p, map[string]any{"jit": true, "domains": []string{}})
		p.set(func(p *provider) { p.person = person{Subject: "claimed", Email: victim.Email, Name: "Victim"} })

		f := signIn(t, e, evil.Slug)
		link, csrf := linkStep(t, "a provider naming another account's login", f)
		if strings.Contains(f.callback.String(), "/"+home.Slug) {
			t.Errorf("the proof's page tells where the login belongs: %s", f.callback.Body)
		}
		post := func(v url.Values) *testkit.Response {
			v.Set("_csrf", csrf)
			v.Set("link", link)
			return f.browser.Form("/sso/link", v)
		}
		for name, c := range map[string]struct {
			v     url.Values
			field string
		}{
			"no password":        {url.Values{}, "password"},
			"wrong password":     {url.Values{"password": {"not the password at all"}}, "password"},
			"password, no code":  {url.Values{"password": {victim.Password}}, "totp"},
			"password, bad code": {url.Values{"password": {victim.Password}, "totp": {"000000"}}, "totp"},
		} {
			r := post(c.v)
			if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.String(), `id="e-`+c.field+`"`) || f.browser.Get("/api/v1/me").Status != http.StatusUnauthorized {
				t.Errorf("%s: %d, want 422 on %s and no session: %s", name, r.Status, c.field, r.Body)
			}
		}
		for name, v := range map[string]url.Values{
			"forged proof":  {"_csrf": {csrf}, "link": {"v1.forged"}, "password": {victim.Password}},
			"altered proof": {"_csrf": {csrf}, "link": {link[:len(link)-2] + "AA"}, "password": {victim.Password}},
			"no CSRF":       {"link": {link}, "password": {victim.Password}},
		} {
			if r := f.browser.Form("/sso/link", v); r.Status < 400 || r.Status >= 500 {
				t.Errorf("%s: %d", name, r.Status)
			}
		}
		var n int64
		if n, _ = e.App.DB.NewSelect().Table("memberships").Where("account_id = ? AND user_id = ?", evil.ID, victim.ID).Count(ctx); n != 0 {
			t.Fatalf("the login joined the account before its proof")
		}

		// The holder proves it: linked, a member, signed in; the link serves from then on.
		next, _ := totp.GenerateCode(secret, now.Add(30*time.Second))
		r := post(url.Values{"password": {victim.Password}, "totp": {next}})
		if r.Status != http.StatusSeeOther || r.Header.Get("Location") != "/"+evil.Slug {
			t.Fatalf("proven: %d to %q %s", r.Status, r.Header.Get("Location"), r.Body)
		}
		if r := f.browser.Get("/api/v1/me"); r.Status != http.StatusOK || !strings.Contains(r.String(), victim.Email) {
			t.Fatalf("after the proof: %d %s", r.Status, r.Body)
		}
		if r := post(url.Values{"password": {victim.Password}, "totp": {next}}); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("the proof's code again: %d", r.Status)
		}
		if n, _ = e.App.DB.NewSelect().Table("sso_identities").Where("account_id = ? AND user_id = ? AND subject = ?", evil.ID, victim.ID, "claimed").Count(ctx); n != 1 {
			t.Fatalf("%d links", n)
		}
		g := signIn(t, e, evil.Slug)
		pending, csrf2 := secondStep(t, "linked, two-factor on", g)
		// (The next steps' codes are spent: a recovery code stands for the code.)
		if r := g.browser.Form("/login/totp", url.Values{"_csrf": {csrf2}, "pending": {pending}, "totp": {codes.RecoveryCodes[0]}}); r.Status != http.StatusSeeOther {
			t.Errorf("linked sign-in: %d %s", r.Status, r.Body)
		}
	})
}

// TestUnprovenLinkAsksOnceTheLoginReachesFurther: a login active only in the account is linked
// on the provider's word (its administrators could act in that account anyway); once the
// person also joins another account, the provider's next sign-in asks that login's proof,
// once: proven, the link serves again without it.
func TestUnprovenLinkAsksOnceTheLoginReachesFurther(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		ctx := context.Background()
		p := newProvider(t)
		acc, other := e.NewAccount(), e.NewAccount()
		u := e.NewUser(acc, actor.RoleMember)
		configure(t, e.As(acc.Owner), acc.Slug, p, map[string]any{"domains": []string{}})
		p.set(func(p *provider) { p.person = person{Subject: "sub-only-here", Email: u.Email} })
		signedInAs(t, signIn(t, e, acc.Slug), u.Email)
		proven := func() bool {
			var v bool
			if err := e.App.DB.NewSelect().Table("sso_identities").Column("proven").Where("account_id = ? AND user_id = ?", acc.ID, u.ID).Scan(ctx, &v); err != nil {
				t.Fatal(err)
			}
			return v
		}
		if proven() {
			t.Fatal("a link made on the provider's word is marked proven")
		}

		e.Join(other, u, actor.RoleMember)
		f := signIn(t, e, acc.Slug)
		link, csrf := linkStep(t, "linked, and now in another account", f)
		r := f.browser.Form("/sso/link", url.Values{"_csrf": {csrf}, "link": {link}, "password": {u.Password}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("proven: %d %s", r.Status, r.Body)
		}
		if !proven() {
			t.Fatal("the proven link is not marked")
		}
		signedInAs(t, signIn(t, e, acc.Slug), u.Email)
	})
}
