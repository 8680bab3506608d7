package billing

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// handlers serve the API and the pages.
type handlers struct {
	svc *Service
	web *web.Renderer
}

// apiRoutes registers the JSON API (shared/API.md "Billing").
func (h *handlers) apiRoutes(r routes) {
	const tag = "Billing"
	manage := api.Can("billing", "manage")
	r.Get("/api/v1/:slug/billing", manage, h.overview, api.Doc{Summary: "The account's subscription: state, plan, offerings, trial end, anniversary, quotas used and allowed (-1: no limit), balance (owner)", Tag: tag, Response: Overview{}})
	r.Put("/api/v1/:slug/billing/details", manage, h.details, api.Doc{Summary: "The billing details the invoices carry; an invalid VAT number is 422 on vat_number with the reason", Tag: tag, Request: DetailsInput{}, Response: Overview{}})
	r.Post("/api/v1/:slug/billing/subscription", manage, h.subscribe, api.Doc{Summary: "Subscribe (or change plan, offerings, seats). From the trial, the month is invoiced and charged at once; an Idempotency-Key header makes a repeated submission answer the first. A plan below the usage is 422 naming each quota over", Tag: tag,
		Request: SubscriptionInput{}, Response: Overview{}})
	r.Post("/api/v1/:slug/billing/coupon", manage, h.redeem, api.Doc{Summary: "Redeem a coupon: its discount comes off the next invoices before VAT. An unknown, expired, not yet valid or exhausted code, one in another currency than the account's or for another plan is 422 on code; a coupon already running is 409", Tag: tag, Request: RedeemInput{}, Response: Overview{}})
	r.Delete("/api/v1/:slug/billing/subscription/pending", manage, h.cancelPending, api.Doc{Summary: "Cancel the downgrade scheduled for the next period (404 when none)", Tag: tag, Response: Overview{}})
	r.Post("/api/v1/:slug/billing/payment-method", manage, h.paymentMethod, api.Doc{Summary: "Save the card behind a payment gateway token (the token, last four digits, holder and expiry are kept, never the card number), or choose wire transfer (method transfer: the invoices show the seller's IBAN and BIC with their number as the reference, nothing is charged)", Tag: tag, Request: PaymentMethodInput{}, Response: Overview{}})
	r.Post("/api/v1/:slug/billing/proforma", manage, h.proforma, api.Doc{Summary: "A pro-forma invoice of a month of plan, offerings and seats, numbered in its own PF- series (not the legal sequence); nothing is due on it until it is converted", Tag: tag, Request: SubscriptionInput{}, Response: Invoice{}, Status: fiber.StatusCreated})
	r.Post("/api/v1/:slug/invoices/:id/convert", manage, h.convert, api.Doc{Summary: "Convert a pro-forma into an invoice of the same lines in the legal sequence, paid like any invoice; 409 when it is no pro-forma or was converted already", Tag: tag, Response: Invoice{}, Status: fiber.StatusCreated})
	r.Post("/api/v1/platform/billing/transfers", api.Platform(actor.PlatformAdmin), h.transfer, api.Doc{Summary: "Record a wire transfer received (platform admin): the reference is the invoice's number, the amount pays part or all of what is due (more is 422), the bank's reference makes a repeat harmless; the transfer that settles a past-due account reactivates it", Tag: tag, Request: TransferInput{}, Response: TransferResult{}})
	r.Get("/api/v1/:slug/invoices", manage, h.invoices, api.Doc{Summary: "The account's invoices and credit notes, newest first", Tag: tag, Response: InvoiceList{}})
	// The PDF first: ":id" alone would take "12.pdf".
	r.Get("/api/v1/:slug/invoices/:id.pdf", manage, h.invoicePDF, api.Doc{Summary: "An invoice as PDF", Tag: tag, Stream: true})
	r.Get("/api/v1/:slug/invoices/:id", manage, api.One("id", h.svc.Invoice), api.Doc{Summary: "One invoice with its lines, VAT lines and totals", Tag: tag, Response: Invoice{}})
	r.Post("/api/v1/vat/quote", api.Authenticated(), h.quote, api.Doc{Summary: "The VAT of a sale: rate (basis points), amount, reverse charge and the legal mention; an invalid VAT number is 422 with the reason", Tag: tag, Request: QuoteInput{}, Response: quoteDoc{}})
	r.Get("/api/v1/platform/billing/accounts", api.Platform(actor.PlatformPartner), h.platformAccounts, api.Doc{Summary: "The partner's accounts with plan, state and monthly recurring revenue", Tag: tag, Response: PlatformList{}})
	r.Post("/api/v1/billing/gateway/webhook", api.Public(), h.webhook, api.Doc{Summary: "The payment gateway's notices (charge.succeeded, charge.failed), signed in X-Gateway-Signature (t=UNIX,v1=HEX); a bad signature is 401 and changes nothing", Tag: tag, Request: GatewayEvent{}, Status: fiber.StatusNoContent})
}

// quoteDoc documents the VAT quote's answer.
type quoteDoc struct {
	RateBP        int64  `json:"rate_bp" example:"2000"`
	VATMinor      int64  `json:"vat_minor" example:"2000"`
	ReverseCharge bool   `json:"reverse_charge"`
	Mention       string `json:"mention"`
	VIES          bool   `json:"vies_checked"`
}

func (h *handlers) overview(c *fiber.Ctx) error {
	out, err := h.svc.Overview(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) details(c *fiber.Ctx) error {
	var in DetailsInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.SaveDetails(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) subscribe(c *fiber.Ctx) error {
	var in SubscriptionInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Subscribe(c.UserContext(), actor.From(c), in, strings.TrimSpace(c.Get("Idempotency-Key")))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) cancelPending(c *fiber.Ctx) error {
	out, err := h.svc.CancelPending(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) paymentMethod(c *fiber.Ctx) error {
	var in PaymentMethodInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.SavePaymentMethod(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) proforma(c *fiber.Ctx) error {
	var in SubscriptionInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Proforma(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) convert(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	out, err := h.svc.Convert(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) transfer(c *fiber.Ctx) error {
	var in TransferInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.RecordTransfer(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) invoices(c *fiber.Ctx) error {
	out, err := h.svc.Invoices(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, InvoiceList{Items: out})
}

func (h *handlers) invoicePDF(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	inv, err := h.svc.Invoice(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	// The background job's PDF once it rendered; until then (a moment after the issue) drawn now.
	b, err := h.svc.StoredPDF(c.UserContext(), inv.AccountID, inv.ID)
	if err == nil && b == nil {
		b, err = PDF(inv, h.svc.Seller)
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="`+inv.Number+`.pdf"`)
	return c.Send(b)
}

func (h *handlers) quote(c *fiber.Ctx) error {
	var in QuoteInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Quote(c.UserContext(), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) platformAccounts(c *fiber.Ctx) error {
	out, err := h.svc.PlatformAccounts(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

// GatewayEvent is a notice of the payment gateway about a charge we asked for.
type GatewayEvent struct {
	Type           string `json:"type" openapi:"required" enum:"charge.succeeded,charge.failed"`
	AccountID      int64  `json:"account_id" openapi:"required" example:"42"`
	IdempotencyKey string `json:"idempotency_key" openapi:"required" example:"invoice-GC-FR-000042"`
	ChargeID       string `json:"charge_id" example:"ch_3f2a9c"`
}

func (h *handlers) webhook(c *fiber.Ctx) error {
	body := c.Body()
	if err := h.svc.Gateway.Verify(c.Get("X-Gateway-Signature"), body, time.Now()); err != nil { // the real clock: freshness is the sender's
		return problem.Unauthorized("the webhook's signature does not match")
	}
	var ev GatewayEvent
	if err := api.DecodeBytes(body, &ev); err != nil {
		return err
	}
	if err := h.svc.Notice(c.UserContext(), ev); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// Notice applies a gateway notice: the payment of the key succeeded (the account, past due,
// is active again) or failed (the account is past due). An unknown payment is 404.
func (s *Service) Notice(ctx context.Context, ev GatewayEvent) error {
	if ev.AccountID <= 0 || ev.IdempotencyKey == "" {
		return problem.Invalid(problem.FieldError{Field: "idempotency_key", Message: "must name the account and the charge's key"})
	}
	state := map[string]string{"charge.succeeded": PaymentSucceeded, "charge.failed": PaymentFailed}[ev.Type]
	if state == "" {
		return problem.Invalid(problem.FieldError{Field: "type", Message: "must be charge.succeeded or charge.failed"})
	}
	now := s.now()
	return s.tenant(ev.AccountID).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		pay := new(Payment)
		if err := tx.Select(pay).Where("p.idempotency_key = ?", ev.IdempotencyKey).Scan(ctx); err != nil {
			if db.IsNotFound(err) {
				return problem.NotFound()
			}
			return err
		}
		pay.State, pay.UpdatedAt = state, now
		if ev.ChargeID != "" {
			pay.GatewayRef = ev.ChargeID
		}
		if _, err := tx.Update(pay).Column("state", "gateway_ref", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		if state == PaymentSucceeded {
			return s.moveState(ctx, tx, StateActive, "past_due_since = NULL, retries = 0", now, StatePastDue, StateReadOnly)
		}
		return s.moveState(ctx, tx, StatePastDue, "past_due_since = COALESCE(past_due_since, ?2)", now, StateActive)
	})
}

// PlatformAccounts are the partner's accounts with their plan, state and monthly revenue.
func (s *Service) PlatformAccounts(ctx context.Context, a *actor.Actor) (*PlatformList, error) {
	out := &PlatformList{Items: []PlatformAccount{}, MRRByCurrency: map[string]int64{}}
	err := s.DB.NewSelect().TableExpr("accounts AS a").
		Join("JOIN billing_subscriptions AS s ON s.account_id = a.id").
		ColumnExpr("a.id, a.slug, a.name, s.state, s.plan, s.currency, s.seats, s.offerings").
		Where("a.partner_user_id = ?", a.UserID).OrderExpr("a.id").Limit(1000).Scan(ctx, &out.Items)
	if err != nil {
		return nil, err
	}
	cat, err := s.plans(ctx)
	if err != nil {
		return nil, err
	}
	for i := range out.Items {
		it := &out.Items[i]
		var offs []string
		if err := json.Unmarshal([]byte(it.OfferingsRaw), &offs); err != nil {
			return nil, err
		}
		if it.State == StateActive || it.State == StatePastDue {
			p, _ := cat.Of(it.Plan)
			it.MRRMinor = p.In(it.Currency).MonthlyMinor(offs, it.Seats)
			out.MRRByCurrency[it.Currency] += it.MRRMinor
			if it.Currency == DefaultCurrency {
				out.MRRMinor += it.MRRMinor
			}
		}
	}
	return out, nil
}
