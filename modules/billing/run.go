package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/mail"
)

// The monthly run (RunTask, daily): every active or past-due subscription whose period ended
// (period_end on or before today) gets the next period's invoice — after its scheduled
// downgrade, if any, took effect — one transaction per account, then its charge. Issuing
// emits EventIssued in the same transaction; its subscriber, run by the event relay in the
// background, renders the PDF into billing_invoice_pdfs and emails the owner: rendering
// stays out of the issuing transaction, and a failed render is retried on its own.

// EventIssued is emitted with every issued invoice or credit note.
const EventIssued = "billing.invoice_issued"

// IssuedEvent is EventIssued's payload.
type IssuedEvent struct {
	InvoiceID int64  `json:"invoice_id"`
	Number    string `json:"number"`
}

// RunBatch is how many due subscriptions one query of the run reads, and one transaction
// invoices: each account in a savepoint of its own (a failing account is rolled back alone
// and reported), one commit for the batch — the commits, not the work, bounded the run.
const RunBatch = 200

// Run issues the invoices due today and charges them: it answers how many were issued. An
// account that fails is skipped (its error joined to the answer) and retried by the next run.
func (s *Service) Run(ctx context.Context) (int, error) {
	today := day(s.now())
	cat, err := s.plans(ctx) // the run's prices: the catalogue as it is when the run starts
	if err != nil {
		return 0, err
	}
	issued, after := 0, int64(0)
	var errs []error
	for {
		var pays []*Payment
		var subs []Subscription
		err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			// The batch's rows, locked for the transaction (each account's savepoint
			// works on its row as read here: no second read).
			q := tx.NewSelect().Model(&subs).Where("s.state IN (?, ?)", StateActive, StatePastDue).
				Where("s.period_end <> '' AND s.period_end <= ?", today).Where("s.account_id > ?", after).
				OrderExpr("s.account_id").Limit(RunBatch)
			if db.IsPostgres(tx) {
				q = q.For("UPDATE")
			}
			if err := q.Scan(ctx); err != nil {
				return err
			}
			ids := make([]int64, len(subs))
			for i := range subs {
				ids[i] = subs[i].AccountID
			}
			coupons, err := activeCoupons(ctx, tx, ids) // one query for the batch, not one per account
			if err != nil {
				return err
			}
			for i := range subs {
				p, n, err := s.renew(ctx, db.For(tx, subs[i].AccountID), &subs[i], today, cat, coupons[subs[i].AccountID])
				if err != nil {
					errs = append(errs, fmt.Errorf("billing: monthly run, account %d: %w", subs[i].AccountID, err))
					continue
				}
				pays, issued = append(pays, p...), issued+n
			}
			return nil
		})
		if err != nil {
			return issued, err
		}
		tokens := map[int64]string{}
		for _, sub := range subs {
			tokens[sub.AccountID] = sub.GatewayToken
		}
		if err := s.chargeAll(ctx, pays, tokens); err != nil {
			errs = append(errs, err)
		}
		if len(subs) < RunBatch {
			return issued, errors.Join(errs...)
		}
		after = subs[len(subs)-1].AccountID
	}
}

// chargeAll charges a batch's payments through the gateway, then records every answer in
// one transaction (one commit, not one per account: on PostgreSQL the commits were most of
// the run).
func (s *Service) chargeAll(ctx context.Context, pays []*Payment, tokens map[int64]string) error {
	type answer struct {
		ref  string
		cerr error
	}
	answers := make([]answer, len(pays))
	var errs []error
	for i, pay := range pays {
		ref, cerr, err := s.attemptWith(ctx, pay.AccountID, tokens[pay.AccountID], pay)
		if err != nil {
			errs = append(errs, fmt.Errorf("billing: monthly run, charge of account %d: %w", pay.AccountID, err))
			cerr = err
		}
		answers[i] = answer{ref, cerr}
	}
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for i, pay := range pays {
			if err := s.record(ctx, db.For(tx, pay.AccountID), pay, answers[i].ref, answers[i].cerr); err != nil {
				return err
			}
		}
		return nil
	})
	return errors.Join(append(errs, err)...)
}

// renew invoices one account's next period in a savepoint of tn's transaction (periods
// missed by a run that did not happen are invoiced one by one, each its own invoice); it
// answers the payments to charge once the transaction committed.
func (s *Service) renew(ctx context.Context, tn db.Tenant, row *Subscription, today string, cat Catalog, coupon *redemption) ([]*Payment, int, error) {
	var pays []*Payment
	n := 0
	err := tn.RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		pays, n = nil, 0
		sub := new(Subscription)
		*sub = *row        // a copy: a rolled back savepoint leaves the row as read
		var cp *redemption // the coupon's copy too: counted down period by period
		if coupon != nil {
			c := *coupon
			cp = &c
		}
		for sub.PeriodEnd != "" && sub.PeriodEnd <= today && (sub.State == StateActive || sub.State == StatePastDue) {
			start, _ := civil(sub.PeriodEnd)
			if p := pendingOf(sub); p != nil {
				sub.Plan, sub.Offerings, sub.Seats = p.Plan, p.Offerings, p.Seats
				sub.PendingPlan, sub.PendingOfferings, sub.PendingSeats = "", "", 0
			}
			sub.PeriodStart, sub.PeriodEnd, sub.UpdatedAt = day(start), day(nextPeriodEnd(start, anchorOf(sub))), s.now()
			if _, err := tx.Update(sub).Column("plan", "offerings", "seats", "period_start", "period_end", "pending_plan", "pending_offerings", "pending_seats", "updated_at").WherePK().Exec(ctx); err != nil {
				return err
			}
			plan, _ := cat.Of(sub.Plan)
			plan = plan.In(sub.Currency)
			lines := monthLines(plan, sub.Offerings, sub.Seats)
			for i := range lines {
				lines[i].Description += fmt.Sprintf(" (%s – %s)", sub.PeriodStart, sub.PeriodEnd)
			}
			lines, err := s.applyCoupon(ctx, tx, sub, lines, cp)
			if err != nil {
				return err
			}
			inv, err := s.issue(ctx, tx, sub, lines, KindInvoice, nil)
			if err != nil {
				return err
			}
			n++
			if pay := due(sub, inv, "", s.now()); pay != nil {
				if _, err := tx.Insert(pay).Exec(ctx); err != nil {
					return err
				}
				pays = append(pays, pay)
			}
		}
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	return pays, n, nil
}

// onIssued renders the invoice's PDF into billing_invoice_pdfs and emails the owner a link to
// the invoice, in the event's transaction (both happen once: the PDF row is the receipt).
func (s *Service) onIssued(ctx context.Context, tx bun.Tx, ev *events.Event) error {
	var p IssuedEvent
	if err := json.Unmarshal(ev.Payload, &p); err != nil {
		return err
	}
	tn := db.For(tx, ev.AccountID)
	if n, err := tn.SelectFrom("billing_invoice_pdfs", "f").Where("f.invoice_id = ?", p.InvoiceID).Count(ctx); err != nil || n > 0 {
		return err
	}
	inv, err := s.invoiceIn(ctx, tn, p.InvoiceID)
	if err != nil {
		if db.IsNotFound(err) {
			return nil // the account is gone
		}
		return err
	}
	body, err := PDF(inv, s.Seller)
	if err != nil {
		return err
	}
	if _, err := tn.Exec(ctx, "INSERT INTO billing_invoice_pdfs (account_id, invoice_id, body, created_at) VALUES (?0, ?1, ?2, ?3)", p.InvoiceID, body, s.now()); err != nil {
		return err
	}
	if s.Mail == nil {
		return nil
	}
	owner, err := ownerOf(ctx, tx, ev.AccountID)
	if err != nil || owner == nil {
		return err
	}
	kind := inv.Kind // invoice, credit_note, proforma: each its mail
	return s.Mail.Enqueue(ctx, tx, mail.Queued{Kind: mail.KindLink, AccountID: ev.AccountID, UserID: owner.ID, To: owner.Email, Transactional: true,
		Data: map[string]string{"name": owner.Name, "subject": "billing.mail." + kind + ".subject", "body": "billing.mail." + kind + ".body",
			"button": "billing.mail.open", "date": inv.IssuedOn, "number": inv.Number,
			"link": s.BaseURL + "/" + owner.Slug + "/admin/billing/invoices/" + strconv.FormatInt(inv.ID, 10)}}, nil)
}

// StoredPDF is the PDF the background job rendered of an invoice (nil while it has not yet).
func (s *Service) StoredPDF(ctx context.Context, accountID, invoiceID int64) ([]byte, error) {
	var body []byte
	err := s.tenant(accountID).SelectFrom("billing_invoice_pdfs", "f").Column("f.body").Where("f.invoice_id = ?", invoiceID).Scan(ctx, &body)
	if db.IsNotFound(err) {
		return nil, nil
	}
	return body, err
}
