package billing

import (
	"context"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// The partner's invoices (actor.PlatformPartner): the invoices, credit notes and pro-formas
// of the accounts the partner reaches — core's reach rule, accounts.partner_user_id — listed
// in the partner console, each downloadable as PDF (the download audited in the account's
// trail). Any other account is a 404, as for a stranger.

// MaxPartnerInvoices bounds the invoices listed.
const MaxPartnerInvoices = 500

// PartnerInvoice is one line of GET /api/v1/platform/billing/invoices.
type PartnerInvoice struct {
	Slug        string    `json:"slug" bun:"slug"`
	AccountName string    `json:"account_name" bun:"account_name"`
	ID          int64     `json:"id" bun:"id"`
	Number      string    `json:"number" bun:"number" example:"GC-FR-000042"`
	Kind        string    `json:"kind" bun:"kind" enum:"invoice,credit_note,proforma"`
	IssuedOn    string    `json:"issued_on" bun:"issued_on" example:"2026-12-16"`
	Currency    string    `json:"currency" bun:"currency"`
	NetMinor    int64     `json:"net_minor" bun:"net_minor"`
	VATMinor    int64     `json:"vat_minor" bun:"vat_minor"`
	TotalMinor  int64     `json:"total_minor" bun:"total_minor"`
	CreatedAt   time.Time `json:"-" bun:"created_at"`
}

// Amount is an amount of the invoice, for the page.
func (p PartnerInvoice) Amount(minor int64) string { return Money(minor, p.Currency) }

// PartnerInvoiceList is GET /api/v1/platform/billing/invoices.
type PartnerInvoiceList struct {
	Items []PartnerInvoice `json:"items"`
}

// reached is the id of the account slug when the partner reaches it (404 otherwise).
func (s *Service) reached(ctx context.Context, a *actor.Actor, slug string) (int64, error) {
	var id int64
	err := s.DB.NewSelect().TableExpr("accounts AS a").Column("a.id").
		Where("a.slug = ? AND a.partner_user_id = ?", strings.TrimSpace(slug), a.UserID).Scan(ctx, &id)
	if db.IsNotFound(err) || (err == nil && (a.PlatformRole != actor.PlatformPartner || a.UserID == 0)) {
		return 0, problem.NotFound()
	}
	return id, err
}

// PartnerInvoices lists the invoices of the accounts the partner reaches, newest first;
// slug, when not "", narrows them to that account's (404 when the partner does not reach it).
func (s *Service) PartnerInvoices(ctx context.Context, a *actor.Actor, slug string) (*PartnerInvoiceList, error) {
	if a.PlatformRole != actor.PlatformPartner || a.UserID == 0 {
		return nil, problem.NotFound()
	}
	q := s.DB.NewSelect().TableExpr("billing_invoices AS i").Join("JOIN accounts AS a ON a.id = i.account_id").
		ColumnExpr("a.slug, a.name AS account_name, i.id, i.number, i.kind, i.issued_on, i.currency, i.net_minor, i.vat_minor, i.total_minor, i.created_at").
		Where("a.partner_user_id = ?", a.UserID)
	if slug = strings.TrimSpace(slug); slug != "" {
		id, err := s.reached(ctx, a, slug)
		if err != nil {
			return nil, err
		}
		q = q.Where("i.account_id = ?", id)
	}
	out := &PartnerInvoiceList{Items: []PartnerInvoice{}}
	if err := q.OrderExpr("i.id DESC").Limit(MaxPartnerInvoices).Scan(ctx, &out.Items); err != nil {
		return nil, err
	}
	return out, nil
}

// PartnerInvoice is one invoice of an account the partner reaches (404 for any other, and
// for an invoice of another account); the access is audited in the account's trail.
func (s *Service) PartnerInvoice(ctx context.Context, a *actor.Actor, slug string, invoiceID int64) (*Invoice, error) {
	id, err := s.reached(ctx, a, slug)
	if err != nil {
		return nil, err
	}
	inv, err := s.invoiceIn(ctx, s.tenant(id), invoiceID)
	if db.IsNotFound(err) {
		return nil, problem.NotFound()
	}
	if err != nil {
		return nil, err
	}
	return inv, audit.Record(ctx, s.DB, a, id, "billing.invoice_downloaded", inv.Number, nil)
}

// partnerRoutes registers the partner's invoices: the API, the PDF and the console page.
func (h *handlers) partnerRoutes(r routes) {
	const tag = "Billing (platform)"
	partner := api.Platform(actor.PlatformPartner)
	r.Get("/api/v1/platform/billing/invoices", partner, h.partnerInvoices, api.Doc{Summary: "The invoices, credit notes and pro-formas of the accounts the partner manages, newest first; ?account={slug} narrows them to one account (404 when the partner does not manage it)", Tag: tag, Response: PartnerInvoiceList{}})
	r.Get("/api/v1/platform/billing/accounts/:slug/invoices/:id.pdf", partner, h.partnerInvoicePDF, api.Doc{Summary: "An invoice of an account the partner manages, as PDF (404 for any other account); audited in the account's trail", Tag: tag, Stream: true})
	r.Get("/platform/billing/invoices", partner, h.partnerPage)
}

func (h *handlers) partnerInvoices(c *fiber.Ctx) error {
	out, err := h.svc.PartnerInvoices(c.UserContext(), actor.From(c), strings.Clone(c.Query("account")))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) partnerInvoicePDF(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	inv, err := h.svc.PartnerInvoice(c.UserContext(), actor.From(c), strings.Clone(c.Params("slug")), id)
	if err != nil {
		return err
	}
	b, err := h.svc.StoredPDF(c.UserContext(), inv.AccountID, inv.ID)
	if err == nil && b == nil {
		b, err = PDF(inv, h.svc.Seller)
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+inv.Number+`.pdf"`)
	return c.Send(b)
}

// partnerData is what /platform/billing/invoices shows.
type partnerData struct {
	List    *PartnerInvoiceList
	Account string
}

func (h *handlers) partnerPage(c *fiber.Ctx) error {
	slug := strings.Clone(c.Query("account"))
	list, err := h.svc.PartnerInvoices(c.UserContext(), actor.From(c), slug)
	if err != nil {
		return err
	}
	p := h.web.NewPage(c, "billing.partner.title")
	p.Data = &partnerData{List: list, Account: slug}
	return h.web.Render(c, "billing/partner", p)
}
