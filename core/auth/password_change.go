package auth

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/auth/password"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
)

// PasswordChange is the body of a password change from the profile.
type PasswordChange struct {
	Current string `json:"current_password"`
	New     string `json:"new_password"`
}

// ChangePassword sets a new password after checking the current one, and ends every other
// session of the person (the current one stays).
func (s *Service) ChangePassword(ctx context.Context, a *actor.Actor, in PasswordChange) error {
	u := new(identity.User)
	if err := s.DB.NewSelect().Model(u).Where("id = ?", a.UserID).Scan(ctx); err != nil {
		return err
	}
	if ok, _ := password.Verify(in.Current, u.PasswordHash); !ok {
		return problem.Invalid(problem.FieldError{Field: "current_password", Message: "is not your current password"})
	}
	if msg := password.Check(in.New); msg != "" {
		return problem.Invalid(problem.FieldError{Field: "new_password", Message: msg})
	}
	hash, err := password.Hash(in.New)
	if err != nil {
		return err
	}
	defer s.Forget(a.UserID)
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*identity.User)(nil)).Set("password_hash = ?", hash).Set("updated_at = ?", s.now()).
			Where("id = ?", a.UserID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*Session)(nil)).Where("user_id = ? AND id <> ?", a.UserID, a.SessionID).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, 0, "user.password_changed", u.Email, nil)
	})
}
