package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"

	"groupcamp/core/db"
)

// DeviceCookie remembers, for DeviceTTL, that this browser passed the second factor (the
// sign-in form's optional checkbox): a signed value, not a stored one.
const (
	DeviceCookie = "groupcamp_device"
	DeviceTTL    = 30 * 24 * time.Hour
	pendingTTL   = 5 * time.Minute
)

// SignInRule is what the accounts a person belongs to say about their sign-in. The sso
// module provides it (Service.Rules): core keeps the mechanism, the module the settings.
type SignInRule struct {
	// PasswordRefused: an account of theirs requires single sign-on for colleagues, so the
	// password does not open a session (SSOPath says where to sign in instead).
	PasswordRefused bool
	SSOPath         string
	// TOTPRequired: an account of theirs requires two-factor sign-in.
	TOTPRequired bool
}

// rules is the person's SignInRule (none without the hook).
func (s *Service) rules(ctx context.Context, userID int64) (SignInRule, error) {
	if s.Rules == nil {
		return SignInRule{}, nil
	}
	return s.Rules(ctx, userID)
}

// MustEnrol reports whether an account requires two-factor sign-in of a person who has not
// turned it on: the pages send them to enrol. Every page GET of a session asks it (the Gate),
// so its answer is cached once CacheEnrolment was called.
func (s *Service) MustEnrol(ctx context.Context, userID int64) (bool, error) {
	if s.enrol == nil {
		return s.mustEnrol(ctx, userID)
	}
	return s.enrol.Get(ctx, userID, func(ctx context.Context) (bool, error) { return s.mustEnrol(ctx, userID) })
}

// CacheEnrolment keeps MustEnrol's answers for CacheTTL: one to two queries less per page GET
// (BenchmarkMustEnrol in modules/sso: 0.28 ms a miss, 60 ns a hit, on PostgreSQL, for a
// page of about 2 ms; 16 µs a miss on SQLite). Every write to
// the two-factor, memberships and accounts tables through s.DB drops them at once, and so
// does RulesChanged, which the provider of Rules calls when its settings change; another
// instance's change shows within CacheTTL (RulesChanged again, for the memberships it hears
// of through the revocation broadcast).
func (s *Service) CacheEnrolment() {
	s.enrol = db.NewCache[int64, bool](s.DB, CacheTTL, 10000, "auth_totp", "memberships", "accounts")
}

// RulesChanged drops the cached MustEnrol answers: what Rules says has changed.
func (s *Service) RulesChanged() {
	if s.enrol != nil {
		s.enrol.Drop()
	}
}

func (s *Service) mustEnrol(ctx context.Context, userID int64) (bool, error) {
	r, err := s.rules(ctx, userID)
	if err != nil || !r.TOTPRequired {
		return false, err
	}
	on, err := s.TOTPOn(ctx, userID)
	return !on, err
}

func (s *Service) mac(parts ...string) string {
	m := hmac.New(sha256.New, []byte(s.Secret))
	m.Write([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(m.Sum(nil))
}

// signed is "userID.expiryUnix.mac" for purpose, bound to extra.
func (s *Service) signed(purpose string, userID int64, until time.Time, extra string) string {
	id, exp := strconv.FormatInt(userID, 10), strconv.FormatInt(until.Unix(), 10)
	return id + "." + exp + "." + s.mac(purpose, id, exp, extra)
}

// checkSigned returns the user id of a value signed returned for purpose and extra, still
// valid; 0 otherwise.
func (s *Service) checkSigned(purpose, v string, extra func(userID int64) string) int64 {
	parts := strings.Split(v, ".")
	if len(parts) != 3 || len(v) > 200 {
		return 0
	}
	id, err1 := strconv.ParseInt(parts[0], 10, 64)
	exp, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || s.now().Unix() > exp {
		return 0
	}
	want := s.mac(purpose, parts[0], parts[1], extra(id))
	if !hmac.Equal([]byte(want), []byte(parts[2])) {
		return 0
	}
	return id
}

// deviceExtra binds a remembered device to the enrolment: turning two-factor off (or a
// support reset) and on again forgets every device.
func (s *Service) deviceExtra(ctx context.Context, userID int64) string {
	t, err := s.totpOf(ctx, s.DB, userID)
	if err != nil || t == nil || t.ConfirmedAt == nil {
		return "none"
	}
	return strconv.FormatInt(t.ConfirmedAt.UnixNano(), 10)
}

// DeviceToken is the value of DeviceCookie for a person who just passed the second factor.
func (s *Service) DeviceToken(ctx context.Context, userID int64) (string, time.Time) {
	until := s.now().Add(DeviceTTL)
	return s.signed("device", userID, until, s.deviceExtra(ctx, userID)), until
}

// deviceTrusted reports whether raw (the DeviceCookie) remembers this person's enrolment.
func (s *Service) deviceTrusted(ctx context.Context, userID int64, raw string) bool {
	if raw == "" {
		return false
	}
	return s.checkSigned("device", raw, func(int64) string { return s.deviceExtra(ctx, userID) }) == userID
}
