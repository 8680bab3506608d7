package identity

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/events"
	"groupcamp/core/problem"
	"groupcamp/core/token"
	"groupcamp/core/validate"
)

// ProfileInput is what a person may change about themselves.
type ProfileInput struct {
	Name     string `json:"name"`
	Locale   string `json:"locale"`
	TimeZone string `json:"time_zone"`
	// Country is where the person works, when not the account's country: their public
	// holidays follow it. "" follows the account.
	Country string `json:"country"`
}

// User returns one user by id.
func (s *Service) User(ctx context.Context, id int64) (*User, error) {
	u := new(User)
	err := s.DB.NewSelect().Model(u).Where("id = ?", id).Scan(ctx)
	return u, err
}

// UpdateProfile changes the actor's own name, language, time zone and country. An empty locale means
// "follow the browser".
func (s *Service) UpdateProfile(ctx context.Context, a *actor.Actor, in ProfileInput) (*User, error) {
	in.Name = strings.TrimSpace(in.Name)
	var f problem.Fields
	f.Check(validate.Name(in.Name, validate.MaxName) == "", "name", validate.Name(in.Name, validate.MaxName))
	if in.Locale != "" {
		f.Check(validate.OneOf(in.Locale, Locales...) == "", "locale", validate.OneOf(in.Locale, Locales...))
	}
	if in.TimeZone == "" {
		in.TimeZone = "UTC"
	}
	if _, err := time.LoadLocation(in.TimeZone); err != nil || len(in.TimeZone) > 64 {
		f.Add("time_zone", "is not a known time zone")
	}
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	if in.Country != "" {
		f.Check(checkCountry(in.Country) == "", "country", checkCountry(in.Country))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var before string
		if err := tx.NewSelect().Model((*User)(nil)).Column("name").Where("id = ?", a.UserID).Scan(ctx, &before); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model((*User)(nil)).Set("name = ?", in.Name).Set("locale = ?", in.Locale).
			Set("time_zone = ?", in.TimeZone).Set("country = ?", in.Country).Set("updated_at = ?", s.now()).Where("id = ?", a.UserID).Exec(ctx); err != nil {
			return err
		}
		if before == in.Name {
			return nil
		}
		// A name is the person's, across every account they belong to: each account hears of
		// it (search refreshes the person's card, webhooks tell the account's integrations).
		var accounts []int64
		if err := tx.NewSelect().Model((*Membership)(nil)).Column("account_id").Where("user_id = ?", a.UserID).Scan(ctx, &accounts); err != nil {
			return err
		}
		for _, acc := range accounts {
			if _, err := events.EmitBy(ctx, tx, acc, a.UserID, EventRenamed, UserEvent{UserID: a.UserID, Name: in.Name}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.User(ctx, a.UserID)
}

// InvitationInfo is what the invitation page shows before the person accepts.
type InvitationInfo struct {
	AccountName string
	Email       string
	Name        string
	HasPassword bool // the person already has a login and joins with its password
	State       string
}

// Invitation states.
const (
	InvitationValid   = "valid"
	InvitationUsed    = "used"
	InvitationExpired = "expired"
)

// Invitation describes the invitation behind a link, or 404.
func (s *Service) Invitation(ctx context.Context, raw string) (*InvitationInfo, error) {
	var row struct {
		AccountName  string     `bun:"account_name"`
		Email        string     `bun:"email"`
		Name         string     `bun:"name"`
		PasswordHash string     `bun:"password_hash"`
		ExpiresAt    time.Time  `bun:"expires_at"`
		AcceptedAt   *time.Time `bun:"accepted_at"`
	}
	err := s.DB.NewSelect().TableExpr("invitations AS i").Join("JOIN accounts AS a ON a.id = i.account_id").Join("JOIN users AS u ON u.id = i.user_id").
		ColumnExpr("a.name AS account_name, u.email, u.name, u.password_hash, i.expires_at, i.accepted_at").
		Where("i.token_hash = ?", token.Hash(raw)).Scan(ctx, &row)
	if err != nil {
		return nil, problem.NotFound()
	}
	info := &InvitationInfo{AccountName: row.AccountName, Email: row.Email, Name: row.Name, HasPassword: row.PasswordHash != "", State: InvitationValid}
	switch {
	case row.AcceptedAt != nil:
		info.State = InvitationUsed
	case s.now().After(row.ExpiresAt):
		info.State = InvitationExpired
	}
	return info, nil
}

// Counts are an account's technical counters.
type Counts struct {
	Users     int `json:"users"`
	Active    int `json:"active_users"`
	Invited   int `json:"invited_users"`
	Teams     int `json:"teams"`
	Companies int `json:"companies"`
}

// CountsFor returns the counters of an account.
func (s *Service) CountsFor(ctx context.Context, accountID int64) (*Counts, error) {
	c := &Counts{}
	err := s.DB.NewSelect().Model((*Membership)(nil)).
		ColumnExpr("COUNT(*)").
		ColumnExpr("COALESCE(SUM(CASE WHEN status = ? AND deactivated_at IS NULL THEN 1 ELSE 0 END), 0)", StatusActive).
		ColumnExpr("COALESCE(SUM(CASE WHEN status = ? THEN 1 ELSE 0 END), 0)", StatusInvited).
		Where("account_id = ?", accountID).Scan(ctx, &c.Users, &c.Active, &c.Invited)
	if err != nil {
		return nil, err
	}
	n, err := s.DB.NewSelect().Model((*Team)(nil)).Where("account_id = ?", accountID).Count(ctx)
	if err != nil {
		return nil, err
	}
	c.Teams = int(n)
	n, err = s.DB.NewSelect().Model((*Company)(nil)).Where("account_id = ?", accountID).Count(ctx)
	c.Companies = int(n)
	return c, err
}
