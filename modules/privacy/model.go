package privacy

import (
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Kinds of request.
const (
	KindExport  = "export"
	KindErasure = "erasure"
	KindClosure = "closure"
)

// States of a request. An export goes queued → running → ready (→ downloaded or expired); an
// erasure asked by the person waits unconfirmed until they follow the emailed link; erasures
// and closures then wait scheduled through the grace period, and go queued → running → done.
// Cancelled ends either during the grace period (or an export overtaken by an erasure).
const (
	StateUnconfirmed = "unconfirmed"
	StateScheduled   = "scheduled"
	StateQueued      = "queued"
	StateRunning     = "running"
	StateReady       = "ready"
	StateDownloaded  = "downloaded"
	StateExpired     = "expired"
	StateDone        = "done"
	StateFailed      = "failed"
	StateCancelled   = "cancelled"
	// StateNone answers the question "my erasure?" or "the closure?" when there is none.
	StateNone = "none"
)

// Grace is how long an erasure or a closure waits before it runs: time to change one's mind,
// and to take an export.
const Grace = 7 * 24 * time.Hour

// LinkLife is how long an export's download link works (once), and how long an erasure's
// confirmation link waits.
const LinkLife = 24 * time.Hour

// Request is a privacy request and the state of its job.
type Request struct {
	bun.BaseModel `bun:"table:privacy_requests,alias:r"`

	ID          int64      `bun:"id,pk,autoincrement" json:"id"`
	AccountID   int64      `bun:"account_id" json:"-"`
	Kind        string     `bun:"kind" json:"kind" enum:"export,erasure,closure"`
	UserID      *int64     `bun:"user_id" json:"user_id,omitempty"`
	Subject     string     `bun:"subject" json:"-"`
	RequestedBy *int64     `bun:"requested_by" json:"requested_by,omitempty"`
	State       string     `bun:"state" json:"state" enum:"none,unconfirmed,scheduled,queued,running,ready,downloaded,expired,done,failed,cancelled"`
	Progress    int        `bun:"progress" json:"progress"`
	KeepText    bool       `bun:"keep_text" json:"keep_text"`
	Steps       string     `bun:"steps" json:"-"`
	Error       string     `bun:"error" json:"error,omitempty"`
	DueAt       *time.Time `bun:"due_at" json:"due_at,omitempty"`
	ExpiresAt   *time.Time `bun:"expires_at" json:"expires_at,omitempty"`
	UsedAt      *time.Time `bun:"used_at" json:"-"`
	FinishedAt  *time.Time `bun:"finished_at" json:"finished_at,omitempty"`
	CreatedAt   time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt   time.Time  `bun:"updated_at" json:"-"`

	// URL is the download link of a ready export, for the person who asked for it.
	URL string `bun:"-" json:"url,omitempty"`
}

// Open reports whether the request still waits or works (it may be cancelled or overtaken).
func (r *Request) Open() bool {
	switch r.State {
	case StateUnconfirmed, StateScheduled, StateQueued, StateRunning:
		return true
	}
	return false
}

// Done reports whether step is recorded as finished.
func (r *Request) Done(step string) bool {
	return step != "" && slices.Contains(strings.Split(r.Steps, ","), step)
}

// Settings are an account's privacy settings.
type Settings struct {
	bun.BaseModel `bun:"table:privacy_settings,alias:ps"`

	AccountID      int64     `bun:"account_id,pk" json:"-"`
	ConnectionDays int       `bun:"connection_days" json:"connection_days"`
	KeepText       bool      `bun:"keep_text" json:"keep_text"`
	UpdatedAt      time.Time `bun:"updated_at" json:"-"`
}

// The platform's bounds on the connection data retention an account may choose.
const (
	DefaultConnectionDays = 90
	MinConnectionDays     = 7
	MaxConnectionDays     = 365
)

// SettingsInput changes an account's settings.
type SettingsInput struct {
	ConnectionDays int  `json:"connection_days" openapi:"required" example:"90"`
	KeepText       bool `json:"keep_text" example:"false"`
}

// ErasureInput is a person's own erasure request, confirmed by their password.
type ErasureInput struct {
	Password string `json:"password" openapi:"required" format:"password" example:"correct horse battery staple"`
}

// MemberErasureInput is an admin's erasure of a member of the account.
type MemberErasureInput struct {
	// Immediately skips the grace period; only for a deactivated person.
	Immediately bool `json:"immediately" example:"false"`
}

// ClosureInput is the owner's closure of the account.
type ClosureInput struct {
	Password    string `json:"password" openapi:"required" format:"password" example:"correct horse battery staple"`
	Immediately bool   `json:"immediately" example:"false"`
}
