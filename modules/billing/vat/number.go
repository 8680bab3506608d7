package vat

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Reasons a VAT number is refused; wrapped with details by Validate, so callers can
// errors.Is them and show the reason.
var (
	ErrFormat   = errors.New("the VAT number has not the format of its country")
	ErrChecksum = errors.New("the VAT number's check digits are wrong")
	ErrCountry  = errors.New("the VAT number's prefix is no EU member state")
)

// Number is a VAT number split into its prefix ("FR", "EL" for Greece) and the rest.
type Number struct {
	Prefix string
	Body   string
}

// String is the compact form: "FR40303265045".
func (n Number) String() string { return n.Prefix + n.Body }

// Country is the ISO code of the number's member state ("GR" for "EL").
func (n Number) Country() string { return isoCountry(n.Prefix) }

// separators are what people type inside a number: spaces, dots, dashes, slashes, colons.
var separators = strings.NewReplacer(" ", "", ".", "", "-", "", "/", "", ":", "", ",", "")

// Compact upper-cases s and drops its separators.
func Compact(s string) string { return strings.ToUpper(separators.Replace(strings.TrimSpace(s))) }

// formats are each member's VAT number shape after the prefix (the European Commission's
// VIES "VAT number validation" list).
var formats = map[string]*regexp.Regexp{
	"AT": regexp.MustCompile(`^U\d{8}$`),
	"BE": regexp.MustCompile(`^[01]\d{9}$`),
	"BG": regexp.MustCompile(`^\d{9,10}$`),
	"HR": regexp.MustCompile(`^\d{11}$`),
	"CY": regexp.MustCompile(`^\d{8}[A-Z]$`),
	"CZ": regexp.MustCompile(`^\d{8,10}$`),
	"DK": regexp.MustCompile(`^\d{8}$`),
	"EE": regexp.MustCompile(`^\d{9}$`),
	"FI": regexp.MustCompile(`^\d{8}$`),
	"FR": regexp.MustCompile(`^[0-9A-HJ-NP-Z]{2}\d{9}$`),
	"DE": regexp.MustCompile(`^[1-9]\d{8}$`),
	"EL": regexp.MustCompile(`^\d{9}$`),
	"HU": regexp.MustCompile(`^\d{8}$`),
	"IE": regexp.MustCompile(`^(\d{7}[A-W][A-IW]?|\d[A-Z+*]\d{5}[A-W])$`),
	"IT": regexp.MustCompile(`^\d{11}$`),
	"LV": regexp.MustCompile(`^\d{11}$`),
	"LT": regexp.MustCompile(`^(\d{9}|\d{12})$`),
	"LU": regexp.MustCompile(`^\d{8}$`),
	"MT": regexp.MustCompile(`^\d{8}$`),
	"NL": regexp.MustCompile(`^\d{9}B\d{2}$`),
	"PL": regexp.MustCompile(`^\d{10}$`),
	"PT": regexp.MustCompile(`^\d{9}$`),
	"RO": regexp.MustCompile(`^[1-9]\d{1,9}$`),
	"SK": regexp.MustCompile(`^[1-9]\d[2-47-9]\d{7}$`),
	"SI": regexp.MustCompile(`^[1-9]\d{7}$`),
	"ES": regexp.MustCompile(`^[0-9A-Z]\d{7}[0-9A-Z]$`),
	"SE": regexp.MustCompile(`^\d{10}01$`),
}

// checksums are the check-digit rules of the members whose numbers carry one and that we
// check; the others are checked for their format only (VIES says the rest).
var checksums = map[string]func(string) bool{
	"AT": checkAT,
	"BE": checkBE,
	"DE": checkDE,
	"ES": checkES,
	"FR": checkFR,
	"IT": checkIT,
	"NL": checkNL,
	"PL": checkPL,
	"DK": checkDK,
	"FI": checkFI,
	"LU": checkLU,
	"PT": checkPT,
	"SI": checkSI,
}

// Parse compacts s, splits its prefix and checks its format and check digits: an error
// wrapping ErrCountry, ErrFormat or ErrChecksum says why it is refused.
func Parse(s string) (Number, error) {
	c := Compact(s)
	if len(c) < 3 {
		return Number{}, fmt.Errorf("%w: %q is too short", ErrFormat, s)
	}
	n := Number{Prefix: c[:2], Body: c[2:]}
	if n.Prefix == "BE" && len(n.Body) == 9 {
		n.Body = "0" + n.Body // the older nine-digit numbers
	}
	re, ok := formats[n.Prefix]
	if !ok {
		return n, fmt.Errorf("%w: %q", ErrCountry, n.Prefix)
	}
	if !re.MatchString(n.Body) {
		return n, fmt.Errorf("%w (%s)", ErrFormat, n.Prefix)
	}
	if check := checksums[n.Prefix]; check != nil && !check(n.Body) {
		return n, fmt.Errorf("%w (%s)", ErrChecksum, n.Prefix)
	}
	return n, nil
}

// digits converts an all-digit string to its digits.
func digits(s string) []int {
	out := make([]int, len(s))
	for i, r := range s {
		out[i] = int(r - '0')
	}
	return out
}

// luhn is the Luhn check of an all-digit string.
func luhn(s string) bool {
	sum := 0
	for i, d := range digits(s) {
		if (len(s)-i)%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// weighted is the sum of the digits times the weights.
func weighted(d []int, w ...int) int {
	sum := 0
	for i, x := range w {
		sum += d[i] * x
	}
	return sum
}

// checkFR: a numeric key is (12 + 3 × (SIREN mod 97)) mod 97, and the SIREN passes Luhn
// (except the "000" numbers of bodies without one). Keys with letters are the newer scheme
// whose algorithm is not published: format only.
func checkFR(b string) bool {
	key, siren := b[:2], b[2:]
	if siren[:3] != "000" && !luhn(siren) {
		return false
	}
	k, err := strconv.Atoi(key)
	if err != nil {
		return true
	}
	s, _ := strconv.Atoi(siren)
	return k == (12+3*(s%97))%97
}

// checkDE: ISO 7064 MOD 11,10 over the first eight digits.
func checkDE(b string) bool {
	d, p := digits(b), 10
	for _, x := range d[:8] {
		s := (x + p) % 10
		if s == 0 {
			s = 10
		}
		p = (2 * s) % 11
	}
	c := 11 - p
	if c == 10 {
		c = 0
	}
	return c == d[8]
}

// checkIT: Luhn over the eleven digits; the office code (digits 8-10) is 001-100, 120, 121
// or 888/999.
func checkIT(b string) bool {
	if b[:7] == "0000000" {
		return false
	}
	office, _ := strconv.Atoi(b[7:10])
	if !(office >= 1 && office <= 100) && office != 120 && office != 121 && office != 888 && office != 999 {
		return false
	}
	return luhn(b)
}

// checkBE: the last two digits are 97 − (the first eight mod 97).
func checkBE(b string) bool {
	head, _ := strconv.Atoi(b[:8])
	tail, _ := strconv.Atoi(b[8:])
	return 97-head%97 == tail
}

// checkNL: the nine digits pass the "elfproef" (weights 9..2 and −1) or, since 2020, the
// whole "NL…B.." is 1 modulo 97 with letters as ISO 7064 numbers; B00 is no branch.
func checkNL(b string) bool {
	if b[10:] == "00" {
		return false
	}
	d := digits(b[:9])
	if (weighted(d, 9, 8, 7, 6, 5, 4, 3, 2)-d[8])%11 == 0 {
		return true
	}
	// "NL" → 23 21, "B" → 11.
	return mod97("2321"+b[:9]+"11"+b[10:]) == 1
}

// mod97 is a long digit string modulo 97.
func mod97(s string) int {
	r := 0
	for _, c := range s {
		r = (r*10 + int(c-'0')) % 97
	}
	return r
}

// checkAT: after the "U", weights 1,2,… over seven digits (a doubled digit adds its digits),
// and the eighth is (10 − (sum + 4) mod 10) mod 10.
func checkAT(b string) bool {
	d, sum := digits(b[1:]), 0
	for i, x := range d[:7] {
		if i%2 == 1 {
			x *= 2
			x = x/10 + x%10
		}
		sum += x
	}
	return (10-(sum+4)%10)%10 == d[7]
}

// checkPL: weights 6,5,7,2,3,4,5,6,7, sum mod 11 is the last digit (10 is never issued).
func checkPL(b string) bool {
	d := digits(b)
	return weighted(d, 6, 5, 7, 2, 3, 4, 5, 6, 7)%11 == d[9]
}

// checkDK: weights 2,7,6,5,4,3,2,1, sum mod 11 is 0.
func checkDK(b string) bool { return weighted(digits(b), 2, 7, 6, 5, 4, 3, 2, 1)%11 == 0 }

// checkFI: weights 7,9,10,5,8,4,2 and the eighth digit is 11 − sum mod 11 (0 when 11).
func checkFI(b string) bool {
	d := digits(b)
	c := (11 - weighted(d, 7, 9, 10, 5, 8, 4, 2)%11) % 11
	return c != 10 && c == d[7]
}

// checkLU: the last two digits are the first six mod 89.
func checkLU(b string) bool {
	head, _ := strconv.Atoi(b[:6])
	tail, _ := strconv.Atoi(b[6:])
	return head%89 == tail
}

// checkPT: weights 9..2, check (11 − sum mod 11), 10 and 11 → 0.
func checkPT(b string) bool {
	d := digits(b)
	c := 11 - weighted(d, 9, 8, 7, 6, 5, 4, 3, 2)%11
	if c >= 10 {
		c = 0
	}
	return c == d[8]
}

// checkSI: weights 8..2, check 11 − sum mod 11 (10 → 0, 11 invalid).
func checkSI(b string) bool {
	d := digits(b)
	c := 11 - weighted(d, 8, 7, 6, 5, 4, 3, 2)%11
	if c == 11 {
		return false
	}
	if c == 10 {
		c = 0
	}
	return c == d[7]
}

// checkES: companies (CIF, a letter first) carry a check digit or letter over the seven
// digits; people (DNI: eight digits; NIE: X/Y/Z then seven; K/L/M then seven) carry the
// letter of the number mod 23.
func checkES(b string) bool {
	first, last := b[0], b[8]
	const letters = "TRWAGMYFPDXBNJZSQVHLCKE"
	switch {
	case first >= '0' && first <= '9':
		n, _ := strconv.Atoi(b[:8])
		return letters[n%23] == last
	case strings.IndexByte("XYZ", first) >= 0:
		n, _ := strconv.Atoi(strconv.Itoa(strings.IndexByte("XYZ", first)) + b[1:8])
		return letters[n%23] == last
	case strings.IndexByte("KLM", first) >= 0:
		n, _ := strconv.Atoi(b[1:8])
		return letters[n%23] == last
	case strings.IndexByte("ABCDEFGHJNPQRSUVW", first) >= 0:
		d, sum := digits(b[1:8]), 0
		for i, x := range d {
			if i%2 == 0 {
				x *= 2
				x = x/10 + x%10
			}
			sum += x
		}
		c := (10 - sum%10) % 10
		digit, letter := byte('0'+c), "JABCDEFGHI"[c]
		switch {
		case strings.IndexByte("ABEH", first) >= 0:
			return last == digit
		case strings.IndexByte("NPQRSW", first) >= 0:
			return last == letter
		}
		return last == digit || last == letter
	}
	return false
}
