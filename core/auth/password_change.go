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
	// RevokeTokens revokes every personal API token as well (the profile form's checkbox,
	// ticked by default): a scripts' token made by whoever knew the old password dies with it.
	RevokeTokens bool `json:"revoke_tokens"`
}

// ChangePassword sets a new password after checking the current one, and ends every other
// session of the person (the current one stays), and their personal API tokens when asked.
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
		var details map[string]string
		if in.RevokeTokens {
			if err := s.revokeTokens(ctx, tx, a.UserID); err != nil {
				return err
			}
			details = map[string]string{"tokens": "revoked"}
		}
		return audit.Record(ctx, tx, a, 0, "user.password_changed", u.Email, details)
	})
}

// revokeTokens revokes every live personal API token of the person, in tx.
func (s *Service) revokeTokens(ctx context.Context, tx bun.IDB, userID int64) error {
	_, err := tx.NewUpdate().Model((*APIToken)(nil)).Set("revoked_at = ?", s.now()).
		Where("user_id = ? AND revoked_at IS NULL", userID).Exec(ctx)
	return err
}

// EndAccess signs the person out everywhere, in tx: every session is deleted and every
// personal API token revoked (identity calls it when a person's last membership is
// deactivated). Call Forget once tx is committed.
func (s *Service) EndAccess(ctx context.Context, tx bun.IDB, userID int64) error {
	if _, err := tx.NewDelete().Model((*Session)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
		return err
	}
	return s.revokeTokens(ctx, tx, userID)
}
