package auth

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/auth/password"
	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/core/mail"
	"groupcamp/core/problem"
	"groupcamp/core/token"
	"groupcamp/core/validate"
)

// MaxResetsPerHour bounds the reset links mailed to one person in an hour.
const MaxResetsPerHour = 3

// ResetRequest is the body of POST /api/v1/password-resets.
type ResetRequest struct {
	Email string `json:"email" openapi:"required" format:"email" example:"ada@example.com"`
}

// ResetInput is the body of POST /api/v1/password-resets/{token}.
type ResetInput struct {
	Password string `json:"password" openapi:"required" format:"password" example:"a new long passphrase"`
}

// RequestReset mails a single-use reset link when the email belongs to a GroupCamp user
// (invited or not). The answer is the same either way, so it tells no one who has an account.
func (s *Service) RequestReset(ctx context.Context, in ResetRequest) error {
	email := validate.NormalizeEmail(in.Email)
	if msg := validate.Email(email); msg != "" {
		return problem.Invalid(problem.FieldError{Field: "email", Message: msg})
	}
	u := new(identity.User)
	if err := s.DB.NewSelect().Model(u).Where("email = ?", email).Scan(ctx); err != nil {
		if db.IsNotFound(err) {
			return nil
		}
		return err
	}
	// Someone invited who never set a password may use a reset link too: the link proves they
	// hold the address, which is all an invitation proves.
	now := s.now()
	// At most MaxResetsPerHour links an hour per person: nobody can flood an inbox with reset
	// mail. The answer stays the same, so it still tells no one whether the account exists.
	recent, err := s.DB.NewSelect().Model((*PasswordReset)(nil)).Where("user_id = ? AND created_at > ?", u.ID, now.Add(-time.Hour)).Count(ctx)
	if err != nil {
		return err
	}
	if recent >= MaxResetsPerHour {
		return nil
	}
	raw, hash := token.New(prefixReset)
	r := &PasswordReset{UserID: u.ID, TokenHash: hash, ExpiresAt: now.Add(ResetTTL), CreatedAt: now}
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(r).Exec(ctx); err != nil {
			return err
		}
		if s.Mail == nil {
			return nil
		}
		// Transactional: the person asked for it, so it goes out even to someone who blocked
		// an account's email (it comes from no account).
		return s.Mail.Enqueue(ctx, tx, mail.Queued{Kind: mail.KindPasswordReset, UserID: u.ID, To: u.Email, Transactional: true,
			Data: map[string]string{"name": u.Name}}, map[string]string{"link": s.BaseURL + "/password-reset/" + raw})
	})
}

// ResetPassword sets a new password from a reset link and signs the person out everywhere.
func (s *Service) ResetPassword(ctx context.Context, raw string, in ResetInput, cl Client) error {
	r, err := s.usableReset(ctx, raw)
	if err != nil {
		return err
	}
	now := s.now()
	if msg := password.Check(in.Password); msg != "" {
		return problem.Invalid(problem.FieldError{Field: "password", Message: msg})
	}
	hash, err := password.Hash(in.Password)
	if err != nil {
		return err
	}
	defer s.Forget(r.UserID)
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewUpdate().Model(r).Set("used_at = ?", now).Where("id = ? AND used_at IS NULL", r.ID).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return problem.Gone("this link has already been used")
		}
		if _, err := tx.NewUpdate().Model((*identity.User)(nil)).Set("password_hash = ?", hash).Set("updated_at = ?", now).
			Where("id = ?", r.UserID).Exec(ctx); err != nil {
			return err
		}
		// Whoever held the old password may have signed in or made tokens with it: all end.
		if err := s.EndAccess(ctx, tx, r.UserID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, &actor.Actor{UserID: r.UserID, IP: cl.IP, UserAgent: cl.UserAgent}, 0, "user.password_reset", "", nil)
	})
}

// CheckReset says whether a reset link can still be used, without using it: the page shows
// the new-password form only for a link that works (404 unknown, 410 used or expired).
func (s *Service) CheckReset(ctx context.Context, raw string) error {
	_, err := s.usableReset(ctx, raw)
	return err
}

// usableReset is the reset of a link that is neither used nor expired.
func (s *Service) usableReset(ctx context.Context, raw string) (*PasswordReset, error) {
	r := new(PasswordReset)
	if err := s.DB.NewSelect().Model(r).Where("token_hash = ?", token.Hash(raw)).Scan(ctx); err != nil {
		if db.IsNotFound(err) {
			return nil, problem.NotFound()
		}
		return nil, err
	}
	if r.UsedAt != nil {
		return nil, problem.Gone("this link has already been used")
	}
	if s.now().After(r.ExpiresAt) {
		return nil, problem.Gone("this link has expired; ask for a new one")
	}
	return r, nil
}
