package sso

import (
	"time"

	"github.com/uptrace/bun"
)

// Presets of the provider: "google" and "microsoft" are the same OpenID Connect sign-in with
// the issuer filled in (Google's) or checked (Microsoft's, per directory tenant).
const (
	PresetCustom    = "custom"
	PresetGoogle    = "google"
	PresetMicrosoft = "microsoft"

	GoogleIssuer    = "https://accounts.google.com"
	MicrosoftPrefix = "https://login.microsoftonline.com/"
)

// Limits of the settings.
const (
	MaxURL      = 500
	MaxClientID = 300
	MaxSecret   = 500
	MaxDomains  = 20
	MaxDomain   = 253
	StateTTL    = 10 * time.Minute
	SealPurpose = "sso.client_secret"
	LinkPurpose = "sso.link"
)

// Settings are an account's single sign-on settings (sso_settings).
type Settings struct {
	bun.BaseModel `bun:"table:sso_settings,alias:s"`

	AccountID    int64     `bun:"account_id,pk" json:"-"`
	Preset       string    `bun:"preset" json:"preset"`
	Issuer       string    `bun:"issuer" json:"issuer"`
	ClientID     string    `bun:"client_id" json:"client_id"`
	ClientSecret string    `bun:"client_secret" json:"-"` // sealed (SealPurpose, bound to the account)
	Domains      []string  `bun:"domains,type:text" json:"domains"`
	Required     bool      `bun:"required" json:"required"`
	JIT          bool      `bun:"jit" json:"jit"`
	RequireTOTP  bool      `bun:"require_totp" json:"require_totp"`
	UpdatedBy    *int64    `bun:"updated_by" json:"-"`
	UpdatedAt    time.Time `bun:"updated_at" json:"updated_at"`
}

// Configured reports whether sign-in with the provider can start.
func (s *Settings) Configured() bool {
	return s.Issuer != "" && s.ClientID != "" && s.ClientSecret != ""
}

// SSOSettings is the settings as the API answers them: never the secret, only whether one is set,
// and the two URLs the provider's administrator needs.
type SSOSettings struct {
	Preset          string    `json:"preset" enum:"custom,google,microsoft"`
	Issuer          string    `json:"issuer" example:"https://accounts.google.com"`
	ClientID        string    `json:"client_id" example:"1234.apps.googleusercontent.com"`
	ClientSecretSet bool      `json:"client_secret_set"`
	Domains         []string  `json:"domains" example:"[\"example.com\"]"`
	Required        bool      `json:"required"`
	JIT             bool      `json:"jit"`
	RequireTOTP     bool      `json:"require_totp"`
	LoginURL        string    `json:"login_url" example:"https://work.example.com/acme/sso/login"`
	CallbackURL     string    `json:"callback_url" example:"https://work.example.com/sso/callback"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// SSOInput is the body of PUT /api/v1/{slug}/sso: the whole settings (client_secret absent or
// blank keeps the stored one).
type SSOInput struct {
	Preset       string   `json:"preset" enum:"custom,google,microsoft" example:"google"`
	Issuer       string   `json:"issuer" example:"https://accounts.google.com"`
	ClientID     string   `json:"client_id" example:"1234.apps.googleusercontent.com"`
	ClientSecret string   `json:"client_secret" example:"GOCSPX-abc"`
	Domains      []string `json:"domains" example:"[\"example.com\"]"`
	Required     bool     `json:"required"`
	JIT          bool     `json:"jit"`
	RequireTOTP  bool     `json:"require_totp"`
}

// state is one sign-in under way: what the callback must find, once.
type state struct {
	bun.BaseModel `bun:"table:sso_states,alias:st"`

	ID        int64     `bun:"id,pk,autoincrement"`
	AccountID int64     `bun:"account_id"`
	StateHash string    `bun:"state_hash"`
	Nonce     string    `bun:"nonce"`
	Verifier  string    `bun:"verifier"`
	Next      string    `bun:"next"`
	ExpiresAt time.Time `bun:"expires_at"`
}

// Identity links a person to their subject at the account's provider.
type Identity struct {
	bun.BaseModel `bun:"table:sso_identities,alias:i"`

	ID        int64  `bun:"id,pk,autoincrement" json:"-"`
	AccountID int64  `bun:"account_id" json:"-"`
	UserID    int64  `bun:"user_id" json:"-"`
	Issuer    string `bun:"issuer" json:"issuer"`
	Subject   string `bun:"subject" json:"subject"`
	// Proven: the holder of the login proved it when it was linked (LinkLogin); a link made on
	// the provider's word alone asks for that proof once the login reaches another account.
	Proven    bool      `bun:"proven" json:"proven"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
}
