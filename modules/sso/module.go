// Package sso is the account's side of sign-in (issue 21, shared/API.md "Sign-in and
// integrations"): single sign-on with OpenID Connect, and the requirement of two-factor
// sign-in. The mechanisms stay in core/auth (passwords, sessions, the throttle, TOTP); this
// module keeps the per-account settings and tells core/auth what they require of a person
// (auth.Service.Rules): SSO required (password refused for colleagues; clients keep theirs),
// two-factor required (pages send the person to enrol).
//
// # Single sign-on
//
// An administrator sets the provider (issuer URL, client id, client secret — sealed with the
// server key by core/seal, purpose SealPurpose, bound to the account), the allowed email
// domains, whether SSO is required, and whether unknown emails are created just in time (as
// members). "Google" and "Microsoft" are presets of the same OpenID Connect sign-in.
//
// /{slug}/sso/login starts the authorization code flow (github.com/coreos/go-oidc/v3 and
// golang.org/x/oauth2) with PKCE (S256), a state and a nonce kept server-side for ten minutes
// and used once; /sso/callback takes the state back (a replay finds nothing), exchanges the
// code with the verifier and verifies the ID token (signature with the provider's keys,
// issuer, audience, expiry, nonce). The provider's verified email then names the person: the
// link made at their first SSO sign-in (sso_identities), or the account's member with that
// email (linked then; an open invitation is accepted), or — just in time — a new member.
// Anything else is a 403 page that says why.
//
// A session is the person's in every account of theirs, and an account's administrators
// control its provider: so an existing login that is active in another account (or has a
// platform role) is not signed in on the provider's word. Its holder proves it once — the
// login's password, and its code when two-factor is on, throttled as at sign-in (POST
// /sso/link, auth.Service.ProveLogin) — and the link is marked proven; a link made without
// proof (the login was in this account only) asks for it once the person joins another
// account. A person with two-factor on gives their code after the provider too, on the sign-in
// page's second step (auth.Service.PendingAfterSSO), unless the browser is remembered. The
// rules (SSO or two-factor required) bind the account's active people, not mere invitations.
//
// # Pages
//
// /{slug}/admin/sign-in (administration menu): the settings form, with the login and
// callback URLs to give the provider. The login link is to share with colleagues.
package sso

import (
	"embed"
	"net"
	"net/http"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/auth"
	"groupcamp/core/db"
	"groupcamp/core/netguard"
	"groupcamp/core/seal"
	"groupcamp/core/web"
)

//go:embed views locales policy.csv matrix.csv
var files embed.FS

// Module is the sso module.
type Module struct {
	svc *Service
}

// New returns the module.
func New() *Module { return &Module{} }

// Name is the module's name: the URL segment and the Casbin object prefix.
func (*Module) Name() string { return "sso" }

// Service is the module's service once registered (for tests and tools).
func (m *Module) Service() *Service { return m.svc }

type routes = *app.Registry

// Register declares the capabilities, the sign-in rules, the personal data, the walkers'
// fixtures, the routes, the page and the navigation.
func (m *Module) Register(r *app.Registry) error {
	if err := r.Folder(files); err != nil {
		return err
	}
	cfg := r.Config()
	m.svc = &Service{DB: r.DB(), Auth: r.Auth(), People: r.People(), Box: seal.MustNew(cfg.SecretKey, SealPurpose), LinkBox: seal.MustNew(cfg.SecretKey, LinkPurpose),
		BaseURL: cfg.BaseURL, AllowHTTP: cfg.SSOAllowHTTP,
		HTTP: providerClient(cfg.SSOAllowHTTP)}
	r.Auth().Rules = m.svc.Rules
	// The answers of Rules core caches for the pages (auth.Service.MustEnrol) go with every
	// change of the settings they come from.
	db.Watch(r.DB(), r.Auth().RulesChanged, "sso_settings")
	r.PersonalData(personalData{m.svc})
	r.Fixtures(fixtures{})
	h := &handlers{svc: m.svc, web: r.Web(), authHTTP: &auth.HTTP{Svc: r.Auth(), Secure: cfg.Secure()}}
	h.apiRoutes(r)
	h.pageRoutes(r)
	r.Nav(web.NavItem{Label: "sso.nav", Path: "/admin/sign-in", Object: "sso", Action: "manage", Order: 84, Group: web.GroupAdmin})
	return nil
}

// providerClient talks to the providers (discovery, keys, token endpoint): never waiting on one
// for long, following no redirect, and — unless the test setting allows it — connecting only
// to public addresses, checked after resolution (netguard.Control; a name saved as public that
// resolves to a private address later is refused).
func providerClient(allowLocal bool) *http.Client {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	if !allowLocal {
		dialer.Control = netguard.Control
	}
	tr := &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: 10 * time.Second, ResponseHeaderTimeout: 10 * time.Second,
		IdleConnTimeout: 90 * time.Second, ForceAttemptHTTP2: true}
	return &http.Client{Transport: tr, Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}
