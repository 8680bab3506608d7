package billing

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// pageRoutes registers the owner's pages (administration menu, "Billing"): the plan, usage
// against quotas, invoices, billing details and payment method on one page; an invoice's page.
func (h *handlers) pageRoutes(r routes) {
	manage := api.Can("billing", "manage")
	r.Get("/:slug/admin/billing", manage, h.indexPage)
	r.Post("/:slug/admin/billing/details", manage, h.detailsForm)
	r.Post("/:slug/admin/billing/subscription", manage, h.subscribeForm)
	r.Post("/:slug/admin/billing/payment-method", manage, h.paymentForm)
	r.Post("/:slug/admin/billing/pending/cancel", manage, h.cancelPendingForm)
	r.Post("/:slug/admin/billing/coupon", manage, h.couponRedeemForm)
	r.Post("/:slug/admin/billing/proforma", manage, h.proformaForm)
	r.Get("/:slug/admin/billing/invoices/:id", manage, h.invoicePage)
	r.Post("/:slug/admin/billing/invoices/:id/convert", manage, h.convertForm)
}

// offeringChoice is an offering's checkbox.
type offeringChoice struct {
	Key     string
	Checked bool
}

// indexData is what /{slug}/admin/billing shows.
type indexData struct {
	O         *Overview
	Invoices  []Invoice
	Offerings []offeringChoice
	Plans     Catalog
}

// CurrencyOptions are the billing currencies, for the details form's select.
func (*indexData) CurrencyOptions() [][]string {
	out := make([][]string, len(Currencies))
	for i, c := range Currencies {
		out[i] = []string{c, c}
	}
	return out
}

func (h *handlers) indexView(c *fiber.Ctx, form *web.Form, chosen []string) (*web.Page, error) {
	a := actor.From(c)
	ctx := c.UserContext()
	o, err := h.svc.Overview(ctx, a)
	if err != nil {
		return nil, err
	}
	invs, err := h.svc.Invoices(ctx, a)
	if err != nil {
		return nil, err
	}
	if form == nil {
		plan := o.Plan
		if plan == TrialPlan {
			plan = "team"
		}
		form = web.EmptyForm(map[string]string{"legal_name": o.Details.LegalName, "address": o.Details.Address, "country": o.Details.Country,
			"vat_number": o.Details.VATNumber, "currency": o.Details.Currency, "plan": plan, "seats": strconv.FormatInt(max(o.Seats, o.used(QuotaUsers)), 10)})
		chosen = o.Offerings
	}
	cat, err := h.svc.plans(ctx)
	if err != nil {
		return nil, err
	}
	d := &indexData{O: o, Invoices: invs, Plans: cat}
	for _, k := range Offerings {
		d.Offerings = append(d.Offerings, offeringChoice{Key: k, Checked: contains(chosen, k)})
	}
	p := h.web.NewPage(c, "billing.title")
	p.Data, p.Form = d, form
	return p, nil
}

func (o *Overview) used(q string) int64 {
	for _, u := range o.Quotas {
		if u.Name == q {
			return u.Used
		}
	}
	return 0
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func (h *handlers) indexPage(c *fiber.Ctx) error {
	p, err := h.indexView(c, nil, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "billing/billing", p)
}

func (h *handlers) path(c *fiber.Ctx) string {
	return "/" + actor.From(c).Account.Slug + "/admin/billing"
}

// refuse shows the page again with the refusal next to the form's fields.
func (h *handlers) refuse(c *fiber.Ctx, form *web.Form, chosen []string, err error) error {
	if p, ok := problem.As(err); !ok || p.Status >= 500 || p.Status == fiber.StatusNotFound {
		return err
	}
	p, verr := h.indexView(c, form, chosen)
	if verr != nil {
		return verr
	}
	return h.web.Refuse(c, "billing/billing", p, err)
}

func (h *handlers) detailsForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "legal_name", "address", "country", "vat_number", "currency")
	_, err := h.svc.SaveDetails(c.UserContext(), actor.From(c), DetailsInput{LegalName: form.Get("legal_name"), Address: form.Get("address"),
		Country: form.Get("country"), VATNumber: form.Get("vat_number"), Currency: form.Get("currency")})
	if err != nil {
		return h.refuse(c, form, nil, err)
	}
	return web.Done(c, "billing.flash.details_saved", h.path(c))
}

func (h *handlers) subscribeForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "plan", "seats", "idempotency_key")
	var offs []string
	for _, raw := range c.Request().PostArgs().PeekMulti("offerings") {
		offs = append(offs, string(raw))
	}
	seats, _ := strconv.ParseInt(strings.TrimSpace(form.Get("seats")), 10, 64)
	_, err := h.svc.Subscribe(c.UserContext(), actor.From(c), SubscriptionInput{Plan: form.Get("plan"), Offerings: offs, Seats: seats}, form.Get("idempotency_key"))
	if err != nil {
		return h.refuse(c, form, offs, err)
	}
	return web.Done(c, "billing.flash.subscribed", h.path(c))
}

func (h *handlers) couponRedeemForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "code")
	if _, err := h.svc.Redeem(c.UserContext(), actor.From(c), RedeemInput{Code: form.Get("code")}); err != nil {
		return h.refuse(c, form, nil, err)
	}
	return web.Done(c, "billing.flash.coupon_redeemed", h.path(c))
}

func (h *handlers) cancelPendingForm(c *fiber.Ctx) error {
	if _, err := h.svc.CancelPending(c.UserContext(), actor.From(c)); err != nil {
		return err
	}
	return web.Done(c, "billing.flash.pending_cancelled", h.path(c))
}

func (h *handlers) paymentForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "method", "gateway_token")
	if _, err := h.svc.SavePaymentMethod(c.UserContext(), actor.From(c), PaymentMethodInput{Method: form.Get("method"), GatewayToken: form.Get("gateway_token")}); err != nil {
		return h.refuse(c, form, nil, err)
	}
	if form.Get("method") == MethodTransfer {
		return web.Done(c, "billing.flash.transfer_chosen", h.path(c))
	}
	return web.Done(c, "billing.flash.card_saved", h.path(c))
}

// proformaForm is the subscription form's other button: the pro-forma of what it holds.
func (h *handlers) proformaForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "plan", "seats")
	var offs []string
	for _, raw := range c.Request().PostArgs().PeekMulti("offerings") {
		offs = append(offs, string(raw))
	}
	seats, _ := strconv.ParseInt(strings.TrimSpace(form.Get("seats")), 10, 64)
	pf, err := h.svc.Proforma(c.UserContext(), actor.From(c), SubscriptionInput{Plan: form.Get("plan"), Offerings: offs, Seats: seats})
	if err != nil {
		return h.refuse(c, form, offs, err)
	}
	return web.Done(c, "billing.flash.proforma_issued", h.path(c)+"/invoices/"+strconv.FormatInt(pf.ID, 10))
}

func (h *handlers) convertForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	inv, err := h.svc.Convert(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	return web.Done(c, "billing.flash.converted", h.path(c)+"/invoices/"+strconv.FormatInt(inv.ID, 10))
}

// invoiceData is what an invoice's page shows.
type invoiceData struct {
	Inv    *Invoice
	Seller Seller
	// Transfer: show the seller's bank details (an invoice with something still due).
	Transfer bool
}

func (h *handlers) invoicePage(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	inv, err := h.svc.Invoice(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	p := h.web.NewPage(c, "billing.invoice.title")
	p.Data = &invoiceData{Inv: inv, Seller: h.svc.Seller, Transfer: h.svc.Seller.transfer(inv) != nil && inv.Left() > 0}
	return h.web.Render(c, "billing/billing", p)
}

// One tells the template which page it is.
func (*indexData) One() bool { return false }

// One tells the template which page it is.
func (*invoiceData) One() bool { return true }

// Amount is a line's money, for templates.
func (i *Invoice) Amount(minor int64) string { return Money(minor, i.Currency) }

// EURRate is the exchange rate the invoice used, for templates ("" when none).
func (i *Invoice) EURRate() string {
	if i.EURRateMicro == nil {
		return ""
	}
	return FormatRate(*i.EURRateMicro)
}

// EURVAT is the invoice's VAT in EUR, for templates.
func (i *Invoice) EURVAT() string {
	if i.VATEURMinor == nil {
		return ""
	}
	return Money(*i.VATEURMinor, DefaultCurrency)
}

// Due is what is left to pay after the prepaid balance, for templates.
func (i *Invoice) Due() int64 { return i.TotalMinor - i.BalanceMinor }

// Left is what is still to pay of the invoice (balance, card and transfers deducted).
func (i *Invoice) Left() int64 { return max(i.TotalMinor-i.PaidMinor, 0) }

// Neg is -minor, for templates (the balance's part shown as a deduction).
func (i *Invoice) Neg(minor int64) int64 { return -minor }

// RatePct is a rate for templates.
func (VATLine) RatePct(bp int64) string { return Rate(bp) }

// Money is the overview's amount, for templates.
func (o *Overview) Money(minor int64) string { return Money(minor, o.Currency) }

// Gauge is the class of a quota's meter.
func (q QuotaUse) Gauge() string {
	switch p := q.Percent(); {
	case q.Full:
		return "off"
	case p >= 80:
		return "warn"
	}
	return "ok"
}

// Show is an amount of the quota as people read it: bytes in KiB, MiB, GiB or TiB.
func (q QuotaUse) Show(n int64) string {
	if q.Name != QuotaStorage || n < 1024 {
		return strconv.FormatInt(n, 10)
	}
	units := []string{"KiB", "MiB", "GiB", "TiB"}
	v, u := float64(n)/1024, 0
	for v >= 1024 && u < len(units)-1 {
		v, u = v/1024, u+1
	}
	return strings.TrimSuffix(strconv.FormatFloat(v, 'f', 1, 64), ".0") + " " + units[u]
}
