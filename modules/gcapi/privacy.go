package gcapi

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// personalData is the module's part of a person's GDPR rights (hooks.PersonalData): the one
// thing it keeps about a person is who created each key pair (gcapi_keys.created_by). Key
// pairs are the account's integrations: Erase keeps them, without the person. The pages of
// "full" answers hold time logs naming people for at most PagesKept: Erase deletes the
// account's pages (they are made again on the next request). Closing the account deletes
// every row with it.
type personalData struct{ svc *Service }

const catCreated = "gcapi.data.created"

// Tables are the module's tables that hold a person's id.
func (personalData) Tables() []string { return []string{"gcapi_keys", "gcapi_pages"} }

// Describe counts the key pairs the person created.
func (p personalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	n, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.svc.tenant(s.AccountID).SelectFrom("gcapi_keys", "k").Where("k.created_by = ?", s.UserID)
	})
	if err != nil {
		return nil, err
	}
	return []hooks.DataCategory{personal.Category("gcapi", catCreated, n, personal.FieldActions, personal.FieldTimes)}, nil
}

// exported is one key pair the person created (never its secret).
type exported struct {
	Key         string `json:"key" bun:"key_id"`
	Application string `json:"application" bun:"application"`
	Label       string `json:"label" bun:"label"`
	CreatedAt   any    `json:"created_at" bun:"created_at"`
	RevokedAt   any    `json:"revoked_at" bun:"revoked_at"`
}

// Export writes gcapi-keys.json: the key pairs they created.
func (p personalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	rows := []exported{}
	if err := p.svc.tenant(s.AccountID).SelectFrom("gcapi_keys", "k").ColumnExpr("k.key_id, k.application, k.label, k.created_at, k.revoked_at").
		Where("k.created_by = ?", s.UserID).OrderExpr("k.id").Scan(ctx, &rows); err != nil {
		return err
	}
	return out.JSON("gcapi-keys.json", rows)
}

// Erase detaches the person from the key pairs they created and drops the kept pages, in tx.
func (p personalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, _ hooks.Erasure) error {
	if s.AccountID <= 0 || s.UserID <= 0 {
		return errors.New("gcapi: erase: no account or no person")
	}
	tn := db.For(tx, s.AccountID)
	if _, err := tn.Exec(ctx, "UPDATE gcapi_keys SET created_by = NULL WHERE account_id = ? AND created_by = ?", s.UserID); err != nil {
		return err
	}
	_, err := tn.Exec(ctx, "DELETE FROM gcapi_pages WHERE account_id = ?")
	return err
}

var _ hooks.PersonalData = personalData{}
