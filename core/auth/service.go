package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/auth/password"
	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/core/mail"
	"groupcamp/core/problem"
	"groupcamp/core/token"
	"groupcamp/core/validate"
)

// Token prefixes tell a human (and the lookup) what a secret is.
const (
	prefixBrowser  = "gcs_"
	prefixLogin    = "gcl_"
	prefixPersonal = "gcp_"
	prefixReset    = "gcr_"
)

// Service holds the authentication use cases.
type Service struct {
	DB       *bun.DB
	Mail     *mail.Queue // password-reset emails; nil sends none
	BaseURL  string
	Secret   string
	Idle     time.Duration
	Absolute time.Duration
	// Objects are the capability objects a token scope may name (ScopeObjects of the
	// assembled policy); set by the App once the modules declared theirs.
	Objects []string

	// Broadcast tells the other instances that a person's credentials changed (they call
	// Forgotten); nil: this is the only instance (the embedded broker).
	Broadcast func(userID int64)

	// Rules says what the person's accounts require of their sign-in (single sign-on,
	// two-factor); set by the sso module, nil: nothing.
	Rules func(ctx context.Context, userID int64) (SignInRule, error)

	cache    credCache
	enrol    *db.Cache[int64, bool] // see CacheEnrolment
	onForget []func(userID int64)   // see OnForget
	Now      func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return db.Now()
}

// LoginInput is the body of POST /api/v1/login.
type LoginInput struct {
	Email    string `json:"email" openapi:"required" format:"email" example:"ada@example.com"`
	Password string `json:"password" openapi:"required" format:"password" example:"correct horse battery staple"`
	// TOTP is the authenticator's current code, required once the person turned two-factor
	// on (without it: 401 with errors [{field: "totp"}]); RecoveryCode stands for it once.
	TOTP         string `json:"totp,omitempty" example:"123456"`
	RecoveryCode string `json:"recovery_code,omitempty" example:"abcde-fghij"`

	// Pending replaces email and password on the sign-in page's second step (LoginStep);
	// Device is the remembered-device cookie, which stands for the second factor.
	Pending string `json:"-"`
	Device  string `json:"-"`
}

// Client describes where a request comes from, for throttling and the audit trail.
type Client struct {
	IP        string
	UserAgent string
}

var errBadCredentials = problem.Unauthorized("the email or the password is wrong")

// Login checks the credentials and opens a session of the given kind. It answers 429 once the
// throttle says so (Throttled), before looking at the password.
func (s *Service) Login(ctx context.Context, in LoginInput, kind string, cl Client) (string, *Session, error) {
	raw, sess, _, err := s.LoginStep(ctx, in, kind, cl)
	return raw, sess, err
}

var errPendingExpired = problem.Unauthorized("the sign-in took too long: enter your email and password again")

// LoginStep is Login for the sign-in page: when the password is right but the second factor
// is missing, it answers, with the 401, pending: a signed proof (5 minutes) that the password
// was checked, which the page's second step gives back (LoginInput.Pending) with the code.
func (s *Service) LoginStep(ctx context.Context, in LoginInput, kind string, cl Client) (raw string, sess *Session, pending string, err error) {
	if in.Pending == "" {
		u, err := s.checkPassword(ctx, in, cl)
		if err != nil {
			return "", nil, "", err
		}
		return s.afterPassword(ctx, u, in, kind, cl)
	}
	u := new(identity.User)
	load := func(id int64) bool { return s.DB.NewSelect().Model(u).Where("id = ?", id).Scan(ctx) == nil }
	id := s.checkSigned("pending", in.Pending, func(id int64) string {
		if !load(id) {
			return "\x00no such user"
		}
		return u.PasswordHash // a password changed meanwhile voids the proof
	})
	viaSSO := false
	if id == 0 {
		// Or the proof of a single sign-on (PendingAfterSSO), bound to the enrolment.
		id = s.checkSigned(pendingSSO, in.Pending, func(id int64) string {
			if !load(id) {
				return "\x00no such user"
			}
			return s.deviceExtra(ctx, id)
		})
		viaSSO = id != 0
	}
	if id == 0 || u.ID != id {
		return "", nil, "", errPendingExpired
	}
	if err := s.Throttled(ctx, u.Email, cl.IP); err != nil {
		return "", nil, "", err
	}
	if viaSSO {
		return s.afterFirstFactor(ctx, u, in, kind, cl, true)
	}
	return s.afterPassword(ctx, u, in, kind, cl)
}

// pendingSSO is the purpose of the proof that a single sign-on passed (PendingAfterSSO): a
// password's proof ("pending") cannot stand for it, nor the reverse.
const pendingSSO = "pending-sso"

// PendingAfterSSO applies the second factor to a single sign-on: a person who turned
// two-factor sign-in on gives their code after the identity provider too, unless this browser
// is remembered (device, the DeviceCookie). It answers the proof the sign-in page's second
// step takes back (LoginInput.Pending, 5 minutes, bound to the enrolment), or "" when no code
// is needed and the session may open.
func (s *Service) PendingAfterSSO(ctx context.Context, userID int64, device string) (string, error) {
	t, err := s.totpOf(ctx, s.DB, userID)
	if err != nil || t == nil || t.ConfirmedAt == nil || s.deviceTrusted(ctx, userID, device) {
		return "", err
	}
	return s.signed(pendingSSO, userID, s.now().Add(pendingTTL), s.deviceExtra(ctx, userID)), nil
}

// checkPassword finds the person of in.Email and checks the password (throttled).
func (s *Service) checkPassword(ctx context.Context, in LoginInput, cl Client) (*identity.User, error) {
	email := validate.NormalizeEmail(in.Email)
	// No account has such an email (and a NUL byte cannot go into a query): refuse at once.
	if len(email) > 254 || len(in.Password) > 4*password.MaxLength || strings.IndexByte(email, 0) >= 0 {
		return nil, errBadCredentials
	}
	if err := s.Throttled(ctx, email, cl.IP); err != nil {
		return nil, err
	}
	u := new(identity.User)
	err := s.DB.NewSelect().Model(u).Where("email = ?", email).Scan(ctx)
	if err != nil && !db.IsNotFound(err) {
		return nil, err
	}
	ok := false
	if err == nil && u.PasswordHash != "" {
		ok, _ = password.Verify(in.Password, u.PasswordHash)
	} else {
		password.VerifyNothing(in.Password)
	}
	if !ok {
		if err := s.Failed(ctx, email, cl.IP); err != nil {
			return nil, err
		}
		return nil, errBadCredentials
	}
	return u, nil
}

// afterPassword applies what follows a right password: deactivation, the accounts' rules
// (single sign-on required), the second factor; then opens the session.
func (s *Service) afterPassword(ctx context.Context, u *identity.User, in LoginInput, kind string, cl Client) (string, *Session, string, error) {
	return s.afterFirstFactor(ctx, u, in, kind, cl, false)
}

// afterFirstFactor is afterPassword, or its equivalent after a single sign-on (viaSSO: the
// rule "single sign-on required" is met, and the proofs it hands out are of the SSO kind).
func (s *Service) afterFirstFactor(ctx context.Context, u *identity.User, in LoginInput, kind string, cl Client, viaSSO bool) (string, *Session, string, error) {
	pending := func() string {
		if viaSSO {
			return s.signed(pendingSSO, u.ID, s.now().Add(pendingTTL), s.deviceExtra(ctx, u.ID))
		}
		return s.signed("pending", u.ID, s.now().Add(pendingTTL), u.PasswordHash)
	}
	if blocked, err := s.deactivated(ctx, u); err != nil {
		return "", nil, "", err
	} else if blocked {
		return "", nil, "", problem.Forbidden("your access has been deactivated; ask an administrator of your account")
	}
	rule, err := s.rules(ctx, u.ID)
	if err != nil {
		return "", nil, "", err
	}
	if rule.PasswordRefused && !viaSSO {
		return "", nil, "", problem.Forbidden("your account signs in with single sign-on: use " + s.BaseURL + rule.SSOPath)
	}
	t, err := s.totpOf(ctx, s.DB, u.ID)
	if err != nil {
		return "", nil, "", err
	}
	if rule.TOTPRequired && kind == KindLogin && (t == nil || t.ConfirmedAt == nil) {
		// The API has no enrolment step to send them to, as the sign-in page does: refuse
		// until they turn it on in the browser. Personal API tokens are not sign-ins and keep
		// working.
		return "", nil, "", problem.Forbidden("an account of yours requires two-factor sign-in: turn it on at " + s.BaseURL + "/profile/two-factor, then sign in with its code")
	}
	if t != nil && t.ConfirmedAt != nil && !s.deviceTrusted(ctx, u.ID, in.Device) {
		if in.TOTP == "" && in.RecoveryCode == "" {
			p := problem.Unauthorized("two-factor sign-in is on: give the code of your authenticator app")
			p.Errors = []problem.FieldError{{Field: "totp", Message: "enter the 6-digit code of your authenticator app, or a recovery code"}}
			return "", nil, pending(), p
		}
		ok, err := s.secondFactor(ctx, t, in.TOTP, in.RecoveryCode)
		if err != nil {
			return "", nil, "", err
		}
		if !ok {
			if err := s.Failed(ctx, u.Email, cl.IP); err != nil {
				return "", nil, "", err
			}
			p := problem.Unauthorized("the code is wrong or was already used")
			p.Errors = []problem.FieldError{{Field: "totp", Message: "is wrong or was already used: wait for the next code"}}
			return "", nil, pending(), p
		}
	}
	raw, sess, err := s.StartSession(ctx, u, kind, cl)
	return raw, sess, "", err
}

// StartSession opens a session of kind for u, whose identity was proven (a password and its
// second factor, or a single sign-on), and clears their sign-in failures.
func (s *Service) StartSession(ctx context.Context, u *identity.User, kind string, cl Client) (string, *Session, error) {
	now := s.now()
	email := u.Email
	prefix := prefixBrowser
	if kind == KindLogin {
		prefix = prefixLogin
	}
	raw, hash := token.New(prefix)
	sess := &Session{TokenHash: hash, UserID: u.ID, Kind: kind, IP: cl.IP, UserAgent: validate.Clip(cl.UserAgent, 300),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.Absolute)}
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(sess).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*LoginFailure)(nil)).Where("email = ?", email).Exec(ctx); err != nil {
			return err
		}
		if u.PlatformRole != "" {
			who := &actor.Actor{UserID: u.ID, Name: u.Name, PlatformRole: u.PlatformRole, IP: cl.IP, UserAgent: cl.UserAgent}
			return audit.Record(ctx, tx, who, 0, "platform.signed_in", u.Email, map[string]string{"role": u.PlatformRole})
		}
		return nil
	})
	if err != nil {
		return "", nil, err
	}
	return raw, sess, nil
}

// Throttled returns a 429 problem (with the seconds to wait) once, within FailureWindow, the
// email has failed MaxFailures times from this IP or MaxAddressFailures times from anywhere,
// or the IP has failed MaxIPFailures times whatever the email. Sign-in uses it, and so does
// identity where a password is proven outside sign-in (accepting an invitation with an
// existing login). The IP is the client's (obs.ClientIP: behind trusted proxies only).
func (s *Service) Throttled(ctx context.Context, email, ip string) error {
	wait, err := s.throttled(ctx, validate.NormalizeEmail(email), ip, s.now())
	if err != nil {
		return err
	}
	if wait > 0 {
		return problem.TooManyRequests(int(math.Ceil(wait.Seconds())))
	}
	return nil
}

// Failed records a wrong password for the email from the IP, for the throttle.
func (s *Service) Failed(ctx context.Context, email, ip string) error {
	_, err := s.DB.NewInsert().Model(&LoginFailure{Email: validate.NormalizeEmail(email), IP: ip, CreatedAt: s.now()}).Exec(ctx)
	return err
}

// throttled returns how long the caller must wait, or 0.
func (s *Service) throttled(ctx context.Context, email, ip string, now time.Time) (time.Duration, error) {
	since := now.Add(-FailureWindow)
	var wait time.Duration
	type rule struct {
		where string
		args  []any
		max   int
	}
	var rules []rule
	if email != "" {
		if ip != "" {
			rules = append(rules, rule{"email = ? AND ip = ?", []any{email, ip}, MaxFailures})
		}
		rules = append(rules, rule{"email = ?", []any{email}, MaxAddressFailures})
	}
	if ip != "" {
		rules = append(rules, rule{"ip = ?", []any{ip}, MaxIPFailures})
	}
	for _, r := range rules {
		var times []time.Time
		if err := s.DB.NewSelect().Model((*LoginFailure)(nil)).Column("created_at").
			Where(r.where, r.args...).Where("created_at > ?", since).
			OrderExpr("created_at DESC").Limit(int64(r.max)).Scan(ctx, &times); err != nil {
			return 0, err
		}
		if len(times) >= r.max {
			// The caller may try again when the oldest of the last max leaves the window.
			if w := times[len(times)-1].Add(FailureWindow).Sub(now); w > wait {
				wait = w
			}
		}
	}
	if wait > 0 && wait < time.Second {
		wait = time.Second
	}
	return wait, nil
}

// deactivated reports whether every membership of u has been deactivated (platform staff and
// people not yet in any account may still sign in).
func (s *Service) deactivated(ctx context.Context, u *identity.User) (bool, error) {
	if u.PlatformRole != "" {
		return false, nil
	}
	var total, active int
	err := s.DB.NewSelect().Model((*identity.Membership)(nil)).
		ColumnExpr("COUNT(*)").
		ColumnExpr("COALESCE(SUM(CASE WHEN status = ? AND deactivated_at IS NULL THEN 1 ELSE 0 END), 0)", identity.StatusActive).
		Where("user_id = ?", u.ID).Scan(ctx, &total, &active)
	return total > 0 && active == 0, err
}

// Authenticate resolves a session id, login token or personal API token to its user.
// Expired sessions are deleted; any failure is a 401 that says nothing more.
func (s *Service) Authenticate(ctx context.Context, raw string) (*actor.Actor, error) {
	if raw == "" || len(raw) > 200 {
		return nil, problem.Unauthorized("sign in first")
	}
	now := s.now()
	hash := token.Hash(raw)
	if who, ok := s.cache.get(hash, now); ok {
		return who, nil
	}
	gen := s.cache.generation()
	var row struct {
		ID           int64      `bun:"id"`
		UserID       int64      `bun:"user_id"`
		Touched      *time.Time `bun:"touched"`
		ExpiresAt    *time.Time `bun:"expires_at"`
		RevokedAt    *time.Time `bun:"revoked_at"`
		Scopes       Scopes     `bun:"scopes"`
		Name         string     `bun:"name"`
		Email        string     `bun:"email"`
		Locale       string     `bun:"locale"`
		TimeZone     string     `bun:"time_zone"`
		PlatformRole string     `bun:"platform_role"`
	}
	personal := strings.HasPrefix(raw, prefixPersonal)
	var err error
	if personal {
		err = s.DB.NewSelect().TableExpr("api_tokens AS t").Join("JOIN users AS u ON u.id = t.user_id").
			ColumnExpr("t.id, t.user_id, t.last_used_at AS touched, t.expires_at, t.revoked_at, t.scopes, u.name, u.email, u.locale, u.time_zone, u.platform_role").
			Where("t.token_hash = ?", hash).Scan(ctx, &row)
	} else {
		err = s.DB.NewSelect().TableExpr("sessions AS t").Join("JOIN users AS u ON u.id = t.user_id").
			ColumnExpr("t.id, t.user_id, t.last_seen_at AS touched, t.expires_at, u.name, u.email, u.locale, u.time_zone, u.platform_role").
			Where("t.token_hash = ?", hash).Scan(ctx, &row)
	}
	if db.IsNotFound(err) {
		return nil, problem.Unauthorized("your session has ended; sign in again")
	}
	if err != nil {
		return nil, err
	}
	a := &actor.Actor{UserID: row.UserID, Name: row.Name, Email: row.Email, Locale: row.Locale, TimeZone: row.TimeZone, PlatformRole: row.PlatformRole}
	if personal {
		if row.RevokedAt != nil || (row.ExpiresAt != nil && now.After(*row.ExpiresAt)) {
			return nil, problem.Unauthorized("this token has expired or been revoked")
		}
		a.TokenID = row.ID
		a.Scopes = row.Scopes
		if len(a.Scopes) == 0 {
			a.Scopes = []string{ScopeWrite}
		}
		if row.Touched == nil || now.Sub(*row.Touched) > touchEvery {
			_, err = s.DB.NewUpdate().Model((*APIToken)(nil)).Set("last_used_at = ?", now).Where("id = ?", row.ID).Exec(ctx)
		}
		var until time.Time
		if row.ExpiresAt != nil {
			until = *row.ExpiresAt
		}
		s.cache.put(hash, a, now, until, gen)
		return a, err
	}
	if now.After(*row.ExpiresAt) || now.Sub(*row.Touched) > s.Idle {
		_, _ = s.DB.NewDelete().Model((*Session)(nil)).Where("id = ?", row.ID).Exec(ctx)
		return nil, problem.Unauthorized("your session has ended; sign in again")
	}
	a.SessionID = row.ID
	if now.Sub(*row.Touched) > touchEvery {
		_, err = s.DB.NewUpdate().Model((*Session)(nil)).Set("last_seen_at = ?", now).Where("id = ?", row.ID).Exec(ctx)
	}
	// A session's idle expiry can pass while it sits in the cache: keep it no longer than that.
	s.cache.put(hash, a, now, *row.ExpiresAt, gen)
	return a, err
}

// Logout ends the session or revokes the personal token the request came with.
func (s *Service) Logout(ctx context.Context, a *actor.Actor) error {
	defer s.Forget(a.UserID)
	if a.TokenID != 0 {
		_, err := s.DB.NewUpdate().Model((*APIToken)(nil)).Set("revoked_at = ?", s.now()).Where("id = ? AND user_id = ?", a.TokenID, a.UserID).Exec(ctx)
		return err
	}
	_, err := s.DB.NewDelete().Model((*Session)(nil)).Where("id = ? AND user_id = ?", a.SessionID, a.UserID).Exec(ctx)
	return err
}

// CSRFToken is the token a cookie-authenticated client must echo in X-CSRF-Token on writes:
// an HMAC of the session secret, so it needs no storage and dies with the session.
func (s *Service) CSRFToken(rawSession string) string {
	m := hmac.New(sha256.New, []byte(s.Secret))
	m.Write([]byte("csrf:" + rawSession))
	return hex.EncodeToString(m.Sum(nil))
}

// CheckCSRF compares in constant time.
func (s *Service) CheckCSRF(rawSession, got string) bool {
	return got != "" && hmac.Equal([]byte(s.CSRFToken(rawSession)), []byte(got))
}
