package sso

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// personalData is the module's part of a person's GDPR rights (hooks.PersonalData): the link
// of a person to their subject at the account's provider (sso_identities), and who last
// changed the settings (sso_settings.updated_by). Erase deletes the links (the next SSO
// sign-in would make one again) and forgets the person as the settings' last editor. Closing
// the account deletes every row with the account.
type personalData struct{ svc *Service }

const catLinks = "sso.data.links"

// Tables are the module's tables that hold a person's id.
func (personalData) Tables() []string { return []string{"sso_identities", "sso_settings"} }

// Describe counts the person's links.
func (p personalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	n, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return db.For(p.svc.DB, s.AccountID).SelectFrom("sso_identities", "i").Where("i.user_id = ?", s.UserID)
	})
	if err != nil {
		return nil, err
	}
	return []hooks.DataCategory{personal.Category("sso", catLinks, n, personal.FieldTimes)}, nil
}

// Export writes sso.json: the person's links (issuer, subject, when).
func (p personalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	rows := []Identity{}
	if err := db.For(p.svc.DB, s.AccountID).Select(&rows).Where("i.user_id = ?", s.UserID).OrderExpr("i.id").Scan(ctx); err != nil {
		return err
	}
	return out.JSON("sso.json", rows)
}

// Erase deletes the person's links and their name as the settings' last editor, in tx.
func (p personalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, _ hooks.Erasure) error {
	if s.AccountID <= 0 || s.UserID <= 0 {
		return nil
	}
	t := db.For(tx, s.AccountID)
	if _, err := t.Delete((*Identity)(nil)).Where("i.user_id = ?", s.UserID).Exec(ctx); err != nil {
		return err
	}
	_, err := t.Update((*Settings)(nil)).Set("updated_by = NULL").Where("s.updated_by = ?", s.UserID).Exec(ctx)
	return err
}
