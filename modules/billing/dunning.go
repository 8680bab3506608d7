package billing

import (
	"context"
	"fmt"
	"net/http"

	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// Dunning: a charge that fails puts the account past_due (past_due_since). The daily job
// retries the unpaid invoice on day 1, 3 and 7 after that (RetryDays), each with its own
// idempotency key; past GraceDays without a payment the account turns read_only — every
// write of the modules is 402 (WriteGate), reads and exports still work, billing stays
// writable so the owner can pay — and past ClosureDays it is closed; PurgeDays after that its
// data is purged (purge.go). A payment at any point before closed (a retry, or the gateway's
// charge.succeeded notice) makes it active again.
var (
	RetryDays   = []int{1, 3, 7}
	GraceDays   = 14
	ClosureDays = 90
)

// Dun runs the dunning of every past_due or read_only account, once a day: it answers how
// many accounts changed state.
func (s *Service) Dun(ctx context.Context) (int, error) {
	var subs []Subscription
	if err := s.DB.NewSelect().Model(&subs).Where("s.state IN (?, ?)", StatePastDue, StateReadOnly).Scan(ctx); err != nil {
		return 0, err
	}
	changed := 0
	for i := range subs {
		n, err := s.dunOne(ctx, &subs[i])
		if err != nil {
			return changed, fmt.Errorf("billing: dunning of account %d: %w", subs[i].AccountID, err)
		}
		changed += n
	}
	purged, err := s.Purge(ctx) // the closed accounts whose retention ended (purge.go)
	return changed + purged, err
}

// dunOne retries or escalates one account.
func (s *Service) dunOne(ctx context.Context, sub *Subscription) (int, error) {
	if sub.PastDueSince == nil {
		return 0, nil
	}
	now := s.now()
	days := int(now.Sub(*sub.PastDueSince).Hours() / 24)
	if sub.Retries < len(RetryDays) && days >= RetryDays[sub.Retries] {
		paid, err := s.retry(ctx, sub)
		if err != nil || paid {
			return boolInt(paid), err
		}
	}
	next := ""
	switch {
	case days >= ClosureDays && sub.State != StateClosed:
		next = StateClosed
	case days >= GraceDays && sub.State == StatePastDue:
		next = StateReadOnly
	}
	if next == "" {
		return 0, nil
	}
	set := ""
	if next == StateClosed {
		set = "closed_at = ?2" // the purge is due PurgeDays later
	}
	err := s.tenant(sub.AccountID).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		return s.moveState(ctx, tx, next, set, now, sub.State)
	})
	return 1, err
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// retry charges the oldest unpaid invoice again, with a key of its own (the retry's number).
func (s *Service) retry(ctx context.Context, sub *Subscription) (bool, error) {
	tn := s.tenant(sub.AccountID)
	inv := new(Invoice)
	err := tn.Select(inv).Where("i.kind = ? AND i.total_minor > i.balance_minor", KindInvoice).
		Where("NOT EXISTS (SELECT 1 FROM billing_payments AS p WHERE p.account_id = i.account_id AND p.invoice_id = i.id AND p.state = ?)", PaymentSucceeded).
		OrderExpr("i.id").Limit(1).Scan(ctx)
	if db.IsNotFound(err) {
		return s.reactivate(ctx, sub.AccountID)
	}
	if err != nil {
		return false, err
	}
	now := s.now()
	pay := &Payment{InvoiceID: &inv.ID, IdempotencyKey: fmt.Sprintf("retry-%s-%d", inv.Number, sub.Retries+1), Method: MethodCard, AmountMinor: inv.TotalMinor - inv.BalanceMinor,
		Currency: inv.Currency, State: PaymentPending, CreatedAt: now, UpdatedAt: now}
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		if _, err := tx.Insert(pay).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, "UPDATE billing_subscriptions SET retries = retries + 1 WHERE account_id = ?")
		return err
	})
	if err != nil {
		return false, err
	}
	if err := s.charge(ctx, sub.AccountID, pay); err != nil {
		return false, err
	}
	if pay.State != PaymentSucceeded {
		return false, nil
	}
	return s.reactivate(ctx, sub.AccountID)
}

// reactivate makes a past_due or read_only account active again (its dunning starts over).
func (s *Service) reactivate(ctx context.Context, accountID int64) (bool, error) {
	err := s.tenant(accountID).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		return s.moveState(ctx, tx, StateActive, "past_due_since = NULL, retries = 0", s.now(), StatePastDue, StateReadOnly)
	})
	return err == nil, err
}

// Writable is the write gate (hooks.WriteGate): a read_only or closed account's writes are
// 402, but billing's own (to pay) and privacy's (exports, erasure requests).
func (e enablement) Writable(ctx context.Context, accountID int64, module string) error {
	if module == "billing" || module == "privacy" {
		return nil
	}
	st, err := e.svc.standing(ctx, accountID)
	if err != nil {
		return err
	}
	if !st.Found || (st.State != StateReadOnly && st.State != StateClosed) {
		return nil
	}
	p := problem.New(http.StatusPaymentRequired, "the account is read-only until its unpaid invoice is paid: the owner pays it on the Billing page")
	p.Errors = []problem.FieldError{{Field: "account", Message: "is read-only after a missed payment"}}
	return p
}
