// Package gantt draws a project's Gantt chart as a standalone SVG document: plain data in,
// SVG bytes out, no database, no HTTP. The projects module maps its lists, tasks, milestones
// and dependencies onto a Chart and calls Render, for the Gantt view, the "export as SVG"
// download and (through a rasteriser) the PNG export.
//
// # Layout
//
//	+--------------------------------------------------------------------+
//	| Title                                           1 Mar – 31 Aug 2025 |  title band
//	+----------------+---------------------------------------------------+
//	|                | March 2025         | April 2025         | ...      |  header tier 1 (months, or years)
//	| Task           | W09 | W10 | W11 | ...                            |  header tier 2 (days, ISO weeks or months)
//	+----------------+---------------------------------------------------+
//	| Design         |   ▼━━━━━━━━━━━━━━━━▼                  |           |  list: summary bracket
//	|   Wireframes   |   [████░░░░░░]  40%                   |           |  task: bar + progress
//	|   Sign-off     |                 ◆ 14 Mar              |           |  milestone: diamond
//	+----------------+---------------------------------------+-----------+
//	 +3 rows not shown         Today        legend                           footer
//
// The left column holds the labels, indented by Row.Indent and cut with an ellipsis to the
// column's width (the full label is in the row's <title>, which browsers show as a tooltip and
// screen readers read). The timeline is a fixed number of pixels per day chosen by the scale,
// so the document grows with the date range: 3 years at most, as Chart.From..To is clipped.
// Dependency arrows are orthogonal paths from the end of the predecessor to the start of the
// successor: an elbow when there is a gap between them; a drop into the top of the successor
// when it starts right away (the usual finish-to-start, where an elbow would have no room);
// a detour through the gap between rows, rather than back across the bars, when it starts
// before the predecessor ends. They are drawn over the bars so that none is hidden, and a
// note after a bar with an outgoing arrow starts past the arrow's elbow.
//
// Dates are calendar days: only the year, month and day of a time.Time count (in its own
// location), and a bar covers its End day inclusively. Everything inside is done with day
// numbers, not time arithmetic, so absurd dates cannot overflow or panic.
//
// # Styling and the CSP
//
// The application's Content-Security-Policy has no 'unsafe-inline', so style="..." attributes
// are never written, and an SVG inlined into an HTML page cannot rely on its own <style>
// element (style-src 'self' blocks it and reports a violation). When the SVG is served as a
// file (/…/gantt.svg, <img src>, the export download) its own <style> is a document of its own
// and applies normally. So every element carries its look as presentation attributes (fill,
// stroke, font-size...), which render correctly with or without any stylesheet, and also a
// class: CSS rules beat presentation attributes, so the embedded <style> (StyleSheet, scoped
// under svg.gantt so it cannot leak into a page) and the app's own stylesheet can restyle or
// add hover effects. Chart.OmitStyle drops the <style> element for inlining.
package gantt

import (
	"bufio"
	"io"
	"time"
)

// Kind is what a row draws.
type Kind uint8

const (
	// Task is a bar from Start to End with a progress overlay.
	Task Kind = iota
	// List is a task list: a summary bracket spanning its tasks (the rows that follow it with a
	// greater Indent), or its own Start..End when it has dates.
	List
	// Milestone is a diamond on one day: Start, or End when Start is zero.
	Milestone
)

// Scale is the unit of the time header and sets the pixels per day.
type Scale uint8

const (
	// Auto picks Day up to 45 days, Week up to 9 months, Month beyond.
	Auto Scale = iota
	// Day: one column per day (24 px), weekends shaded, months above.
	Day
	// Week: ISO weeks (W48; S48 in French, Н48 in Russian), 6 px a day, months above.
	Week
	// Month: months, 3 px a day, years above.
	Month
)

// Limits.
const (
	// MaxRows is how many rows are drawn; the rest are counted in a footnote.
	MaxRows = 5000
	// MaxYears is the longest date range drawn; Chart.To is pulled back to fit.
	MaxYears = 3
)

// Chart is everything Render needs. The zero value of every field is usable.
type Chart struct {
	// Title is shown at the top and is the SVG's accessible name ("Gantt chart" if empty).
	Title string
	// From and To bound the timeline (calendar days, inclusive). A zero From or To is taken
	// from the rows' dates with a little margin (with no dates at all: the weeks around Today,
	// or around the clock's today if Today is zero too). The range is widened to whole weeks
	// (Week) or months (Month) and then clipped to MaxYears.
	From, To time.Time
	Scale    Scale
	// Today draws the vertical "today" line when it falls inside the range; outside it, a
	// "← Today" or "Today →" marker at the edge it lies beyond; zero draws none. Render never
	// reads the clock for it: the caller passes the day in the viewer's zone.
	Today time.Time
	// Lang is "en", "fr" or "ru" (a region suffix such as "fr-CA" is ignored; anything else is
	// English): month names, week prefix, header, legend, empty state, <desc>.
	Lang string
	// Rows are drawn top to bottom in this order; at most MaxRows of them.
	Rows []Row
	// Links are finish-to-start dependencies between rows, by Row.ID. Links naming an unknown
	// or undated row, or a row past MaxRows, are skipped.
	Links []Link
	// LabelWidth is the width of the label column in pixels: 0 means 280; kept within 120..600.
	LabelWidth int
	// IDPrefix prefixes the ids inside the document (arrow marker, clip path, title) so that
	// several charts can live in one HTML page. Default "gantt"; characters other than ASCII
	// letters, digits, '-' and '_' are dropped.
	IDPrefix string
	// OmitStyle leaves out the <style> element: for an SVG inlined in an HTML page, where the
	// CSP would block it anyway (serve StyleSheet from a static file instead, if wanted).
	OmitStyle bool
	// Script adds what a page script needs to move bars (core/web/static/gantt.js): the root
	// gets data-from (the first day drawn, YYYY-MM-DD), data-to (the last), data-ppd (pixels
	// per day) and data-left (the x of data-from); each drawn task bar's group gets data-id
	// (Row.ID) and data-start and data-end (the row's own days, "" when unset). Off for the
	// download, which no script reads.
	Script bool
}

// Row is one line of the chart.
type Row struct {
	// ID names the row for Links; it is not shown. Empty IDs cannot be linked.
	ID   string
	Kind Kind
	// Label is user input; it is escaped, and cut with an ellipsis to fit the label column.
	Label string
	// Start and End are calendar days, End inclusive. A task with one of them zero lasts one
	// day; with both zero it has no bar (an unscheduled task still gets its label). End before
	// Start is swapped.
	Start, End time.Time
	// Progress in percent (clamped to 0..100), drawn as a darker inner bar: for progress vs
	// estimate the caller passes time spent / estimate. Done counts as 100.
	Progress int
	// Done dims the row. Late paints it in the alert colour.
	Done, Late bool
	// Indent is the nesting level (0 for a list, 1 for its tasks...). Rows following a List
	// with a greater Indent are its tasks.
	Indent int
	// Href, when set, makes the label a link: a path ("/acme/projects/1/tasks/9") or an http(s)
	// URL; anything else (javascript:, data:...) is dropped.
	Href string
	// Note is a short text after the bar ("12 h / 16 h", an assignee...). Empty: the progress
	// percentage for a task that has progress, the date for a milestone.
	Note string
	// BarHref, when set on a task, makes its bar a link (filtered like Href): the page that
	// changes the task's dates, so that moving a task works without a script and from the
	// keyboard (a link is focusable).
	BarHref string
}

// Link is a finish-to-start dependency: the arrow runs from the end of From to the start of To.
type Link struct {
	From, To string
}

// Render writes c as a standalone SVG document to w. It streams through a buffer (w itself
// when it is a *bufio.Writer) and flushes it before returning; the only errors are w's.
func Render(w io.Writer, c Chart) error {
	bw, ok := w.(*bufio.Writer)
	if !ok {
		bw = bufio.NewWriterSize(w, 32<<10)
	}
	r := renderer{w: bw, c: &c}
	r.render()
	return bw.Flush()
}
