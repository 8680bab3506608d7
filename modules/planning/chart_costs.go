package planning

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	"groupcamp/core/web"
)

// costChart draws the project's cost per ISO week as SVG: a pair of bars per week, planned
// (hatched outline) and actual (solid), on a y axis in the account's currency. The table
// beside it holds every figure, so the chart is one image with a title for screen readers and
// a <title> per bar for pointers.
func costChart(r *CostReport, plannedLabel, actualLabel, caption string) template.HTML {
	if len(r.Weeks) == 0 {
		return ""
	}
	const w, hgt, left, right, top, bottom = 720.0, 260.0, 72.0, 16.0, 16.0, 44.0
	var top0 int64
	for _, wk := range r.Weeks {
		top0 = max(top0, wk.PlannedCostMinor, wk.ActualCostMinor)
	}
	maxV := niceCeil(float64(top0) / 100) // in major units
	plotW, plotH := w-left-right, hgt-top-bottom
	slot := plotW / float64(len(r.Weeks))
	bar := math.Min(28, slot*0.38)
	y := func(minor int64) float64 { return top + plotH - plotH*(float64(minor)/100)/maxV }
	esc := template.HTMLEscapeString
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="costs" id="cost-chart" width="100%%" viewBox="0 0 %g %g" role="img" aria-labelledby="cost-chart-title" xmlns="http://www.w3.org/2000/svg" font-family="`+web.FontStack+`" font-size="11">`, w, hgt)
	fmt.Fprintf(&b, `<title id="cost-chart-title">%s</title>`, esc(caption))
	b.WriteString(`<defs><pattern id="cost-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" stroke="#8a5a00" stroke-width="2"/></pattern></defs>`)
	for i := 0; i <= 4; i++ {
		v := maxV * float64(i) / 4
		yy := top + plotH - plotH*float64(i)/4
		fmt.Fprintf(&b, `<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="#e3e6ea"/><text x="%g" y="%.1f" text-anchor="end" fill="#5f6b7a">%s %s</text>`, left, yy, w-right, yy, left-6, yy+4, esc(r.tick(v)), esc(r.Currency))
	}
	step := max(1, len(r.Weeks)/10)
	for i, wk := range r.Weeks {
		x := left + slot*float64(i) + slot/2
		fmt.Fprintf(&b, `<rect class="planned" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="url(#cost-hatch)" stroke="#8a5a00"><title>%s: %s %s</title></rect>`,
			x-bar-1, y(wk.PlannedCostMinor), bar, top+plotH-y(wk.PlannedCostMinor), esc(wk.Week), esc(plannedLabel), esc(r.Money(wk.PlannedCostMinor)))
		fmt.Fprintf(&b, `<rect class="actual" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#2f6fde"><title>%s: %s %s</title></rect>`,
			x+1, y(wk.ActualCostMinor), bar, top+plotH-y(wk.ActualCostMinor), esc(wk.Week), esc(actualLabel), esc(r.Money(wk.ActualCostMinor)))
		if i%step == 0 {
			fmt.Fprintf(&b, `<text x="%.1f" y="%g" text-anchor="middle" fill="#5f6b7a">%s</text>`, x, top+plotH+16, esc(wk.Week[min(5, len(wk.Week)):]))
		}
	}
	ly := hgt - 8
	fmt.Fprintf(&b, `<rect x="%g" y="%g" width="14" height="10" fill="url(#cost-hatch)" stroke="#8a5a00"/><text x="%g" y="%g" fill="#1d2733">%s</text>`, left, ly-9, left+20, ly, esc(plannedLabel))
	fmt.Fprintf(&b, `<rect x="%g" y="%g" width="14" height="10" fill="#2f6fde"/><text x="%g" y="%g" fill="#1d2733">%s</text>`, left+200, ly-9, left+220, ly, esc(actualLabel))
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) //nolint:gosec // built here from numbers and escaped text
}

// niceCeil rounds a maximum up to 1, 2, 2.5 or 5 times a power of ten (at least 1).
func niceCeil(v float64) float64 {
	if v <= 1 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func trimZeros(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}

// The cost table's figures.

func (r CostRow) PlannedH() string    { return hm(r.PlannedMinutes) }
func (r CostRow) ActualH() string     { return hm(r.ActualMinutes) }
func (t CostTotals) PlannedH() string { return hm(t.PlannedMinutes) }
func (t CostTotals) ActualH() string  { return hm(t.ActualMinutes) }

// Money writes an amount in the reader's format (core/web's Localizer.Money, which the page
// sets; minor units as they are without it).
func (r *CostReport) Money(minor int64) string {
	if r.money == nil {
		return fmt.Sprintf("%d %s", minor, r.Currency)
	}
	return r.money(minor, r.Currency)
}

// tick writes an amount of the chart's axis (major units) in the reader's format.
func (r *CostReport) tick(v float64) string {
	if r.num == nil {
		return trimZeros(v)
	}
	return r.num(math.Round(v*100) / 100)
}

// Signed writes a difference of money with its sign.
func (r *CostReport) Signed(minor int64) string {
	if minor > 0 {
		return "+" + r.Money(minor)
	}
	return r.Money(minor)
}
