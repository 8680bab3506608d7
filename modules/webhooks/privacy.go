package webhooks

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// personalData is the module's part of a person's GDPR rights (hooks.PersonalData): the one
// thing it keeps about a person is who registered each hook (webhooks_hooks.created_by).
// Hooks are the account's integrations: Erase keeps them, without the person. The messages
// (webhooks_messages) are events as sent, which may quote a person: Erase scrubs their name
// and email from them (and from the receivers' answers in the log, which may quote them), as
// core does in the outbox; the purge deletes them after Retention.
// Closing the account deletes every row with the account.
type personalData struct{ svc *Service }

const catCreated = "webhooks.data.created"

// Tables are the module's tables that hold a person's id.
func (personalData) Tables() []string {
	return []string{"webhooks_hooks", "webhooks_messages", "webhooks_deliveries"}
}

// Describe counts the hooks the person registered.
func (p personalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	n, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.svc.tenant(s.AccountID).SelectFrom("webhooks_hooks", "h").Where("h.created_by = ?", s.UserID)
	})
	if err != nil {
		return nil, err
	}
	return []hooks.DataCategory{personal.Category("webhooks", catCreated, n, personal.FieldActions, personal.FieldTimes)}, nil
}

// exported is one hook the person registered.
type exported struct {
	ID        int64  `json:"id" bun:"id"`
	URL       string `json:"url" bun:"url"`
	CreatedAt any    `json:"created_at" bun:"created_at"`
}

// Export writes webhooks.json: the hooks they registered (never the secrets).
func (p personalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	rows := []exported{}
	if err := p.svc.tenant(s.AccountID).SelectFrom("webhooks_hooks", "h").ColumnExpr("h.id, h.url, h.created_at").
		Where("h.created_by = ?", s.UserID).OrderExpr("h.id").Scan(ctx, &rows); err != nil {
		return err
	}
	return out.JSON("webhooks.json", rows)
}

// Erase detaches the person from the hooks they registered, in tx.
func (p personalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, _ hooks.Erasure) error {
	if s.AccountID <= 0 || s.UserID <= 0 {
		return errors.New("webhooks: erase: no account or no person")
	}
	tn := db.For(tx, s.AccountID)
	if _, err := tn.Exec(ctx, "UPDATE webhooks_hooks SET created_by = NULL WHERE account_id = ? AND created_by = ?", s.UserID); err != nil {
		return err
	}
	n, err := personal.Of(ctx, tx, s)
	if err != nil {
		return err
	}
	if _, err := personal.ScrubTenant(ctx, tn, "webhooks_messages", n, "body"); err != nil {
		return err
	}
	// A receiver's answer may quote what it got.
	_, err = personal.ScrubTenant(ctx, tn, "webhooks_deliveries", n, "response", "error")
	return err
}

var _ hooks.PersonalData = personalData{}
