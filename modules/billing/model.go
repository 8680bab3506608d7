package billing

import (
	"time"

	"github.com/uptrace/bun"
)

// Account states.
const (
	StateTrial    = "trial"
	StateActive   = "active"
	StatePastDue  = "past_due"
	StateReadOnly = "read_only"
	StateClosed   = "closed"
)

// Invoice kinds.
const (
	KindInvoice    = "invoice"
	KindCreditNote = "credit_note"
	// KindProforma is a pro-forma invoice: a quote in the form of an invoice, in its own PF
	// series, not a legal invoice (nothing is due until it is converted into one).
	KindProforma = "proforma"
)

// Payment methods: the card through the gateway, or a wire transfer to the seller's account.
const (
	MethodCard     = "card"
	MethodTransfer = "transfer"
)

// Payment states.
const (
	PaymentPending   = "pending"
	PaymentSucceeded = "succeeded"
	PaymentFailed    = "failed"
	PaymentRefunded  = "refunded"
)

// Subscription is an account's row (billing_subscriptions).
type Subscription struct {
	bun.BaseModel `bun:"table:billing_subscriptions,alias:s"`

	ID            int64      `bun:"id,pk,autoincrement"`
	AccountID     int64      `bun:"account_id"`
	State         string     `bun:"state"`
	Plan          string     `bun:"plan"`
	Offerings     []string   `bun:"offerings,type:text"`
	Seats         int64      `bun:"seats"`
	Currency      string     `bun:"currency"`
	TrialEndsOn   string     `bun:"trial_ends_on"`
	AnniversaryOn string     `bun:"anniversary_on"`
	LegalName     string     `bun:"legal_name"`
	Address       string     `bun:"address"`
	Country       string     `bun:"country"`
	CustomerKind  string     `bun:"customer_kind"`
	VATNumber     string     `bun:"vat_number"`
	BalanceMinor  int64      `bun:"balance_minor"`
	GatewayToken  string     `bun:"gateway_token"`
	CardLast4     string     `bun:"card_last4"`
	CardHolder    string     `bun:"card_holder"`
	CardExpiry    string     `bun:"card_expiry"`
	PastDueSince  *time.Time `bun:"past_due_since"`
	Retries       int        `bun:"retries"`
	// ClosedAt is when the dunning closed the account, PurgedAt when its data was purged
	// (purge.go): both nil until then.
	ClosedAt *time.Time `bun:"closed_at"`
	PurgedAt *time.Time `bun:"purged_at"`
	// The current period [PeriodStart, PeriodEnd): PeriodEnd is the next invoice's day.
	PeriodStart string `bun:"period_start"`
	PeriodEnd   string `bun:"period_end"`
	// A downgrade waiting for PeriodEnd (PendingPlan "" when none); offerings as JSON.
	PendingPlan      string `bun:"pending_plan"`
	PendingOfferings string `bun:"pending_offerings"`
	PendingSeats     int64  `bun:"pending_seats"`
	// PaymentMethod is card or transfer (then nothing is charged: the invoices are paid by
	// wire transfers, which the platform admin records).
	PaymentMethod string    `bun:"payment_method"`
	CreatedAt     time.Time `bun:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

// QuotaUse is one quota of the account: how much is used of what the plan allows (-1: no limit).
type QuotaUse struct {
	Name  string `json:"name" example:"projects"`
	Used  int64  `json:"used" example:"4"`
	Limit int64  `json:"limit" example:"10"`
	// Over says the usage is at or past the limit (the next creation is refused).
	Full bool `json:"full"`
}

// Percent is how much of the quota is used, for the page's gauge (0 when unlimited).
func (q QuotaUse) Percent() int64 {
	if q.Limit <= 0 {
		if q.Limit == 0 && q.Used > 0 {
			return 100
		}
		return 0
	}
	p := q.Used * 100 / q.Limit
	return min(p, 100)
}

// Card is the payment method as stored: never the card number.
type Card struct {
	Last4  string `json:"last4" example:"4242"`
	Holder string `json:"holder" example:"Ada Lovelace"`
	Expiry string `json:"expiry" example:"12/2030"`
}

// Details are the billing details the invoices carry.
type Details struct {
	LegalName string `json:"legal_name" example:"Acme SAS"`
	Address   string `json:"address" example:"1 rue de la Paix, 75002 Paris"`
	Country   string `json:"country" example:"FR"`
	VATNumber string `json:"vat_number" example:"FR40303265045"`
	// Currency is what the account is billed in (EUR, USD, GBP or CHF).
	Currency string `json:"currency" example:"EUR"`
}

// Overview is GET /api/v1/{slug}/billing.
type Overview struct {
	State         string     `json:"state" enum:"trial,active,past_due,read_only,closed"`
	Plan          string     `json:"plan" example:"team"`
	Offerings     []string   `json:"offerings"`
	Seats         int64      `json:"seats"`
	TrialEndsOn   string     `json:"trial_ends_on" example:"2026-12-31"`
	AnniversaryOn string     `json:"anniversary_on" example:"2027-01-15"`
	Quotas        []QuotaUse `json:"quotas"`
	BalanceMinor  int64      `json:"balance_minor"`
	Currency      string     `json:"currency" example:"EUR"`
	MonthlyMinor  int64      `json:"monthly_minor"`
	Details       Details    `json:"details"`
	Card          *Card      `json:"card"`
	// PaymentMethod is card or transfer (the invoices carry the seller's bank details).
	PaymentMethod string `json:"payment_method" enum:"card,transfer"`
	// PartnerBilled: the account is billed by its partner, not here.
	PartnerBilled bool `json:"partner_billed"`
	// The current period: period_end is the next invoice's day.
	PeriodStart string `json:"period_start" example:"2026-12-15"`
	PeriodEnd   string `json:"period_end" example:"2027-01-15"`
	// Pending is the downgrade scheduled for period_end (null when none).
	Pending *Pending `json:"pending"`
	// Coupon is the coupon running: the next invoices' discount (null when none).
	Coupon *ActiveCoupon `json:"coupon"`
}

// Pending is a plan change scheduled for the next period (a downgrade).
type Pending struct {
	Plan      string   `json:"plan" example:"starter"`
	Offerings []string `json:"offerings"`
	Seats     int64    `json:"seats"`
	From      string   `json:"from" example:"2027-01-15"`
}

// DetailsInput is PUT /api/v1/{slug}/billing/details.
type DetailsInput struct {
	LegalName string `json:"legal_name" openapi:"required" example:"Acme SAS"`
	Address   string `json:"address" example:"1 rue de la Paix, 75002 Paris"`
	Country   string `json:"country" openapi:"required" example:"FR"`
	VATNumber string `json:"vat_number" example:"FR40303265045"`
	// Currency, optional, is the billing currency: one of EUR, USD, GBP, CHF (absent: unchanged;
	// at first the account's own currency when supported, else EUR). It cannot change once
	// the account was invoiced or holds credit (422 "currency mismatch").
	Currency string `json:"currency" example:"EUR"`
}

// SubscriptionInput is POST /api/v1/{slug}/billing/subscription.
type SubscriptionInput struct {
	Plan      string   `json:"plan" openapi:"required" enum:"starter,team,business"`
	Offerings []string `json:"offerings" openapi:"required"`
	Seats     int64    `json:"seats" openapi:"required" example:"5"`
}

// PaymentMethodInput is POST /api/v1/{slug}/billing/payment-method.
type PaymentMethodInput struct {
	// Method is card (the default: gateway_token required) or transfer (no token: the
	// invoices are paid by wire transfer, with their number as the reference).
	Method       string `json:"method" enum:"card,transfer"`
	GatewayToken string `json:"gateway_token" example:"tok_test_visa"`
}

// Invoice is an issued invoice or credit note (billing_invoices).
type Invoice struct {
	bun.BaseModel `bun:"table:billing_invoices,alias:i"`

	ID         int64  `bun:"id,pk,autoincrement" json:"id"`
	AccountID  int64  `bun:"account_id" json:"-"`
	Entity     string `bun:"entity" json:"-"`
	Seq        int64  `bun:"seq" json:"-"`
	Number     string `bun:"number" json:"number" example:"GC-FR-000042"`
	Kind       string `bun:"kind" json:"kind" enum:"invoice,credit_note,proforma"`
	CorrectsID *int64 `bun:"corrects_id" json:"corrects_id,omitempty"`
	// ProformaID is the pro-forma this invoice was converted from.
	ProformaID *int64 `bun:"proforma_id" json:"proforma_id,omitempty"`
	IssuedOn   string `bun:"issued_on" json:"issued_on" example:"2026-12-16"`
	Currency   string `bun:"currency" json:"currency" example:"EUR"`
	LegalName  string `bun:"legal_name" json:"legal_name"`
	Address    string `bun:"address" json:"address"`
	Country    string `bun:"country" json:"country"`
	VATNumber  string `bun:"vat_number" json:"vat_number"`
	NetMinor   int64  `bun:"net_minor" json:"net_minor"`
	VATMinor   int64  `bun:"vat_minor" json:"vat_minor"`
	TotalMinor int64  `bun:"total_minor" json:"total_minor"`
	Mention    string `bun:"mention" json:"mention"`
	// BalanceMinor is what the prepaid balance paid of the total (the rest is charged).
	BalanceMinor int64 `bun:"balance_minor" json:"balance_minor"`
	// VATEURMinor is the VAT in EUR of an invoice in another currency (rates.go), at
	// EURRateMicro (one euro in the currency, millionths), the rate in force from EURRateOn;
	// null on an EUR invoice (and the rate null when the VAT was zero and no rate was set).
	VATEURMinor  *int64    `bun:"vat_eur_minor" json:"vat_eur_minor,omitempty"`
	EURRateMicro *int64    `bun:"eur_rate_micro" json:"eur_rate_micro,omitempty"`
	EURRateOn    *string   `bun:"eur_rate_on" json:"eur_rate_on,omitempty"`
	CreatedAt    time.Time `bun:"created_at" json:"created_at"`
	Lines        []Line    `bun:"-" json:"lines,omitempty"` // in the list: left out
	VATLines     []VATLine `bun:"-" json:"vat_lines,omitempty"`
	PaidMinor    int64     `bun:"-" json:"paid_minor"`
	// ConvertedID is, on a pro-forma, the invoice it was converted into (null: not yet).
	ConvertedID *int64 `bun:"-" json:"converted_id,omitempty"`
	PaymentNote string `bun:"-" json:"-"`
}

// Line is one line of an invoice.
type Line struct {
	bun.BaseModel `bun:"table:billing_invoice_lines,alias:l"`

	ID          int64  `bun:"id,pk,autoincrement" json:"-"`
	AccountID   int64  `bun:"account_id" json:"-"`
	InvoiceID   int64  `bun:"invoice_id" json:"-"`
	Description string `bun:"description" json:"description" example:"projects — team plan, 5 seats"`
	Quantity    int64  `bun:"quantity" json:"quantity"`
	UnitMinor   int64  `bun:"unit_minor" json:"unit_minor"`
	NetMinor    int64  `bun:"net_minor" json:"net_minor"`
	RateBP      int64  `bun:"rate_bp" json:"rate_bp"`
	// A prorated line is worth ProrateDays/PeriodDays of Quantity × UnitMinor, rounded half
	// away from zero (0 of 0: the whole line).
	ProrateDays int64 `bun:"prorate_days" json:"prorate_days,omitempty"`
	PeriodDays  int64 `bun:"period_days" json:"period_days,omitempty"`
	// Coupon is the code of the coupon a discount line comes from ("" on the other lines).
	Coupon string `bun:"coupon" json:"coupon,omitempty" example:"WELCOME20"`
}

// VATLine is the VAT of an invoice at one rate.
type VATLine struct {
	bun.BaseModel `bun:"table:billing_vat_lines,alias:v"`

	ID        int64 `bun:"id,pk,autoincrement" json:"-"`
	AccountID int64 `bun:"account_id" json:"-"`
	InvoiceID int64 `bun:"invoice_id" json:"-"`
	RateBP    int64 `bun:"rate_bp" json:"rate_bp"`
	BaseMinor int64 `bun:"base_minor" json:"base_minor"`
	VATMinor  int64 `bun:"vat_minor" json:"vat_minor"`
}

// Payment is a charge through the gateway (billing_payments).
type Payment struct {
	bun.BaseModel `bun:"table:billing_payments,alias:p"`

	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID      int64     `bun:"account_id" json:"-"`
	InvoiceID      *int64    `bun:"invoice_id" json:"invoice_id"`
	IdempotencyKey string    `bun:"idempotency_key" json:"-"`
	Method         string    `bun:"method" json:"method" enum:"card,transfer"`
	AmountMinor    int64     `bun:"amount_minor" json:"amount_minor"`
	Currency       string    `bun:"currency" json:"currency"`
	State          string    `bun:"state" json:"state"`
	GatewayRef     string    `bun:"gateway_ref" json:"-"`
	Error          string    `bun:"error" json:"error,omitempty"`
	CreatedAt      time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt      time.Time `bun:"updated_at" json:"updated_at"`
}

// InvoiceList is GET /api/v1/{slug}/invoices.
type InvoiceList struct {
	Items []Invoice `json:"items"`
}

// QuoteInput is POST /api/v1/vat/quote.
type QuoteInput struct {
	SellerCountry   string `json:"seller_country" example:"FR"`
	CustomerCountry string `json:"customer_country" openapi:"required" example:"DE"`
	CustomerKind    string `json:"customer_kind" openapi:"required" enum:"business,consumer"`
	VATNumber       string `json:"vat_number" example:"DE136308783"`
	NetMinor        int64  `json:"net_minor" openapi:"required" example:"10000"`
}

// PlatformAccount is one line of GET /api/v1/platform/billing/accounts.
type PlatformAccount struct {
	ID           int64  `json:"id" bun:"id"`
	Slug         string `json:"slug" bun:"slug"`
	Name         string `json:"name" bun:"name"`
	State        string `json:"state" bun:"state"`
	Plan         string `json:"plan" bun:"plan"`
	MRRMinor     int64  `json:"mrr_minor" bun:"-"`
	Currency     string `json:"currency" bun:"currency"`
	Seats        int64  `json:"seats" bun:"seats"`
	OfferingsRaw string `json:"-" bun:"offerings"`
}

// PlatformList is GET /api/v1/platform/billing/accounts.
type PlatformList struct {
	Items []PlatformAccount `json:"items"`
	// MRRMinor is the revenue of the accounts billed in EUR; MRRByCurrency every currency's
	// (amounts of different currencies are never added up).
	MRRMinor      int64            `json:"mrr_minor"`
	MRRByCurrency map[string]int64 `json:"mrr_by_currency"`
}
