package billing

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// Pro-forma invoices and wire transfers.
//
// A pro-forma is what a customer's purchasing department asks for before it pays: the
// invoice the plan would bring, with its VAT, numbered in its own series (ProformaEntity:
// PF-000001) so that the legal sequence keeps no number that was never an invoice. It asks for
// no payment and uses no balance. Converting it issues a real invoice of the same lines in the
// legal sequence (then paid like any invoice); the invoice names its pro-forma (proforma_id,
// unique: a pro-forma converts once), and the pro-forma is never changed.
//
// An account that pays by wire transfer is charged nothing: each invoice shows the seller's
// IBAN and BIC with the invoice's number as the reference, and the platform admin records
// each transfer received (RecordTransfer) — in parts if the customer pays in parts. The
// transfer that completes an unpaid invoice of a past-due or read-only account makes it active.

// ProformaEntity is the pro-formas' series: not the legal entity's invoice sequence.
const ProformaEntity = "PF"

// Proforma issues a pro-forma of a month of plan, offerings and seats (the subscription's
// checks apply: a plan below the usage is 422): 201 with the pro-forma.
func (s *Service) Proforma(ctx context.Context, a *actor.Actor, in SubscriptionInput) (*Invoice, error) {
	plan, err := s.checkSubscription(ctx, &in)
	if err != nil {
		return nil, err
	}
	if err := s.notPartnerBilled(ctx, a.AccountID()); err != nil {
		return nil, err
	}
	var pf *Invoice
	err = s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		sub, err := s.subscriptionFor(ctx, tx, a.AccountID(), plan, in.Seats)
		if err != nil {
			return err
		}
		if pf, err = s.issueIn(ctx, tx, sub, monthLines(plan.In(sub.Currency), in.Offerings, in.Seats), KindProforma, ProformaEntity, nil); err != nil {
			return err
		}
		return audit.Record(ctx, tx.Unscoped(), a, a.AccountID(), "billing.proforma_issued", pf.Number, map[string]string{"plan": plan.Key})
	})
	return pf, err
}

// notPartnerBilled is 409 for an account its partner bills.
func (s *Service) notPartnerBilled(ctx context.Context, accountID int64) error {
	acc, err := s.account(ctx, s.DB, accountID)
	if err != nil {
		return err
	}
	if acc.PartnerUserID != nil {
		return problem.New(http.StatusConflict, "this account is billed by its partner")
	}
	return nil
}

// Convert issues the invoice of a pro-forma: the same lines, at today's VAT for the
// customer's details, in the legal sequence; then it is paid like any invoice (the balance,
// then the card — or a wire transfer). A pro-forma converts once (409 after); an invoice or
// credit note is no pro-forma (409).
func (s *Service) Convert(ctx context.Context, a *actor.Actor, id int64) (*Invoice, error) {
	pf, err := s.Invoice(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if pf.Kind != KindProforma {
		return nil, problem.Conflict("id", "only a pro-forma converts into an invoice")
	}
	if pf.ConvertedID != nil {
		return nil, problem.Conflict("id", "this pro-forma was converted already")
	}
	if err := s.notPartnerBilled(ctx, a.AccountID()); err != nil {
		return nil, err
	}
	var inv *Invoice
	var pay *Payment
	err = s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		sub, err := s.enrolled(ctx, tx) // locks the row: two conversions queue, the second finds the first
		if err != nil {
			return err
		}
		if n, err := tx.SelectFrom("billing_invoices", "i").Where("i.proforma_id = ?", pf.ID).Count(ctx); err != nil || n > 0 {
			if err == nil {
				err = problem.Conflict("id", "this pro-forma was converted already")
			}
			return err
		}
		lines := make([]Line, len(pf.Lines))
		for i, l := range pf.Lines {
			lines[i] = Line{Description: l.Description, Quantity: l.Quantity, UnitMinor: l.UnitMinor, ProrateDays: l.ProrateDays, PeriodDays: l.PeriodDays}
		}
		if inv, err = s.issueIn(ctx, tx, sub, lines, KindInvoice, Entity, &pf.ID); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx.Unscoped(), a, a.AccountID(), "billing.proforma_converted", inv.Number, map[string]string{"proforma": pf.Number}); err != nil {
			return err
		}
		if pay = due(sub, inv, "", s.now()); pay != nil {
			_, err = tx.Insert(pay).Exec(ctx)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if pay != nil {
		if err := s.charge(ctx, a.AccountID(), pay); err != nil {
			return nil, err
		}
	}
	return s.Invoice(ctx, a, inv.ID)
}

// chooseTransfer makes wire transfer the account's payment method: the card (if any) stays
// on file but is no longer charged.
func (s *Service) chooseTransfer(ctx context.Context, a *actor.Actor) (*Overview, error) {
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		sub, err := s.enrolled(ctx, tx)
		if err != nil {
			return err
		}
		sub.PaymentMethod, sub.UpdatedAt = MethodTransfer, s.now()
		if _, err := tx.Update(sub).Column("payment_method", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx.Unscoped(), a, a.AccountID(), "billing.transfer_chosen", "", nil)
	})
	if err != nil {
		return nil, err
	}
	return s.Overview(ctx, a)
}

// TransferInput is POST /api/v1/platform/billing/transfers: a wire transfer the bank received.
type TransferInput struct {
	// Reference is the transfer's reference: the invoice's number.
	Reference string `json:"reference" openapi:"required" example:"GC-FR-000042"`
	// AmountMinor is what arrived, in the invoice's currency; at most what is still due.
	AmountMinor int64 `json:"amount_minor" openapi:"required" example:"12000"`
	// BankRef is the bank's id of the transfer: recording the same one twice records it once.
	BankRef string `json:"bank_ref" openapi:"required" example:"2026-12-18-000731"`
	// Currency, optional, is the currency the transfer arrived in: another than the invoice's
	// is 422 (currency mismatch: the platform converts, and records what the bank credited).
	Currency string `json:"currency" example:"EUR"`
}

// TransferResult is what an invoice has been paid once a transfer is recorded.
type TransferResult struct {
	Number    string `json:"number" example:"GC-FR-000042"`
	PaidMinor int64  `json:"paid_minor" example:"12000"`
	DueMinor  int64  `json:"due_minor" example:"0"`
	State     string `json:"state" enum:"trial,active,past_due,read_only,closed"`
}

// legalNumber is an invoice number of the legal sequence: GC-FR-000042.
var legalNumber = regexp.MustCompile(`^` + regexp.QuoteMeta(Entity) + `-0*([1-9][0-9]{0,17})$`)

// RecordTransfer records a wire transfer received for an invoice (platform admin): the
// reference names the invoice, the amount pays part or all of what is due (more is 422: the
// platform refunds or credits it knowingly, not by accident), and the bank's reference makes
// a second recording of the same transfer answer the first. The transfer that leaves nothing
// due reactivates a past-due or read-only account. Audited in the account's trail.
func (s *Service) RecordTransfer(ctx context.Context, a *actor.Actor, in TransferInput) (*TransferResult, error) {
	var f problem.Fields
	in.Reference, in.BankRef = strings.ToUpper(strings.Join(strings.Fields(in.Reference), "")), strings.TrimSpace(in.BankRef)
	m := legalNumber.FindStringSubmatch(in.Reference)
	f.Check(m != nil, "reference", fmt.Sprintf("must be an invoice number (%s-000042)", Entity))
	f.Check(in.AmountMinor > 0 && in.AmountMinor <= MaxCredit, "amount_minor", fmt.Sprintf("must be from 1 to %d", MaxCredit))
	f.Check(in.BankRef != "" && len(in.BankRef) <= 100, "bank_ref", "must be the bank's reference of the transfer, 1 to 100 characters")
	if err := f.Err(); err != nil {
		return nil, err
	}
	seq, _ := strconv.ParseInt(m[1], 10, 64)
	var inv Invoice
	err := s.DB.NewSelect().Model(&inv).Where("i.entity = ? AND i.seq = ?", Entity, seq).Scan(ctx) // platform-wide: the reference names the account
	if db.IsNotFound(err) {
		return nil, problem.Invalid(problem.FieldError{Field: "reference", Message: "no invoice has this number"})
	}
	if err != nil {
		return nil, err
	}
	if inv.Kind != KindInvoice {
		return nil, problem.Invalid(problem.FieldError{Field: "reference", Message: "is a credit note: nothing is due on it"})
	}
	if c := strings.ToUpper(strings.TrimSpace(in.Currency)); c != "" && c != inv.Currency {
		return nil, problem.Invalid(problem.Sayf("currency", "currency mismatch: the invoice is in {currency}", "currency", inv.Currency))
	}
	out := &TransferResult{Number: inv.Number}
	key := "transfer-" + in.BankRef
	err = s.tenant(inv.AccountID).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		sub, err := s.enrolled(ctx, tx) // locks the row: transfers of one account queue
		if err != nil {
			return err
		}
		full, err := s.invoiceIn(ctx, tx, inv.ID)
		if err != nil {
			return err
		}
		var seen int64
		if seen, err = tx.SelectFrom("billing_payments", "p").Where("p.idempotency_key = ?", key).Count(ctx); err != nil {
			return err
		}
		if seen == 0 {
			left := full.TotalMinor - full.PaidMinor
			if in.AmountMinor > left {
				return problem.Invalid(problem.FieldError{Field: "amount_minor", Message: fmt.Sprintf("is more than is due on the invoice (%s)", Money(max(left, 0), full.Currency))})
			}
			now := s.now()
			pay := &Payment{InvoiceID: &inv.ID, IdempotencyKey: key, Method: MethodTransfer, AmountMinor: in.AmountMinor, Currency: full.Currency,
				State: PaymentSucceeded, GatewayRef: in.BankRef, CreatedAt: now, UpdatedAt: now}
			if _, err := tx.Insert(pay).Exec(ctx); err != nil {
				return err
			}
			full.PaidMinor += in.AmountMinor
			if err := audit.Record(ctx, tx.Unscoped(), a, inv.AccountID, "billing.transfer_recorded", inv.Number,
				map[string]string{"amount": Money(in.AmountMinor, full.Currency), "bank_ref": in.BankRef}); err != nil {
				return err
			}
		}
		out.PaidMinor, out.DueMinor, out.State = full.PaidMinor, max(full.TotalMinor-full.PaidMinor, 0), sub.State
		if out.DueMinor == 0 && (sub.State == StatePastDue || sub.State == StateReadOnly) {
			unpaid, err := s.unpaid(ctx, tx)
			if err != nil || unpaid > 0 {
				return err
			}
			if err := s.moveState(ctx, tx, StateActive, "past_due_since = NULL, retries = 0", s.now(), StatePastDue, StateReadOnly); err != nil {
				return err
			}
			out.State = StateActive
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// unpaid counts the account's invoices with something still due (neither the balance, the
// card nor transfers paid them in full).
func (s *Service) unpaid(ctx context.Context, tn db.Tenant) (int64, error) {
	return tn.SelectFrom("billing_invoices", "i").Where("i.kind = ?", KindInvoice).
		Where("i.total_minor - i.balance_minor > (SELECT COALESCE(SUM(p.amount_minor), 0) FROM billing_payments AS p WHERE p.account_id = i.account_id AND p.invoice_id = i.id AND p.state = ?)", PaymentSucceeded).
		Count(ctx)
}
