// Package vat is GroupCamp's VAT engine: which rate applies to a sale of its services from
// the seller (in France) to a customer, with the legal mention the invoice must carry, and the
// check of intra-community VAT numbers (format and check digits per country, and an optional
// online check through the VIES port). It is a plain package of data and functions — no
// database, no HTTP — so the billing module and its tests use the same rules.
//
// The rules (Council Directive 2006/112/EC, French CGI):
//   - customer in the seller's country: the seller's standard rate (France: 20%);
//   - EU business customer with a valid VAT number of another member: reverse charge, 0%,
//     and the invoice says so (ReverseChargeMention);
//   - EU consumer (or a business without a valid number) in another member: the rate of the
//     customer's country (the OSS regime for electronically supplied services);
//   - customer outside the EU: no French VAT (the place of supply is outside), with the
//     mention OutsideEUMention.
//
// Amounts are integer minor units (cents); the VAT is rounded half away from zero, once
// per VAT line, so a credit note (negative) mirrors its invoice exactly.
package vat

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Kinds of customer.
const (
	Business = "business"
	Consumer = "consumer"
)

// Legal mentions printed on invoices.
const (
	ReverseChargeMention = "Autoliquidation — reverse charge: VAT due by the customer (art. 196, Council Directive 2006/112/EC; art. 283-2 CGI)"
	OutsideEUMention     = "TVA non applicable — VAT not applicable, place of supply outside the EU (art. 259-1 CGI)"
)

// Seller is GroupCamp's country.
const Seller = "FR"

// Request is a sale to quote.
type Request struct {
	SellerCountry   string // "" means Seller
	CustomerCountry string
	CustomerKind    string // Business or Consumer
	VATNumber       string // the customer's, for a business
	NetMinor        int64
	Day             time.Time // the tax point; zero means today
}

// Quote is the VAT of a sale.
type Quote struct {
	RateBP        int64  `json:"rate_bp"`
	VATMinor      int64  `json:"vat_minor"`
	ReverseCharge bool   `json:"reverse_charge"`
	Mention       string `json:"mention"`
	// VIES says whether the number was confirmed online (false: format and checksum only,
	// the VIES port being absent or unreachable).
	VIES bool `json:"vies_checked"`
}

// Fields name what a quote refuses, for a field-level problem.
var (
	ErrCustomerCountry = errors.New("unknown customer country")
	ErrKind            = errors.New("customer kind is business or consumer")
	ErrSeller          = errors.New("the seller must be in an EU member state")
	ErrNumberCountry   = errors.New("the VAT number is of another country than the customer's")
	ErrNotRegistered   = errors.New("VIES says the VAT number is not registered")
)

// VIES is the online check of a VAT number (the European Commission's service). It is a
// port: the server has no hard dependency on it (an error from it falls back to the
// offline check), and tests use a fake.
type VIES interface {
	Check(ctx context.Context, n Number) (valid bool, err error)
}

// Engine quotes sales; VIES is optional.
type Engine struct {
	VIES VIES
}

// CheckNumber parses the number and, when the VIES port is there and answers, asks it:
// checked says whether VIES confirmed it.
func (e Engine) CheckNumber(ctx context.Context, s string) (n Number, checked bool, err error) {
	n, err = Parse(s)
	if err != nil || e.VIES == nil {
		return n, false, err
	}
	ok, verr := e.VIES.Check(ctx, n)
	if verr != nil {
		return n, false, nil // VIES down: the offline check stands
	}
	if !ok {
		return n, true, ErrNotRegistered
	}
	return n, true, nil
}

// Quote says the rate, the VAT and the mention of a sale. An error is the caller's bad
// input (an unknown country, kind or an invalid number of a business).
func (e Engine) Quote(ctx context.Context, r Request) (Quote, error) {
	seller := r.SellerCountry
	if seller == "" {
		seller = Seller
	}
	day := r.Day
	if day.IsZero() {
		day = time.Now()
	}
	if r.CustomerKind != Business && r.CustomerKind != Consumer {
		return Quote{}, ErrKind
	}
	if len(r.CustomerCountry) != 2 {
		return Quote{}, ErrCustomerCountry
	}
	sellerRate, ok := StandardRate(seller, day)
	if !ok {
		return Quote{}, ErrSeller
	}
	customer := isoCountry(r.CustomerCountry)
	if !IsMember(customer) {
		return Quote{Mention: OutsideEUMention}, nil
	}
	if customer == isoCountry(seller) {
		return quoted(sellerRate, r.NetMinor), nil
	}
	if r.CustomerKind == Business && r.VATNumber != "" {
		n, checked, err := e.CheckNumber(ctx, r.VATNumber)
		if err != nil {
			return Quote{}, err
		}
		if n.Country() != customer {
			return Quote{}, fmt.Errorf("%w (%s)", ErrNumberCountry, n.Prefix)
		}
		return Quote{ReverseCharge: true, Mention: ReverseChargeMention, VIES: checked}, nil
	}
	rate, _ := StandardRate(customer, day)
	return quoted(rate, r.NetMinor), nil
}

// quoted is a taxed sale at rate.
func quoted(rate, net int64) Quote { return Quote{RateBP: rate, VATMinor: Tax(net, rate)} }

// Tax is net × rate (basis points), rounded half away from zero, in integers.
func Tax(net, rateBP int64) int64 {
	p := net * rateBP
	if p < 0 {
		return -((-p + 5000) / 10000)
	}
	return (p + 5000) / 10000
}
