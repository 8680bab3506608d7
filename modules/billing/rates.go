package billing

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// Exchange rates for the VAT in EUR. An invoice in another currency than EUR states its VAT in
// EUR too (EU VAT directive art. 230; French CGI art. 242 nonies A: the VAT due is declared in
// the seller's currency). The machine has no internet: the platform admin enters the rates
// (one euro in each currency, per day it applies from — the ECB's reference rate, say), and an
// invoice uses the rate in force on its day: the latest entered on or before it. The invoice
// keeps the rate, its day and the VAT in EUR as issued (a rate corrected later changes no
// invoice); a credit note takes its invoice's.
//
// Without a rate, an invoice whose VAT is not zero is not issued: a 422 naming the currency
// and the day (the monthly run skips the account and reports it; the next run issues it once
// a rate is entered), and the platform page lists the currencies billed without a rate. An
// invoice without VAT (reverse charge, outside the EU: most accounts billed in USD, GBP or
// CHF) needs none — its VAT in EUR is zero — and states the rate when there is one.

// RateScale is the fixed point of a rate: millionths (1.0523 is 1052300).
const RateScale = 1_000_000

// MaxRate bounds a rate (a million units of the currency for one euro).
const MaxRate = int64(1_000_000) * RateScale

// ExchangeRate is one euro in Currency, from ValidOn (billing_exchange_rates).
type ExchangeRate struct {
	bun.BaseModel `bun:"table:billing_exchange_rates,alias:x"`

	Currency  string    `bun:"currency,pk" json:"currency" example:"USD"`
	ValidOn   string    `bun:"valid_on,pk" json:"valid_on" example:"2026-12-01"`
	RateMicro int64     `bun:"rate_micro" json:"rate_micro" example:"1052300"`
	Rate      string    `bun:"-" json:"rate" example:"1.0523"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
}

// RateInput is POST /api/v1/platform/billing/rates: what one euro is worth in currency from
// valid_on, as a decimal ("1.0523", up to six decimals).
type RateInput struct {
	Currency string `json:"currency" openapi:"required" enum:"USD,GBP,CHF"`
	ValidOn  string `json:"valid_on" openapi:"required" example:"2026-12-01"`
	Rate     string `json:"rate" openapi:"required" example:"1.0523"`
}

// RateList is GET /api/v1/platform/billing/rates: the latest rates of each currency, newest
// first, and the currencies accounts are billed in that have no rate in force today.
type RateList struct {
	Items   []ExchangeRate `json:"items"`
	Missing []string       `json:"missing"`
}

// MissingText lists the currencies without a rate, for the page.
func (l *RateList) MissingText() string { return strings.Join(l.Missing, ", ") }

// ParseRate reads a decimal rate exactly into millionths ("1.0523" → 1052300): digits, an
// optional point and up to six decimals, above zero and at most MaxRate.
func ParseRate(s string) (int64, error) {
	s = strings.TrimSpace(s)
	whole, frac, point := strings.Cut(s, ".")
	if whole == "" || (point && frac == "") || len(frac) > 6 || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" || len(whole) > 7 {
		return 0, errRateSyntax
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac+strings.Repeat("0", 6-len(frac)), 10, 64)
	}
	v := w*RateScale + f
	if v <= 0 || v > MaxRate {
		return 0, errRateRange
	}
	return v, nil
}

// The refusals of a rate (messages of the catalogues' "error." entries).
var (
	errRateSyntax = errors.New("must be a number such as 1.0523, with at most six decimals")
	errRateRange  = errors.New("must be above 0 and at most 1000000")
)

// FormatRate writes millionths as a decimal without trailing zeros ("1.0523").
func FormatRate(micro int64) string {
	s := fmt.Sprintf("%d.%06d", micro/RateScale, micro%RateScale)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// ToEUR converts minor units of a currency at rate (one euro in it, millionths) into euro
// cents, rounded half away from zero (both have two decimals).
func ToEUR(minor, rateMicro int64) int64 {
	n, d := minor*RateScale, rateMicro
	neg := n < 0
	if neg {
		n = -n
	}
	q := (2*n + d) / (2 * d)
	if neg {
		return -q
	}
	return q
}

// rateOn is the rate of currency in force on day (the latest on or before it); found false
// when there is none.
func rateOn(ctx context.Context, idb bun.IDB, currency, onDay string) (ExchangeRate, bool, error) {
	var r ExchangeRate
	err := idb.NewSelect().Model(&r).Where("x.currency = ? AND x.valid_on <= ?", currency, onDay).OrderExpr("x.valid_on DESC").Limit(1).Scan(ctx)
	if err != nil {
		if db.IsNotFound(err) {
			return r, false, nil
		}
		return r, false, err
	}
	return r, true, nil
}

// eurVAT sets the VAT in EUR of inv (issued in another currency) in idb: at the rate of orig
// when it corrects an invoice that had one, else at the rate in force on its day. A VAT that
// is not zero without a rate is refused (422): the invoice would not be lawful.
func eurVAT(ctx context.Context, idb bun.IDB, inv, orig *Invoice) error {
	if inv.Currency == DefaultCurrency {
		return nil
	}
	if orig != nil && orig.EURRateMicro != nil {
		inv.EURRateMicro, inv.EURRateOn = orig.EURRateMicro, orig.EURRateOn
	} else {
		r, found, err := rateOn(ctx, idb, inv.Currency, inv.IssuedOn)
		if err != nil {
			return err
		}
		if found {
			rate, on := r.RateMicro, r.ValidOn
			inv.EURRateMicro, inv.EURRateOn = &rate, &on
		}
	}
	var vatEUR int64
	switch {
	case inv.EURRateMicro != nil:
		vatEUR = ToEUR(inv.VATMinor, *inv.EURRateMicro)
	case inv.Kind == KindProforma:
		return nil // no invoice yet: the one it converts into is refused without a rate
	case inv.VATMinor != 0:
		return problem.Invalid(problem.Sayf("currency", "no exchange rate of {currency} in force on {day}: the VAT must also be stated in EUR, and the platform has entered no rate yet",
			"currency", inv.Currency, "day", inv.IssuedOn))
	}
	inv.VATEURMinor = &vatEUR
	return nil
}

// SetRate enters (or corrects) what one euro is worth in a currency from a day (platform
// admin): the currency one of the others than EUR, the day a date, the rate a decimal above
// zero. Audited. The invoices issued already keep the rate they used.
func (s *Service) SetRate(ctx context.Context, a *actor.Actor, in RateInput) (*ExchangeRate, error) {
	var f problem.Fields
	cur := strings.ToUpper(strings.TrimSpace(in.Currency))
	if cur == DefaultCurrency || !supported(cur) {
		f.Addf("currency", "must be one of {currencies}", "currencies", strings.Join(Currencies[1:], ", "))
	}
	on := strings.TrimSpace(in.ValidOn)
	if _, err := time.Parse("2006-01-02", on); err != nil {
		f.Add("valid_on", "must be a date")
	}
	micro, err := ParseRate(in.Rate)
	if err != nil {
		f.Add("rate", err.Error())
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	r := &ExchangeRate{Currency: cur, ValidOn: on, RateMicro: micro, CreatedAt: s.now()}
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(r).On("CONFLICT (currency, valid_on) DO UPDATE").Set("rate_micro = EXCLUDED.rate_micro, created_at = EXCLUDED.created_at").Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, 0, "billing.rate_set", cur, map[string]string{"valid_on": on, "rate": FormatRate(micro)})
	})
	if err != nil {
		return nil, err
	}
	r.Rate = FormatRate(micro)
	return r, nil
}

// MaxRateRows bounds the rates listed.
const MaxRateRows = 100

// Rates lists the latest rates, newest day first, and the currencies accounts are billed in
// without a rate in force today.
func (s *Service) Rates(ctx context.Context) (*RateList, error) {
	out := &RateList{Items: []ExchangeRate{}, Missing: []string{}}
	if err := s.DB.NewSelect().Model(&out.Items).OrderExpr("x.valid_on DESC, x.currency").Limit(MaxRateRows).Scan(ctx); err != nil {
		return nil, err
	}
	for i := range out.Items {
		out.Items[i].Rate = FormatRate(out.Items[i].RateMicro)
	}
	var billed []string
	if err := s.DB.NewSelect().TableExpr("billing_subscriptions AS s").Distinct().Column("s.currency").
		Where("s.currency <> ? AND s.state <> ?", DefaultCurrency, StateClosed).OrderExpr("s.currency").Scan(ctx, &billed); err != nil {
		return nil, err
	}
	today := day(s.now())
	for _, c := range billed {
		if _, found, err := rateOn(ctx, s.DB, c, today); err != nil {
			return nil, err
		} else if !found {
			out.Missing = append(out.Missing, c)
		}
	}
	return out, nil
}

// DeleteRate removes the rate of currency from a day (platform admin): a rate entered by
// mistake. One that an issued invoice or credit note used is kept (409): the invoice states
// it, and an issued invoice never changes. An unknown rate is 404. Audited.
func (s *Service) DeleteRate(ctx context.Context, a *actor.Actor, currency, validOn string) error {
	cur := strings.ToUpper(strings.TrimSpace(currency))
	on := strings.TrimSpace(validOn)
	if cur == DefaultCurrency || !supported(cur) {
		return problem.NotFound()
	}
	if _, err := time.Parse("2006-01-02", on); err != nil {
		return problem.NotFound()
	}
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var r ExchangeRate
		if err := tx.NewSelect().Model(&r).Where("x.currency = ? AND x.valid_on = ?", cur, on).Scan(ctx); err != nil {
			if db.IsNotFound(err) {
				return problem.NotFound()
			}
			return err
		}
		used, err := tx.NewSelect().TableExpr("billing_invoices AS i").
			Where("i.currency = ? AND i.eur_rate_on = ? AND i.kind IN (?, ?)", cur, on, KindInvoice, KindCreditNote).Limit(1).Count(ctx)
		if err != nil {
			return err
		}
		if used > 0 {
			return problem.Conflict("", "an issued invoice used this rate: it is kept")
		}
		if _, err := tx.NewDelete().TableExpr("billing_exchange_rates").Where("currency = ? AND valid_on = ?", cur, on).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, 0, "billing.rate_deleted", cur, map[string]string{"valid_on": on, "rate": FormatRate(r.RateMicro)})
	})
}
