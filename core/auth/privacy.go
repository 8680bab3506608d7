package auth

import (
	"context"
	"database/sql"
	"embed"
	"io/fs"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

//go:embed locales
var localeFiles embed.FS

// Catalogs are auth's message catalogs: the categories of its personal data.
func Catalogs() fs.FS {
	sub, _ := fs.Sub(localeFiles, "locales")
	return sub
}

// PersonalData is auth's part of a person's GDPR rights: what their login holds — sessions
// (with the IP address and browser they began from), personal API tokens, password resets —
// and the failed sign-ins with their email.
//
// All of it belongs to the login, which every account of the person shares, not to one
// account: Erase deletes it only when the erasure takes the login (personal.LoginGoes), and
// leaves it to the person's other accounts otherwise. It also purges connection data
// (hooks.ConnectionData): sessions and failed sign-ins belong to no account, so they are
// purged with the platform's retention (accountID 0).
type PersonalData struct {
	DB *bun.DB
}

// Category keys.
const (
	catSessions = "auth.data.sessions"
	catTokens   = "auth.data.tokens"
	catResets   = "auth.data.password_resets"
	catFailures = "auth.data.login_failures"
	catTOTP     = "auth.data.two_factor"
)

// Tables are auth's tables that name a person.
func (PersonalData) Tables() []string {
	return []string{"sessions", "api_tokens", "password_resets", "login_failures", "auth_totp", "auth_recovery_codes"}
}

// Describe counts the login's sessions, tokens, password resets and failed sign-ins.
func (p PersonalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	n, err := personal.Of(ctx, p.DB, s)
	if err != nil {
		return nil, err
	}
	counts := make([]int64, 4)
	for i, model := range []any{(*Session)(nil), (*APIToken)(nil), (*PasswordReset)(nil)} {
		if counts[i], err = personal.Count(ctx, s, func() *bun.SelectQuery {
			return p.DB.NewSelect().Model(model).Where("user_id = ?", s.UserID)
		}); err != nil {
			return nil, err
		}
	}
	if counts[3], err = personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.DB.NewSelect().Model((*LoginFailure)(nil)).Where("email IN (?)", bun.In(append([]string{""}, n.Emails...)))
	}); err != nil {
		return nil, err
	}
	totp, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.DB.NewSelect().Model((*TOTP)(nil)).Where("user_id = ?", s.UserID)
	})
	if err != nil {
		return nil, err
	}
	return []hooks.DataCategory{
		personal.Category("core", catTOTP, totp, personal.FieldTimes),
		personal.Category("core", catSessions, counts[0], personal.FieldIP, personal.FieldUserAgent, personal.FieldTimes),
		personal.Category("core", catTokens, counts[1], personal.FieldName, personal.FieldTimes),
		personal.Category("core", catResets, counts[2], personal.FieldTimes),
		personal.Category("core", catFailures, counts[3], personal.FieldEmail, personal.FieldIP, personal.FieldTimes),
	}, nil
}

// SessionExport is one session as exported.
type SessionExport struct {
	Kind       string    `json:"kind"`
	IP         string    `json:"ip"`
	UserAgent  string    `json:"user_agent"`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
}

// TOTPExport is the two-factor enrolment as exported (never its secret nor the codes).
type TOTPExport struct {
	CreatedAt   time.Time  `json:"created_at"`
	ConfirmedAt *time.Time `json:"confirmed_at"`
}

// ResetExport is one password reset as exported.
type ResetExport struct {
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt time.Time  `json:"expires_at"`
	UsedAt    *time.Time `json:"used_at,omitempty"`
}

// FailureExport is one failed sign-in as exported.
type FailureExport struct {
	IP        string    `json:"ip"`
	CreatedAt time.Time `json:"created_at"`
}

// Export writes auth/sessions.json, auth/api_tokens.json, auth/password_resets.json and
// auth/login_failures.json (never a secret: tokens are stored hashed, and only their name and
// prefix are given).
func (p PersonalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	n, err := personal.Of(ctx, p.DB, s)
	if err != nil {
		return err
	}
	sessions, tokens, resets, failures := []SessionExport{}, []APIToken{}, []ResetExport{}, []FailureExport{}
	if err := p.DB.NewSelect().Model((*Session)(nil)).Column("kind", "ip", "user_agent", "created_at", "last_seen_at", "expires_at").
		Where("user_id = ?", s.UserID).OrderExpr("id").Scan(ctx, &sessions); err != nil {
		return err
	}
	if err := p.DB.NewSelect().Model(&tokens).Where("user_id = ?", s.UserID).OrderExpr("id").Scan(ctx); err != nil {
		return err
	}
	if err := p.DB.NewSelect().Model((*PasswordReset)(nil)).Column("created_at", "expires_at", "used_at").
		Where("user_id = ?", s.UserID).OrderExpr("id").Scan(ctx, &resets); err != nil {
		return err
	}
	if len(n.Emails) > 0 {
		if err := p.DB.NewSelect().Model((*LoginFailure)(nil)).Column("ip", "created_at").
			Where("email IN (?)", bun.In(n.Emails)).OrderExpr("id").Scan(ctx, &failures); err != nil {
			return err
		}
	}
	twoFactor := []TOTPExport{}
	if err := p.DB.NewSelect().Model((*TOTP)(nil)).Column("created_at", "confirmed_at").Where("user_id = ?", s.UserID).Scan(ctx, &twoFactor); err != nil {
		return err
	}
	for name, v := range map[string]any{"auth/two_factor.json": twoFactor, "auth/sessions.json": sessions, "auth/api_tokens.json": tokens, "auth/password_resets.json": resets, "auth/login_failures.json": failures} {
		if err := out.JSON(name, v); err != nil {
			return err
		}
	}
	return nil
}

// Erase deletes the login's sessions, tokens, password resets and failed sign-ins when the
// erasure takes the login; otherwise the person's other accounts still use them.
func (PersonalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, _ hooks.Erasure) error {
	goes, err := personal.LoginGoes(ctx, tx, s)
	if err != nil || !goes {
		return err
	}
	n, err := personal.Of(ctx, tx, s)
	if err != nil {
		return err
	}
	for _, model := range []any{(*Session)(nil), (*APIToken)(nil), (*PasswordReset)(nil), (*TOTP)(nil), (*RecoveryCode)(nil)} {
		if _, err := tx.NewDelete().Model(model).Where("user_id = ?", s.UserID).Exec(ctx); err != nil {
			return err
		}
	}
	if len(n.Emails) == 0 {
		return nil
	}
	_, err = tx.NewDelete().Model((*LoginFailure)(nil)).Where("email IN (?)", bun.In(n.Emails)).Exec(ctx)
	return err
}

// PurgeConnections purges the connection data older than before. Sessions and failed sign-ins
// belong to no account, so only accountID 0 has any: failed sign-ins go, sessions last used
// before then go (they expired long ago under the default settings), and the sessions still
// alive that began before then lose the IP address and browser they began from.
func (PersonalData) PurgeConnections(ctx context.Context, idb bun.IDB, accountID int64, before time.Time) (int64, error) {
	if accountID != 0 {
		return 0, nil
	}
	var total int64
	steps := []func() (int64, error){
		func() (int64, error) {
			return affected(idb.NewDelete().Model((*LoginFailure)(nil)).Where("created_at < ?", before).Exec(ctx))
		},
		func() (int64, error) {
			return affected(idb.NewDelete().Model((*Session)(nil)).Where("last_seen_at < ?", before).Exec(ctx))
		},
		func() (int64, error) {
			return affected(idb.NewUpdate().Model((*Session)(nil)).Set("ip = ''").Set("user_agent = ''").
				Where("created_at < ? AND (ip <> '' OR user_agent <> '')", before).Exec(ctx))
		},
	}
	for _, step := range steps {
		n, err := step()
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// affected is the number of rows a statement changed.
func affected(res sql.Result, err error) (int64, error) {
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// The ports it implements.
var (
	_ hooks.PersonalData   = PersonalData{}
	_ hooks.ConnectionData = PersonalData{}
)
