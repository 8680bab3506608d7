package billing

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/problem"
	"groupcamp/modules/billing/vat"
)

// nextNumber allocates the entity's next invoice number in tx: the sequence row is created
// once, then incremented. On PostgreSQL the UPDATE locks the row until tx ends, so concurrent
// issuers queue and a rolled back issue gives its number back; on SQLite the transaction holds
// the database's write lock from BEGIN. Either way the numbers have no gap.
func nextNumber(ctx context.Context, tx db.Tenant, entity string) (int64, string, error) {
	idb := tx.Unscoped()
	var seq int64
	next := func() error {
		return idb.NewRaw("UPDATE billing_sequences SET last_seq = last_seq + 1 WHERE entity = ? RETURNING last_seq", entity).Scan(ctx, &seq)
	}
	// The row exists but for the entity's very first invoice: one statement, not two.
	err := next()
	if errors.Is(err, sql.ErrNoRows) {
		if _, err = idb.NewRaw("INSERT INTO billing_sequences (entity, last_seq) VALUES (?, 0) ON CONFLICT (entity) DO NOTHING", entity).Exec(ctx); err == nil {
			err = next()
		}
	}
	if err != nil {
		return 0, "", err
	}
	return seq, fmt.Sprintf("%s-%06d", entity, seq), nil
}

// issue writes an invoice (or credit note) of lines for the subscription's customer, in tx:
// the number, the VAT of the customer's case (one rate for the whole invoice: one customer,
// one kind of service), the VAT lines and totals. Nothing updates an issued invoice.
func (s *Service) issue(ctx context.Context, tx db.Tenant, sub *Subscription, lines []Line, kind string, corrects *int64) (*Invoice, error) {
	return s.issueAt(ctx, tx, sub, lines, kind, corrects, nil)
}

// issueAt is issue with the VAT of orig when it is not nil: a credit note takes the rate and
// mention of the invoice it corrects, whatever the rate is today (a rate changed since, or
// the customer's details did).
func (s *Service) issueAt(ctx context.Context, tx db.Tenant, sub *Subscription, lines []Line, kind string, corrects *int64, orig *Invoice) (*Invoice, error) {
	return s.issueFull(ctx, tx, sub, lines, kind, Entity, corrects, nil, orig)
}

// issueIn is issue in the series of entity (the pro-formas have their own), for an invoice
// converted from the pro-forma proforma when it is not nil.
func (s *Service) issueIn(ctx context.Context, tx db.Tenant, sub *Subscription, lines []Line, kind, entity string, proforma *int64) (*Invoice, error) {
	return s.issueFull(ctx, tx, sub, lines, kind, entity, nil, proforma, nil)
}

// issueFull is issueAt and issueIn together.
func (s *Service) issueFull(ctx context.Context, tx db.Tenant, sub *Subscription, lines []Line, kind, entity string, corrects, proforma *int64, orig *Invoice) (*Invoice, error) {
	now := s.now()
	var net int64
	for i := range lines {
		lines[i].NetMinor = lineNet(lines[i])
		net += lines[i].NetMinor
	}
	kindOf := sub.CustomerKind
	if sub.VATNumber == "" {
		kindOf = vat.Consumer
	}
	q, err := s.VAT.Quote(ctx, vat.Request{CustomerCountry: sub.Country, CustomerKind: kindOf, VATNumber: sub.VATNumber, NetMinor: net, Day: now})
	if orig != nil && len(orig.VATLines) > 0 {
		rate := orig.VATLines[0].RateBP
		q, err = vat.Quote{RateBP: rate, VATMinor: vat.Tax(net, rate), Mention: orig.Mention}, nil
	}
	if err != nil {
		return nil, problem.Invalid(problem.FieldError{Field: "details", Message: "the billing details do not allow an invoice: " + err.Error()})
	}
	seq, number, err := nextNumber(ctx, tx, entity)
	if err != nil {
		return nil, err
	}
	inv := &Invoice{Entity: entity, Seq: seq, Number: number, Kind: kind, CorrectsID: corrects, ProformaID: proforma, IssuedOn: day(now), Currency: sub.Currency,
		LegalName: sub.LegalName, Address: sub.Address, Country: sub.Country, VATNumber: sub.VATNumber,
		NetMinor: net, VATMinor: q.VATMinor, TotalMinor: net + q.VATMinor, Mention: q.Mention, CreatedAt: now}
	// In another currency the VAT is stated in EUR too: refused without a rate (rates.go).
	if err := eurVAT(ctx, tx.Unscoped(), inv, orig); err != nil {
		return nil, err
	}
	if _, err := tx.Insert(inv).Exec(ctx); err != nil {
		return nil, err
	}
	for i := range lines {
		lines[i].InvoiceID, lines[i].RateBP = inv.ID, q.RateBP
	}
	if len(lines) > 0 {
		if _, err := tx.Insert(&lines).Exec(ctx); err != nil {
			return nil, err
		}
	}
	inv.Lines = lines
	inv.VATLines = []VATLine{{InvoiceID: inv.ID, RateBP: q.RateBP, BaseMinor: net, VATMinor: q.VATMinor}}
	if _, err := tx.Insert(&inv.VATLines).Exec(ctx); err != nil {
		return nil, err
	}
	if err := s.useBalance(ctx, tx, sub, inv); err != nil {
		return nil, err
	}
	if _, err := events.Emit(ctx, tx.Unscoped(), sub.AccountID, EventIssued, IssuedEvent{InvoiceID: inv.ID, Number: inv.Number}); err != nil {
		return nil, err
	}
	return inv, nil
}

// due is the pending payment of what the balance did not pay of inv (nil: nothing to charge,
// or the account pays by wire transfer — its transfers are recorded as they arrive); key is
// its idempotency key ("" makes one of the invoice's number).
func due(sub *Subscription, inv *Invoice, key string, now time.Time) *Payment {
	amount := inv.TotalMinor - inv.BalanceMinor
	if amount <= 0 || sub.PaymentMethod == MethodTransfer {
		return nil
	}
	if key == "" {
		key = "invoice-" + inv.Number
	}
	return &Payment{InvoiceID: &inv.ID, IdempotencyKey: key, Method: MethodCard, AmountMinor: amount, Currency: inv.Currency, State: PaymentPending, CreatedAt: now, UpdatedAt: now}
}

// IssueInvoice issues an invoice of lines to the account now (the monthly run and tests):
// the account must have billing details.
func (s *Service) IssueInvoice(ctx context.Context, accountID int64, lines []Line) (*Invoice, error) {
	var inv *Invoice
	err := s.tenant(accountID).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		sub, err := s.enrolled(ctx, tx)
		if err != nil {
			return err
		}
		inv, err = s.issue(ctx, tx, sub, lines, KindInvoice, nil)
		return err
	})
	return inv, err
}

// CreditNote corrects an issued invoice: a credit note of its lines, negated, at the
// invoice's VAT rate, with its own number; the invoice itself stays as issued. What was paid
// of the invoice is refunded to the prepaid balance (used by the next invoices).
func (s *Service) CreditNote(ctx context.Context, a *actor.Actor, invoiceID int64) (*Invoice, error) {
	orig, err := s.Invoice(ctx, a, invoiceID)
	if err != nil {
		return nil, err
	}
	if orig.Kind != KindInvoice {
		return nil, problem.Conflict("id", "a credit note is not corrected by another")
	}
	var cn *Invoice
	err = s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		sub, err := s.enrolled(ctx, tx)
		if err != nil {
			return err
		}
		// The credit note names the customer as the invoice did.
		snap := *sub
		snap.LegalName, snap.Address, snap.Country, snap.VATNumber = orig.LegalName, orig.Address, orig.Country, orig.VATNumber
		lines := make([]Line, len(orig.Lines))
		for i, l := range orig.Lines {
			lines[i] = Line{Description: "Credit: " + l.Description, Quantity: l.Quantity, UnitMinor: -l.UnitMinor, ProrateDays: l.ProrateDays, PeriodDays: l.PeriodDays, Coupon: l.Coupon}
		}
		if cn, err = s.issueAt(ctx, tx, &snap, lines, KindCreditNote, &orig.ID, orig); err != nil {
			return err
		}
		// What was paid of the invoice (card or balance) comes back as prepaid balance.
		if refund := min(orig.PaidMinor, -cn.TotalMinor); refund > 0 {
			return s.move(ctx, tx, sub, refund, "credit note "+cn.Number, &cn.ID)
		}
		return nil
	})
	return cn, err
}
