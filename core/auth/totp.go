package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/auth/password"
	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
	"groupcamp/core/seal"
	"groupcamp/core/token"
)

// Two-factor sign-in with TOTP (RFC 6238, github.com/pquerna/otp): 6 digits, 30-second steps,
// one step of clock drift either way. A code is accepted once: the step of the last accepted
// code is kept (auth_totp.last_step) and a code of that step or an earlier one is refused, so
// a code seen over a shoulder cannot be replayed within its step.
const (
	TOTPPurpose    = "auth.totp" // core/seal purpose of the secrets
	TOTPIssuer     = "GroupCamp"
	RecoveryCount  = 10
	totpPeriod     = 30
	totpSkew       = 1
	recoveryLength = 10 // base32 characters (50 bits): shown as xxxxx-xxxxx
)

// TOTP is a person's authenticator enrolment; ConfirmedAt nil: waiting for its first code.
type TOTP struct {
	bun.BaseModel `bun:"table:auth_totp"`

	UserID      int64      `bun:"user_id,pk"`
	Secret      string     `bun:"secret"` // sealed
	ConfirmedAt *time.Time `bun:"confirmed_at"`
	LastStep    int64      `bun:"last_step"`
	CreatedAt   time.Time  `bun:"created_at"`
}

// RecoveryCode is one single-use recovery code, hashed.
type RecoveryCode struct {
	bun.BaseModel `bun:"table:auth_recovery_codes"`

	ID       int64      `bun:"id,pk,autoincrement"`
	UserID   int64      `bun:"user_id"`
	CodeHash string     `bun:"code_hash"`
	UsedAt   *time.Time `bun:"used_at"`
}

// TOTPEnrolment is the answer of POST /api/v1/me/totp: the secret to type in, or the URL a
// QR code carries.
type TOTPEnrolment struct {
	Secret     string `json:"secret" example:"JBSWY3DPEHPK3PXP"`
	OtpauthURL string `json:"otpauth_url" example:"otpauth://totp/GroupCamp:ada@example.com?issuer=GroupCamp&secret=JBSWY3DPEHPK3PXP"`
}

// TOTPCode is the body of POST /api/v1/me/totp/confirm.
type TOTPCode struct {
	Code string `json:"code" openapi:"required" example:"123456"`
}

// RecoveryCodes is the answer of a confirmed enrolment: the codes, shown this once.
type RecoveryCodes struct {
	RecoveryCodes []string `json:"recovery_codes"`
}

// TOTPOff is the body of DELETE /api/v1/me/totp: the password, or a current code.
type TOTPOff struct {
	Password string `json:"password" format:"password"`
	Code     string `json:"code" example:"123456"`
}

// TOTPStatus is a person's two-factor state (GET /api/v1/me/totp).
type TOTPStatus struct {
	Enabled       bool       `json:"enabled"`
	ConfirmedAt   *time.Time `json:"confirmed_at"`
	RecoveryCodes int        `json:"recovery_codes_left"`
}

var totpBoxes sync.Map // server key -> *seal.Box

// totpBox seals the TOTP secrets under the server key (several Apps in one test process have
// several keys, hence the map).
func (s *Service) totpBox() *seal.Box {
	if b, ok := totpBoxes.Load(s.Secret); ok {
		return b.(*seal.Box)
	}
	b, _ := totpBoxes.LoadOrStore(s.Secret, seal.MustNew(s.Secret, TOTPPurpose))
	return b.(*seal.Box)
}

func userRow(userID int64) []byte { return []byte("auth_totp:" + strconv.FormatInt(userID, 10)) }

// totpOf is the person's enrolment, nil if none.
func (s *Service) totpOf(ctx context.Context, idb bun.IDB, userID int64) (*TOTP, error) {
	t := new(TOTP)
	err := idb.NewSelect().Model(t).Where("user_id = ?", userID).Scan(ctx)
	if db.IsNotFound(err) {
		return nil, nil
	}
	return t, err
}

// TOTPOn reports whether the person has confirmed two-factor sign-in.
func (s *Service) TOTPOn(ctx context.Context, userID int64) (bool, error) {
	t, err := s.totpOf(ctx, s.DB, userID)
	return t != nil && t.ConfirmedAt != nil, err
}

// TOTPState is the person's two-factor state.
func (s *Service) TOTPState(ctx context.Context, a *actor.Actor) (TOTPStatus, error) {
	t, err := s.totpOf(ctx, s.DB, a.UserID)
	if err != nil || t == nil || t.ConfirmedAt == nil {
		return TOTPStatus{}, err
	}
	n, err := s.DB.NewSelect().Model((*RecoveryCode)(nil)).Where("user_id = ? AND used_at IS NULL", a.UserID).Count(ctx)
	return TOTPStatus{Enabled: true, ConfirmedAt: t.ConfirmedAt, RecoveryCodes: int(n)}, err
}

// EnrolTOTP starts an enrolment: a new secret, kept (sealed) until a code confirms it. A
// person with two-factor on must turn it off first; an unconfirmed enrolment is replaced.
func (s *Service) EnrolTOTP(ctx context.Context, a *actor.Actor) (*otp.Key, error) {
	if a.TokenID != 0 {
		return nil, problem.Forbidden("two-factor sign-in is set up from a signed-in session, not with an API token")
	}
	cur, err := s.totpOf(ctx, s.DB, a.UserID)
	if err != nil {
		return nil, err
	}
	if cur != nil && cur.ConfirmedAt != nil {
		return nil, problem.Conflict("totp", "two-factor sign-in is already on: turn it off first to enrol another device")
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: a.Email, Period: totpPeriod})
	if err != nil {
		return nil, err
	}
	row := &TOTP{UserID: a.UserID, Secret: s.totpBox().SealString(key.Secret(), userRow(a.UserID)), CreatedAt: s.now()}
	_, err = s.DB.NewInsert().Model(row).On("CONFLICT (user_id) DO UPDATE").
		Set("secret = EXCLUDED.secret, created_at = EXCLUDED.created_at, last_step = 0, confirmed_at = NULL").Exec(ctx)
	return key, err
}

// PendingTOTP is the key of an enrolment still waiting for its code (the page shows its QR
// code again after a wrong code); nil when there is none.
func (s *Service) PendingTOTP(ctx context.Context, a *actor.Actor) (*otp.Key, error) {
	t, err := s.totpOf(ctx, s.DB, a.UserID)
	if err != nil || t == nil || t.ConfirmedAt != nil {
		return nil, err
	}
	secret, err := s.totpBox().OpenString(t.Secret, userRow(a.UserID))
	if err != nil {
		return nil, nil // sealed under another key: enrol again
	}
	return otp.NewKeyFromURL(otpauthURL(a.Email, secret))
}

func otpauthURL(email, secret string) string {
	k, _ := totp.Generate(totp.GenerateOpts{Issuer: TOTPIssuer, AccountName: email, Period: totpPeriod, Secret: mustB32(secret)})
	return k.URL()
}

func mustB32(s string) []byte {
	b, _ := base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString(strings.ToUpper(s))
	return b
}

// ConfirmTOTP turns two-factor on with the first code of the enrolment and answers ten new
// recovery codes, shown this once.
func (s *Service) ConfirmTOTP(ctx context.Context, a *actor.Actor, in TOTPCode) (RecoveryCodes, error) {
	t, err := s.totpOf(ctx, s.DB, a.UserID)
	if err != nil {
		return RecoveryCodes{}, err
	}
	if t == nil || t.ConfirmedAt != nil {
		return RecoveryCodes{}, problem.Conflict("code", "there is no enrolment waiting for its code: start one first")
	}
	step, err := s.matchStep(t, in.Code)
	if err != nil {
		return RecoveryCodes{}, err
	}
	if step == 0 {
		return RecoveryCodes{}, problem.Invalid(problem.FieldError{Field: "code", Message: "is not the code your app shows now"})
	}
	codes := make([]string, RecoveryCount)
	now := s.now()
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewUpdate().Model((*TOTP)(nil)).Set("confirmed_at = ?", now).Set("last_step = ?", step).
			Where("user_id = ? AND confirmed_at IS NULL", a.UserID).Exec(ctx); err != nil {
			return err
		}
		if err := s.newRecoveryCodes(ctx, tx, a.UserID, codes); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, 0, "user.totp_enabled", a.Email, nil)
	})
	return RecoveryCodes{RecoveryCodes: codes}, err
}

// newRecoveryCodes replaces the person's recovery codes with fresh ones, filling codes.
func (s *Service) newRecoveryCodes(ctx context.Context, tx bun.Tx, userID int64, codes []string) error {
	if _, err := tx.NewDelete().Model((*RecoveryCode)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
		return err
	}
	rows := make([]RecoveryCode, len(codes))
	for i := range codes {
		buf := make([]byte, 8)
		_, _ = rand.Read(buf)
		c := strings.ToLower(base32.StdEncoding.EncodeToString(buf))[:recoveryLength]
		codes[i] = c[:5] + "-" + c[5:]
		rows[i] = RecoveryCode{UserID: userID, CodeHash: token.Hash(c)}
	}
	_, err := tx.NewInsert().Model(&rows).Exec(ctx)
	return err
}

// DisableTOTP turns two-factor off, proven by the password or a current code; the recovery
// codes and remembered devices go with it.
func (s *Service) DisableTOTP(ctx context.Context, a *actor.Actor, in TOTPOff) error {
	t, err := s.totpOf(ctx, s.DB, a.UserID)
	if err != nil {
		return err
	}
	if t == nil {
		return problem.Conflict("totp", "two-factor sign-in is not on")
	}
	proven := false
	if in.Password != "" {
		u := new(identity.User)
		if err := s.DB.NewSelect().Model(u).Where("id = ?", a.UserID).Scan(ctx); err != nil {
			return err
		}
		proven, _ = password.Verify(in.Password, u.PasswordHash)
	} else if in.Code != "" && t.ConfirmedAt != nil {
		proven, err = s.secondFactor(ctx, t, in.Code, "")
		if err != nil {
			return err
		}
	}
	if !proven {
		return problem.Invalid(problem.FieldError{Field: "password", Message: "give your password (or a current code) to turn two-factor sign-in off"})
	}
	return s.removeTOTP(ctx, a, a.UserID, a.Email, "user.totp_disabled")
}

// removeTOTP deletes a person's enrolment and recovery codes, audited as action.
func (s *Service) removeTOTP(ctx context.Context, a *actor.Actor, userID int64, email, action string) error {
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*TOTP)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*RecoveryCode)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, 0, action, email, nil)
	})
}

// matchStep is the step whose code is code, within the allowed drift and after the last
// accepted one; 0 when none matches.
func (s *Service) matchStep(t *TOTP, code string) (int64, error) {
	code = strings.ReplaceAll(strings.TrimSpace(code), " ", "")
	if len(code) != 6 {
		return 0, nil
	}
	secret, err := s.totpBox().OpenString(t.Secret, userRow(t.UserID))
	if err != nil {
		return 0, nil // sealed under another server key: no code can match
	}
	now := s.now().Unix() / totpPeriod
	for d := int64(-totpSkew); d <= totpSkew; d++ {
		step := now + d
		want, err := totp.GenerateCodeCustom(secret, time.Unix(step*totpPeriod, 0), totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
		if err != nil {
			return 0, err
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 && step > t.LastStep {
			return step, nil
		}
	}
	return 0, nil
}

// secondFactor checks a TOTP code (6 digits) or a recovery code and uses it up: the step is
// recorded (a conditional update, so two requests with one code cannot both pass) or the
// recovery code marked used.
func (s *Service) secondFactor(ctx context.Context, t *TOTP, code, recovery string) (bool, error) {
	if recovery == "" && len(strings.TrimSpace(code)) > 7 {
		code, recovery = "", code // the sign-in form has one field for both
	}
	if recovery != "" {
		c := strings.ToLower(strings.NewReplacer("-", "", " ", "").Replace(recovery))
		if len(c) != recoveryLength {
			return false, nil
		}
		res, err := s.DB.NewUpdate().Model((*RecoveryCode)(nil)).Set("used_at = ?", s.now()).
			Where("user_id = ? AND code_hash = ? AND used_at IS NULL", t.UserID, token.Hash(c)).Exec(ctx)
		if err != nil {
			return false, err
		}
		n, _ := res.RowsAffected()
		return n == 1, nil
	}
	step, err := s.matchStep(t, code)
	if err != nil || step == 0 {
		return false, err
	}
	res, err := s.DB.NewUpdate().Model((*TOTP)(nil)).Set("last_step = ?", step).
		Where("user_id = ? AND last_step < ?", t.UserID, step).Exec(ctx)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// ResetTOTPFor turns a person's two-factor sign-in off for platform support (core/consent,
// at a support request the account opened, which the owner sees): the enrolment, the
// recovery codes and every remembered device go; audited in the account.
func (s *Service) ResetTOTPFor(ctx context.Context, a *actor.Actor, accountID, userID int64) (string, error) {
	u := new(identity.User)
	if err := s.DB.NewSelect().Model(u).Where("id = ?", userID).Scan(ctx); err != nil {
		if db.IsNotFound(err) {
			return "", problem.NotFound()
		}
		return "", err
	}
	t, err := s.totpOf(ctx, s.DB, userID)
	if err != nil {
		return "", err
	}
	if t == nil {
		return "", problem.Conflict("user_id", "this person has no two-factor sign-in to reset")
	}
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*TOTP)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*RecoveryCode)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, accountID, "user.totp_reset", u.Email, nil)
	})
	s.Forget(userID)
	return u.Email, err
}
