package billing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
)

// Purging the accounts closed for non-payment. The dunning closes an account ClosureDays after
// its missed payment; its data is kept PurgeDays more (the owner may still read and export
// it: a closed account's reads work), then the daily dunning run erases it through the
// privacy module's purge (hooks.AccountPurger): every member erased through every module's
// personal-data provider, then every row of the account — but billing's accounting records
// (KeptTables), which the seller must keep ten years (French commercial code L123-22; GDPR art.
// 17(3)(b)), and the account's row they hang on. Before that, billing blanks what it keeps
// of the card (token, last four, holder, expiry): nothing will be charged again. Without the
// port (no privacy module) nothing is purged: the purge stays scheduled, and the platform
// page lists it as due. The owner's own closure (the privacy module's) keeps the same
// records: billing's provider tells privacy (hooks.Retention, Retained) what to keep, and both
// paths end in one function of privacy's.

// PurgeDays is how long a closed account's data is kept before it is purged.
var PurgeDays = 30

// KeptTables are billing's tables a purge keeps: the invoices and credit notes as issued,
// their lines, VAT lines and PDFs, the payments and the balance's movements (the ledger),
// and the subscription row, which says the account was closed and purged.
var KeptTables = []string{"billing_subscriptions", "billing_invoices", "billing_invoice_lines", "billing_vat_lines",
	"billing_invoice_pdfs", "billing_payments", "billing_balance_entries"}

// purgeDue is when an account closed at closed is purged.
func purgeDue(closed time.Time) time.Time { return closed.AddDate(0, 0, PurgeDays) }

// Purge erases the data of every closed account whose retention ended, through the privacy
// module's purge; it answers how many were purged (an account that failed is in the error,
// and tried again by the next run). Without the port it purges nothing.
func (s *Service) Purge(ctx context.Context) (int, error) {
	if s.Hooks == nil || s.Hooks.Purger == nil {
		return 0, nil
	}
	var ids []int64
	// closed_at is empty for the accounts closed before it was kept: their row's last change.
	if err := s.DB.NewSelect().TableExpr("billing_subscriptions AS s").Column("s.account_id").
		Where("s.state = ? AND s.purged_at IS NULL AND COALESCE(s.closed_at, s.updated_at) <= ?", StateClosed, s.now().AddDate(0, 0, -PurgeDays)).
		OrderExpr("s.account_id").Scan(ctx, &ids); err != nil {
		return 0, err
	}
	// An account that fails is reported and retried by the next run; the others go on.
	purged := 0
	var errs []error
	for _, id := range ids {
		if err := s.purgeOne(ctx, id); err != nil {
			errs = append(errs, fmt.Errorf("billing: purge of account %d: %w", id, err))
			continue
		}
		purged++
	}
	return purged, errors.Join(errs...)
}

// purgeOne blanks the account's card, purges its data through the port and records the
// purge. A crash between the steps is finished by the next run (each is idempotent).
func (s *Service) purgeOne(ctx context.Context, accountID int64) error {
	tn := s.tenant(accountID)
	if _, err := tn.Exec(ctx, "UPDATE billing_subscriptions SET gateway_token = '', card_last4 = '', card_holder = '', card_expiry = '' WHERE account_id = ?0"); err != nil {
		return err
	}
	if err := s.Hooks.Purger.PurgeAccount(ctx, accountID, KeptTables); err != nil {
		return err
	}
	_, err := tn.Exec(ctx, "UPDATE billing_subscriptions SET purged_at = ?1 WHERE account_id = ?0 AND purged_at IS NULL", s.now())
	return err
}

// Retained is the module's hooks.Retention: KeptTables when the account has an invoice or a
// credit note (a pro-forma is no accounting record), nothing otherwise — an account that
// never issued one keeps nothing once closed. The owner's closure and the purge both ask it.
func (p personalData) Retained(ctx context.Context, idb bun.IDB, accountID int64) ([]string, error) {
	has, err := db.For(idb, accountID).SelectFrom("billing_invoices", "i").Where("i.kind IN (?, ?)", KindInvoice, KindCreditNote).Exists(ctx)
	if err != nil || !has {
		return nil, err
	}
	return KeptTables, nil
}

// RetentionNotice tells the owner, before they close the account, what billing keeps.
func (personalData) RetentionNotice() string { return "billing.closure.kept" }

// CloseAccount (hooks.AccountData) ends the account's billing when the account is closed, by
// its owner or by the purge: the row says closed and purged (nothing is charged, dunned or
// purged again) and the card is forgotten (token, last four, holder, expiry).
func (p personalData) CloseAccount(ctx context.Context, accountID int64) error {
	now := p.svc.now()
	_, err := p.svc.tenant(accountID).Exec(ctx, `UPDATE billing_subscriptions SET state = ?1, closed_at = COALESCE(closed_at, ?2), purged_at = COALESCE(purged_at, ?2),
		gateway_token = '', card_last4 = '', card_holder = '', card_expiry = '', updated_at = ?2 WHERE account_id = ?0`, StateClosed, now)
	return err
}

var (
	_ hooks.Retention   = personalData{}
	_ hooks.AccountData = personalData{}
)

// closedAt is when the row was closed (its last change for a row closed before closed_at).
func closedAt(c *ClosedAccount) time.Time {
	if c.ClosedAt != nil {
		return *c.ClosedAt
	}
	return c.UpdatedAt
}
