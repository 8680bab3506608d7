package billing

import (
	"bytes"
	"fmt"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
)

// Seller names the issuer on every invoice: the operator's company, from the configuration
// (GROUPCAMP_SELLER_NAME, _ADDRESS, _VAT_NUMBER); what is not configured is left out.
type Seller struct{ Name, Address, VATNumber, IBAN, BIC string }

// lines are the seller's lines on an invoice.
func (s Seller) lines() []string {
	var out []string
	for _, l := range []string{s.Name, s.Address} {
		if l != "" {
			out = append(out, l)
		}
	}
	if s.VATNumber != "" {
		out = append(out, "VAT "+s.VATNumber)
	}
	return out
}

// ProformaMention is printed on every pro-forma: it is no invoice.
const ProformaMention = "Pro-forma: this is not an invoice and no payment is due on it. / Ne vaut pas facture."

// transfer are the lines of the bank details for paying inv by wire transfer (none when the
// seller has no IBAN configured, or for what is not an invoice): the number is the reference.
func (s Seller) transfer(inv *Invoice) []string {
	if s.IBAN == "" || inv.Kind != KindInvoice {
		return nil
	}
	out := []string{"Payment by wire transfer / Paiement par virement", "IBAN " + s.IBAN}
	if s.BIC != "" {
		out = append(out, "BIC "+s.BIC)
	}
	return append(out, "Reference / Référence : "+inv.Number)
}

// Money is an amount of minor units as "1 234.56 EUR" (integers only: never a float).
func Money(minor int64, currency string) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	units, cents := minor/100, minor%100
	s := fmt.Sprint(units)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + " " + s[i:]
	}
	return fmt.Sprintf("%s%s.%02d %s", sign, s, cents, currency)
}

// Rate is basis points as a percentage: "20%", "25.5%".
func Rate(bp int64) string {
	if bp%100 == 0 {
		return fmt.Sprintf("%d%%", bp/100)
	}
	return fmt.Sprintf("%d.%d%%", bp/100, (bp%100)/10)
}

// PDF renders an invoice of seller with go-pdf/fpdf (pure Go). Streams are left uncompressed:
// the files are small, and their text stays greppable. An invoice whose text is all Latin-1
// (cp1252) is printed in the PDF core fonts (Helvetica: nothing embedded, 7 ms); one with
// other letters — a Russian customer's name — in the Go fonts (golang.org/x/image/font/gofont,
// TrueType, BSD-licensed: Latin, Greek and Cyrillic), the subset of the glyphs used embedded
// and the text written as UTF-16BE (parsing the fonts makes it about twenty times slower,
// which only such invoices pay).
func PDF(inv *Invoice, seller Seller) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCompression(false)
	pdf.SetTitle(inv.Number, true)
	pdf.SetCreator("GroupCamp", true)
	family, tr := "Helvetica", pdf.UnicodeTranslatorFromDescriptor("")
	if !latin1(inv, seller) {
		family, tr = "Go", func(s string) string { return s }
		pdf.AddUTF8FontFromBytes(family, "", goregular.TTF)
		pdf.AddUTF8FontFromBytes(family, "B", gobold.TTF)
		pdf.AddUTF8FontFromBytes(family, "I", goitalic.TTF)
	}
	pdf.AddPage()
	title := map[string]string{KindInvoice: "Invoice / Facture", KindCreditNote: "Credit note / Avoir", KindProforma: "Pro-forma invoice / Facture pro forma"}[inv.Kind]
	pdf.SetFont(family, "B", 18)
	pdf.Cell(0, 10, tr(title+" "+inv.Number))
	pdf.Ln(12)
	pdf.SetFont(family, "", 10)
	for _, l := range append(seller.lines(), "", "Issued on / Date : "+inv.IssuedOn) {
		pdf.Cell(0, 5, tr(l))
		pdf.Ln(5)
	}
	pdf.Ln(4)
	pdf.SetFont(family, "B", 10)
	pdf.Cell(0, 5, tr("Customer / Client"))
	pdf.Ln(5)
	pdf.SetFont(family, "", 10)
	for _, l := range []string{inv.LegalName, inv.Address, inv.Country} {
		pdf.MultiCell(0, 5, tr(l), "", "L", false)
	}
	if inv.VATNumber != "" {
		pdf.Cell(0, 5, tr("VAT "+inv.VATNumber))
		pdf.Ln(5)
	}
	pdf.Ln(6)
	widths := []float64{95, 15, 30, 30}
	pdf.SetFont(family, "B", 10)
	for i, h := range []string{"Description", "Qty", "Unit price", "Net"} {
		pdf.CellFormat(widths[i], 7, h, "B", 0, "L", false, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont(family, "", 10)
	for _, l := range inv.Lines {
		pdf.CellFormat(widths[0], 6, tr(l.Description), "", 0, "L", false, 0, "")
		pdf.CellFormat(widths[1], 6, fmt.Sprint(l.Quantity), "", 0, "R", false, 0, "")
		pdf.CellFormat(widths[2], 6, Money(l.UnitMinor, inv.Currency), "", 0, "R", false, 0, "")
		pdf.CellFormat(widths[3], 6, Money(l.NetMinor, inv.Currency), "", 0, "R", false, 0, "")
		pdf.Ln(-1)
	}
	pdf.Ln(4)
	total := func(label, value string) {
		pdf.CellFormat(140, 6, tr(label), "", 0, "R", false, 0, "")
		pdf.CellFormat(30, 6, value, "", 0, "R", false, 0, "")
		pdf.Ln(-1)
	}
	total("Net / HT", Money(inv.NetMinor, inv.Currency))
	for _, v := range inv.VATLines {
		total(fmt.Sprintf("VAT / TVA %s on %s", Rate(v.RateBP), Money(v.BaseMinor, inv.Currency)), Money(v.VATMinor, inv.Currency))
	}
	if inv.VATEURMinor != nil {
		// In another currency the VAT is stated in EUR too (rates.go), with the rate used.
		label := "VAT in EUR / TVA en EUR"
		if inv.EURRateMicro != nil && inv.EURRateOn != nil {
			label += fmt.Sprintf(" (1 EUR = %s %s, %s)", FormatRate(*inv.EURRateMicro), inv.Currency, *inv.EURRateOn)
		}
		total(label, Money(*inv.VATEURMinor, DefaultCurrency))
	}
	pdf.SetFont(family, "B", 11)
	total("Total / TTC", Money(inv.TotalMinor, inv.Currency))
	if inv.BalanceMinor != 0 {
		pdf.SetFont(family, "", 10)
		total("Prepaid balance / Solde prépayé", Money(-inv.BalanceMinor, inv.Currency))
		pdf.SetFont(family, "B", 11)
		total("Due / Reste dû", Money(inv.TotalMinor-inv.BalanceMinor, inv.Currency))
	}
	if inv.Mention != "" {
		pdf.Ln(6)
		pdf.SetFont(family, "I", 9)
		pdf.MultiCell(0, 5, tr(inv.Mention), "", "L", false)
	}
	if inv.Kind == KindProforma {
		pdf.Ln(4)
		pdf.SetFont(family, "B", 10)
		pdf.MultiCell(0, 5, tr(ProformaMention), "", "L", false)
	}
	if lines := seller.transfer(inv); len(lines) > 0 {
		pdf.Ln(6)
		pdf.SetFont(family, "", 10)
		for _, l := range lines {
			pdf.Cell(0, 5, tr(l))
			pdf.Ln(5)
		}
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// latin1 says whether every text of the invoice prints in the core fonts' encoding (cp1252).
func latin1(inv *Invoice, seller Seller) bool {
	texts := []string{inv.LegalName, inv.Address, inv.Country, inv.VATNumber, inv.Mention, seller.Name, seller.Address, seller.VATNumber}
	for _, l := range inv.Lines {
		texts = append(texts, l.Description)
	}
	for _, t := range texts {
		for _, r := range t {
			if (r >= 0x80 && r < 0xA0) || r > 0xFF && !strings.ContainsRune(cp1252, r) {
				return false
			}
		}
	}
	return true
}

// cp1252 are the letters cp1252 has beyond Latin-1 (in 0x80-0x9F).
const cp1252 = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
