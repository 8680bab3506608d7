package vat_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"groupcamp/modules/billing/vat"
)

// Known numbers: valid ones published by their companies (collected by python-stdnum's
// tests), and the same mangled in one digit (checksum) or in their shape (format).
var valid = []string{
	"FR 40 303 265 045", "FR 18 349 685 099", "FR64333266765", "FR83404833048", "FR16000063601", "FR K 7399859412",
	"DE 118619592", "DE 811 363 057", "DE136308783", "DE812847601",
	"IT00743110157", "IT 00118439991", "IT-01626160210", "IT 12920760159",
	"ES 54362315K", "ES A-28184661", "ES B-58378431", "ES Q-2818015-F", "ES X-5253868-R", "ES W4003922D", "ESA78109592",
	"BE 0202.239.951", "BE0428759497", "BE 0897290877", "BE697449992",
	"NL 806753742B01", "NL001309675B01", "NL.8143.26.584.B.01",
	"ATU13585627", "ATU 142 43 102", "ATU61195628",
	"PL 5211355116", "PL 584-030-44-72", "PL5261025421",
	"DK 28107773", "FI 20774740", "LU 10059929", "PT 502448911", "SI 26808498", "EL 094012834", "SE556043606401",
}

var badChecksum = []string{
	"FR 04409414264", "FR 21 326 565 603",
	"DE 125014855", "DE 246 495 415",
	"IT 00687129980",
	"ES 54362415K", "ES-x-2322300w", "Es-a48951310",
	"BE 0406.139.583", "BE697449982",
	"NL 806753743B01",
	"ATU 143 43 102", "ATU46080904",
	"PL 5211355117",
}

var badFormat = []string{
	"DE 011125440", "DE 246X595 415", "ATU 1515B209", "AT1 142 43 102", "BE 02A2.239.951",
	"NL 001241643801", "NL B06753742B01", "ES B-583784312", "FR000076090", "PL 52113551", "IT 0074311015",
}

func TestNumbers(t *testing.T) {
	t.Parallel()
	for _, s := range valid {
		if _, err := vat.Parse(s); err != nil {
			t.Errorf("%q: %v, want valid", s, err)
		}
	}
	for _, s := range badChecksum {
		if _, err := vat.Parse(s); !errors.Is(err, vat.ErrChecksum) {
			t.Errorf("%q: %v, want a checksum error", s, err)
		}
	}
	for _, s := range badFormat {
		if _, err := vat.Parse(s); !errors.Is(err, vat.ErrFormat) {
			t.Errorf("%q: %v, want a format error", s, err)
		}
	}
	if _, err := vat.Parse("US123456789"); !errors.Is(err, vat.ErrCountry) {
		t.Errorf("US: %v, want a country error", err)
	}
	if n, _ := vat.Parse("el 094012834"); n.Country() != "GR" || n.String() != "EL094012834" {
		t.Errorf("Greece: %+v", n)
	}
}

func TestRates(t *testing.T) {
	t.Parallel()
	if got := len(vat.Members()); got != 27 {
		t.Fatalf("%d members, want 27", got)
	}
	day := func(s string) time.Time { d, _ := time.Parse("2006-01-02", s); return d }
	for _, c := range []struct {
		country, day string
		bp           int64
	}{
		{"FR", "2026-12-01", 2000}, {"DE", "2026-12-01", 1900}, {"HU", "2026-12-01", 2700}, {"LU", "2026-12-01", 1700},
		{"FI", "2024-08-31", 2400}, {"FI", "2024-09-01", 2550}, {"EE", "2025-06-30", 2200}, {"EE", "2025-07-01", 2400},
		{"SK", "2024-12-31", 2000}, {"SK", "2025-01-01", 2300}, {"RO", "2025-08-01", 2100}, {"EL", "2026-01-01", 2400},
	} {
		if bp, ok := vat.StandardRate(c.country, day(c.day)); !ok || bp != c.bp {
			t.Errorf("%s on %s: %d %v, want %d", c.country, c.day, bp, ok, c.bp)
		}
	}
	if _, ok := vat.StandardRate("US", day("2026-01-01")); ok {
		t.Error("the US has an EU rate")
	}
}

// fakeVIES stands for the Commission's service: the numbers it knows are registered, it
// is down when down is set.
type fakeVIES struct {
	known map[string]bool
	down  bool
}

func (f fakeVIES) Check(_ context.Context, n vat.Number) (bool, error) {
	if f.down {
		return false, errors.New("VIES unreachable")
	}
	return f.known[n.String()], nil
}

func TestQuote(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	day := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	e := vat.Engine{VIES: fakeVIES{known: map[string]bool{"DE136308783": true}}}
	for _, c := range []struct {
		name    string
		req     vat.Request
		want    vat.Quote
		wantErr error
	}{
		{"FR consumer", vat.Request{CustomerCountry: "FR", CustomerKind: vat.Consumer, NetMinor: 10000}, vat.Quote{RateBP: 2000, VATMinor: 2000}, nil},
		{"FR business with a number", vat.Request{CustomerCountry: "FR", CustomerKind: vat.Business, VATNumber: "FR40303265045", NetMinor: 999}, vat.Quote{RateBP: 2000, VATMinor: 200}, nil},
		{"EU B2B reverse charge", vat.Request{CustomerCountry: "DE", CustomerKind: vat.Business, VATNumber: "DE 136 308 783", NetMinor: 10000},
			vat.Quote{ReverseCharge: true, Mention: vat.ReverseChargeMention, VIES: true}, nil},
		{"EU B2B not registered", vat.Request{CustomerCountry: "DE", CustomerKind: vat.Business, VATNumber: "DE812847601", NetMinor: 10000}, vat.Quote{}, vat.ErrNotRegistered},
		{"EU B2B bad checksum", vat.Request{CustomerCountry: "DE", CustomerKind: vat.Business, VATNumber: "DE125014855", NetMinor: 10000}, vat.Quote{}, vat.ErrChecksum},
		{"EU B2B number of another country", vat.Request{CustomerCountry: "AT", CustomerKind: vat.Business, VATNumber: "DE136308783", NetMinor: 10000}, vat.Quote{}, vat.ErrNumberCountry},
		{"EU business without number", vat.Request{CustomerCountry: "IT", CustomerKind: vat.Business, NetMinor: 10000}, vat.Quote{RateBP: 2200, VATMinor: 2200}, nil},
		{"EU consumer", vat.Request{CustomerCountry: "HU", CustomerKind: vat.Consumer, NetMinor: 1234}, vat.Quote{RateBP: 2700, VATMinor: 333}, nil},
		{"EU consumer Finland", vat.Request{CustomerCountry: "FI", CustomerKind: vat.Consumer, NetMinor: 1000}, vat.Quote{RateBP: 2550, VATMinor: 255}, nil},
		{"outside the EU", vat.Request{CustomerCountry: "US", CustomerKind: vat.Business, NetMinor: 10000}, vat.Quote{Mention: vat.OutsideEUMention}, nil},
		{"outside the EU consumer", vat.Request{CustomerCountry: "CH", CustomerKind: vat.Consumer, NetMinor: 10000}, vat.Quote{Mention: vat.OutsideEUMention}, nil},
		{"bad kind", vat.Request{CustomerCountry: "FR", CustomerKind: "robot"}, vat.Quote{}, vat.ErrKind},
		{"bad country", vat.Request{CustomerCountry: "France", CustomerKind: vat.Consumer}, vat.Quote{}, vat.ErrCustomerCountry},
		{"seller outside", vat.Request{SellerCountry: "US", CustomerCountry: "FR", CustomerKind: vat.Consumer}, vat.Quote{}, vat.ErrSeller},
	} {
		c.req.Day = day
		got, err := e.Quote(ctx, c.req)
		if !errors.Is(err, c.wantErr) || got != c.want {
			t.Errorf("%s: %+v %v, want %+v %v", c.name, got, err, c.want, c.wantErr)
		}
	}
	// VIES down: the offline check stands, and says it was not confirmed.
	down := vat.Engine{VIES: fakeVIES{down: true}}
	q, err := down.Quote(ctx, vat.Request{CustomerCountry: "DE", CustomerKind: vat.Business, VATNumber: "DE812847601", NetMinor: 500, Day: day})
	if err != nil || !q.ReverseCharge || q.VIES {
		t.Errorf("VIES down: %+v %v", q, err)
	}
}

func TestTaxRounding(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ net, bp, want int64 }{
		{1234, 2000, 247}, {25, 2000, 5}, {1, 2000, 0}, {3, 2000, 1}, {-3, 2000, -1}, {-1234, 2000, -247}, {0, 2000, 0}, {1999, 2550, 510},
	} {
		if got := vat.Tax(c.net, c.bp); got != c.want {
			t.Errorf("Tax(%d, %d) = %d, want %d", c.net, c.bp, got, c.want)
		}
	}
}
