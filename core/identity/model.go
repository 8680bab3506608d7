// Package identity owns the tenants and the people in them: accounts, companies (the
// account's internal company and its client and supplier companies), users (global, one per
// email), memberships (a user's role in an account), teams and invitations.
//
// http.go exposes the Core API of API.md over these; service.go holds the rules (slug and
// email validation, the single owner, invitation expiry); store.go the account-scoped queries.
package identity

import (
	"time"

	"github.com/uptrace/bun"
)

// Account states.
const (
	StateTrial    = "trial"
	StateActive   = "active"
	StateReadOnly = "read-only"
	StateClosed   = "closed"
)

// Company kinds.
const (
	KindInternal = "internal"
	KindClient   = "client"
	KindSupplier = "supplier"
)

// Membership statuses.
const (
	StatusInvited = "invited"
	StatusActive  = "active"
)

// InvitationTTL is how long an invitation link works.
const InvitationTTL = 7 * 24 * time.Hour

// Account is a tenant: one customer company.
type Account struct {
	bun.BaseModel `bun:"table:accounts"`

	ID            int64     `bun:"id,pk,autoincrement" json:"id"`
	Slug          string    `bun:"slug" json:"slug"`
	Name          string    `bun:"name" json:"name"`
	Country       string    `bun:"country" json:"country"`
	VATNumber     string    `bun:"vat_number" json:"vat_number"`
	Currency      string    `bun:"currency" json:"currency"`
	TimeUnit      string    `bun:"time_unit" json:"time_unit" enum:"hours,days"`
	Locale        string    `bun:"locale" json:"locale" enum:"en,fr,ru"`
	State         string    `bun:"state" json:"state"`
	PartnerUserID *int64    `bun:"partner_user_id" json:"-"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at" json:"updated_at"`
}

// Company is an organization inside an account.
type Company struct {
	bun.BaseModel `bun:"table:companies"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64     `bun:"account_id" json:"-"`
	Name      string    `bun:"name" json:"name"`
	Kind      string    `bun:"kind" json:"kind" enum:"internal,client,supplier"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
}

// User is a person, global across accounts; the email is stored lower-cased.
type User struct {
	bun.BaseModel `bun:"table:users"`

	ID           int64     `bun:"id,pk,autoincrement" json:"id"`
	Email        string    `bun:"email" json:"email" format:"email"`
	Name         string    `bun:"name" json:"name"`
	PasswordHash string    `bun:"password_hash" json:"-"`
	Locale       string    `bun:"locale" json:"locale"`
	TimeZone     string    `bun:"time_zone" json:"time_zone"`
	Country      string    `bun:"country" json:"country"` // overrides the account's for public holidays; "" follows it
	PlatformRole string    `bun:"platform_role" json:"platform_role,omitempty"`
	CreatedAt    time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt    time.Time `bun:"updated_at" json:"-"`
}

// Membership is a user's place in an account.
type Membership struct {
	bun.BaseModel `bun:"table:memberships"`

	ID            int64      `bun:"id,pk,autoincrement"`
	AccountID     int64      `bun:"account_id"`
	UserID        int64      `bun:"user_id"`
	CompanyID     int64      `bun:"company_id"`
	Role          string     `bun:"role"`
	Status        string     `bun:"status"`
	InvitedName   string     `bun:"invited_name"` // see NameSQL
	DeactivatedAt *time.Time `bun:"deactivated_at"`
	CreatedAt     time.Time  `bun:"created_at"`
}

// NameSQL is the SQL expression of a person's name as an account shows it, for a query that
// joins memberships as m and users as u: their own name — except while they are only invited,
// when it is the name the admin typed (InvitedName). Inviting the email of someone who has a
// login elsewhere must not show the admin the name that person chose in another account.
// Everywhere an account lists people who may still be invited, use it instead of u.name.
func NameSQL(m, u string) string {
	return "CASE WHEN " + m + ".status = '" + StatusInvited + "' AND " + m + ".invited_name <> '' THEN " + m + ".invited_name ELSE " + u + ".name END"
}

// Active reports whether the membership lets its user into the account.
func (m *Membership) Active() bool { return m.Status == StatusActive && m.DeactivatedAt == nil }

// Team groups people of an account; management teams are the ones support may see by name.
type Team struct {
	bun.BaseModel `bun:"table:teams"`

	ID         int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID  int64     `bun:"account_id" json:"-"`
	Name       string    `bun:"name" json:"name"`
	Management bool      `bun:"management" json:"management"`
	CreatedAt  time.Time `bun:"created_at" json:"created_at"`
	MemberIDs  []int64   `bun:"-" json:"member_ids"`
}

// TeamMember links a user to a team.
type TeamMember struct {
	bun.BaseModel `bun:"table:team_members"`

	AccountID int64     `bun:"account_id"`
	TeamID    int64     `bun:"team_id,pk"`
	UserID    int64     `bun:"user_id,pk"`
	CreatedAt time.Time `bun:"created_at"`
}

// Invitation is a single-use link that activates an invited membership.
type Invitation struct {
	bun.BaseModel `bun:"table:invitations"`

	ID         int64      `bun:"id,pk,autoincrement"`
	AccountID  int64      `bun:"account_id"`
	UserID     int64      `bun:"user_id"`
	InvitedBy  *int64     `bun:"invited_by"` // nil once the inviter is erased
	TokenHash  string     `bun:"token_hash"`
	ExpiresAt  time.Time  `bun:"expires_at"`
	AcceptedAt *time.Time `bun:"accepted_at"`
	CreatedAt  time.Time  `bun:"created_at"`
}
