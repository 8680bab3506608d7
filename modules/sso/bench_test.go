package sso_test

import (
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
