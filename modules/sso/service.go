package sso

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/auth"
	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/core/netguard"
	"groupcamp/core/problem"
	"groupcamp/core/seal"
	"groupcamp/core/validate"
)

// Service holds the use cases: the settings (administrators), the sign-in rules core/auth
// asks (Rules), and the OpenID Connect sign-in (oidc.go).
type Service struct {
	DB     *bun.DB
	Auth   *auth.Service
	People *identity.Service
	Box    *seal.Box
	// LinkBox seals what the provider said while the holder of an existing login proves it
	// (LinkPurpose).
	LinkBox *seal.Box
	BaseURL string
	// AllowHTTP accepts http:// issuers, and issuers on the server's own network (the
	// operator's test setting: the tests' provider listens on 127.0.0.1).
	AllowHTTP bool
	// Lookup resolves an issuer's host when it is saved (netguard.LookupNet when nil).
	Lookup netguard.Lookup
	// HTTP is the client that talks to the providers (discovery, keys, token exchange).
	HTTP *http.Client
	Now  func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return db.Now()
}

func rowOf(accountID int64) []byte { return []byte("sso_settings:" + strconv.FormatInt(accountID, 10)) }

func mayManage(a *actor.Actor) error {
	if !a.May("sso", "manage") {
		return problem.Forbidden("only the account's administrators manage its sign-in settings")
	}
	return nil
}

// settings are the account's settings; a zero value (preset custom) when none were saved.
func (s *Service) settings(ctx context.Context, idb bun.IDB, accountID int64) (*Settings, error) {
	st := &Settings{AccountID: accountID, Preset: PresetCustom, Domains: []string{}}
	err := idb.NewSelect().Model(st).Where("s.account_id = ?", accountID).Scan(ctx)
	if db.IsNotFound(err) {
		return st, nil
	}
	return st, err
}

func (s *Service) view(st *Settings, slug string) SSOSettings {
	return SSOSettings{Preset: st.Preset, Issuer: st.Issuer, ClientID: st.ClientID, ClientSecretSet: st.ClientSecret != "",
		Domains: st.Domains, Required: st.Required, JIT: st.JIT, RequireTOTP: st.RequireTOTP,
		LoginURL: s.BaseURL + "/" + slug + "/sso/login", CallbackURL: s.BaseURL + "/sso/callback", UpdatedAt: st.UpdatedAt}
}

// Get is the account's settings (never the secret).
func (s *Service) Get(ctx context.Context, a *actor.Actor) (SSOSettings, error) {
	if err := mayManage(a); err != nil {
		return SSOSettings{}, err
	}
	st, err := s.settings(ctx, s.DB, a.AccountID())
	if err != nil {
		return SSOSettings{}, err
	}
	return s.view(st, a.Account.Slug), nil
}

// Put replaces the account's settings. SSO may be required only once it is configured; the
// client secret is sealed (core/seal) bound to the account, and kept when left blank.
func (s *Service) Put(ctx context.Context, a *actor.Actor, in SSOInput) (SSOSettings, error) {
	if err := mayManage(a); err != nil {
		return SSOSettings{}, err
	}
	cur, err := s.settings(ctx, s.DB, a.AccountID())
	if err != nil {
		return SSOSettings{}, err
	}
	var f problem.Fields
	if in.Preset == "" {
		in.Preset = PresetCustom
	}
	f.Check(validate.OneOf(in.Preset, PresetCustom, PresetGoogle, PresetMicrosoft) == "", "preset", validate.OneOf(in.Preset, PresetCustom, PresetGoogle, PresetMicrosoft))
	in.Issuer = strings.TrimRight(strings.TrimSpace(in.Issuer), "/")
	if in.Preset == PresetGoogle && in.Issuer == "" {
		in.Issuer = GoogleIssuer
	}
	if in.Issuer != "" {
		if why := s.checkIssuer(ctx, in.Preset, in.Issuer); why != "" {
			f.Add("issuer", why)
		}
	}
	in.ClientID = strings.TrimSpace(in.ClientID)
	f.Check(len(in.ClientID) <= MaxClientID, "client_id", "must be at most "+strconv.Itoa(MaxClientID)+" characters")
	f.Check(!validate.Control(in.ClientID, false), "client_id", "must not contain control characters")
	f.Check(len(in.ClientSecret) <= MaxSecret, "client_secret", "must be at most "+strconv.Itoa(MaxSecret)+" characters")
	f.Check(!validate.Control(in.ClientSecret, false), "client_secret", "must not contain control characters")
	domains := checkDomains(&f, in.Domains)
	next := &Settings{AccountID: a.AccountID(), Preset: in.Preset, Issuer: in.Issuer, ClientID: in.ClientID, ClientSecret: cur.ClientSecret,
		Domains: domains, Required: in.Required, JIT: in.JIT, RequireTOTP: in.RequireTOTP, UpdatedAt: s.now()}
	if in.ClientSecret != "" {
		next.ClientSecret = s.Box.SealString(in.ClientSecret, rowOf(a.AccountID()))
	}
	if (in.Required || in.JIT) && !next.Configured() && !f.Has("issuer") && !f.Has("client_id") {
		f.Add("required", "set the issuer, the client id and the client secret first")
	}
	if err := f.Err(); err != nil {
		return SSOSettings{}, err
	}
	by := a.UserID
	next.UpdatedBy = &by
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(next).On("CONFLICT (account_id) DO UPDATE").
			Set("preset = EXCLUDED.preset, issuer = EXCLUDED.issuer, client_id = EXCLUDED.client_id, client_secret = EXCLUDED.client_secret").
			Set("domains = EXCLUDED.domains, required = EXCLUDED.required, jit = EXCLUDED.jit, require_totp = EXCLUDED.require_totp").
			Set("updated_by = EXCLUDED.updated_by, updated_at = EXCLUDED.updated_at").Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, a.AccountID(), "sso.updated", next.Issuer, map[string]any{"preset": next.Preset, "domains": next.Domains,
			"required": next.Required, "jit": next.JIT, "require_totp": next.RequireTOTP, "secret_changed": in.ClientSecret != ""})
	})
	if err != nil {
		return SSOSettings{}, err
	}
	return s.view(next, a.Account.Slug), nil
}

// checkIssuer says what is wrong with an issuer URL, "" if nothing. An issuer on the server's
// own network is refused as webhooks' targets are (core/netguard): the server fetches the
// issuer's discovery document and keys, so an administrator could make it reach internal
// services. The HTTP client's dialer checks again at each connection (module.go).
func (s *Service) checkIssuer(ctx context.Context, preset, issuer string) string {
	if len(issuer) > MaxURL {
		return "must be at most " + strconv.Itoa(MaxURL) + " characters"
	}
	u, err := url.Parse(issuer)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "must be the provider's issuer URL, like https://accounts.google.com"
	}
	if u.Scheme != "https" && !(s.AllowHTTP && u.Scheme == "http") {
		return "must start with https://"
	}
	if !s.AllowHTTP {
		if why := netguard.Host(ctx, u.Hostname(), s.Lookup); why != "" {
			return why + ": the provider must be on a public address"
		}
	}
	switch preset {
	case PresetGoogle:
		if issuer != GoogleIssuer {
			return "is " + GoogleIssuer + " for Google"
		}
	case PresetMicrosoft:
		tenant := strings.TrimSuffix(strings.TrimPrefix(issuer, MicrosoftPrefix), "/v2.0")
		if !strings.HasPrefix(issuer, MicrosoftPrefix) || !strings.HasSuffix(issuer, "/v2.0") || tenant == "" || strings.Contains(tenant, "/") ||
			tenant == "common" || tenant == "organizations" || tenant == "consumers" {
			return "is " + MicrosoftPrefix + "<your directory (tenant) id>/v2.0 for Microsoft"
		}
	}
	return ""
}

// checkDomains normalizes the allowed email domains (lower case, no @, no duplicates).
func checkDomains(f *problem.Fields, in []string) []string {
	out := []string{}
	if len(in) > MaxDomains {
		f.Add("domains", "at most "+strconv.Itoa(MaxDomains)+" domains")
		return out
	}
	for i, d := range in {
		d = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(d), "@"))
		if d == "" {
			continue
		}
		if len(d) > MaxDomain || !strings.Contains(d, ".") || strings.ContainsAny(d, " @/:\\\x00") || validate.Control(d, false) {
			f.Add("domains["+strconv.Itoa(i)+"]", "must be a domain name like example.com")
			continue
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	return out
}

// Rules is core/auth's sign-in rule for a person (auth.Service.Rules): single sign-on
// required by an account where they are a colleague (clients keep their passwords), and
// two-factor sign-in required by any account of theirs. Deactivated memberships do not count,
// nor invitations not yet accepted: an account's administrator must not be able to shut a
// stranger out of password sign-in everywhere by inviting their email (an invited colleague
// who accepts through the provider is active from then on).
func (s *Service) Rules(ctx context.Context, userID int64) (auth.SignInRule, error) {
	var rows []struct {
		Slug        string `bun:"slug"`
		Role        string `bun:"role"`
		Required    bool   `bun:"required"`
		RequireTOTP bool   `bun:"require_totp"`
	}
	err := s.DB.NewSelect().TableExpr("memberships AS m").
		Join("JOIN sso_settings AS s ON s.account_id = m.account_id").
		Join("JOIN accounts AS a ON a.id = m.account_id").
		ColumnExpr("a.slug, m.role, s.required, s.require_totp").
		Where("m.user_id = ? AND m.status = ? AND m.deactivated_at IS NULL", userID, identity.StatusActive).
		Where("(s.required = ? OR s.require_totp = ?)", true, true).Scan(ctx, &rows)
	var r auth.SignInRule
	for _, row := range rows {
		if row.Required && row.Role != actor.RoleClient {
			r.PasswordRefused, r.SSOPath = true, "/"+row.Slug+"/sso/login"
		}
		r.TOTPRequired = r.TOTPRequired || row.RequireTOTP
	}
	return r, err
}
