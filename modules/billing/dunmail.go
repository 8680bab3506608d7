package billing

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/core/mail"
)

// The dunning notices: each change of an account's billing state through the dunning —
// past_due (a payment failed), read_only (the grace period is over), closed (the retention is
// over) and active again (paid) — emails the owner, in the transaction of the change (the
// outbox sends it once committed; a rolled back change sends nothing). The email says what
// is due, and links to the Billing page where the owner pays. Its texts are the module's
// catalogue keys billing.mail.state.<state>.*, rendered in the owner's language.

// owner is the account's active owner with the account's slug (nil: none, the account is
// being deleted).
type owner struct {
	ID    int64  `bun:"id"`
	Name  string `bun:"name"`
	Email string `bun:"email"`
	Slug  string `bun:"slug"`
}

func ownerOf(ctx context.Context, idb bun.IDB, accountID int64) (*owner, error) {
	o := new(owner)
	err := idb.NewSelect().TableExpr("memberships AS m").Join("JOIN users AS u ON u.id = m.user_id").Join("JOIN accounts AS a ON a.id = m.account_id").
		ColumnExpr("u.id, "+identity.NameSQL("m", "u")+" AS name, u.email, a.slug").
		Where("m.account_id = ? AND m.role = 'owner' AND m.status = ?", accountID, identity.StatusActive).Limit(1).Scan(ctx, o)
	if db.IsNotFound(err) {
		return nil, nil
	}
	return o, err
}

// owed is what the account still owes on its invoices (the prepaid balance's part, card
// payments and transfers deducted), in the subscription's currency.
func owed(ctx context.Context, tn db.Tenant) (int64, string, error) {
	var out struct {
		Left     int64  `bun:"left_minor"`
		Currency string `bun:"currency"`
	}
	err := tn.SelectFrom("billing_subscriptions", "s").ColumnExpr("s.currency").
		ColumnExpr(`(SELECT COALESCE(SUM(i.total_minor - i.balance_minor - (SELECT COALESCE(SUM(p.amount_minor), 0) FROM billing_payments AS p
			WHERE p.account_id = i.account_id AND p.invoice_id = i.id AND p.state = ?)), 0) FROM billing_invoices AS i WHERE i.account_id = s.account_id AND i.kind = ?) AS left_minor`,
			PaymentSucceeded, KindInvoice).Limit(1).Scan(ctx, &out)
	return max(out.Left, 0), out.Currency, err
}

// notifyState emails the owner that the account's billing state is now state, in tn's
// transaction (nothing when mail is off or the account has no owner).
func (s *Service) notifyState(ctx context.Context, tn db.Tenant, state string) error {
	if s.Mail == nil {
		return nil
	}
	o, err := ownerOf(ctx, tn.Unscoped(), tn.AccountID)
	if err != nil || o == nil {
		return err
	}
	left, currency, err := owed(ctx, tn)
	if err != nil {
		return err
	}
	button := "billing.mail.pay"
	if state == StateActive || state == StateClosed {
		button = "billing.mail.open_billing"
	}
	return s.Mail.Enqueue(ctx, tn.Unscoped(), mail.Queued{Kind: mail.KindLink, AccountID: tn.AccountID, UserID: o.ID, To: o.Email, Transactional: true,
		Data: map[string]string{"name": o.Name, "subject": "billing.mail.state." + state + ".subject", "body": "billing.mail.state." + state + ".body",
			"button": button, "date": day(s.now()), "amount": Money(left, currency), "link": s.BaseURL + "/" + o.Slug + "/admin/billing"}}, nil)
}
