package timesheet

import (
	"cmp"
	"context"
	"html/template"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
)

// Period presets of the reports page.
var presets = []string{"this_week", "this_month", "last_month", "quarter", "year", "custom"}

// presetPeriod is the period of a preset around today.
func presetPeriod(preset string, today time.Time) (string, string) {
	y, m, _ := today.Date()
	first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	var from, to time.Time
	switch preset {
	case "this_week":
		from = WeekOf(today).Monday()
		to = from.AddDate(0, 0, 6)
	case "last_month":
		from, to = first.AddDate(0, -1, 0), first.AddDate(0, 0, -1)
	case "quarter":
		from = time.Date(y, m-(m-1)%3, 1, 0, 0, 0, 0, time.UTC)
		to = from.AddDate(0, 3, -1)
	case "year":
		from, to = time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
	default:
		from, to = first, first.AddDate(0, 1, -1)
	}
	return from.Format(DayLayout), to.Format(DayLayout)
}

// reportPageRoutes registers the reports page.
func (h *handlers) reportPageRoutes(r routes) {
	r.Get("/:slug/timesheet/reports", api.Can("timesheet.reports", "read"), h.reportsPage)
}

// bar is a row of the chart: where its two parts (billable, non-billable) start and end.
type bar struct {
	Label         string
	Y, TextY      int
	BillW, OtherW int
	OtherX        int
	Title         string
}

// chart is the bar chart of a report, laid out here so that the page draws it as SVG with no
// script: one horizontal bar per row, billable then non-billable time, scaled to the longest.
type chart struct {
	Width, Height, LabelW, BarW int
	LabelX, AxisY, TickY        int
	Bars                        []bar
	Ticks                       []tick
}

type tick struct {
	X     int
	Label string
}

const (
	chartBars   = 20 // the chart shows the first rows; the table all of them
	chartLabelW = 200
	chartBarW   = 520
	chartRowH   = 28
)

func chartOf(rows []ReportRow, label func(ReportRow) string, hoursLabel func(int64) string) chart {
	ch := chart{Width: chartLabelW + chartBarW + 20, LabelW: chartLabelW, BarW: chartBarW}
	if len(rows) > chartBars {
		rows = rows[:chartBars]
	}
	var top int64
	for _, r := range rows {
		top = max(top, r.Minutes)
	}
	if top == 0 {
		return ch
	}
	// The scale ends on a whole number of hours, in steps of a quarter of it.
	hoursTop := (top + 59) / 60
	step := max((hoursTop+3)/4, 1)
	scale := step * 4 * 60
	for i := range int64(5) {
		ch.Ticks = append(ch.Ticks, tick{X: chartLabelW + int(i*step*60*chartBarW/scale), Label: hoursLabel(i * step)})
	}
	for i, r := range rows {
		y := 8 + i*chartRowH
		b := bar{Label: truncate(label(r), 28), Y: y, TextY: y + 15, BillW: int(r.BillableMinutes * chartBarW / scale),
			Title: label(r) + ": " + hm(r.Minutes)}
		b.OtherX = chartLabelW + b.BillW
		b.OtherW = int(r.Minutes*chartBarW/scale) - b.BillW
		ch.Bars = append(ch.Bars, b)
	}
	ch.Height = 8 + len(rows)*chartRowH + 24
	ch.LabelX, ch.AxisY, ch.TickY = chartLabelW-8, ch.Height-18, ch.Height-4
	return ch
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// reportLine is a row of the page's table.
type reportLine struct {
	Label                            string
	Sub                              bool
	Minutes, Billable, Other         string
	MinutesN, BillableN, OtherN, Pct int64
	Entries                          int64
}

// reportsData is what the reports page shows.
type reportsData struct {
	Report              *TimeReport
	Plan                *PlanReport
	Preset              string
	Presets, Groupings  []string
	Filter              ReportFilter
	Billable            string
	People, Projects    []option
	Clients, Categories []option
	Teams               []option
	Lines               []reportLine
	PlanLines           []planLine
	Total               reportLine
	Chart               chart
	Query               template.URL // the filters, for the downloads (url.Values.Encode: safe)
	// Share is the sharing of the project filtered, for its leader and the administrators (nil
	// otherwise).
	Share  *TimeShare
	Errors map[string]string
}

func (h *handlers) reportsPage(c *fiber.Ctx) error {
	a := actor.From(c)
	ctx := c.UserContext()
	d := &reportsData{Presets: presets, Groupings: Groupings, Preset: c.Query("preset", "this_month"), Errors: map[string]string{}}
	f, err := reportFilter(c)
	if p, ok := problem.As(err); ok && p.Status == fiber.StatusUnprocessableEntity {
		for _, fe := range p.Errors {
			d.Errors[fe.Field] = fe.Message
		}
		f = ReportFilter{}
	} else if err != nil {
		return err
	}
	if d.Preset != "custom" || (f.From == "" && f.To == "") {
		if d.Preset == "custom" {
			d.Preset = "this_month"
		}
		f.From, f.To = presetPeriod(d.Preset, h.svc.now())
	}
	d.Billable = c.Query("billable")
	rep, err := h.svc.Report(ctx, a, f)
	if p, ok := problem.As(err); ok && p.Status == fiber.StatusUnprocessableEntity {
		for _, fe := range p.Errors {
			d.Errors[fe.Field] = fe.Message
		}
		f.From, f.To = presetPeriod("this_month", h.svc.now())
		rep, err = h.svc.Report(ctx, a, ReportFilter{GroupBy: ByProject, From: f.From, To: f.To})
	}
	if err != nil {
		return err
	}
	d.Report, d.Filter = rep, f
	d.Filter.GroupBy = rep.GroupBy
	// Planned against actual: per task of the project filtered, or per project of a report by
	// project (from its own sums).
	if f.ProjectID != 0 {
		d.Plan, err = h.svc.Plan(ctx, a, ReportFilter{From: f.From, To: f.To, UserID: f.UserID, ProjectID: f.ProjectID, CompanyID: f.CompanyID, CategoryID: f.CategoryID, Billable: f.Billable})
	} else {
		d.Plan, err = h.svc.PlanOfReport(ctx, a, rep)
	}
	if err != nil {
		return err
	}
	for _, r := range d.Plan.Rows {
		d.PlanLines = append(d.PlanLines, planLineOf(r))
	}
	p := h.web.NewPage(c, "timesheet.reports.title")
	if rep.Own {
		p.Title = "timesheet.reports.my_time"
	}
	none := p.T("timesheet.reports.none." + rep.GroupBy)
	label := func(r ReportRow) string {
		if r.Label == "" {
			return none
		}
		return r.Label
	}
	noneThen := p.T("timesheet.reports.none." + cmp.Or(rep.ThenBy, rep.GroupBy))
	for _, r := range rep.Rows {
		d.Lines = append(d.Lines, lineOf(label(r), false, r.Minutes, r.BillableMinutes, r.Entries))
		for _, sub := range r.Rows {
			d.Lines = append(d.Lines, lineOf(cmp.Or(sub.Label, noneThen), true, sub.Minutes, sub.BillableMinutes, sub.Entries))
		}
	}
	t := rep.Totals
	d.Total = lineOf("", false, t.Minutes, t.BillableMinutes, t.Entries)
	d.Chart = chartOf(rep.Rows, label, func(n int64) string { return p.T("timesheet.reports.tick", "N", n) })
	if err := h.reportOptions(ctx, a, d); err != nil {
		return err
	}
	if f.ProjectID != 0 && a.May("timesheet.sharing", "manage") {
		if d.Share, err = h.svc.TimeShare(ctx, a, f.ProjectID); err != nil {
			if st := problemStatus(err); st != fiber.StatusForbidden && st != fiber.StatusNotFound {
				return err
			}
			d.Share = nil // not the reader's to share
		}
	}
	q := url.Values{}
	for k, v := range map[string]string{"group_by": rep.GroupBy, "then_by": rep.ThenBy, "from": rep.From, "to": rep.To, "billable": d.Billable} {
		if v != "" {
			q.Set(k, v)
		}
	}
	for k, v := range map[string]int64{"user": f.UserID, "project": f.ProjectID, "client": f.CompanyID, "category": f.CategoryID, "team": f.TeamID} {
		if v != 0 {
			q.Set(k, strconv.FormatInt(v, 10))
		}
	}
	d.Query = template.URL(q.Encode())
	p.Data = d
	return h.web.Render(c, "timesheet/reports", p)
}

func lineOf(label string, sub bool, minutes, billable, entries int64) reportLine {
	l := reportLine{Label: label, Sub: sub, Minutes: hm(minutes), Billable: hm(billable),
		Other: hm(minutes - billable), MinutesN: minutes, BillableN: billable, OtherN: minutes - billable, Entries: entries}
	if minutes > 0 {
		l.Pct = billable * 100 / minutes
	}
	return l
}

// reportOptions fills the filters' choices: the people the reader reaches, the projects they
// see, the client companies and the categories.
func (h *handlers) reportOptions(ctx context.Context, a *actor.Actor, d *reportsData) error {
	tn := h.svc.tenant(a.AccountID())
	reach, err := h.svc.readerReach(ctx, tn, a)
	if err != nil {
		return err
	}
	var ids []int64
	if reach != nil {
		ids = reach.Users
	}
	people, err := h.svc.store.people(ctx, tn, ids)
	if err != nil {
		return err
	}
	for _, p := range people {
		d.People = append(d.People, option{strconv.FormatInt(p.UserID, 10), p.Name})
	}
	ts, err := h.svc.Targets.Get().Targets(ctx, a, 500)
	if err != nil {
		return err
	}
	for _, t := range ts {
		if t.TaskID == 0 {
			d.Projects = append(d.Projects, option{strconv.FormatInt(t.ProjectID, 10), t.ProjectName})
		}
	}
	clients, err := h.svc.store.clientCompanies(ctx, tn)
	if err != nil {
		return err
	}
	for _, c := range clients {
		d.Clients = append(d.Clients, option{strconv.FormatInt(c.ID, 10), c.Name})
	}
	var with int64
	if reach != nil {
		with = a.UserID
	}
	teams, err := h.svc.store.teams(ctx, tn, with)
	if err != nil {
		return err
	}
	if a.Role != actor.RoleMember { // a member's report is their own time whatever the team
		for _, t := range teams {
			d.Teams = append(d.Teams, option{strconv.FormatInt(t.ID, 10), t.Name})
		}
	}
	cats, err := h.svc.store.categories(ctx, tn, true, "", pageAll)
	if err != nil {
		return err
	}
	for _, c := range cats {
		d.Categories = append(d.Categories, option{strconv.FormatInt(c.ID, 10), c.Name})
	}
	return nil
}

// planLine is a row of the planned-against-actual table.
type planLine struct {
	Label, Estimate, Actual, Diff, Pct string
	EstimateN, ActualN, DiffN, PctN    int64
	Over                               bool
}

func planLineOf(r PlanRow) planLine {
	l := planLine{Label: r.Label, Estimate: hm(r.EstimateMinutes), Actual: hm(r.ActualMinutes),
		Diff: "—", Pct: "—", EstimateN: r.EstimateMinutes, ActualN: r.ActualMinutes, DiffN: r.DiffMinutes, PctN: -1,
		Over: r.DiffMinutes < 0 && r.EstimateMinutes > 0}
	switch {
	case r.EstimateMinutes == 0: // nothing planned: nothing left or over
	case r.DiffMinutes < 0:
		l.Diff = "−" + hm(-r.DiffMinutes)
	default:
		l.Diff = hm(r.DiffMinutes)
	}
	if r.PercentUsed != nil {
		l.Pct, l.PctN = strconv.FormatInt(*r.PercentUsed, 10)+" %", *r.PercentUsed
	}
	return l
}

// hm writes minutes as h:mm, 0:00 for none (a report's cells are never blank).
func hm(minutes int64) string {
	if minutes == 0 {
		return "0:00"
	}
	return FormatDuration(int(minutes))
}
