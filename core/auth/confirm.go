package auth

import (
	"context"

	"groupcamp/core/auth/password"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
)

// ConfirmPassword checks that password is the person's current one, for the requests that a
// session alone must not be enough for (erasing oneself, closing the account): a borrowed
// laptop must not be able to erase its owner.
func (s *Service) ConfirmPassword(ctx context.Context, userID int64, pw string) error {
	u := new(identity.User)
	if err := s.DB.NewSelect().Model(u).Where("id = ?", userID).Scan(ctx); err != nil {
		return err
	}
	if pw == "" {
		return problem.Invalid(problem.FieldError{Field: "password", Message: "is required"})
	}
	if ok, _ := password.Verify(pw, u.PasswordHash); !ok {
		return problem.Invalid(problem.FieldError{Field: "password", Message: "is not your current password"})
	}
	return nil
}
