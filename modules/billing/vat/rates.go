package vat

import "time"

// Rate is a country's standard VAT rate from a day on, in basis points (2000 = 20%).
type Rate struct {
	Country string // ISO 3166 alpha-2 ("GR" for Greece; its VAT numbers say "EL")
	From    string // YYYY-MM-DD, the first day the rate applies
	BP      int64
}

// Rates are the standard rates of the 27 member states, each with the day it took effect;
// a change is one more row (the older row keeps the invoices issued before it right). Only
// standard rates: GroupCamp sells electronically supplied services, taxed at the standard
// rate everywhere. Sources: the European Commission's "VAT rates applied in the Member States".
var Rates = []Rate{
	{"AT", "2016-01-01", 2000},
	{"BE", "1996-01-01", 2100},
	{"BG", "2007-01-01", 2000},
	{"HR", "2013-01-01", 2500},
	{"CY", "2014-01-13", 1900},
	{"CZ", "2013-01-01", 2100},
	{"DK", "1992-01-01", 2500},
	{"EE", "2009-07-01", 2000},
	{"EE", "2024-01-01", 2200},
	{"EE", "2025-07-01", 2400},
	{"FI", "2013-01-01", 2400},
	{"FI", "2024-09-01", 2550},
	{"FR", "2014-01-01", 2000},
	{"DE", "2021-01-01", 1900},
	{"GR", "2016-06-01", 2400},
	{"HU", "2012-01-01", 2700},
	{"IE", "2021-03-01", 2300},
	{"IT", "2013-10-01", 2200},
	{"LV", "2009-01-01", 2100},
	{"LT", "2009-09-01", 2100},
	{"LU", "2015-01-01", 1700},
	{"MT", "1995-01-01", 1800},
	{"NL", "2012-10-01", 2100},
	{"PL", "2011-01-01", 2300},
	{"PT", "2011-01-01", 2300},
	{"RO", "2017-01-01", 1900},
	{"RO", "2025-08-01", 2100},
	{"SK", "2011-01-01", 2000},
	{"SK", "2025-01-01", 2300},
	{"SI", "2013-07-01", 2200},
	{"ES", "2012-09-01", 2100},
	{"SE", "1990-07-01", 2500},
}

// Members are the member states' codes, as in Rates.
func Members() []string {
	seen, out := map[string]bool{}, []string{}
	for _, r := range Rates {
		if !seen[r.Country] {
			seen[r.Country] = true
			out = append(out, r.Country)
		}
	}
	return out
}

// IsMember says whether country (ISO alpha-2; "EL" is taken for Greece) is an EU member.
func IsMember(country string) bool {
	country = isoCountry(country)
	for _, r := range Rates {
		if r.Country == country {
			return true
		}
	}
	return false
}

// StandardRate is the member's standard rate on day, and false for a country that is no
// member (or a day before the table's first row for it).
func StandardRate(country string, day time.Time) (int64, bool) {
	country = isoCountry(country)
	d := day.UTC().Format("2006-01-02")
	var bp int64
	var found bool
	for _, r := range Rates {
		// Rows of one country are in date order: the last one begun by day wins.
		if r.Country == country && r.From <= d {
			bp, found = r.BP, true
		}
	}
	return bp, found
}

// isoCountry maps the VAT prefix "EL" to Greece's ISO code.
func isoCountry(c string) string {
	if c == "EL" {
		return "GR"
	}
	return c
}

// Country is the ISO code of a country as a VAT number or a person may name it ("EL" → "GR").
func Country(c string) string { return isoCountry(c) }
