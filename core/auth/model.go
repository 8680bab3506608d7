// Package auth proves who a request comes from: sign-in with argon2id passwords and login
// throttling, sessions kept in the database (browser cookie or API login token), personal API
// tokens, logout, and password reset by single-use link.
//
// A personal API token carries scopes (Scopes: read, write, or one module's read or write) and
// may expire: a script gets only the part of its owner's access it needs, for as long as it
// needs it, and a leaked read-only token cannot change anything. The Gate (core/authz) holds
// each request made with a token to its scopes; sessions have none, they are the person.
//
// Two-factor sign-in (totp.go, signin_rules.go): a person may add a TOTP authenticator
// (github.com/pquerna/otp; the secret sealed with core/seal) with ten single-use recovery
// codes (hashed); the login then needs the code (a code is accepted once; wrong codes count
// toward the throttle), unless the browser was remembered for 30 days (a signed cookie bound to
// the enrolment). Personal API tokens are not affected. What an account requires of its
// people (single sign-on, two-factor) comes from Service.Rules, set by the sso module.
//
// Secrets are stored only as SHA-256 hashes (core/token). A session expires after an idle
// period and at an absolute age; its last-seen time is written at most once a minute, so a
// busy client does not turn every read into a write.
package auth

import (
	"time"

	"github.com/uptrace/bun"
)

// SessionCookie carries the browser session; a cookie-authenticated write must echo the
// CSRF token (also given in CSRFCookie, readable by scripts) in CSRFHeader.
const (
	SessionCookie = "groupcamp_session"
	CSRFCookie    = "groupcamp_csrf"
	CSRFHeader    = "X-CSRF-Token"
)

// Session kinds.
const (
	KindBrowser = "browser" // the session cookie
	KindLogin   = "login"   // a login token from POST /api/v1/login
)

// Throttle rules, within FailureWindow -> 429 (see Service.Throttled):
//   - MaxFailures for one address from one IP: someone guessing (or mistyping) from one place;
//   - MaxAddressFailures for one address from anywhere: guessing spread over many IPs;
//   - MaxIPFailures from one IP whatever the address: one client trying many people's
//     passwords. Much higher than the others, because behind a NAT or a reverse proxy many
//     people share an IP: one person's failures must not lock the others out.
const (
	MaxFailures        = 10
	MaxAddressFailures = 20
	MaxIPFailures      = 100
	FailureWindow      = 15 * time.Minute
	ResetTTL           = time.Hour
	touchEvery         = time.Minute
	MaxTokenName       = 100
)

// Session is a signed-in browser or API client.
type Session struct {
	bun.BaseModel `bun:"table:sessions"`

	ID         int64     `bun:"id,pk,autoincrement"`
	TokenHash  string    `bun:"token_hash"`
	UserID     int64     `bun:"user_id"`
	Kind       string    `bun:"kind"`
	IP         string    `bun:"ip"`
	UserAgent  string    `bun:"user_agent"`
	CreatedAt  time.Time `bun:"created_at"`
	LastSeenAt time.Time `bun:"last_seen_at"`
	ExpiresAt  time.Time `bun:"expires_at"`
}

// APIToken is a personal API token.
type APIToken struct {
	bun.BaseModel `bun:"table:api_tokens"`

	ID         int64      `bun:"id,pk,autoincrement" json:"id"`
	UserID     int64      `bun:"user_id" json:"-"`
	Name       string     `bun:"name" json:"name"`
	Prefix     string     `bun:"prefix" json:"prefix"`
	TokenHash  string     `bun:"token_hash" json:"-"`
	Scopes     Scopes     `bun:"scopes" json:"scopes"`
	CreatedAt  time.Time  `bun:"created_at" json:"created_at"`
	ExpiresAt  *time.Time `bun:"expires_at" json:"expires_at"`
	LastUsedAt *time.Time `bun:"last_used_at" json:"last_used_at"`
	RevokedAt  *time.Time `bun:"revoked_at" json:"revoked_at,omitempty"`
}

// LoginFailure is one failed sign-in, kept for the throttle window.
type LoginFailure struct {
	bun.BaseModel `bun:"table:login_failures"`

	ID        int64     `bun:"id,pk,autoincrement"`
	Email     string    `bun:"email"`
	IP        string    `bun:"ip"`
	CreatedAt time.Time `bun:"created_at"`
}

// PasswordReset is a single-use reset link.
type PasswordReset struct {
	bun.BaseModel `bun:"table:password_resets"`

	ID        int64      `bun:"id,pk,autoincrement"`
	UserID    int64      `bun:"user_id"`
	TokenHash string     `bun:"token_hash"`
	ExpiresAt time.Time  `bun:"expires_at"`
	UsedAt    *time.Time `bun:"used_at"`
	CreatedAt time.Time  `bun:"created_at"`
}
