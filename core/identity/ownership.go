package identity

import (
	"context"
	"strconv"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/events"
	"groupcamp/core/problem"
)

// TransferInput names the colleague who becomes the account's owner.
type TransferInput struct {
	UserID int64 `json:"user_id" openapi:"required" example:"42"`
}

// TransferOwnership makes another active colleague the owner; the owner becomes an admin. It is
// how an owner leaves (and may then be erased): an account always has exactly one owner, and
// a client never owns it.
func (s *Service) TransferOwnership(ctx context.Context, a *actor.Actor, in TransferInput) (*Member, error) {
	if a.Role != actor.RoleOwner {
		return nil, problem.Forbidden("only the owner transfers the ownership")
	}
	to, err := s.Member(ctx, a, in.UserID)
	if p, ok := problem.As(err); ok && p.Status == 404 {
		return nil, problem.Invalid(problem.FieldError{Field: "user_id", Message: "must be a person of the account"})
	}
	if err != nil {
		return nil, err
	}
	switch {
	case to.ID == a.UserID:
		return nil, problem.Invalid(problem.FieldError{Field: "user_id", Message: "is already the owner"})
	case to.Role == actor.RoleClient:
		return nil, problem.Invalid(problem.FieldError{Field: "user_id", Message: "is a client; a client cannot own the account"})
	case to.Status != StatusActive || to.DeactivatedAt != nil:
		return nil, problem.Invalid(problem.FieldError{Field: "user_id", Message: "must be an active colleague (not invited, not deactivated)"})
	}
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for _, ch := range []struct {
			userID int64
			role   string
		}{{a.UserID, actor.RoleAdmin}, {to.ID, actor.RoleOwner}} {
			if _, err := tx.NewUpdate().Model((*Membership)(nil)).Set("role = ?", ch.role).
				Where("account_id = ? AND user_id = ?", a.AccountID(), ch.userID).Exec(ctx); err != nil {
				return err
			}
		}
		if _, err := events.EmitBy(ctx, tx, a.AccountID(), a.UserID, "user.role_changed", UserEvent{UserID: to.ID, Email: to.Email, Name: to.Name, Role: actor.RoleOwner, PreviousRole: to.Role}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, a.AccountID(), "account.ownership_transferred", to.Email, map[string]string{"to": strconv.FormatInt(to.ID, 10)})
	})
	if err != nil {
		return nil, err
	}
	if s.Credentials != nil { // the roles are read with the membership; drop what is cached
		s.Credentials.Forget(a.UserID)
		s.Credentials.Forget(to.ID)
	}
	return s.Member(ctx, a, to.ID)
}
