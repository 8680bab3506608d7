package billing

import (
	"context"
	"fmt"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// The prepaid balance (credit): the platform adds to it (Credit), a credit note of a paid
// invoice refunds into it, and every invoice uses it first — the card is charged only for the
// rest. Each movement is a row of billing_balance_entries; the subscription's balance_minor is
// their sum and never goes below zero (a credit that would take it there is 422).

// MaxCredit bounds one credit (10^9 cents: ten million euros).
const MaxCredit = int64(1e9)

// move adds amount (negative: a use) to the account's balance in tx, with its entry; the
// balance never goes below zero.
func (s *Service) move(ctx context.Context, tx db.Tenant, sub *Subscription, amount int64, reason string, invoiceID *int64) error {
	if sub.BalanceMinor+amount < 0 {
		return problem.Invalid(problem.FieldError{Field: "amount_minor", Message: fmt.Sprintf("would take the balance below zero (it is %d)", sub.BalanceMinor)})
	}
	sub.BalanceMinor += amount
	if _, err := tx.Exec(ctx, "UPDATE billing_subscriptions SET balance_minor = ?1 WHERE account_id = ?0", sub.BalanceMinor); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, "INSERT INTO billing_balance_entries (account_id, amount_minor, reason, invoice_id, created_at) VALUES (?0, ?1, ?2, ?3, ?4)",
		amount, reason, invoiceID, s.now())
	return err
}

// useBalance pays what it can of a new invoice from the balance (inv.BalanceMinor), in the
// issuing transaction: the invoice shows it, and the card is charged the rest.
func (s *Service) useBalance(ctx context.Context, tx db.Tenant, sub *Subscription, inv *Invoice) error {
	use := min(sub.BalanceMinor, inv.TotalMinor)
	if inv.Kind != KindInvoice || use <= 0 {
		return nil
	}
	if err := s.move(ctx, tx, sub, -use, "invoice "+inv.Number, &inv.ID); err != nil {
		return err
	}
	inv.BalanceMinor = use
	_, err := tx.Exec(ctx, "UPDATE billing_invoices SET balance_minor = ?1 WHERE account_id = ?0 AND id = ?2", use, inv.ID)
	return err
}

// Credit adds amount to the account's prepaid balance (the platform's gesture, from code: the
// platform admin's route is CreditAccount); a negative amount corrects one, never below zero
// (422).
func (s *Service) Credit(ctx context.Context, accountID, amount int64, reason string) (int64, error) {
	return s.credit(ctx, nil, accountID, amount, reason)
}

// credit is Credit by a (nil: the system), audited in the account's trail.
func (s *Service) credit(ctx context.Context, a *actor.Actor, accountID, amount int64, reason string) (int64, error) {
	return s.creditIn(ctx, a, accountID, amount, reason, "")
}

// creditIn is credit of an amount in currency ("": the balance's): another currency than the
// balance's is 422 (a balance holds one currency, the account's).
func (s *Service) creditIn(ctx context.Context, a *actor.Actor, accountID, amount int64, reason, currency string) (int64, error) {
	var f problem.Fields
	f.Check(amount != 0 && amount >= -MaxCredit && amount <= MaxCredit, "amount_minor", fmt.Sprintf("must be a non-zero amount from -%d to %d", MaxCredit, MaxCredit))
	f.Check(reason != "" && len(reason) <= 200, "reason", "must be 1 to 200 characters")
	if err := f.Err(); err != nil {
		return 0, err
	}
	var balance int64
	err := s.tenant(accountID).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		sub, err := s.enrolled(ctx, tx)
		if err != nil {
			return err
		}
		if currency != "" && currency != sub.Currency {
			return problem.Invalid(problem.Sayf("currency", "currency mismatch: the account's balance is in {currency}", "currency", sub.Currency))
		}
		if err := s.move(ctx, tx, sub, amount, reason, nil); err != nil {
			return err
		}
		balance = sub.BalanceMinor
		return audit.Record(ctx, tx.Unscoped(), a, accountID, "billing.credited", Money(amount, sub.Currency), map[string]string{"reason": reason})
	})
	return balance, err
}
