package billing

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// The platform admin's side of billing (actor.PlatformAdmin): the monthly recurring revenue
// of every account, the failed payments, the catalogue editor (plans.go), the credit added to
// an account's prepaid balance and the wire transfers received (proforma.go). It reaches the
// billing rows of every account and no account's data.

// MRRLine is one account in the platform admin's revenue list.
type MRRLine struct {
	Slug         string `json:"slug" bun:"slug"`
	Name         string `json:"name" bun:"name"`
	State        string `json:"state" bun:"state"`
	Plan         string `json:"plan" bun:"plan"`
	Seats        int64  `json:"seats" bun:"seats"`
	BalanceMinor int64  `json:"balance_minor" bun:"balance_minor"`
	Partner      bool   `json:"partner_billed" bun:"partner"`
	Currency     string `json:"currency" bun:"currency"`
	MRRMinor     int64  `json:"mrr_minor" bun:"-"`
	OfferingsRaw string `json:"-" bun:"offerings"`
}

// PlanMRR is a plan's share of the revenue.
type PlanMRR struct {
	Plan     string `json:"plan"`
	Accounts int    `json:"accounts"`
	// MRRMinor is in EUR (the accounts billed in EUR); ByCurrency each currency's.
	MRRMinor   int64            `json:"mrr_minor"`
	ByCurrency map[string]int64 `json:"mrr_by_currency"`
}

// FailedPayment is a charge the gateway refused.
type FailedPayment struct {
	Slug        string    `json:"slug" bun:"slug"`
	AmountMinor int64     `json:"amount_minor" bun:"amount_minor"`
	Currency    string    `json:"currency" bun:"currency"`
	Error       string    `json:"error" bun:"error"`
	At          time.Time `json:"at" bun:"created_at"`
}

// ClosedAccount is an account closed for non-payment: its purge scheduled, or done.
type ClosedAccount struct {
	Slug         string     `json:"slug" bun:"slug"`
	Name         string     `json:"name" bun:"name"`
	PastDueSince *time.Time `json:"past_due_since" bun:"past_due_since"`
	ClosedSince  time.Time  `json:"closed_since" bun:"-"`
	// PurgeOn is the day its data is purged (PurgeDays after the closure); PurgedAt is set
	// once it was.
	PurgeOn  string     `json:"purge_on" example:"2027-03-01" bun:"-"`
	PurgedAt *time.Time `json:"purged_at" bun:"purged_at"`
	// Purge is scheduled (before PurgeOn), due (past it: the next daily run purges it, or —
	// without the privacy module's purge port — nothing can and it waits) or done.
	Purge     string     `json:"purge" enum:"scheduled,due,waiting,done" bun:"-"`
	ClosedAt  *time.Time `json:"-" bun:"closed_at"`
	UpdatedAt time.Time  `json:"-" bun:"updated_at"`
}

// Revenue is GET /api/v1/platform/billing/mrr: the monthly recurring revenue (active and
// past-due subscriptions billed here; partner-billed accounts are listed, not counted), per
// plan and per account, the accounts per state, and the latest failed payments.
type Revenue struct {
	// MRRMinor is the revenue of the accounts billed in EUR, Currency; MRRByCurrency every
	// currency's (amounts of different currencies are never added up).
	MRRMinor      int64            `json:"mrr_minor"`
	MRRByCurrency map[string]int64 `json:"mrr_by_currency"`
	Currency      string           `json:"currency" example:"EUR"`
	Plans         []PlanMRR        `json:"plans"`
	States        map[string]int   `json:"states"`
	Accounts      []MRRLine        `json:"accounts"`
	Failed        []FailedPayment  `json:"failed_payments"`
	// Closed are the accounts closed for non-payment, with their purge: scheduled, due,
	// waiting (no purge port: the privacy module is not installed) or done (purge.go).
	Closed  []ClosedAccount `json:"closed"`
	Catalog Catalog         `json:"catalogue"`
}

// MaxRevenueRows bounds the accounts and the failed payments listed.
const MaxRevenueRows = 1000

// Revenue is the platform admin's view of the revenue.
func (s *Service) Revenue(ctx context.Context) (*Revenue, error) {
	cat, err := s.plans(ctx)
	if err != nil {
		return nil, err
	}
	out := &Revenue{Currency: DefaultCurrency, MRRByCurrency: map[string]int64{}, States: map[string]int{}, Accounts: []MRRLine{}, Failed: []FailedPayment{}, Catalog: cat}
	err = s.DB.NewSelect().TableExpr("billing_subscriptions AS s").Join("JOIN accounts AS a ON a.id = s.account_id").
		ColumnExpr("a.slug, a.name, s.state, s.plan, s.seats, s.balance_minor, s.offerings, s.currency, a.partner_user_id IS NOT NULL AS partner").
		OrderExpr("a.slug").Limit(MaxRevenueRows).Scan(ctx, &out.Accounts)
	if err != nil {
		return nil, err
	}
	perPlan := map[string]*PlanMRR{}
	for _, p := range cat {
		out.Plans = append(out.Plans, PlanMRR{Plan: p.Key, ByCurrency: map[string]int64{}})
	}
	for i := range out.Plans {
		perPlan[out.Plans[i].Plan] = &out.Plans[i]
	}
	for i := range out.Accounts {
		l := &out.Accounts[i]
		out.States[l.State]++
		if l.Partner || (l.State != StateActive && l.State != StatePastDue) {
			continue
		}
		var offs []string
		if err := json.Unmarshal([]byte(l.OfferingsRaw), &offs); err != nil {
			return nil, err
		}
		p, ok := cat.Of(l.Plan)
		if !ok {
			continue
		}
		l.MRRMinor = p.In(l.Currency).MonthlyMinor(offs, l.Seats)
		out.MRRByCurrency[l.Currency] += l.MRRMinor
		eur := int64(0)
		if l.Currency == DefaultCurrency {
			eur = l.MRRMinor
		}
		out.MRRMinor += eur
		if pm := perPlan[l.Plan]; pm != nil {
			pm.Accounts++
			pm.MRRMinor += eur
			pm.ByCurrency[l.Currency] += l.MRRMinor
		}
	}
	err = s.DB.NewSelect().TableExpr("billing_payments AS p").Join("JOIN accounts AS a ON a.id = p.account_id").
		ColumnExpr("a.slug, p.amount_minor, p.currency, p.error, p.created_at").Where("p.state = ?", PaymentFailed).
		OrderExpr("p.id DESC").Limit(100).Scan(ctx, &out.Failed)
	if err != nil {
		return nil, err
	}
	out.Closed = []ClosedAccount{}
	err = s.DB.NewSelect().TableExpr("billing_subscriptions AS s").Join("JOIN accounts AS a ON a.id = s.account_id").
		ColumnExpr("a.slug, a.name, s.past_due_since, s.closed_at, s.updated_at, s.purged_at").Where("s.state = ?", StateClosed).
		OrderExpr("s.purged_at IS NOT NULL, COALESCE(s.closed_at, s.updated_at)").Limit(MaxRevenueRows).Scan(ctx, &out.Closed)
	now := s.now()
	for i := range out.Closed {
		c := &out.Closed[i]
		c.ClosedSince = closedAt(c)
		due := purgeDue(c.ClosedSince)
		c.PurgeOn = day(due)
		switch {
		case c.PurgedAt != nil:
			c.Purge = "done"
		case now.Before(due):
			c.Purge = "scheduled"
		case s.Hooks == nil || s.Hooks.Purger == nil:
			c.Purge = "waiting"
		default:
			c.Purge = "due"
		}
	}
	return out, err
}

// CreditInput is POST /api/v1/platform/billing/accounts/{slug}/credit.
type CreditInput struct {
	// AmountMinor is added to the prepaid balance; negative corrects a credit (never below 0).
	AmountMinor int64  `json:"amount_minor" openapi:"required" example:"5000"`
	Reason      string `json:"reason" openapi:"required" example:"Commercial gesture after the outage of 12 May"`
	// Currency, optional, is the amount's currency: another than the account's billing
	// currency (its balance's) is 422, currency mismatch.
	Currency string `json:"currency" example:"EUR"`
}

// Balance is the prepaid balance after a credit.
type Balance struct {
	BalanceMinor int64 `json:"balance_minor"`
}

// CreditAccount adds credit to the prepaid balance of the account slug (platform admin); an
// unknown slug is 422 on slug. Audited in the account's trail (its owner sees who and why).
func (s *Service) CreditAccount(ctx context.Context, a *actor.Actor, slug string, in CreditInput) (*Balance, error) {
	var id int64
	err := s.DB.NewSelect().TableExpr("accounts AS a").Column("a.id").Where("a.slug = ?", strings.TrimSpace(slug)).Scan(ctx, &id)
	if db.IsNotFound(err) {
		return nil, problem.Invalid(problem.FieldError{Field: "slug", Message: "no account has this address"})
	}
	if err != nil {
		return nil, err
	}
	b, err := s.creditIn(ctx, a, id, in.AmountMinor, strings.TrimSpace(in.Reason), strings.ToUpper(strings.TrimSpace(in.Currency)))
	if err != nil {
		return nil, err
	}
	return &Balance{BalanceMinor: b}, nil
}

// platformRoutes registers the platform admin's API and page.
func (h *handlers) platformRoutes(r routes) {
	const tag = "Billing (platform)"
	admin := api.Platform(actor.PlatformAdmin)
	r.Get("/api/v1/platform/billing/mrr", admin, h.revenue, api.Doc{Summary: "Monthly recurring revenue per plan and per account, accounts per state, the latest failed payments and the catalogue (platform admin)", Tag: tag, Response: Revenue{}})
	r.Put("/api/v1/platform/billing/plans/:key", admin, h.savePlan, api.Doc{Summary: "Set a plan's quotas (-1: no limit) and the monthly price of each offering, from the next invoice and quota check (platform admin); audited", Tag: tag, Request: PlanInput{}, Response: Plan{}})
	r.Post("/api/v1/platform/billing/accounts/:slug/credit", admin, h.creditAccount, api.Doc{Summary: "Add credit to an account's prepaid balance (negative corrects one, never below zero), with the reason; audited in the account's trail (platform admin)", Tag: tag, Request: CreditInput{}, Response: Balance{}})
	r.Get("/api/v1/platform/billing/rates", admin, h.rates, api.Doc{Summary: "The exchange rates entered (one euro in each other currency, from a day), newest first, and the currencies billed without a rate in force today (platform admin)", Tag: tag, Response: RateList{}})
	r.Post("/api/v1/platform/billing/rates", admin, h.setRate, api.Doc{Summary: "Enter or correct what one euro is worth in USD, GBP or CHF from a day: the invoices in that currency state their VAT in EUR at the rate in force on their day (platform admin); audited", Tag: tag, Request: RateInput{}, Response: ExchangeRate{}})
	r.Delete("/api/v1/platform/billing/rates/:currency/:valid_on", admin, h.deleteRate, api.Doc{Summary: "Delete the rate of a currency from a day, entered by mistake (platform admin): 409 when an issued invoice or credit note used it (it is kept), 404 when there is none; audited", Tag: tag, Status: fiber.StatusNoContent})
	h.couponRoutes(r, admin)
	r.Get("/platform/billing", admin, h.platformPage)
	r.Post("/platform/billing/rates", admin, h.rateForm)
	r.Post("/platform/billing/rates/:currency/:valid_on/delete", admin, h.deleteRateForm)
	r.Post("/platform/billing/plans/:key", admin, h.planForm)
	r.Post("/platform/billing/credit", admin, h.creditForm)
	r.Post("/platform/billing/transfers", admin, h.transferForm)
}

func (h *handlers) revenue(c *fiber.Ctx) error {
	out, err := h.svc.Revenue(c.UserContext())
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) savePlan(c *fiber.Ctx) error {
	var in PlanInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.SavePlan(c.UserContext(), actor.From(c), strings.Clone(c.Params("key")), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) rates(c *fiber.Ctx) error {
	out, err := h.svc.Rates(c.UserContext())
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) setRate(c *fiber.Ctx) error {
	var in RateInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.SetRate(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) rateForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "currency", "valid_on", "rate")
	if _, err := h.svc.SetRate(c.UserContext(), actor.From(c), RateInput{Currency: form.Get("currency"), ValidOn: form.Get("valid_on"), Rate: form.Get("rate")}); err != nil {
		return h.platformRefuse(c, form, err)
	}
	return web.Done(c, "billing.flash.rate_saved", "/platform/billing")
}

func (h *handlers) deleteRate(c *fiber.Ctx) error {
	if err := h.svc.DeleteRate(c.UserContext(), actor.From(c), strings.Clone(c.Params("currency")), strings.Clone(c.Params("valid_on"))); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *handlers) deleteRateForm(c *fiber.Ctx) error {
	if err := h.svc.DeleteRate(c.UserContext(), actor.From(c), strings.Clone(c.Params("currency")), strings.Clone(c.Params("valid_on"))); err != nil {
		return h.platformRefuse(c, web.EmptyForm(nil), err)
	}
	return web.Done(c, "billing.flash.rate_deleted", "/platform/billing")
}

func (h *handlers) creditAccount(c *fiber.Ctx) error {
	var in CreditInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.CreditAccount(c.UserContext(), actor.From(c), strings.Clone(c.Params("slug")), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

// platformData is what /platform/billing shows.
type platformData struct {
	R       *Revenue
	Rates   *RateList
	Coupons *CouponList
}

// AllCurrencies are the currencies of a coupon's amount, as the select's options.
func (*platformData) AllCurrencies() [][]string {
	out := make([][]string, 0, len(Currencies))
	for _, c := range Currencies {
		out = append(out, []string{c, c})
	}
	return out
}

// Durations are a coupon's durations, as the select's options (labels are catalogue keys).
func (*platformData) Durations() [][]string {
	return [][]string{{CouponOnce, "billing.coupons.duration." + CouponOnce}, {CouponRepeating, "billing.coupons.duration." + CouponRepeating}, {CouponForever, "billing.coupons.duration." + CouponForever}}
}

// CurrencyOptions are the currencies a rate is entered for, as the select's options.
func (*platformData) CurrencyOptions() [][]string {
	out := make([][]string, 0, len(Currencies)-1)
	for _, c := range Currencies[1:] {
		out = append(out, []string{c, c})
	}
	return out
}

// Money is an amount in EUR, for the template.
func (*platformData) Money(minor int64) string { return Money(minor, DefaultCurrency) }

// MoneyIn is an amount in currency, for the template.
func (*platformData) MoneyIn(minor int64, currency string) string { return Money(minor, currency) }

// Price is a plan's price of an offering, for the template's inputs.
func (*platformData) Price(p Plan, offering string) Price { return p.Prices[offering] }

// Lists are the plan's other currencies in the page's order, each with its prices, its
// inputs' names and their errors' fields, for the template.
func (*platformData) Lists(p Plan) []planList {
	out := make([]planList, 0, len(Currencies)-1)
	for _, c := range Currencies[1:] {
		l := planList{Currency: c}
		for _, o := range Offerings {
			l.Prices = append(l.Prices, listPrice{Offering: o, Minor: p.Lists[c][o], Name: listField(c, o), Field: "price_lists." + c + "." + o})
		}
		out = append(out, l)
	}
	return out
}

// planList is a plan's price list in one currency, as the page edits it.
type planList struct {
	Currency string
	Prices   []listPrice
}

// listPrice is one input of a price list: the offering, its price, the input's name and the
// field its refusal names.
type listPrice struct {
	Offering    string
	Minor       int64
	Name, Field string
}

// Quota is a plan's quota, for the template's inputs.
func (*platformData) Quota(p Plan, quota string) int64 { return p.Quotas[quota] }

// Offerings and Quotas are the catalogue's names, for the template.
func (*platformData) Offerings() []string { return Offerings }
func (*platformData) Quotas() []string    { return QuotaNames }

func (h *handlers) platformView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	r, err := h.svc.Revenue(c.UserContext())
	if err != nil {
		return nil, err
	}
	p := h.web.NewPage(c, "billing.platform.title")
	if form == nil {
		form = web.EmptyForm(nil)
	}
	rates, err := h.svc.Rates(c.UserContext())
	if err != nil {
		return nil, err
	}
	coupons, err := h.svc.Coupons(c.UserContext())
	if err != nil {
		return nil, err
	}
	p.Data, p.Form = &platformData{R: r, Rates: rates, Coupons: coupons}, form
	return p, nil
}

func (h *handlers) platformPage(c *fiber.Ctx) error {
	p, err := h.platformView(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "billing/platform", p)
}

// platformRefuse shows the page again with the refusal next to the form's fields.
func (h *handlers) platformRefuse(c *fiber.Ctx, form *web.Form, err error) error {
	if p, ok := problem.As(err); !ok || p.Status >= 500 || p.Status == fiber.StatusNotFound {
		return err
	}
	p, verr := h.platformView(c, form)
	if verr != nil {
		return verr
	}
	return h.web.Refuse(c, "billing/platform", p, err)
}

// amount reads an amount of cents typed in a form ("" or not a number: 0, which the service refuses).
func amount(s string) int64 {
	n, _ := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	return n
}

func (h *handlers) planForm(c *fiber.Ctx) error {
	key := strings.Clone(c.Params("key"))
	fields := []string{}
	for _, q := range QuotaNames {
		fields = append(fields, "quota_"+q)
	}
	for _, o := range Offerings {
		fields = append(fields, "price_"+o, "per_seat_"+o)
		for _, cur := range Currencies[1:] {
			fields = append(fields, listField(cur, o))
		}
	}
	form := web.NewForm(c, fields...)
	in := PlanInput{Quotas: map[string]int64{}, Prices: map[string]Price{}, PriceLists: map[string]map[string]int64{}}
	for _, q := range QuotaNames {
		if v := strings.TrimSpace(form.Get("quota_" + q)); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				n = Unlimited - 1 // not a number: refused as below -1
			}
			in.Quotas[q] = n
		}
	}
	for _, o := range Offerings {
		if v := strings.TrimSpace(form.Get("price_" + o)); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				n = -1
			}
			in.Prices[o] = Price{Minor: n, PerSeat: form.Get("per_seat_"+o) != ""}
		}
		// Every currency's list is sent whole: a price left empty is refused next to its field.
		for _, cur := range Currencies[1:] {
			if in.PriceLists[cur] == nil {
				in.PriceLists[cur] = map[string]int64{}
			}
			if v := strings.TrimSpace(form.Get(listField(cur, o))); v != "" {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					n = -1
				}
				in.PriceLists[cur][o] = n
			}
		}
	}
	if _, err := h.svc.SavePlan(c.UserContext(), actor.From(c), key, in); err != nil {
		return h.platformRefuse(c, form, err)
	}
	return web.Done(c, "billing.flash.plan_saved", "/platform/billing")
}

// listField is the name of the form's input of an offering's price in another currency.
func listField(currency, offering string) string { return "list_" + currency + "_" + offering }

func (h *handlers) creditForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "slug", "amount_minor", "reason")
	if _, err := h.svc.CreditAccount(c.UserContext(), actor.From(c), form.Get("slug"), CreditInput{AmountMinor: amount(form.Get("amount_minor")), Reason: form.Get("reason")}); err != nil {
		return h.platformRefuse(c, form, err)
	}
	return web.Done(c, "billing.flash.credited", "/platform/billing")
}

func (h *handlers) transferForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "reference", "transfer_amount", "bank_ref")
	_, err := h.svc.RecordTransfer(c.UserContext(), actor.From(c), TransferInput{Reference: form.Get("reference"), AmountMinor: amount(form.Get("transfer_amount")), BankRef: form.Get("bank_ref")})
	if err != nil {
		if p, ok := problem.As(err); ok {
			for i := range p.Errors { // the form's field has its own name: the credit's amount is beside it
				if p.Errors[i].Field == "amount_minor" {
					p.Errors[i].Field = "transfer_amount"
				}
			}
		}
		return h.platformRefuse(c, form, err)
	}
	return web.Done(c, "billing.flash.transfer_recorded", "/platform/billing")
}
