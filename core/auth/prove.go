package auth

import (
	"context"

	"groupcamp/core/auth/password"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
)

// ProveLogin checks, outside sign-in, that whoever is at the keyboard holds the person's login:
// their password, and the second factor's code when two-factor is on. The throttle applies and
// a wrong answer counts, as at sign-in; the accounts' rules (single sign-on required) do not:
// the sso module asks it before it links an existing login that reaches other accounts to an
// account's identity provider, which that account's administrators control.
func (s *Service) ProveLogin(ctx context.Context, userID int64, pw, code string, cl Client) error {
	u := new(identity.User)
	if err := s.DB.NewSelect().Model(u).Where("id = ?", userID).Scan(ctx); err != nil {
		return err
	}
	if err := s.Throttled(ctx, u.Email, cl.IP); err != nil {
		return err
	}
	ok := false
	if u.PasswordHash != "" && len(pw) <= 4*password.MaxLength {
		ok, _ = password.Verify(pw, u.PasswordHash)
	} else {
		password.VerifyNothing(pw)
	}
	if !ok {
		if err := s.Failed(ctx, u.Email, cl.IP); err != nil {
			return err
		}
		return problem.Invalid(problem.FieldError{Field: "password", Message: "is not the password of this login"})
	}
	t, err := s.totpOf(ctx, s.DB, userID)
	if err != nil || t == nil || t.ConfirmedAt == nil {
		return err
	}
	if code == "" {
		return problem.Invalid(problem.FieldError{Field: "totp", Message: "enter the 6-digit code of your authenticator app, or a recovery code"})
	}
	if ok, err := s.secondFactor(ctx, t, code, ""); err != nil {
		return err
	} else if !ok {
		if err := s.Failed(ctx, u.Email, cl.IP); err != nil {
			return err
		}
		return problem.Invalid(problem.FieldError{Field: "totp", Message: "is wrong or was already used: wait for the next code"})
	}
	return nil
}
