package sso

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"slices"
	"strings"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/uptrace/bun"
	"golang.org/x/oauth2"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/auth"
	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
	"groupcamp/core/token"
	"groupcamp/core/web"
)

// The sign-in with OpenID Connect (authorization code flow, github.com/coreos/go-oidc and
// golang.org/x/oauth2): Begin stores a state, a nonce and a PKCE verifier (S256) and sends the
// browser to the provider; Callback takes the state back once (a replayed state finds
// nothing), exchanges the code with the verifier, and verifies the ID token: the provider's
// signature (its published keys), the issuer, the audience (our client id), the expiry, and
// the nonce. Then the email, verified by the provider and in an allowed domain, names the
// person: the link made at their first sign-in, or a member with that email (linked then), or
// a new member if just-in-time creation is on.

var errUnavailable = problem.NotFound()

func random() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// config is the OAuth 2 client of the account's provider, and its ID token verifier.
func (s *Service) config(ctx context.Context, st *Settings) (*oauth2.Config, *oidc.IDTokenVerifier, error) {
	secret, err := s.Box.OpenString(st.ClientSecret, rowOf(st.AccountID))
	if err != nil {
		return nil, nil, problem.New(502, "the single sign-on client secret cannot be read with this server's key: an administrator must enter it again")
	}
	p, err := oidc.NewProvider(s.client(ctx), st.Issuer)
	if err != nil {
		return nil, nil, problem.New(502, "the identity provider "+st.Issuer+" does not answer as an OpenID provider: "+clip(err.Error()))
	}
	cfg := &oauth2.Config{ClientID: st.ClientID, ClientSecret: secret, Endpoint: p.Endpoint(),
		RedirectURL: s.BaseURL + "/sso/callback", Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
	return cfg, p.Verifier(&oidc.Config{ClientID: st.ClientID, Now: s.now}), nil
}

func (s *Service) client(ctx context.Context) context.Context {
	if s.HTTP == nil {
		return ctx
	}
	return oidc.ClientContext(ctx, s.HTTP)
}

func clip(s string) string {
	if len(s) > 200 {
		return s[:200]
	}
	return s
}

// Begin starts a sign-in to the account of slug and answers the provider's URL.
func (s *Service) Begin(ctx context.Context, slug, next string) (string, error) {
	acc, err := s.accountBySlug(ctx, slug)
	if err != nil {
		return "", err
	}
	st, err := s.settings(ctx, s.DB, acc.ID)
	if err != nil {
		return "", err
	}
	if !st.Configured() {
		return "", errUnavailable
	}
	cfg, _, err := s.config(ctx, st)
	if err != nil {
		return "", err
	}
	raw, nonce, verifier := random(), random(), oauth2.GenerateVerifier()
	if !web.LocalPath(next) {
		next = ""
	}
	row := &state{AccountID: acc.ID, StateHash: token.Hash(raw), Nonce: nonce, Verifier: verifier, Next: next, ExpiresAt: s.now().Add(StateTTL)}
	if _, err := s.DB.NewInsert().Model(row).Exec(ctx); err != nil {
		return "", err
	}
	// The expired states of the account go at each start: they are few, and nothing else reads them.
	_, _ = s.DB.NewDelete().Model((*state)(nil)).Where("st.account_id = ? AND st.expires_at < ?", acc.ID, s.now()).Exec(ctx)
	return cfg.AuthCodeURL(raw, oauth2.S256ChallengeOption(verifier), oidc.Nonce(nonce)), nil
}

func (s *Service) accountBySlug(ctx context.Context, slug string) (*identity.Account, error) {
	acc := new(identity.Account)
	if len(slug) > 100 {
		return nil, errUnavailable
	}
	err := s.DB.NewSelect().Model(acc).Where("slug = ?", slug).Scan(ctx)
	if db.IsNotFound(err) {
		return nil, errUnavailable
	}
	return acc, err
}

// Signed is the outcome of a callback: the session opened, and where to go; or, for a person
// with two-factor sign-in on, no session yet but Pending, the proof the sign-in page's second
// step (/login/totp) takes back with the code.
type Signed struct {
	Raw     string
	Session *auth.Session
	Pending string
	Next    string
}

// refused is a sign-in the provider or the account's settings refuse: 403 with the reason.
func refused(why string) error { return problem.Forbidden(why) }

// Callback finishes a sign-in: the state is taken (once), the code exchanged, the ID token
// verified, the person found, linked or created, and a browser session opened.
// The second factor still applies: a person who turned two-factor on gives a code next,
// unless device (the remembered-device cookie) spares it.
func (s *Service) Callback(ctx context.Context, rawState, code string, cl auth.Client, device string) (*Signed, error) {
	if rawState == "" || len(rawState) > 200 || code == "" || len(code) > 4096 {
		return nil, problem.BadRequest("the sign-in answer lacks its state or code: start again")
	}
	var st state
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewSelect().Model(&st).Where("st.state_hash = ?", token.Hash(rawState)).Scan(ctx); err != nil {
			return err
		}
		res, err := tx.NewDelete().Model((*state)(nil)).Where("st.id = ?", st.ID).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return sql.ErrNoRows
		}
		return nil
	})
	if db.IsNotFound(err) || (err == nil && s.now().After(st.ExpiresAt)) {
		return nil, problem.BadRequest("this sign-in was already used or has expired: start again")
	}
	if err != nil {
		return nil, err
	}
	set, err := s.settings(ctx, s.DB, st.AccountID)
	if err != nil {
		return nil, err
	}
	if !set.Configured() {
		return nil, errUnavailable
	}
	cfg, verifier, err := s.config(ctx, set)
	if err != nil {
		return nil, err
	}
	tok, err := cfg.Exchange(s.client(ctx), code, oauth2.VerifierOption(st.Verifier))
	if err != nil {
		return nil, refused("the identity provider refused the sign-in code: " + clip(err.Error()))
	}
	rawID, _ := tok.Extra("id_token").(string)
	if rawID == "" {
		return nil, refused("the identity provider sent no ID token")
	}
	idt, err := verifier.Verify(ctx, rawID)
	if err != nil {
		return nil, refused("the identity provider's ID token is not valid: " + clip(err.Error()))
	}
	if idt.Nonce != st.Nonce {
		return nil, refused("the identity provider's ID token is not for this sign-in (nonce)")
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified *bool  `json:"email_verified"`
		Name          string `json:"name"`
	}
	if err := idt.Claims(&claims); err != nil {
		return nil, refused("the identity provider's ID token cannot be read")
	}
	email := strings.ToLower(strings.TrimSpace(claims.Email))
	if email == "" || (claims.EmailVerified != nil && !*claims.EmailVerified) {
		return nil, refused("the identity provider gave no verified email address")
	}
	_, domain, _ := strings.Cut(email, "@")
	if len(set.Domains) > 0 && !slices.Contains(set.Domains, domain) {
		return nil, refused("emails of " + domain + " may not sign in to this account with single sign-on")
	}
	u, err := s.person(ctx, set, idt.Issuer, idt.Subject, email, claims.Name, cl)
	if err != nil {
		return nil, err
	}
	slug := ""
	_ = s.DB.NewSelect().Model((*identity.Account)(nil)).Column("slug").Where("id = ?", st.AccountID).Scan(ctx, &slug)
	next := st.Next
	if next == "" {
		next = "/" + slug
	}
	pending, err := s.Auth.PendingAfterSSO(ctx, u.ID, device)
	if err != nil {
		return nil, err
	}
	if pending != "" {
		return &Signed{Pending: pending, Next: next}, nil
	}
	raw, sess, err := s.Auth.StartSession(ctx, u, auth.KindBrowser, cl)
	if err != nil {
		return nil, err
	}
	return &Signed{Raw: raw, Session: sess, Next: next}, nil
}

// person is the account's person behind the provider's subject: linked before, or found by
// email (and linked now), or created just in time.
func (s *Service) person(ctx context.Context, set *Settings, issuer, subject, email, name string, cl auth.Client) (*identity.User, error) {
	u := new(identity.User)
	err := s.DB.NewSelect().Model(u).
		Where("id IN (SELECT i.user_id FROM sso_identities AS i WHERE i.account_id = ? AND i.issuer = ? AND i.subject = ?)", set.AccountID, issuer, subject).Scan(ctx)
	if err != nil && !db.IsNotFound(err) {
		return nil, err
	}
	meta := &actor.Actor{IP: cl.IP, UserAgent: cl.UserAgent}
	if err == nil {
		// Linked: still a member, and not deactivated (JoinBySignIn checks both, creates nothing).
		if _, err := s.People.JoinBySignIn(ctx, set.AccountID, identity.SignedInElsewhere{Email: u.Email, Via: "sso"}, meta); err != nil {
			return nil, err
		}
		return u, nil
	}
	u, err = s.People.JoinBySignIn(ctx, set.AccountID, identity.SignedInElsewhere{Email: email, Name: name, Create: set.JIT, Role: actor.RoleMember, Via: "sso"}, meta)
	if err != nil {
		return nil, err
	}
	link := &Identity{AccountID: set.AccountID, UserID: u.ID, Issuer: issuer, Subject: subject, CreatedAt: s.now()}
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(link).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
			return err
		}
		who := &actor.Actor{UserID: u.ID, Name: u.Name, IP: cl.IP, UserAgent: cl.UserAgent}
		return audit.Record(ctx, tx, who, set.AccountID, "sso.linked", u.Email, map[string]string{"issuer": issuer})
	})
	return u, err
}
