package identity

import (
	"context"
	"strings"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/problem"
	"groupcamp/core/validate"
)

// SignedInElsewhere is a person proven by someone the account trusts (its single sign-on
// provider): their email, as verified there, and their name.
type SignedInElsewhere struct {
	Email string
	Name  string
	// Create allows a person unknown to the account to be created (just-in-time) as Role.
	Create bool
	Role   string
	// Via names the proof for the audit trail ("sso").
	Via string
}

// JoinBySignIn finds the account's member with p's email and makes their membership active
// (an invitation still open is accepted: the provider proved the email); an email unknown to
// the account is refused (403) unless p.Create, which creates the login (without a password)
// and an active membership in the account's internal company. Deactivated members are
// refused. Audited and announced (invitation.accepted) as the invitation's acceptance is.
func (s *Service) JoinBySignIn(ctx context.Context, accountID int64, p SignedInElsewhere, meta *actor.Actor) (*User, error) {
	email := validate.NormalizeEmail(p.Email)
	if validate.Email(email) != "" {
		return nil, problem.Forbidden("the provider gave no usable email address")
	}
	u := new(User)
	now := s.now()
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		err := tx.NewSelect().Model(u).Where("email = ?", email).Scan(ctx)
		if err != nil && !db.IsNotFound(err) {
			return err
		}
		var m Membership
		if err == nil {
			err = tx.NewSelect().Model(&m).Where("account_id = ? AND user_id = ?", accountID, u.ID).Scan(ctx)
			if err != nil && !db.IsNotFound(err) {
				return err
			}
		}
		who := &actor.Actor{UserID: u.ID, Name: u.Name}
		if meta != nil {
			who.IP, who.UserAgent = meta.IP, meta.UserAgent
		}
		switch {
		case m.ID != 0 && m.DeactivatedAt != nil:
			return problem.Forbidden("your access has been deactivated; ask an administrator of your account")
		case m.ID != 0 && m.Status == StatusActive:
			return nil
		case m.ID != 0: // invited: the provider proved the email, as the link would have
			if _, err := tx.NewUpdate().Model((*Membership)(nil)).Set("status = ?", StatusActive).Where("id = ?", m.ID).Exec(ctx); err != nil {
				return err
			}
			if _, err := tx.NewUpdate().Model((*Invitation)(nil)).Set("accepted_at = ?", now).
				Where("account_id = ? AND user_id = ? AND accepted_at IS NULL", accountID, u.ID).Exec(ctx); err != nil {
				return err
			}
		case !p.Create:
			return problem.Forbidden("this email has no access to the account: ask an administrator to invite you")
		default:
			name := strings.TrimSpace(p.Name)
			if validate.Name(name, validate.MaxName) != "" {
				name, _, _ = strings.Cut(email, "@")
			}
			if u.ID == 0 {
				*u = User{Email: email, Name: name, TimeZone: "UTC", CreatedAt: now, UpdatedAt: now}
				if _, err := tx.NewInsert().Model(u).Exec(ctx); err != nil {
					return conflictOr(err, "email", "this person is being created already")
				}
			}
			var company int64
			if err := tx.NewSelect().Model((*Company)(nil)).Column("id").Where("account_id = ? AND kind = ?", accountID, KindInternal).
				OrderExpr("id").Limit(1).Scan(ctx, &company); err != nil {
				return err
			}
			m = Membership{AccountID: accountID, UserID: u.ID, CompanyID: company, Role: p.Role, Status: StatusActive, CreatedAt: now}
			if _, err := tx.NewInsert().Model(&m).Exec(ctx); err != nil {
				return conflictOr(err, "email", "this person is already in the account")
			}
			who = &actor.Actor{UserID: u.ID, Name: u.Name}
			if meta != nil {
				who.IP, who.UserAgent = meta.IP, meta.UserAgent
			}
		}
		if _, err := events.EmitBy(ctx, tx, accountID, u.ID, "invitation.accepted", UserEvent{UserID: u.ID, Email: u.Email, Name: u.Name, Role: m.Role}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, who, accountID, "invitation.accepted", u.Email, map[string]string{"via": p.Via})
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}
