package billing

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// personalData is the module's part of a person's GDPR rights (hooks.PersonalData). Billing
// keeps no person's id: what may name a person is the card's holder (the owner's card, kept
// while it is the payment method) and, for a consumer account, the legal name and address the
// invoices copy. Erasure blanks the holder's name when it is the person's; issued invoices
// are kept as they are — the law requires it (10 years, French commercial code L123-22) —
// and closing the account deletes every row with it.
type personalData struct{ svc *Service }

const catCard = "billing.data.card"

// Tables are the module's tables that may hold a person's name.
func (personalData) Tables() []string {
	return []string{"billing_subscriptions", "billing_invoices"}
}

// Describe counts the card held in the person's name.
func (p personalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	n, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.svc.tenant(s.AccountID).SelectFrom("billing_subscriptions", "s").Where("s.card_holder = ? AND s.card_holder <> ''", s.Name)
	})
	if err != nil {
		return nil, err
	}
	return []hooks.DataCategory{personal.Category("billing", catCard, n, personal.FieldName)}, nil
}

// exportedCard is the card in the person's name, as stored (never a card number: there is none).
type exportedCard struct {
	Last4  string `json:"last4" bun:"card_last4"`
	Holder string `json:"holder" bun:"card_holder"`
	Expiry string `json:"expiry" bun:"card_expiry"`
}

// Export writes billing.json: the card held in the person's name.
func (p personalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	rows := []exportedCard{}
	if err := p.svc.tenant(s.AccountID).SelectFrom("billing_subscriptions", "s").ColumnExpr("s.card_last4, s.card_holder, s.card_expiry").
		Where("s.card_holder = ? AND s.card_holder <> ''", s.Name).Scan(ctx, &rows); err != nil {
		return err
	}
	return out.JSON("billing.json", rows)
}

// Erase blanks the card holder's name when it is the person's (the token stays: the card
// still pays until the owner replaces it).
func (p personalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, _ hooks.Erasure) error {
	if s.AccountID <= 0 || s.UserID <= 0 {
		return errors.New("billing: erase: no account or no person")
	}
	if s.Name == "" {
		return nil
	}
	_, err := db.For(tx, s.AccountID).Exec(ctx, "UPDATE billing_subscriptions SET card_holder = '' WHERE account_id = ? AND card_holder = ?", s.Name)
	return err
}

var _ hooks.PersonalData = personalData{}
