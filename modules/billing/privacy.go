package billing

import (
	"bytes"
	"context"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// personalData is the module's part of a person's GDPR rights (hooks.PersonalData). Billing
// keeps no person's id; what names a person is:
//
//   - the card's holder (the owner's card, kept while it is the payment method);
//   - the customer on the invoices, pro-formas and credit notes (legal name and address, and
//     their stored PDFs): the person's when the legal name is theirs, and the owner's on every
//     document of a consumer account (no VAT number: the customer is a natural person — the
//     owner, who entered the details);
//   - the prepaid balance's movements, the owner's as the customer's account statement.
//
// Erasure blanks the holder's name when it is the person's. Invoices and credit notes are
// accounting records the seller must keep ten years (French commercial code L123-22; GDPR
// art. 17(3)(b): erasure does not reach what a legal obligation requires to keep): within
// RetentionYears they stay exactly as issued, PDFs included — an invoice is never modified —
// and past it their customer's name and address are redacted and the stored PDF deleted (the
// PDF route renders the redacted row anew). A pro-forma is no accounting record: its name and
// address are redacted at once and its PDF deleted, whatever its age. The balance's movements
// hold no name (amounts, and the number of the invoice they paid): they are the account's
// ledger, kept with the invoices. Closing the account deletes every row with it.
type personalData struct{ svc *Service }

// RetentionYears is how long an issued invoice or credit note is kept as issued.
const RetentionYears = 10

// Redacted replaces an erased customer's name and address on a document past its retention.
const Redacted = "[erased]"

const (
	catCard      = "billing.data.card"
	catInvoices  = "billing.data.invoices"
	catStatement = "billing.data.balance"
)

// Tables are the module's tables that may hold a person's name (or, the PDFs and the
// balance, the documents naming them).
func (personalData) Tables() []string {
	return []string{"billing_subscriptions", "billing_invoices", "billing_invoice_pdfs", "billing_balance_entries"}
}

// isOwner says whether the person owns the account (the customer of its billing).
func isOwner(ctx context.Context, idb bun.IDB, s hooks.Subject) (bool, error) {
	n, err := idb.NewSelect().TableExpr("memberships AS m").Where("m.account_id = ? AND m.user_id = ? AND m.role = 'owner'", s.AccountID, s.UserID).Count(ctx)
	return n > 0, err
}

// theirs narrows q (billing_invoices AS i) to the documents that name the person.
func theirs(q *bun.SelectQuery, s hooks.Subject, owner bool) *bun.SelectQuery {
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("i.legal_name = ? AND i.legal_name <> ''", s.Name)
		if owner {
			q = q.WhereOr("i.vat_number = ''")
		}
		return q
	})
}

// Describe counts the card held in the person's name, the documents naming them and, for
// the owner, the balance's movements.
func (p personalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	tn := func() db.Tenant { return p.svc.tenant(s.AccountID) } // not without a person (the record of processing)
	owner := false
	if s.UserID != 0 {
		var err error
		if owner, err = isOwner(ctx, p.svc.DB, s); err != nil {
			return nil, err
		}
	}
	cards, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return tn().SelectFrom("billing_subscriptions", "s").Where("s.card_holder = ? AND s.card_holder <> ''", s.Name)
	})
	if err != nil {
		return nil, err
	}
	docs, err := personal.Count(ctx, s, func() *bun.SelectQuery { return theirs(tn().SelectFrom("billing_invoices", "i"), s, owner) })
	if err != nil {
		return nil, err
	}
	moves := int64(0) // the statement is the owner's
	if owner || s.UserID == 0 {
		if moves, err = personal.Count(ctx, s, func() *bun.SelectQuery { return tn().SelectFrom("billing_balance_entries", "b") }); err != nil {
			return nil, err
		}
	}
	return []hooks.DataCategory{
		personal.Category("billing", catCard, cards, personal.FieldName),
		personal.Category("billing", catInvoices, docs, personal.FieldName),
		personal.Category("billing", catStatement, moves, personal.FieldActions),
	}, nil
}

// exportedCard is the card in the person's name, as stored (never a card number: there is none).
type exportedCard struct {
	Last4  string `json:"last4" bun:"card_last4"`
	Holder string `json:"holder" bun:"card_holder"`
	Expiry string `json:"expiry" bun:"card_expiry"`
}

// exportedDoc is a document naming the person (its PDF is exported beside it).
type exportedDoc struct {
	ID         int64  `json:"-" bun:"id"`
	Number     string `json:"number" bun:"number"`
	Kind       string `json:"kind" bun:"kind"`
	IssuedOn   string `json:"issued_on" bun:"issued_on"`
	LegalName  string `json:"legal_name" bun:"legal_name"`
	Address    string `json:"address" bun:"address"`
	Country    string `json:"country" bun:"country"`
	VATNumber  string `json:"vat_number" bun:"vat_number"`
	TotalMinor int64  `json:"total_minor" bun:"total_minor"`
	Currency   string `json:"currency" bun:"currency"`
	PDF        string `json:"pdf" bun:"-"`
}

// exportedMove is a movement of the prepaid balance.
type exportedMove struct {
	AmountMinor int64     `json:"amount_minor" bun:"amount_minor"`
	Reason      string    `json:"reason" bun:"reason"`
	At          time.Time `json:"at" bun:"created_at"`
}

// exported is billing.json.
type exported struct {
	Cards     []exportedCard `json:"cards"`
	Documents []exportedDoc  `json:"documents"`
	Balance   []exportedMove `json:"balance"`
}

// Export writes billing.json (the card in the person's name, the documents naming them, and
// the owner's balance movements) and each document's PDF under billing/NUMBER.pdf: the one
// the owner was sent (stored), or rendered now when none was stored.
func (p personalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	tn := p.svc.tenant(s.AccountID)
	owner, err := isOwner(ctx, p.svc.DB, s)
	if err != nil {
		return err
	}
	x := exported{Cards: []exportedCard{}, Documents: []exportedDoc{}, Balance: []exportedMove{}}
	if err := tn.SelectFrom("billing_subscriptions", "s").ColumnExpr("s.card_last4, s.card_holder, s.card_expiry").
		Where("s.card_holder = ? AND s.card_holder <> ''", s.Name).Scan(ctx, &x.Cards); err != nil {
		return err
	}
	if err := theirs(tn.SelectFrom("billing_invoices", "i"), s, owner).
		ColumnExpr("i.id, i.number, i.kind, i.issued_on, i.legal_name, i.address, i.country, i.vat_number, i.total_minor, i.currency").
		OrderExpr("i.id").Scan(ctx, &x.Documents); err != nil {
		return err
	}
	if owner {
		if err := tn.SelectFrom("billing_balance_entries", "b").ColumnExpr("b.amount_minor, b.reason, b.created_at").OrderExpr("b.id").Scan(ctx, &x.Balance); err != nil {
			return err
		}
	}
	for i := range x.Documents {
		d := &x.Documents[i]
		body, err := p.svc.StoredPDF(ctx, s.AccountID, d.ID)
		if err == nil && body == nil {
			var inv *Invoice
			if inv, err = p.svc.invoiceIn(ctx, tn, d.ID); err == nil {
				body, err = PDF(inv, p.svc.Seller)
			}
		}
		if err != nil {
			return err
		}
		d.PDF = "billing/" + d.Number + ".pdf"
		if err := out.File(d.PDF, bytes.NewReader(body)); err != nil {
			return err
		}
	}
	return out.JSON("billing.json", x)
}

// Erase blanks the card holder's name when it is the person's (the token stays: the card
// still pays until the owner replaces it), and redacts the documents naming the person that
// the law no longer requires kept: pro-formas at once, invoices and credit notes past
// RetentionYears; their stored PDFs go (a download renders the redacted row).
func (p personalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, e hooks.Erasure) error {
	if s.AccountID <= 0 || s.UserID <= 0 {
		return errors.New("billing: erase: no account or no person")
	}
	if e.Closure {
		return nil // every row of the account goes with it
	}
	tn := db.For(tx, s.AccountID)
	if s.Name != "" {
		if _, err := tn.Exec(ctx, "UPDATE billing_subscriptions SET card_holder = '' WHERE account_id = ? AND card_holder = ?", s.Name); err != nil {
			return err
		}
	}
	owner, err := isOwner(ctx, tx, s)
	if err != nil {
		return err
	}
	var ids []int64
	before := day(p.svc.now().AddDate(-RetentionYears, 0, 0))
	if err := theirs(tn.SelectFrom("billing_invoices", "i"), s, owner).Column("i.id").
		Where("i.kind = ? OR i.issued_on < ?", KindProforma, before).Where("i.legal_name <> ?", Redacted).Scan(ctx, &ids); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	if _, err := tn.Exec(ctx, "UPDATE billing_invoices SET legal_name = ?1, address = ?1 WHERE account_id = ?0 AND id IN (?2)", Redacted, bun.In(ids)); err != nil {
		return err
	}
	_, err = tn.Exec(ctx, "DELETE FROM billing_invoice_pdfs WHERE account_id = ?0 AND invoice_id IN (?1)", bun.In(ids))
	return err
}

var _ hooks.PersonalData = personalData{}
