package gantt

import (
	"bufio"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"groupcamp/core/web"
)

// Geometry, in pixels. Integers throughout: the chart is a grid of days, and whole pixels
// keep 1 px lines crisp without shape-rendering hints.
const (
	titleH    = 48 // title band
	tierH     = 22 // each of the two header tiers
	headerH   = 2 * tierH
	rowH      = 26
	footerH   = 60
	rightPad  = 104 // room after the last day for a note ("100%", "12 Mar")
	labelPad  = 12
	indentPx  = 16
	maxIndent = 8
	fontPx    = 12
	boldEm    = 1.12 // bold text runs wider: scale its font size for the estimate
	notePx    = 11
	noteMax   = 180
	minWidth  = 640
	barTop    = 6 // bar offset inside its row
	barH      = 14
	stub      = 8 // horizontal run of an arrow out of a predecessor and into a successor
	diamond   = 7 // milestone half-diagonal
)

// Palette: the app's (core/web/static/app.css), plus light and dark shades derived from it.
const (
	cAccent      = "#2f6f6a"
	cBarFill     = "#bcd8d4"
	cInk         = "#1f2a2e"
	cMuted       = "#5b6b70"
	cLine        = "#dfe5e4"
	cGrid        = "#edf1f0"
	cBg          = "#f6f7f5"
	cZebra       = "#f8faf9"
	cWeekend     = "#e9eeed"
	cLate        = "#b3261e"
	cLateFill    = "#f4cdc8"
	cMilestone   = "#f2b84b"
	cMilestoneSt = "#a8741a"
	cSummary     = "#3b4a4f"
)

// fontFamily is the charts' shared stack, with CJK fallbacks (core/web fonts.go).
const fontFamily = web.FontStack

// StyleSheet is the <style> embedded in the SVG (unless Chart.OmitStyle). The look itself is
// in presentation attributes; these rules only add what attributes cannot express (hover and
// focus feedback) and are scoped under svg.gantt so that, served as a static file for an
// inlined chart, they cannot touch the rest of a page. The classes are the hooks for a page's
// own rules: .label, .task, .list, .milestone, .late, .done, .bar, .progress, .summary,
// .diamond, .note, .link, .today, .today-edge, .offscreen, .grid, .weekend, .barlink.
const StyleSheet = `svg.gantt a text{cursor:pointer}` +
	`svg.gantt a:hover text,svg.gantt a:focus text{text-decoration:underline;fill:#2f6f6a}` +
	`svg.gantt .bars>g:hover .bar{stroke-width:2}` +
	`svg.gantt .bars>g:hover .diamond{stroke-width:2.5}` +
	`svg.gantt .link:hover{stroke:#1f2a2e;stroke-width:2}` +
	`@media print{svg.gantt .zebra{display:none}}`

type span struct {
	s, e int64 // day numbers, inclusive
	ok   bool
}

func (a *span) merge(b span) {
	if !b.ok {
		return
	}
	if !a.ok {
		*a = b
		return
	}
	a.s = min(a.s, b.s)
	a.e = max(a.e, b.e)
}

type link struct{ a, b int }

type renderer struct {
	w   *bufio.Writer
	c   *Chart
	loc *locale
	num []byte // scratch for numbers and dates, reused so that writing them allocates nothing
	id  string

	rows   []Row
	hidden int // rows past MaxRows
	geo    []span
	links  []link
	hasOut []bool // rows with an outgoing link: their note starts past the arrow's elbow

	from, to int64 // the window, inclusive day numbers
	scale    Scale
	ppd      int64 // pixels per day
	today    int64
	hasToday bool

	lw, cl, cr         int // label column width; chart area left and right
	bodyTop, bodyBot   int
	width, height      int
	nTask, nList, nMil int
}

func (r *renderer) render() {
	c := r.c
	r.loc = lookupLocale(c.Lang)
	r.id = sanitizeID(c.IDPrefix)
	r.num = make([]byte, 0, 64)
	r.rows = c.Rows
	if len(r.rows) > MaxRows {
		r.hidden = len(r.rows) - MaxRows
		r.rows = r.rows[:MaxRows]
	}
	if !c.Today.IsZero() {
		r.today, r.hasToday = dayOf(c.Today), true
	}
	if len(r.rows) == 0 {
		r.empty()
		return
	}
	r.spans()
	r.window()
	r.layout()
	r.resolveLinks()

	r.open()
	r.backdrop()
	r.header()
	r.labels()
	r.bars()
	r.arrows()
	r.todayLine()
	r.footer()
	r.s("</svg>\n")
}

// ---- data preparation ----

func rowSpan(row *Row) span {
	if row.Kind == Milestone {
		t := row.Start
		if t.IsZero() {
			t = row.End
		}
		if t.IsZero() {
			return span{}
		}
		d := dayOf(t)
		return span{d, d, true}
	}
	sz, ez := row.Start.IsZero(), row.End.IsZero()
	switch {
	case sz && ez:
		return span{}
	case sz:
		d := dayOf(row.End)
		return span{d, d, true}
	case ez:
		d := dayOf(row.Start)
		return span{d, d, true}
	}
	s, e := dayOf(row.Start), dayOf(row.End)
	if e < s {
		s, e = e, s
	}
	return span{s, e, true}
}

// spans computes each row's days; a List without dates of its own spans its tasks (and nested
// lists), found by indentation in one pass with a stack of open lists.
func (r *renderer) spans() {
	r.geo = make([]span, len(r.rows))
	type open struct {
		i, indent int
		sub       span
	}
	var stack []open
	closeTop := func() {
		o := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if !r.geo[o.i].ok {
			r.geo[o.i] = o.sub
		}
		if len(stack) > 0 {
			stack[len(stack)-1].sub.merge(r.geo[o.i])
		}
	}
	for i := range r.rows {
		row := &r.rows[i]
		switch row.Kind {
		case Task:
			r.nTask++
		case List:
			r.nList++
		case Milestone:
			r.nMil++
		default:
			r.nTask++ // an unknown kind draws as a task
		}
		r.geo[i] = rowSpan(row)
		for len(stack) > 0 && row.Indent <= stack[len(stack)-1].indent {
			closeTop()
		}
		if row.Kind == List {
			stack = append(stack, open{i: i, indent: row.Indent})
			continue
		}
		if len(stack) > 0 {
			stack[len(stack)-1].sub.merge(r.geo[i])
		}
	}
	for len(stack) > 0 {
		closeTop()
	}
}

// window settles the date range: explicit bounds, else the rows' extent with a margin, then
// whole weeks or months for those scales, then at most MaxYears.
func (r *renderer) window() {
	c := r.c
	var all span
	for _, g := range r.geo {
		all.merge(g)
	}
	fromSet, toSet := !c.From.IsZero(), !c.To.IsZero()
	var from, to int64
	if fromSet {
		from = dayOf(c.From)
	}
	if toSet {
		to = dayOf(c.To)
	}
	switch {
	case fromSet && toSet:
	case fromSet:
		to = from + 27
		if all.ok && all.e >= from {
			to = all.e
		}
	case toSet:
		from = to - 27
		if all.ok && all.s <= to {
			from = all.s
		}
	case all.ok:
		from, to = all.s, all.e
	default:
		// Nothing is dated: show the weeks around today so the chart is not a blank strip.
		t := r.today
		if !r.hasToday {
			t = dayOf(time.Now())
		}
		from, to = t-7, t+20
	}
	if to < from {
		from, to = to, from
	}
	r.scale = c.Scale
	if r.scale == Auto || r.scale > Month {
		switch n := to - from + 1; {
		case n <= 45:
			r.scale = Day
		case n <= 270:
			r.scale = Week
		default:
			r.scale = Month
		}
	}
	// A margin on the sides that were derived, so the first and last bars do not touch the
	// edges (for Week and Month, widening to whole units below does the same).
	if r.scale == Day {
		if !fromSet {
			from--
		}
		if !toSet {
			to++
		}
	}
	switch r.scale {
	case Day:
		r.ppd = 24
	case Week:
		r.ppd = 6
		from -= int64(weekday(from))
		to += int64(6 - weekday(to))
	case Month:
		r.ppd = 3
		y, m, _ := civil(from)
		from = daysFromCivil(y, m, 1)
		y, m, _ = civil(to)
		to = monthStart(y, m, true) - 1
	}
	y, m, d := civil(from)
	if limit := daysFromCivil(y+MaxYears, m, d) - 1; to > limit {
		to = limit
	}
	r.from, r.to = from, to
}

func (r *renderer) layout() {
	r.lw = r.c.LabelWidth
	if r.lw == 0 {
		r.lw = 280
	}
	r.lw = min(max(r.lw, 120), 600)
	r.cl = r.lw
	r.cr = r.cl + int((r.to-r.from+1)*r.ppd)
	r.width = max(r.cr+rightPad, minWidth)
	r.bodyTop = titleH + headerH
	r.bodyBot = r.bodyTop + len(r.rows)*rowH
	r.height = r.bodyBot + footerH
}

// resolveLinks keeps the links that can be drawn, as row index pairs.
func (r *renderer) resolveLinks() {
	if len(r.c.Links) == 0 {
		return
	}
	idx := make(map[string]int, len(r.rows))
	for i := range r.rows {
		if id := r.rows[i].ID; id != "" {
			if _, dup := idx[id]; !dup {
				idx[id] = i
			}
		}
	}
	r.links = make([]link, 0, len(r.c.Links))
	for _, l := range r.c.Links {
		a, okA := idx[l.From]
		b, okB := idx[l.To]
		if !okA || !okB || a == b || !r.geo[a].ok || !r.geo[b].ok {
			continue
		}
		r.links = append(r.links, link{a, b})
		if r.hasOut == nil {
			r.hasOut = make([]bool, len(r.rows))
		}
		r.hasOut[a] = true
	}
}

// ---- coordinates ----

// x is the left edge of day d, unclipped (int64: a far-off date is far off, not wrapped).
func (r *renderer) x(d int64) int64 { return int64(r.cl) + (d-r.from)*r.ppd }

func (r *renderer) clampX(x int64) int {
	return int(min(max(x, int64(r.cl)), int64(r.cr)))
}

func (r *renderer) rowTop(i int) int { return r.bodyTop + i*rowH }

// startX and endX are where arrows leave and reach a row: the bar's ends, a diamond's tips.
func (r *renderer) startX(i int) int64 {
	g := r.geo[i]
	if r.rows[i].Kind == Milestone {
		return r.x(g.s) + r.ppd/2 - diamond
	}
	return r.x(g.s)
}

func (r *renderer) endX(i int) int64 {
	g := r.geo[i]
	if r.rows[i].Kind == Milestone {
		return r.x(g.s) + r.ppd/2 + diamond
	}
	return r.x(g.e + 1)
}

// ---- document ----

func (r *renderer) open() {
	r.s(`<svg xmlns="http://www.w3.org/2000/svg" class="gantt" width="`)
	r.n(r.width)
	r.s(`" height="`)
	r.n(r.height)
	r.s(`" viewBox="0 0 `)
	r.n(r.width)
	r.s(" ")
	r.n(r.height)
	r.s(`" role="img" aria-labelledby="`)
	r.s(r.id)
	r.s(`-title `)
	r.s(r.id)
	r.s(`-desc" xml:lang="`)
	r.s(r.loc.code)
	r.s(`"`)
	if r.c.Script {
		r.s(` data-from="`)
		r.date(r.from)
		r.s(`" data-to="`)
		r.date(r.to)
		r.s(`" data-ppd="`)
		r.n64(r.ppd)
		r.s(`" data-left="`)
		r.n(r.cl)
		r.s(`"`)
	}
	r.s(` font-family="` + fontFamily + `" font-size="12" fill="` + cInk + `">` + "\n")

	r.s(`<title id="`)
	r.s(r.id)
	r.s(`-title">`)
	r.esc(r.title())
	r.s("</title>\n<desc id=\"")
	r.s(r.id)
	r.s(`-desc">`)
	r.desc()
	r.s("</desc>\n")
	if !r.c.OmitStyle {
		r.s("<style>" + StyleSheet + "</style>\n")
	}

	r.s(`<defs><marker id="`)
	r.s(r.id)
	r.s(`-arrow" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M0 0L8 4L0 8z" fill="` + cMuted + `"/></marker>`)
	// Zebra rows as one pattern-filled rectangle rather than one rectangle per row.
	r.s(`<pattern id="`)
	r.s(r.id)
	r.s(`-zebra" patternUnits="userSpaceOnUse" x="0" y="`)
	r.n(r.bodyTop)
	r.s(`" width="16" height="`)
	r.n(2 * rowH)
	r.s(`"><rect y="`)
	r.n(rowH)
	r.s(`" width="16" height="`)
	r.n(rowH)
	r.s(`" fill="` + cZebra + `"/></pattern>`)
	r.s(`<clipPath id="`)
	r.s(r.id)
	r.s(`-labels"><rect x="0" y="`)
	r.n(r.bodyTop)
	r.s(`" width="`)
	r.n(r.lw - 6)
	r.s(`" height="`)
	r.n(r.bodyBot - r.bodyTop)
	r.s(`"/></clipPath><clipPath id="`)
	r.s(r.id)
	r.s(`-chart"><rect x="`)
	r.n(r.cl)
	r.s(`" y="`)
	r.n(r.bodyTop)
	r.s(`" width="`)
	r.n(r.cr - r.cl)
	r.s(`" height="`)
	r.n(r.bodyBot - r.bodyTop)
	r.s(`"/></clipPath></defs>` + "\n")
}

func (r *renderer) title() string {
	if strings.TrimSpace(r.c.Title) == "" {
		return r.loc.title
	}
	return r.c.Title
}

func (r *renderer) desc() {
	l := r.loc
	r.s(l.descFrom)
	r.date(r.from)
	r.s(l.descTo)
	r.date(r.to)
	r.s(l.descTasks)
	r.n(r.nTask)
	r.s(l.descLists)
	r.n(r.nList)
	r.s(l.descMilestones)
	r.n(r.nMil)
	r.s(l.descLinks)
	r.n(len(r.links))
	r.s(".")
	if r.hidden > 0 {
		r.s(" ")
		r.notShown()
		r.s(".")
	}
}

func (r *renderer) notShown() {
	r.s(r.loc.notShown)
	r.n(r.hidden)
	r.s(r.loc.notShownAfter)
}

// backdrop: page, title band, header band, zebra rows, weekend shading, grid lines.
func (r *renderer) backdrop() {
	r.s(`<rect class="page" width="`)
	r.n(r.width)
	r.s(`" height="`)
	r.n(r.height)
	r.s(`" fill="#ffffff"/>` + "\n")
	r.s(`<rect class="header" x="0" y="`)
	r.n(titleH)
	r.s(`" width="`)
	r.n(r.width)
	r.s(`" height="`)
	r.n(headerH)
	r.s(`" fill="` + cBg + `"/>` + "\n")
	r.s(`<rect class="zebra" x="0" y="`)
	r.n(r.bodyTop)
	r.s(`" width="`)
	r.n(r.width)
	r.s(`" height="`)
	r.n(r.bodyBot - r.bodyTop)
	r.s(`" fill="url(#`)
	r.s(r.id)
	r.s(`-zebra)"/>` + "\n")

	// Title and the date range it covers.
	rangeW := r.rangeWidth()
	r.s(`<text class="title" x="16" y="30" font-size="16" font-weight="600" fill="` + cInk + `">`)
	r.fitted(r.title(), float64(r.width-32-24)-rangeW, 16*boldEm)
	r.s("</text>\n")
	r.s(`<text class="range" x="`)
	r.n(r.width - 16)
	r.s(`" y="30" text-anchor="end" fill="` + cMuted + `">`)
	r.dayMonthYear(r.from)
	r.s(" – ")
	r.dayMonthYear(r.to)
	r.s("</text>\n")

	if r.scale == Day {
		// Weekends: one path of rectangles through header tier 2 and the body.
		r.s(`<path class="weekend" fill="` + cWeekend + `" fill-opacity="0.7" d="`)
		top, h := titleH+tierH, r.bodyBot-titleH-tierH
		for d := r.from; d <= r.to; d++ {
			wd := weekday(d)
			if wd < 5 {
				continue
			}
			n := int64(7 - wd) // Saturday and Sunday together, or a lone Sunday at the start
			n = min(n, r.to-d+1)
			r.s("M")
			r.n64(r.x(d))
			r.s(" ")
			r.n(top)
			r.s("h")
			r.n64(n * r.ppd)
			r.s("v")
			r.n(h)
			r.s("h-")
			r.n64(n * r.ppd)
			r.s("z")
			d += n - 1
		}
		r.s(`"/>` + "\n")
	}

	// Grid: light lines at each tick of tier 2, darker at each tier 1 boundary.
	r.s(`<path class="grid" stroke="` + cGrid + `" stroke-width="1" d="`)
	r.ticks(func(d, _ int64) {
		if d == r.from || r.tier1Boundary(d) {
			return
		}
		r.vline(r.x(d), titleH+tierH, r.bodyBot)
	})
	r.s(`"/>` + "\n")
	r.s(`<path class="grid major" stroke="` + cLine + `" stroke-width="1" d="`)
	r.tier1(func(d, _ int64) {
		if d == r.from {
			return
		}
		r.vline(r.x(d), titleH, r.bodyBot)
	})
	// Frame lines: under the title band, between the tiers, under the header, the label
	// column's right edge, the end of the timeline, and the bottom of the body.
	r.hline(0, r.width, titleH)
	r.hline(int64(r.cl), r.width, titleH+tierH)
	r.hline(0, r.width, r.bodyTop)
	r.hline(0, r.width, r.bodyBot)
	r.vline(int64(r.cl), titleH, r.bodyBot)
	r.vline(int64(r.cr), titleH, r.bodyBot)
	r.s(`"/>` + "\n")
}

// vline and hline append a 1 px line to a path's d, on the half pixel so it stays crisp.
func (r *renderer) vline(x int64, y0, y1 int) {
	r.s("M")
	r.n64(x)
	r.s(".5 ")
	r.n(y0)
	r.s("V")
	r.n(y1)
}

func (r *renderer) hline(x0 int64, x1, y int) {
	r.s("M")
	r.n64(x0)
	r.s(" ")
	r.n(y)
	r.s(".5H")
	r.n(x1)
}

// tier1 calls f with each month (each year on the Month scale) as [d, end], clipped to the
// window.
func (r *renderer) tier1(f func(d, end int64)) {
	for d := r.from; d <= r.to; {
		y, m, _ := civil(d)
		var next int64
		if r.scale == Month {
			next = daysFromCivil(y+1, 1, 1)
		} else {
			next = monthStart(y, m, true)
		}
		f(d, min(next-1, r.to))
		d = next
	}
}

func (r *renderer) tier1Boundary(d int64) bool {
	_, m, day := civil(d)
	if r.scale == Month {
		return m == 1 && day == 1
	}
	return day == 1
}

// ticks calls f with each unit of tier 2 (day, ISO week or month) as [d, end].
func (r *renderer) ticks(f func(d, end int64)) {
	for d := r.from; d <= r.to; {
		var next int64
		switch r.scale {
		case Day:
			next = d + 1
		case Week:
			next = d + 7 - int64(weekday(d))
		default:
			y, m, _ := civil(d)
			next = monthStart(y, m, true)
		}
		f(d, min(next-1, r.to))
		d = next
	}
}

func (r *renderer) header() {
	l := r.loc
	r.s(`<g class="ticks" fill="` + cMuted + `">` + "\n")
	// Label column heading, level with tier 2.
	r.s(`<text class="heading" x="`)
	r.n(labelPad)
	r.s(`" y="`)
	r.n(titleH + tierH + 15)
	r.s(`" font-weight="600">`)
	r.esc(l.task)
	r.s("</text>\n")

	r.tier1(func(d, end int64) {
		x0, x1 := r.x(d), r.x(end+1)
		room := float64(x1-x0) - 10
		y, m, _ := civil(d)
		yw := textWidth(" 2025", fontPx)
		var name string
		withYear := true
		switch {
		case r.scale == Month:
			name, withYear = "", true
		case textWidth(l.months[m-1], fontPx)+yw <= room:
			name = l.months[m-1]
		case textWidth(l.monthsShort[m-1], fontPx)+yw <= room:
			name = l.monthsShort[m-1]
		case textWidth(l.monthsShort[m-1], fontPx) <= room:
			name, withYear = l.monthsShort[m-1], false
		default:
			return
		}
		if r.scale == Month && textWidth("2025", fontPx) > room {
			return
		}
		r.s(`<text x="`)
		r.n64(x0 + 6)
		r.s(`" y="`)
		r.n(titleH + 15)
		r.s(`" font-weight="600" fill="` + cInk + `">`)
		r.s(name)
		if withYear {
			if name != "" {
				r.s(" ")
			}
			r.n64(y)
		}
		r.s("</text>\n")
	})

	r.ticks(func(d, end int64) {
		x0, x1 := r.x(d), r.x(end+1)
		room := float64(x1-x0) - 4
		mid := (x0 + x1) / 2
		switch r.scale {
		case Day:
			_, _, day := civil(d)
			r.s(`<text x="`)
			r.n64(mid)
			r.s(`" y="`)
			r.n(titleH + tierH + 15)
			r.s(`" text-anchor="middle" font-size="10">`)
			r.n(day)
			r.s("</text>\n")
		case Week:
			if textWidth(l.weekPrefix+"00", 10) > room {
				return
			}
			r.s(`<text x="`)
			r.n64(mid)
			r.s(`" y="`)
			r.n(titleH + tierH + 15)
			r.s(`" text-anchor="middle" font-size="10">`)
			r.s(l.weekPrefix)
			r.num = appendPad(r.num[:0], int64(isoWeek(d)), 2)
			r.w.Write(r.num)
			r.s("</text>\n")
		case Month:
			_, m, _ := civil(d)
			name := l.months[m-1]
			if textWidth(name, 11) > room {
				name = l.monthsShort[m-1]
				if textWidth(name, 11) > room {
					return
				}
			}
			r.s(`<text x="`)
			r.n64(mid)
			r.s(`" y="`)
			r.n(titleH + tierH + 15)
			r.s(`" text-anchor="middle" font-size="11">`)
			r.s(name)
			r.s("</text>\n")
		}
	})
	r.s("</g>\n")
}

// rowClass writes the row's classes: kind, then late and done.
func (r *renderer) rowClass(row *Row) {
	switch row.Kind {
	case List:
		r.s("list")
	case Milestone:
		r.s("milestone")
	default:
		r.s("task")
	}
	if row.Late {
		r.s(" late")
	}
	if row.Done {
		r.s(" done")
	}
}

// rowTitle writes the tooltip of row i: the full label, its dates, its progress.
func (r *renderer) rowTitle(i int) {
	row := &r.rows[i]
	r.s("<title>")
	r.esc(row.Label)
	if g := r.geo[i]; g.ok {
		r.s(" · ")
		r.date(g.s)
		if g.e != g.s {
			r.s(" – ")
			r.date(g.e)
		}
	}
	if row.Kind != Milestone {
		if p := progress(row); p > 0 {
			r.s(" · ")
			r.n(p)
			r.s("%")
		}
	}
	if row.Note != "" {
		r.s(" · ")
		r.esc(row.Note)
	}
	r.s("</title>")
}

func progress(row *Row) int {
	if row.Done {
		return 100
	}
	return min(max(row.Progress, 0), 100)
}

// labels: the left column, clipped to its width.
func (r *renderer) labels() {
	r.s(`<g class="labels" clip-path="url(#`)
	r.s(r.id)
	r.s(`-labels)">` + "\n")
	for i := range r.rows {
		row := &r.rows[i]
		indent := min(max(row.Indent, 0), maxIndent) * indentPx
		r.s(`<g class="label `)
		r.rowClass(row)
		r.s(`">`)
		r.rowTitle(i)
		href := safeHref(row.Href)
		if href != "" {
			r.s(`<a href="`)
			r.esc(href)
			r.s(`">`)
		}
		r.s(`<text x="`)
		isRTL := rtl(row.Label)
		if isRTL {
			// Right-to-left labels align to the column's right edge, where they begin.
			r.n(r.lw - labelPad)
		} else {
			r.n(labelPad + indent)
		}
		r.s(`" y="`)
		r.n(r.rowTop(i) + 17)
		r.s(`"`)
		if isRTL {
			r.s(` direction="rtl"`)
		}
		switch {
		case row.Late && !row.Done:
			r.s(` fill="` + cLate + `"`)
		case row.Done:
			r.s(` fill="` + cMuted + `"`)
		}
		if row.Kind == List {
			r.s(` font-weight="600"`)
		}
		r.s(">")
		r.fitted(row.Label, float64(r.lw-2*labelPad-indent), fontPx)
		r.s("</text>")
		if href != "" {
			r.s("</a>")
		}
		r.s("</g>\n")
	}
	r.s("</g>\n")
}

// bars: the timeline shapes, one group per dated row.
func (r *renderer) bars() {
	r.s(`<g class="bars">` + "\n")
	for i := range r.rows {
		g := r.geo[i]
		if !g.ok {
			continue
		}
		row := &r.rows[i]
		x0, x1 := r.x(g.s), r.x(g.e+1)
		if row.Kind == Milestone {
			c := r.x(g.s) + r.ppd/2
			x0, x1 = c-diamond, c+diamond
		}
		// Visibility by days, not pixels: a milestone the day before the window would
		// otherwise poke its right tip into it.
		if g.e < r.from || g.s > r.to {
			r.offscreen(i, g.e < r.from)
			continue
		}
		isTask := row.Kind != Milestone && row.Kind != List
		r.s(`<g class="`)
		r.rowClass(row)
		r.s(`"`)
		if row.Done {
			r.s(` opacity="0.55"`)
		}
		if isTask && r.c.Script {
			r.dataAttrs(row)
		}
		r.s(`>`)
		r.rowTitle(i)
		top := r.rowTop(i)
		var noteX int64
		switch row.Kind {
		case Milestone:
			noteX = r.milestone(row, x0, x1, top)
		case List:
			noteX = r.summary(row, x0, x1, top)
		default:
			href := safeHref(row.BarHref)
			if href != "" {
				r.s(`<a class="barlink" href="`)
				r.esc(href)
				r.s(`">`)
			}
			noteX = r.taskBar(row, x0, x1, top)
			if href != "" {
				r.s(`</a>`)
			}
		}
		r.note(i, noteX, top)
		r.s("</g>\n")
	}
	r.s("</g>\n")
}

// dataAttrs writes a task bar group's data-id, data-start and data-end (Chart.Script).
func (r *renderer) dataAttrs(row *Row) {
	r.s(` data-id="`)
	r.esc(row.ID)
	r.s(`" data-start="`)
	if !row.Start.IsZero() {
		r.date(dayOf(row.Start))
	}
	r.s(`" data-end="`)
	if !row.End.IsZero() {
		r.date(dayOf(row.End))
	}
	r.s(`"`)
}

func (r *renderer) taskBar(row *Row, x0, x1 int64, top int) int64 {
	cs, ce := r.clampX(x0), r.clampX(x1)
	if ce-cs < 3 {
		ce = cs + 3 // a day at the Month scale is 3 px: never thinner than that
	}
	// A bar running past an edge of the window is drawn a little beyond it and clipped
	// there, so it ends square instead of with a rounded corner that would read as its end.
	clipL, clipR := x0 < int64(r.cl), x1 > int64(r.cr)
	bs, be := cs, ce
	if clipL {
		bs -= 6
	}
	if clipR {
		be += 6
	}
	fill, stroke, prog := cBarFill, cAccent, cAccent
	if row.Late && !row.Done {
		fill, stroke, prog = cLateFill, cLate, cLate
	}
	r.s(`<rect class="bar" x="`)
	r.n(bs)
	r.s(`.5" y="`)
	r.n(top + barTop)
	r.s(`.5" width="`)
	r.n(be - bs - 1)
	r.s(`" height="`)
	r.n(barH - 1)
	r.s(`" rx="3" fill="`)
	r.s(fill)
	r.s(`" stroke="`)
	r.s(stroke)
	if clipL || clipR {
		r.s(`" clip-path="url(#`)
		r.s(r.id)
		r.s(`-chart)`)
	}
	r.s(`"/>`)
	// Progress: a darker bar inside, its length a share of the whole task (not of the visible
	// part), so a clipped bar still shows where the work stands.
	if p := progress(row); p > 0 {
		pe := x0 + (x1-x0)*int64(p)/100
		ps, pe2 := r.clampX(x0)+2, r.clampX(pe)-2
		if pe2 > ps {
			r.s(`<rect class="progress" x="`)
			r.n(ps)
			r.s(`" y="`)
			r.n(top + barTop + 4)
			r.s(`" width="`)
			r.n(pe2 - ps)
			r.s(`" height="`)
			r.n(barH - 8)
			r.s(`" rx="1.5" fill="`)
			r.s(prog)
			r.s(`"/>`)
		}
	}
	return int64(ce)
}

// summary: a list's bracket, with downward tips at the ends that are inside the window.
func (r *renderer) summary(row *Row, x0, x1 int64, top int) int64 {
	cs, ce := r.clampX(x0), r.clampX(x1)
	fill := cSummary
	if row.Late && !row.Done {
		fill = cLate
	}
	y := top + 7
	tipL, tipR := x0 >= int64(r.cl), x1 <= int64(r.cr)
	if ce-cs < 12 {
		tipL, tipR = false, false
		ce = max(ce, cs+3)
	}
	r.s(`<path class="summary" fill="`)
	r.s(fill)
	r.s(`" d="M`)
	r.n(cs)
	r.s(" ")
	r.n(y)
	r.s("H")
	r.n(ce)
	if tipR {
		r.s("V")
		r.n(y + 12)
		r.s("L")
		r.n(ce - 6)
		r.s(" ")
		r.n(y + 6)
	} else {
		r.s("V")
		r.n(y + 6)
	}
	if tipL {
		r.s("H")
		r.n(cs + 6)
		r.s("L")
		r.n(cs)
		r.s(" ")
		r.n(y + 12)
	} else {
		r.s("H")
		r.n(cs)
	}
	r.s(`z"/>`)
	return int64(ce)
}

func (r *renderer) milestone(row *Row, x0, x1 int64, top int) int64 {
	c := (x0 + x1) / 2
	cy := top + rowH/2
	stroke, sw := cMilestoneSt, "1"
	if row.Late && !row.Done {
		stroke, sw = cLate, "2"
	}
	r.s(`<path class="diamond" fill="` + cMilestone + `" stroke="`)
	r.s(stroke)
	r.s(`" stroke-width="`)
	r.s(sw)
	r.s(`" d="M`)
	r.n64(c - diamond)
	r.s(" ")
	r.n(cy)
	r.s("L")
	r.n64(c)
	r.s(" ")
	r.n(cy - diamond)
	r.s("L")
	r.n64(c + diamond)
	r.s(" ")
	r.n(cy)
	r.s("L")
	r.n64(c)
	r.s(" ")
	r.n(cy + diamond)
	r.s(`z"/>`)
	return x1
}

// note: the text after a bar — the caller's Note, else the progress, or a milestone's date.
func (r *renderer) note(i int, x int64, top int) {
	row := &r.rows[i]
	p := progress(row)
	if row.Note == "" && row.Kind != Milestone && p == 0 {
		return
	}
	x += 6
	if r.hasOut != nil && r.hasOut[i] {
		x += stub // clear of the arrow's vertical run
	}
	r.s(`<text class="note" x="`)
	r.n64(x)
	r.s(`" y="`)
	r.n(top + 17)
	r.s(`" font-size="11" fill="`)
	if row.Late && !row.Done {
		r.s(cLate)
	} else {
		r.s(cMuted)
	}
	r.s(`">`)
	switch {
	case row.Note != "":
		r.fitted(row.Note, float64(min(noteMax, int64(r.width-8)-x)), notePx)
	case row.Kind == Milestone:
		r.dayMonth(r.geo[i].s)
	default:
		r.n(p)
		r.s("%")
	}
	r.s("</text>")
}

// offscreen: a row whose dates are all outside the window gets a small chevron at the edge
// it lies beyond, so that it is not mistaken for an unscheduled one.
func (r *renderer) offscreen(i int, left bool) {
	row := &r.rows[i]
	cy := r.rowTop(i) + rowH/2
	r.s(`<g class="offscreen `)
	r.rowClass(row)
	r.s(`">`)
	r.rowTitle(i)
	r.s(`<path fill="` + cMuted + `" d="M`)
	if left {
		r.n(r.cl + 10)
		r.s(" ")
		r.n(cy - 5)
		r.s("L")
		r.n(r.cl + 4)
		r.s(" ")
		r.n(cy)
		r.s("L")
		r.n(r.cl + 10)
	} else {
		r.n(r.cr - 10)
		r.s(" ")
		r.n(cy - 5)
		r.s("L")
		r.n(r.cr - 4)
		r.s(" ")
		r.n(cy)
		r.s("L")
		r.n(r.cr - 10)
	}
	r.s(" ")
	r.n(cy + 5)
	r.s(`z"/></g>` + "\n")
}

// arrows: dependency links, drawn over the bars so none is hidden.
func (r *renderer) arrows() {
	if len(r.links) == 0 {
		return
	}
	r.s(`<g class="links" fill="none" stroke="` + cMuted + `" stroke-width="1.25">` + "\n")
	marker := `" marker-end="url(#` + r.id + `-arrow)"/>` + "\n"
	cl, cr := int64(r.cl), int64(r.cr)
	for _, l := range r.links {
		x1, x2 := r.endX(l.a), r.startX(l.b)
		if (x1 < cl && x2 < cl) || (x1 > cr && x2 > cr) {
			continue // both ends beyond the same edge: nothing of it is visible
		}
		x1, x2 = int64(r.clampX(x1)), int64(r.clampX(x2))
		y1, y2 := r.rowTop(l.a)+rowH/2, r.rowTop(l.b)+rowH/2
		r.s(`<path class="link" d="M`)
		r.n64(x1)
		r.s(" ")
		r.n(y1)
		switch gap := x2 - x1; {
		case gap >= 2*stub:
			// The usual elbow: out, down (or up), in.
			r.s("H")
			r.n64(x1 + stub)
			r.s("V")
			r.n(y2)
		case gap >= 8:
			// A narrow gap: the elbow halfway.
			r.s("H")
			r.n64(x1 + gap/2)
			r.s("V")
			r.n(y2)
		default:
			// No gap (finish-to-start on the next day, the common case, or overlap): drop
			// into the top (or rise into the bottom) of the successor when a point of it lies
			// just right of the predecessor's end...
			mid := x2 + (int64(r.clampX(r.endX(l.b)))-x2)/2
			if xv := min(x1+stub, mid); xv >= x1+3 {
				r.s("H")
				r.n64(xv)
				r.s("V")
				r.n(r.edgeY(l.b, l.b > l.a))
				r.s(marker)
				continue
			}
			// ...else run along the gap between rows next to the successor, back left,
			// then into its start.
			yb := r.rowTop(l.b)
			if l.b < l.a {
				yb += rowH
			}
			r.s("H")
			r.n64(min(x1+stub, int64(r.width-2)))
			r.s("V")
			r.n(yb)
			r.s("H")
			r.n64(max(x2-stub, cl+2)) // not into the label column
			r.s("V")
			r.n(y2)
		}
		r.s("H")
		r.n64(x2)
		r.s(marker)
	}
	r.s("</g>\n")
}

// edgeY is the top (or bottom) of row i's shape, where a vertical arrow ends.
func (r *renderer) edgeY(i int, top bool) int {
	t := r.rowTop(i)
	switch r.rows[i].Kind {
	case Milestone:
		if top {
			return t + rowH/2 - diamond
		}
		return t + rowH/2 + diamond
	case List:
		if top {
			return t + 7
		}
		return t + 13
	}
	if top {
		return t + barTop
	}
	return t + barTop + barH
}

func (r *renderer) todayLine() {
	if !r.hasToday {
		return
	}
	if r.today < r.from || r.today > r.to {
		// Outside the range: no line (it would sit on the edge, claiming a day that is not
		// today), but a marker under the edge it lies beyond, pointing at it.
		r.s(`<text class="today-edge" x="`)
		if r.today < r.from {
			r.n(r.cl + 4)
			r.s(`" text-anchor="start`)
		} else {
			r.n(r.cr - 4)
			r.s(`" text-anchor="end`)
		}
		r.s(`" y="`)
		r.n(r.bodyBot + 17)
		r.s(`" font-size="11" font-weight="600" fill="` + cLate + `">`)
		if r.today < r.from {
			r.s("← ")
			r.esc(r.loc.today)
		} else {
			r.esc(r.loc.today)
			r.s(" →")
		}
		r.s("</text>\n")
		return
	}
	x := r.x(r.today) + r.ppd/2
	r.s(`<g class="today" fill="` + cLate + `"><path stroke="` + cLate + `" stroke-width="1.5" d="M`)
	r.n64(x)
	r.s(" ")
	r.n(r.bodyTop)
	r.s("V")
	r.n(r.bodyBot + 4)
	// A small flag under the header rather than a line through it, which would strike
	// through the tick labels.
	r.s(`"/><path d="M`)
	r.n64(x - 5)
	r.s(" ")
	r.n(r.bodyTop)
	r.s("h10l-5 6z")
	r.s(`"/><text x="`)
	r.n64(x)
	r.s(`" y="`)
	r.n(r.bodyBot + 17)
	r.s(`" text-anchor="middle" font-size="11" font-weight="600">`)
	r.esc(r.loc.today)
	r.s("</text></g>\n")
}

// footer: rows left out, and a legend that makes the printed chart readable on its own.
func (r *renderer) footer() {
	l := r.loc
	if r.hidden > 0 {
		r.s(`<text class="more" x="`)
		r.n(labelPad)
		r.s(`" y="`)
		r.n(r.bodyBot + 17)
		r.s(`" fill="` + cMuted + `">`)
		r.notShown()
		r.s("</text>\n")
	}
	y := r.bodyBot + 42 // text baseline; swatches sit 10 px above it
	x := labelPad
	r.s(`<g class="legend" fill="` + cMuted + `" font-size="11">`)
	item := func(label string, swatch func(x int)) {
		swatch(x)
		r.s(`<text x="`)
		r.n(x + 26)
		r.s(`" y="`)
		r.n(y)
		r.s(`">`)
		r.esc(label)
		r.s("</text>")
		x += 26 + int(textWidth(label, 11)) + 18
	}
	bar := func(x int, fill, stroke, inner string) {
		r.s(`<rect x="`)
		r.n(x)
		r.s(`.5" y="`)
		r.n(y - 9)
		r.s(`.5" width="19" height="11" rx="3" fill="`)
		r.s(fill)
		r.s(`" stroke="`)
		r.s(stroke)
		r.s(`"/>`)
		if inner != "" {
			r.s(`<rect x="`)
			r.n(x + 2)
			r.s(`" y="`)
			r.n(y - 6)
			r.s(`" width="11" height="5" rx="1.5" fill="`)
			r.s(inner)
			r.s(`"/>`)
		}
	}
	item(l.legendTask, func(x int) { bar(x, cBarFill, cAccent, "") })
	item(l.legendProgress, func(x int) { bar(x, cBarFill, cAccent, cAccent) })
	item(l.legendLate, func(x int) { bar(x, cLateFill, cLate, cLate) })
	item(l.legendDone, func(x int) {
		r.s(`<g opacity="0.55">`)
		bar(x, cBarFill, cAccent, cAccent)
		r.s(`</g>`)
	})
	item(l.legendList, func(x int) {
		r.s(`<path fill="` + cSummary + `" d="M`)
		r.n(x)
		r.s(" ")
		r.n(y - 10)
		r.s("h20v11l-5-5h-10l-5 5z")
		r.s(`"/>`)
	})
	item(l.legendMilestone, func(x int) {
		r.s(`<path fill="` + cMilestone + `" stroke="` + cMilestoneSt + `" d="M`)
		r.n(x + 4)
		r.s(" ")
		r.n(y - 4)
		r.s("l6-6l6 6l-6 6z")
		r.s(`"/>`)
	})
	item(l.today, func(x int) {
		r.s(`<path stroke="` + cLate + `" stroke-width="1.5" d="M`)
		r.n(x + 10)
		r.s(" ")
		r.n(y - 11)
		r.s("v14")
		r.s(`"/>`)
	})
	r.s("</g>\n")
}

// empty: no rows — a small valid document that says so.
func (r *renderer) empty() {
	const w = 480
	r.s(`<svg xmlns="http://www.w3.org/2000/svg" class="gantt gantt-empty" width="480" height="120" viewBox="0 0 480 120" role="img" aria-labelledby="`)
	r.s(r.id)
	r.s(`-title `)
	r.s(r.id)
	r.s(`-desc" xml:lang="`)
	r.s(r.loc.code)
	r.s(`" font-family="` + fontFamily + `" font-size="12" fill="` + cInk + `">` + "\n<title id=\"")
	r.s(r.id)
	r.s(`-title">`)
	r.esc(r.title())
	r.s("</title>\n<desc id=\"")
	r.s(r.id)
	r.s(`-desc">`)
	r.esc(r.loc.empty)
	r.s("</desc>\n")
	r.s(`<rect width="480" height="120" rx="8" fill="` + cBg + `" stroke="` + cLine + `"/>` + "\n")
	r.s(`<text class="title" x="16" y="30" font-size="16" font-weight="600">`)
	r.fitted(r.title(), w-32, 16*boldEm)
	r.s("</text>\n")
	r.s(`<text class="empty" x="240" y="76" text-anchor="middle" font-size="14" fill="` + cMuted + `">`)
	r.esc(r.loc.empty)
	r.s("</text>\n</svg>\n")
}

// ---- writing ----

func (r *renderer) s(s string) { r.w.WriteString(s) }

func (r *renderer) n(v int) {
	r.num = strconv.AppendInt(r.num[:0], int64(v), 10)
	r.w.Write(r.num)
}

func (r *renderer) n64(v int64) {
	r.num = strconv.AppendInt(r.num[:0], v, 10)
	r.w.Write(r.num)
}

func (r *renderer) date(d int64) {
	r.num = appendISO(r.num[:0], d)
	r.w.Write(r.num)
}

// dayMonth writes "12 Mar" ("12 mars", "12 мар"): a milestone's note.
func (r *renderer) dayMonth(d int64) {
	_, m, day := civil(d)
	r.n(day)
	r.s(" ")
	r.s(r.loc.noteMonths[m-1])
}

func (r *renderer) dayMonthYear(d int64) {
	y, _, _ := civil(d)
	r.dayMonth(d)
	r.s(" ")
	r.n64(y)
}

// rangeWidth estimates the width of the title band's date range.
func (r *renderer) rangeWidth() float64 {
	w := textWidth("00 0000 – 00 0000", fontPx)
	_, m, _ := civil(r.from)
	w += textWidth(r.loc.noteMonths[m-1], fontPx)
	_, m, _ = civil(r.to)
	return w + textWidth(r.loc.noteMonths[m-1], fontPx)
}

// fitted writes s escaped, cut with an ellipsis to max pixels at font size px.
func (r *renderer) fitted(s string, max, px float64) {
	n, cut := fit(s, max, px)
	r.esc(s[:n])
	if cut {
		r.s("…")
	}
}

// esc writes s as XML character data or attribute value: markup characters escaped, and
// anything XML 1.0 cannot carry (invalid UTF-8, control characters, U+FFFE/U+FFFF) replaced
// by U+FFFD, so that any user input yields a well-formed document. Newlines and tabs become
// spaces, since labels are single lines. Runs of safe bytes are written in one call.
func (r *renderer) esc(s string) {
	last := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			var rep string
			switch b {
			case '&':
				rep = "&amp;"
			case '<':
				rep = "&lt;"
			case '>':
				rep = "&gt;"
			case '"':
				rep = "&quot;"
			case '\'':
				rep = "&#39;"
			case '\t', '\n', '\r':
				rep = " "
			default:
				if b >= 0x20 {
					i++
					continue
				}
				rep = "\uFFFD"
			}
			r.w.WriteString(s[last:i])
			r.w.WriteString(rep)
			i++
			last = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if (c == utf8.RuneError && size == 1) || c == 0xFFFE || c == 0xFFFF {
			r.w.WriteString(s[last:i])
			r.w.WriteString("\uFFFD")
			i += size
			last = i
			continue
		}
		i += size
	}
	r.w.WriteString(s[last:])
}

// safeHref keeps links that stay links: a site path or an http(s) URL. Anything else
// (javascript:, data:, a scheme-relative //host or its /\host twin) is dropped, because an
// SVG opened directly is a document of its own where a javascript: link would run.
func safeHref(h string) string {
	switch {
	case h == "":
		return ""
	case strings.HasPrefix(h, "/"):
		if len(h) > 1 && (h[1] == '/' || h[1] == '\\') {
			return ""
		}
		return h
	case len(h) > 8 && strings.EqualFold(h[:8], "https://"), len(h) > 7 && strings.EqualFold(h[:7], "http://"):
		return h
	}
	return ""
}

func sanitizeID(p string) string {
	if p == "" {
		return "gantt"
	}
	b := make([]byte, 0, len(p))
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			b = append(b, c)
		}
	}
	// An XML id must not start with a digit, '-' or '.'.
	if len(b) == 0 || !(b[0] >= 'a' && b[0] <= 'z' || b[0] >= 'A' && b[0] <= 'Z' || b[0] == '_') {
		b = append([]byte("g"), b...)
	}
	return string(b)
}
