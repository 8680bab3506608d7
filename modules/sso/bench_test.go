package sso_test

import (
	"context"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
)

// BenchmarkSSOSignIn measures one single sign-on end to end, on every test database, against
// the in-process provider: /{slug}/sso/login (the provider's discovery, the state stored, the
// redirect), the provider's approval, and /sso/callback (the state taken once, the discovery
// again, the code exchanged with the PKCE verifier, the ID token's RS256 signature checked
// with the provider's published key, the person found by their link, a session opened). The
// provider's own work (an RSA signature per token) is inside the figure, as it is in real life
// on the other side of the network.
func BenchmarkSSOSignIn(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			p := newProvider(b)
			acc := e.NewAccount()
			member := e.NewUser(acc, actor.RoleMember)
			configure(b, e.As(acc.Owner), acc.Slug, p, nil)
			p.set(func(p *provider) { p.person = person{Subject: "bench", Email: member.Email} })
			signIn(b, e, acc.Slug) // links the person
			b.ReportAllocs()
			for b.Loop() {
				if f := signIn(b, e, acc.Slug); f.callback.Status != 303 {
					b.Fatalf("callback: %d %s", f.callback.Status, f.callback.Body)
				}
			}
		})
	}
}

// BenchmarkMustEnrol measures the two-factor enrolment check every page GET of a session runs
// in core/authz's gate before the membership check (auth.Service.MustEnrol, the sso module's
// Rules): for a person none of whose accounts requires two-factor (one query, the common
// case), for one whose account requires it and who has turned it on (two queries), and, for
// scale, a whole page GET of the same session (the gate, the page, the layout).
func BenchmarkMustEnrol(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			free, strict := e.NewAccount(), e.NewAccount()
			member := e.NewUser(free, actor.RoleMember)
			if r := e.As(strict.Owner).Put("/api/v1/"+strict.Slug+"/sso", map[string]any{"require_totp": true}); r.Status != 200 {
				b.Fatalf("require 2FA: %d %s", r.Status, r.Body)
			}
			ctx := context.Background()
			for _, c := range []struct {
				name string
				user int64
			}{{"not-required", member.ID}, {"required", strict.Owner.ID}} {
				for _, cached := range []bool{false, true} {
					name := c.name + "/uncached"
					if cached {
						name = c.name + "/cached"
					}
					b.Run(name, func(b *testing.B) {
						b.ReportAllocs()
						for b.Loop() {
							if !cached {
								e.App.Auth.RulesChanged() // what a miss costs, as before the cache
							}
							if _, err := e.App.Auth.MustEnrol(ctx, c.user); err != nil {
								b.Fatal(err)
							}
						}
					})
				}
			}
			browser := e.BrowserLogin(member)
			b.Run("page", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := browser.Get("/profile"); r.Status != 200 {
						b.Fatalf("page: %d", r.Status)
					}
				}
			})
		})
	}
}
