package gcapi

import (
	"time"

	"github.com/uptrace/bun"
)

// The two applications of GroupCamp's API, as a key is declared for one of them.
const (
	AppProvisioning = "provisioning"
	AppReporting    = "reporting"
)

// Key is a key pair of the account: KeyID is what the scripts send, the secret is sealed
// (never shown again after creation).
type Key struct {
	bun.BaseModel `bun:"table:gcapi_keys,alias:k"`

	ID          int64      `bun:"id,pk,autoincrement" json:"id"`
	AccountID   int64      `bun:"account_id" json:"-"`
	Application string     `bun:"application" json:"application" enum:"provisioning-1,reporting-1"`
	KeyID       string     `bun:"key_id" json:"key"`
	Secret      string     `bun:"secret" json:"-"`
	Label       string     `bun:"label" json:"label"`
	CreatedBy   *int64     `bun:"created_by" json:"created_by"`
	CreatedAt   time.Time  `bun:"created_at" json:"created_at"`
	LastUsedAt  *time.Time `bun:"last_used_at" json:"last_used_at"`
	RevokedAt   *time.Time `bun:"revoked_at" json:"revoked_at"`

	// CreatorName is the name of who created it (lists only).
	CreatorName string `bun:"-" json:"created_by_name"`
}

// Versioned is the key's application as the X-Gcmp-Application header names it.
func (k Key) Versioned() string { return k.Application + "-1" }

// Active reports whether the key is not revoked.
func (k Key) Active() bool { return k.RevokedAt == nil }

// KeyInput creates a key pair.
type KeyInput struct {
	// Application is provisioning-1 or reporting-1 (provisioning and reporting are taken too).
	Application string `json:"application" openapi:"required" enum:"provisioning-1,reporting-1" example:"reporting-1"`
	Label       string `json:"label,omitempty" example:"Nightly export"`
}

// NewKey is a key pair just created: the only answer that carries the secret.
type NewKey struct {
	Key
	SecretOnce string `json:"secret"`
}

// KeyList is the account's key pairs (revoked ones too, newest first).
type KeyList struct {
	Items []Key `json:"items"`
}

// page is one page of a "full" paged answer.
type page struct {
	bun.BaseModel `bun:"table:gcapi_pages,alias:pg"`

	ID        int64     `bun:"id,pk,autoincrement"`
	AccountID int64     `bun:"account_id"`
	Token     string    `bun:"token"`
	Page      int       `bun:"page"`
	PageCount int       `bun:"page_count"`
	Body      string    `bun:"body"`
	ExpiresAt time.Time `bun:"expires_at"`
}
