package identity

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/personal"
	"groupcamp/core/problem"
)

//go:embed locales
var localeFiles embed.FS

// Catalogs are identity's message catalogs: the categories of its personal data.
func Catalogs() fs.FS {
	sub, _ := fs.Sub(localeFiles, "locales")
	return sub
}

// PersonalData is identity's part of a person's GDPR rights: their login (users), their place
// in the account (membership, teams) and their invitations.
//
// Its Erase runs last of all the providers (core/app registers it first, and erasures run in
// the reverse order): it deletes the membership, the team memberships and the invitations of
// the person in the account, detaches the invitations they sent, and — when the person
// belongs to no other account and holds no platform role — deletes the login itself with
// everything that hangs on it (sessions, tokens and password resets go with the users row;
// failed sign-ins, which name the email only, go by email). It writes nothing about the
// person: the privacy module records that a person was erased.
type PersonalData struct {
	DB *bun.DB
}

// Category keys.
const (
	catProfile     = "identity.data.profile"
	catMembership  = "identity.data.membership"
	catInvitations = "identity.data.invitations"
)

// Tables are identity's tables that name a person.
func (PersonalData) Tables() []string {
	return []string{"users", "memberships", "team_members", "invitations", "accounts"}
}

// Describe counts the login, the membership (with its teams) and the invitations.
func (p PersonalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	profile, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.DB.NewSelect().Model((*User)(nil)).Where("id = ?", s.UserID)
	})
	if err != nil {
		return nil, err
	}
	member, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.DB.NewSelect().Model((*Membership)(nil)).Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID)
	})
	if err != nil {
		return nil, err
	}
	teams, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.DB.NewSelect().Model((*TeamMember)(nil)).Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID)
	})
	if err != nil {
		return nil, err
	}
	invitations, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.DB.NewSelect().Model((*Invitation)(nil)).Where("account_id = ? AND (user_id = ? OR invited_by = ?)", s.AccountID, s.UserID, s.UserID)
	})
	if err != nil {
		return nil, err
	}
	if member > 0 {
		member += teams
	}
	return []hooks.DataCategory{
		personal.Category("core", catProfile, profile, personal.FieldName, personal.FieldEmail, personal.FieldSettings),
		personal.Category("core", catMembership, member, personal.FieldRole, personal.FieldTimes),
		personal.Category("core", catInvitations, invitations, personal.FieldTimes),
	}, nil
}

// ProfileExport is the person's login as exported.
type ProfileExport struct {
	Email     string    `json:"email"`
	Name      string    `json:"name"`
	Locale    string    `json:"locale"`
	TimeZone  string    `json:"time_zone"`
	Country   string    `json:"country,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// MembershipExport is the person's place in the account as exported.
type MembershipExport struct {
	Account       string             `json:"account"`
	Role          string             `json:"role"`
	Status        string             `json:"status"`
	Company       string             `json:"company"`
	Teams         []string           `json:"teams"`
	CreatedAt     time.Time          `json:"created_at"`
	DeactivatedAt *time.Time         `json:"deactivated_at,omitempty"`
	Invitations   []InvitationExport `json:"invitations"`
}

// InvitationExport is an invitation of the person.
type InvitationExport struct {
	CreatedAt  time.Time  `json:"created_at"`
	ExpiresAt  time.Time  `json:"expires_at"`
	AcceptedAt *time.Time `json:"accepted_at,omitempty"`
}

// Export writes identity/profile.json and identity/membership.json.
func (p PersonalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	u := new(User)
	if err := p.DB.NewSelect().Model(u).Where("id = ?", s.UserID).Scan(ctx); err != nil && !db.IsNotFound(err) {
		return err
	} else if err == nil {
		if err := out.JSON("identity/profile.json", ProfileExport{Email: u.Email, Name: u.Name, Locale: u.Locale, TimeZone: u.TimeZone, Country: u.Country, CreatedAt: u.CreatedAt}); err != nil {
			return err
		}
	}
	var m MembershipExport
	err := p.DB.NewSelect().TableExpr("memberships AS m").
		Join("JOIN accounts AS a ON a.id = m.account_id").Join("JOIN companies AS c ON c.id = m.company_id").
		ColumnExpr("a.name AS account, m.role, m.status, c.name AS company, m.created_at, m.deactivated_at").
		Where("m.account_id = ? AND m.user_id = ?", s.AccountID, s.UserID).Scan(ctx, &m)
	if db.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	m.Teams, m.Invitations = []string{}, []InvitationExport{}
	if err := p.DB.NewSelect().TableExpr("team_members AS tm").Join("JOIN teams AS t ON t.id = tm.team_id").
		ColumnExpr("t.name").Where("tm.account_id = ? AND tm.user_id = ?", s.AccountID, s.UserID).OrderExpr("t.name").Scan(ctx, &m.Teams); err != nil {
		return err
	}
	if err := p.DB.NewSelect().Model((*Invitation)(nil)).Column("created_at", "expires_at", "accepted_at").
		Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID).OrderExpr("id").Scan(ctx, &m.Invitations); err != nil {
		return err
	}
	return out.JSON("identity/membership.json", m)
}

// ErrOwner refuses to erase the account's owner while the account goes on.
var ErrOwner = problem.Conflict("", "the owner of the account cannot be erased: transfer the ownership first")

// Erase deletes the person's membership of the account and what hangs on it, and their login
// when nothing else holds it (see PersonalData).
func (PersonalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, e hooks.Erasure) error {
	if s.AccountID <= 0 || s.UserID <= 0 {
		return errors.New("identity: erase: no account or no person")
	}
	var role string
	err := tx.NewSelect().Model((*Membership)(nil)).Column("role").Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID).Scan(ctx, &role)
	if err != nil && !db.IsNotFound(err) {
		return err
	}
	if role == actor.RoleOwner && !e.Closure {
		return ErrOwner
	}
	goes, err := personal.LoginGoes(ctx, tx, s)
	if err != nil {
		return err
	}
	n, err := personal.Of(ctx, tx, s)
	if err != nil {
		return err
	}
	steps := []*bun.DeleteQuery{
		tx.NewDelete().Model((*TeamMember)(nil)).Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID),
		tx.NewDelete().Model((*Invitation)(nil)).Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID),
	}
	for _, q := range steps {
		if _, err := q.Exec(ctx); err != nil {
			return err
		}
	}
	if _, err := tx.NewUpdate().Model((*Invitation)(nil)).Set("invited_by = NULL").
		Where("account_id = ? AND invited_by = ?", s.AccountID, s.UserID).Exec(ctx); err != nil {
		return err
	}
	if _, err := tx.NewDelete().Model((*Membership)(nil)).Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID).Exec(ctx); err != nil {
		return err
	}
	if !goes {
		return nil
	}
	// The login goes: failed sign-ins name it by email only; an account it was the partner of
	// (a role it no longer holds) forgets it; the users row takes sessions, tokens, password
	// resets and whatever else still points at it (foreign keys ON DELETE CASCADE / SET NULL).
	if len(n.Emails) > 0 {
		if _, err := tx.NewDelete().TableExpr("login_failures").Where("email IN (?)", bun.In(n.Emails)).Exec(ctx); err != nil {
			return err
		}
	}
	if _, err := tx.NewUpdate().Model((*Account)(nil)).Set("partner_user_id = NULL").Where("partner_user_id = ?", s.UserID).Exec(ctx); err != nil {
		return err
	}
	_, err = tx.NewDelete().Model((*User)(nil)).Where("id = ?", s.UserID).Exec(ctx)
	return err
}

// The ports it implements.
var _ hooks.PersonalData = PersonalData{}
