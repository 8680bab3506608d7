package sso

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"encoding/json"
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
	// Link, instead of a session: the email names an existing login that reaches other
	// accounts; its holder proves it (LinkLogin) before the provider may stand for it.
	Link  string
	Email string
	Next  string
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
	slug := ""
	_ = s.DB.NewSelect().Model((*identity.Account)(nil)).Column("slug").Where("id = ?", st.AccountID).Scan(ctx, &slug)
	next := st.Next
	if next == "" {
		next = "/" + slug
	}
	u, proof, err := s.person(ctx, set, idt.Issuer, idt.Subject, email, claims.Name, cl)
	if err != nil {
		return nil, err
	}
	if proof != nil {
		proof.Next, proof.Expires = next, s.now().Add(StateTTL).Unix()
		raw, err := json.Marshal(proof)
		if err != nil {
			return nil, err
		}
		return &Signed{Link: s.LinkBox.Seal(raw, []byte(linkRow)), Email: email, Next: next}, nil
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
// email (and linked now), or created just in time. An existing login found by email that
// reaches other accounts (or the platform) is not taken on the provider's word: the
// account's administrators control its provider, and a session is the person's everywhere;
// the answer is then the proof to ask of its holder (LinkLogin), no person.
func (s *Service) person(ctx context.Context, set *Settings, issuer, subject, email, name string, cl auth.Client) (*identity.User, *linkProof, error) {
	var link Identity
	err := s.DB.NewSelect().Model(&link).Where("i.account_id = ? AND i.issuer = ? AND i.subject = ?", set.AccountID, issuer, subject).Scan(ctx)
	if err != nil && !db.IsNotFound(err) {
		return nil, nil, err
	}
	if err == nil {
		u := new(identity.User)
		if err := s.DB.NewSelect().Model(u).Where("id = ?", link.UserID).Scan(ctx); err != nil {
			return nil, nil, err
		}
		// Linked on the provider's word alone, and the login reaches another account now: its
		// holder proves it first, as at an unlinked sign-in.
		if !link.Proven {
			if id, err := s.reachesElsewhere(ctx, set.AccountID, u.Email); err != nil || id != 0 {
				if err != nil {
					return nil, nil, err
				}
				return nil, &linkProof{AccountID: set.AccountID, UserID: id, Issuer: issuer, Subject: subject, Name: name}, nil
			}
		}
		// Linked: still a member, and not deactivated (JoinBySignIn checks both, creates nothing).
		meta := &actor.Actor{IP: cl.IP, UserAgent: cl.UserAgent}
		if _, err := s.People.JoinBySignIn(ctx, set.AccountID, identity.SignedInElsewhere{Email: u.Email, Via: "sso"}, meta); err != nil {
			return nil, nil, err
		}
		return u, nil, nil
	}
	if id, err := s.reachesElsewhere(ctx, set.AccountID, email); err != nil || id != 0 {
		if err != nil {
			return nil, nil, err
		}
		return nil, &linkProof{AccountID: set.AccountID, UserID: id, Issuer: issuer, Subject: subject, Name: name}, nil
	}
	u, err := s.join(ctx, set, issuer, subject, email, name, false, cl)
	return u, nil, err
}

// join makes the email's person a member (an invitation accepted, or created just in time,
// as the settings say) and links them to the provider's subject.
// proven: its holder proved the login (LinkLogin); a link made before without it is marked
// proven now.
func (s *Service) join(ctx context.Context, set *Settings, issuer, subject, email, name string, proven bool, cl auth.Client) (*identity.User, error) {
	meta := &actor.Actor{IP: cl.IP, UserAgent: cl.UserAgent}
	u, err := s.People.JoinBySignIn(ctx, set.AccountID, identity.SignedInElsewhere{Email: email, Name: name, Create: set.JIT, Role: actor.RoleMember, Via: "sso"}, meta)
	if err != nil {
		return nil, err
	}
	link := &Identity{AccountID: set.AccountID, UserID: u.ID, Issuer: issuer, Subject: subject, Proven: proven, CreatedAt: s.now()}
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(link).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
			return err
		}
		if proven {
			if _, err := tx.NewUpdate().Model((*Identity)(nil)).Set("proven = ?", true).
				Where("i.account_id = ? AND i.issuer = ? AND i.subject = ? AND i.user_id = ?", set.AccountID, issuer, subject, u.ID).Exec(ctx); err != nil {
				return err
			}
		}
		who := &actor.Actor{UserID: u.ID, Name: u.Name, IP: cl.IP, UserAgent: cl.UserAgent}
		return audit.Record(ctx, tx, who, set.AccountID, "sso.linked", u.Email, map[string]string{"issuer": issuer})
	})
	return u, err
}

// reachesElsewhere is the id of the login of email when it has a platform role or is active
// in another account than accountID; 0 otherwise.
func (s *Service) reachesElsewhere(ctx context.Context, accountID int64, email string) (int64, error) {
	u := new(identity.User)
	err := s.DB.NewSelect().Model(u).Column("id", "platform_role").Where("email = ?", email).Scan(ctx)
	if db.IsNotFound(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	if u.PlatformRole != "" {
		return u.ID, nil
	}
	n, err := s.DB.NewSelect().Model((*identity.Membership)(nil)).
		Where("user_id = ? AND account_id <> ? AND status = ? AND deactivated_at IS NULL", u.ID, accountID, identity.StatusActive).Count(ctx)
	if err != nil || n == 0 {
		return 0, err
	}
	return u.ID, nil
}

// linkProof is what the provider said, kept sealed in the page that asks for the proof
// (LinkBox, bound to linkRow) until its holder gives it.
type linkProof struct {
	AccountID int64  `json:"a"`
	UserID    int64  `json:"u"`
	Issuer    string `json:"i"`
	Subject   string `json:"s"`
	Name      string `json:"n"`
	Next      string `json:"x"`
	Expires   int64  `json:"e"`
}

const linkRow = "sso_link"

// LinkLogin finishes a sign-in that asked for the proof of an existing login: its password
// (and its second factor's code, when on), throttled as at sign-in. Then the person joins the
// account as a plain sign-in would, is linked to the provider's subject, and is signed in.
func (s *Service) LinkLogin(ctx context.Context, sealed, password, code string, cl auth.Client) (*Signed, error) {
	var p linkProof
	raw, err := s.LinkBox.Open(sealed, []byte(linkRow))
	if err != nil || len(sealed) > 4096 || json.Unmarshal(raw, &p) != nil || s.now().Unix() > p.Expires {
		return nil, problem.BadRequest("this sign-in was already used or has expired: start again")
	}
	if err := s.Auth.ProveLogin(ctx, p.UserID, password, code, cl); err != nil {
		return nil, err
	}
	set, err := s.settings(ctx, s.DB, p.AccountID)
	if err != nil {
		return nil, err
	}
	if !set.Configured() || set.Issuer != p.Issuer {
		return nil, errUnavailable
	}
	u := new(identity.User)
	if err := s.DB.NewSelect().Model(u).Where("id = ?", p.UserID).Scan(ctx); err != nil {
		return nil, err
	}
	if u, err = s.join(ctx, set, p.Issuer, p.Subject, u.Email, p.Name, true, cl); err != nil {
		return nil, err
	}
	rawSess, sess, err := s.Auth.StartSession(ctx, u, auth.KindBrowser, cl)
	if err != nil {
		return nil, err
	}
	return &Signed{Raw: rawSess, Session: sess, Next: p.Next}, nil
}
