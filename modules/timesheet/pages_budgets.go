package timesheet

import (
	"cmp"
	"fmt"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// budgetPageRoutes registers the budgets index and a project's budget page with its forms.
func (h *handlers) budgetPageRoutes(r routes) {
	read, manage := api.Can("timesheet.budgets", "read"), api.Can("timesheet.budgets", "manage")
	r.Get("/:slug/timesheet/budgets", read, h.budgetIndexPage)
	r.Get("/:slug/timesheet/budgets/:project_id", read, h.budgetPage)
	r.Post("/:slug/timesheet/budgets/:project_id/lines", manage, h.budgetLineForm)
	r.Post("/:slug/timesheet/budgets/:project_id/lines/:line_id", manage, h.budgetLineForm)
	r.Post("/:slug/timesheet/budgets/:project_id/lines/:line_id/delete", manage, h.budgetLineDelete)
}

// budgetIndexRow is a project on the budgets index.
type budgetIndexRow struct {
	BudgetSummary
	Planned, Spent, Pending string
	PlannedAmount           string
	SpentAmount             string
	Bar                     int // the width of the progress bar (0-100)
	Level                   string
}

// budgetIndex is what the budgets index shows: the projects with a budget, and the projects
// the reader may plan one for (those they lead; every one for administrators).
type budgetIndex struct {
	Rows    []budgetIndexRow
	Options [][2]string
}

func (h *handlers) budgetIndexPage(c *fiber.Ctx) error {
	a := actor.From(c)
	if q := c.Query("project"); q != "" {
		id, ok := api.ParseID(q)
		if !ok {
			return problem.NotFound()
		}
		return c.Redirect("/"+a.Account.Slug+"/timesheet/budgets/"+strconv.FormatInt(id, 10), fiber.StatusSeeOther)
	}
	ss, err := h.svc.BudgetIndex(c.UserContext(), a)
	if err != nil {
		return err
	}
	d := &budgetIndex{}
	if a.May("timesheet.budgets", "manage") {
		ts, err := h.svc.Targets.Get().Targets(c.UserContext(), a, 1000)
		if err != nil {
			return err
		}
		for _, t := range ts {
			has := slices.ContainsFunc(ss, func(s BudgetSummary) bool { return s.ProjectID == t.ProjectID })
			if t.TaskID == 0 && !has && (admin(a) || t.LeaderID == a.UserID) {
				d.Options = append(d.Options, [2]string{strconv.FormatInt(t.ProjectID, 10), t.ProjectName})
			}
		}
	}
	rows := make([]budgetIndexRow, 0, len(ss))
	for _, s := range ss {
		row := budgetIndexRow{BudgetSummary: s, Planned: HoursText(s.Totals.PlannedMinutes), Spent: HoursText(s.Totals.SpentMinutes), Pending: HoursText(s.Totals.PendingMinutes),
			Bar: min(s.Totals.Percent, 100), Level: levelClass(s.Totals.Percent)}
		if s.Money {
			row.PlannedAmount, row.SpentAmount = moneyOrDash(s.Totals.PlannedAmountMinor), moneyOrDash(s.Totals.SpentAmountMinor)
		}
		rows = append(rows, row)
	}
	// Most used first: what needs attention leads.
	slices.SortStableFunc(rows, func(x, y budgetIndexRow) int { return cmp.Compare(y.Totals.Percent, x.Totals.Percent) })
	d.Rows = rows
	p := h.web.NewPage(c, "timesheet.budgets.title")
	p.Data = d
	p.Form = web.EmptyForm(nil)
	return h.web.Render(c, "timesheet/budgets_index", p)
}

// budgetRow is a line on a project's budget page.
type budgetRow struct {
	BudgetUse
	Target                                    string // "total" or the role's name
	Billable                                  string
	Planned, Spent, Pending, Remaining        string
	PlannedAmount, SpentAmount, PendingAmount string
	RemainingAmount                           string
	Days                                      string
	Bar                                       int
	Level                                     string
	Over                                      bool
}

// budgetData is what a project's budget page shows.
type budgetData struct {
	Budget  *Budget
	Rows    []budgetRow
	Chart   template.HTML
	Roles   [][2]string // the options of the line's target: total, then each job role
	Edit    *BudgetLine // the line whose form shows (nil: the form adds one)
	Base    string      // /{slug}/timesheet/budgets/{project_id}
	Planned string
	Spent   string
	Pending string
}

func (h *handlers) budgetView(c *fiber.Ctx, pid int64, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	ctx := c.UserContext()
	b, err := h.svc.Budget(ctx, a, pid)
	if err != nil {
		return nil, err
	}
	p := h.web.NewPage(c, "timesheet.budgets.title")
	d := &budgetData{Budget: b, Base: "/" + a.Account.Slug + "/timesheet/budgets/" + strconv.FormatInt(pid, 10),
		Planned: HoursText(b.Totals.PlannedMinutes), Spent: HoursText(b.Totals.SpentMinutes), Pending: HoursText(b.Totals.PendingMinutes)}
	for _, u := range b.Lines {
		r := budgetRow{BudgetUse: u, Spent: HoursText(u.SpentMinutes), Billable: HoursText(u.BillableMinutes), Pending: HoursText(u.PendingMinutes), Bar: min(u.Percent, 100), Level: levelClass(u.Percent), Over: u.Percent >= 100}
		r.Target = p.T("timesheet.budgets.total")
		if u.Line.Kind == BudgetRole {
			r.Target = u.Line.RoleName
		}
		if u.Line.Kind == BudgetCategory {
			r.Target = p.T("timesheet.categories.budget_target", "Category", u.Line.CategoryName)
		}
		if u.Line.Minutes != nil {
			r.Planned, r.Remaining = HoursText(*u.Line.Minutes), signedHours(*u.RemainingMinutes)
		}
		if b.Money {
			cur := b.Currency
			r.PlannedAmount, r.SpentAmount, r.PendingAmount, r.RemainingAmount = moneyIn(u.Line.AmountMinor, cur), moneyIn(u.SpentAmountMinor, cur), moneyIn(u.PendingAmountMinor, cur), moneyIn(u.RemainingAmountMinor, cur)
		}
		r.Days = lineDays(u.Line)
		d.Rows = append(d.Rows, r)
	}
	d.Chart = burnChart(b.Burn, p.T("timesheet.budgets.chart_spent"), p.T("timesheet.budgets.chart_planned"), p.T("timesheet.budgets.chart_caption", "Project", b.ProjectName))
	if b.Manage {
		d.Roles = [][2]string{{"total", p.T("timesheet.budgets.total")}}
		if h.svc.Capacity != nil {
			rs, err := h.svc.Capacity.Roles(ctx, a, false, api.Page{Limit: 200})
			if err != nil {
				return nil, err
			}
			for _, r := range rs.Items {
				d.Roles = append(d.Roles, [2]string{strconv.FormatInt(r.ID, 10), r.Name})
			}
		}
		if d.Roles, err = h.categoryTargets(ctx, a, p, d.Roles); err != nil {
			return nil, err
		}
		if id, ok := api.ParseID(c.Query("edit")); ok {
			for _, u := range b.Lines {
				if u.Line.ID == id {
					l := u.Line
					d.Edit = &l
				}
			}
		}
		if form == nil {
			form = web.EmptyForm(lineFormValues(d.Edit))
		}
	}
	if form == nil {
		form = web.EmptyForm(nil)
	}
	p.Title = b.ProjectName
	p.Data, p.Form = d, form
	return p, nil
}

func (h *handlers) budgetPage(c *fiber.Ctx) error {
	pid, err := api.PathID(c, "project_id")
	if err != nil {
		return err
	}
	p, err := h.budgetView(c, pid, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "timesheet/budgets", p)
}

// budgetLineForm adds a line (no line_id) or changes one.
func (h *handlers) budgetLineForm(c *fiber.Ctx) error {
	pid, err := api.PathID(c, "project_id")
	if err != nil {
		return err
	}
	var lineID int64
	if c.Params("line_id") != "" {
		if lineID, err = api.PathID(c, "line_id"); err != nil {
			return err
		}
	}
	a := actor.From(c)
	form := web.NewForm(c, "target", "name", "hours", "amount", "starts_on", "ends_on")
	var f problem.Fields
	minutes := hoursField(&f, form.Get("hours"))
	amount := amountField(&f, form.Get("amount"))
	var roleID, categoryID int64
	kind := BudgetTotal
	if t := form.Get("target"); strings.HasPrefix(t, "c") {
		kind = BudgetCategory
		if categoryID, _ = api.ParseID(t[1:]); categoryID == 0 {
			f.Add("target", "choose the total, a job role or a category")
		}
	} else if t != "total" {
		kind = BudgetRole
		if roleID, _ = api.ParseID(t); roleID == 0 {
			f.Add("target", "choose the total, a job role or a category")
		}
	}
	err = f.Err()
	if err == nil {
		if lineID == 0 {
			in := BudgetLineInput{Kind: kind, RoleID: roleID, CategoryID: categoryID, Name: form.Get("name"), StartsOn: form.Get("starts_on"), EndsOn: form.Get("ends_on")}
			in.Minutes, in.AmountMinor = minutes, amount
			_, err = h.svc.CreateBudgetLine(c.UserContext(), a, pid, in)
		} else {
			zero, zeroAmount := 0, int64(0)
			name, from, to := form.Get("name"), form.Get("starts_on"), form.Get("ends_on")
			in := BudgetLinePatch{Kind: &kind, RoleID: &roleID, CategoryID: &categoryID, Name: &name, Minutes: cmp.Or(minutes, &zero), AmountMinor: cmp.Or(amount, &zeroAmount), StartsOn: &from, EndsOn: &to}
			_, err = h.svc.UpdateBudgetLine(c.UserContext(), a, pid, lineID, in)
		}
	}
	to := "/" + a.Account.Slug + "/timesheet/budgets/" + strconv.FormatInt(pid, 10)
	if err != nil {
		if pr, ok := problem.As(err); !ok || pr.Status >= 500 || pr.Status == fiber.StatusNotFound {
			return err
		}
		renameFields(err, map[string]string{"minutes": "hours", "amount_minor": "amount", "kind": "target", "role_id": "target", "category_id": "target"})
		p, verr := h.budgetView(c, pid, form)
		if verr != nil {
			return verr
		}
		if lineID != 0 {
			p.Data.(*budgetData).Edit = &BudgetLine{ID: lineID}
		}
		return h.web.Refuse(c, "timesheet/budgets", p, err)
	}
	if lineID == 0 {
		return web.Done(c, "timesheet.budgets.flash.added", to)
	}
	return web.Done(c, "timesheet.budgets.flash.changed", to)
}

func (h *handlers) budgetLineDelete(c *fiber.Ctx) error {
	pid, err := api.PathID(c, "project_id")
	if err != nil {
		return err
	}
	id, err := api.PathID(c, "line_id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	if err := h.svc.DeleteBudgetLine(c.UserContext(), a, pid, id); err != nil {
		return err
	}
	return web.Done(c, "timesheet.budgets.flash.deleted", "/"+a.Account.Slug+"/timesheet/budgets/"+strconv.FormatInt(pid, 10))
}

// renameFields names the page's fields in the messages of the API's.
func renameFields(err error, names map[string]string) {
	pr, ok := problem.As(err)
	if !ok {
		return
	}
	for i, fe := range pr.Errors {
		if n, ok := names[fe.Field]; ok {
			pr.Errors[i].Field = n
		}
	}
}

// lineFormValues fill the form of a line being changed.
func lineFormValues(l *BudgetLine) map[string]string {
	v := map[string]string{"target": "total"}
	if l == nil {
		return v
	}
	if l.RoleID != nil {
		v["target"] = strconv.FormatInt(*l.RoleID, 10)
	}
	if l.CategoryID != nil {
		v["target"] = "c" + strconv.FormatInt(*l.CategoryID, 10)
	}
	v["name"] = l.Name
	if l.Minutes != nil {
		v["hours"] = strconv.FormatFloat(float64(*l.Minutes)/60, 'f', -1, 64)
	}
	if l.AmountMinor != nil {
		v["amount"] = moneyText(*l.AmountMinor)
	}
	if l.StartsOn != nil {
		v["starts_on"] = *l.StartsOn
	}
	if l.EndsOn != nil {
		v["ends_on"] = *l.EndsOn
	}
	return v
}

// decimalField reads a positive decimal as typed ("120", "7,5", "1 200.50"); nil when empty.
func decimalField(f *problem.Fields, field, s string) (float64, bool) {
	s = strings.NewReplacer(" ", "", "\u00a0", "", "\u202f", "", ",", ".").Replace(strings.TrimSpace(s))
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v <= 0 {
		f.Add(field, "must be a number more than 0")
		return 0, false
	}
	return v, true
}

// hoursField reads planned hours as minutes.
func hoursField(f *problem.Fields, s string) *int {
	v, ok := decimalField(f, "hours", s)
	if !ok {
		return nil
	}
	if v > MaxBudgetMinutes/60 {
		f.Add("hours", "must be at most ten million hours")
		return nil
	}
	m := int(math.Round(v * 60))
	return &m
}

// amountField reads an amount in major units ("5000.50") as minor units.
func amountField(f *problem.Fields, s string) *int64 {
	v, ok := decimalField(f, "amount", s)
	if !ok {
		return nil
	}
	if v > MaxBudgetMinor/100 {
		f.Add("amount", "must be at most 10^14")
		return nil
	}
	m := int64(math.Round(v * 100))
	return &m
}

// moneyText writes minor units as a decimal with two digits ("-12.05").
func moneyText(minor int64) string {
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	return fmt.Sprintf("%s%d.%02d", sign, minor/100, minor%100)
}

func moneyOrDash(minor *int64) string { return moneyIn(minor, "") }

// moneyIn writes an amount with its currency, "—" for none.
func moneyIn(minor *int64, currency string) string {
	if minor == nil {
		return "—"
	}
	return strings.TrimSpace(moneyText(*minor) + " " + currency)
}

// signedHours writes remaining time; over the budget it is negative.
func signedHours(m int) string {
	if m < 0 {
		return "−" + HoursText(-m)
	}
	return HoursText(m)
}

func lineDays(l BudgetLine) string {
	from, to := "…", "…"
	if l.StartsOn != nil {
		from = *l.StartsOn
	}
	if l.EndsOn != nil {
		to = *l.EndsOn
	}
	if l.StartsOn == nil && l.EndsOn == nil {
		return "—"
	}
	return from + " – " + to
}

// levelClass is the colour of a use: ok under 80%, warn to 100%, off past it.
func levelClass(percent int) string {
	switch {
	case percent >= budgetAlertHigh:
		return "off"
	case percent >= budgetAlertLow:
		return "warn"
	}
	return "ok"
}

// burnChart draws the burn-down as SVG: cumulative approved hours per week (a filled line)
// against the planned pace (a dashed line), a y axis in hours and a few week labels.
func burnChart(weeks []BurnWeek, spentLabel, plannedLabel, caption string) template.HTML {
	if len(weeks) == 0 {
		return ""
	}
	const w, hgt, left, right, top, bottom = 720.0, 260.0, 56.0, 16.0, 16.0, 40.0
	top0 := 0
	for _, wk := range weeks {
		top0 = max(top0, wk.Spent, wk.Planned)
	}
	maxH := niceCeil(float64(top0) / 60)
	plotW, plotH := w-left-right, hgt-top-bottom
	// Point 0 is the start of the first week (nothing spent); point i+1 the end of week i.
	x := func(i int) float64 { return left + plotW*float64(i)/float64(len(weeks)) }
	y := func(m int) float64 { return top + plotH - plotH*(float64(m)/60)/maxH }
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="burn" width="100%%" viewBox="0 0 %g %g" role="img" aria-labelledby="burn-title" xmlns="http://www.w3.org/2000/svg" font-family="`+web.FontStack+`" font-size="11">`, w, hgt)
	fmt.Fprintf(&b, `<title id="burn-title">%s</title>`, template.HTMLEscapeString(caption))
	for i := 0; i <= 4; i++ {
		v := maxH * float64(i) / 4
		yy := top + plotH - plotH*float64(i)/4
		fmt.Fprintf(&b, `<line x1="%g" y1="%.1f" x2="%g" y2="%.1f" stroke="#e3e6ea"/><text x="%g" y="%.1f" text-anchor="end" fill="#5f6b7a">%s h</text>`, left, yy, w-right, yy, left-6, yy+4, strconv.FormatFloat(v, 'f', -1, 64))
	}
	step := max(1, len(weeks)/8)
	for i := 0; i < len(weeks); i += step {
		// A week's label sits in the middle of its span.
		fmt.Fprintf(&b, `<text x="%.1f" y="%g" text-anchor="middle" fill="#5f6b7a">%s</text>`, (x(i)+x(i+1))/2, hgt-bottom+16, weeks[i].Week)
	}
	var spent, planned strings.Builder
	fmt.Fprintf(&spent, "%.1f,%.1f ", x(0), y(0))
	fmt.Fprintf(&planned, "%.1f,%.1f ", x(0), y(0))
	for i, wk := range weeks {
		fmt.Fprintf(&spent, "%.1f,%.1f ", x(i+1), y(wk.Spent))
		fmt.Fprintf(&planned, "%.1f,%.1f ", x(i+1), y(wk.Planned))
	}
	area := fmt.Sprintf("%s%.1f,%.1f", spent.String(), x(len(weeks)), y(0))
	fmt.Fprintf(&b, `<polygon points="%s" fill="#2f6fde" fill-opacity="0.12"/>`, area)
	fmt.Fprintf(&b, `<polyline class="planned" points="%s" fill="none" stroke="#8a5a00" stroke-width="2" stroke-dasharray="6 4"/>`, strings.TrimSpace(planned.String()))
	fmt.Fprintf(&b, `<polyline class="spent" points="%s" fill="none" stroke="#2f6fde" stroke-width="2.5"/>`, strings.TrimSpace(spent.String()))
	last := weeks[len(weeks)-1]
	fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3.5" fill="#2f6fde"><title>%s: %s</title></circle>`, x(len(weeks)), y(last.Spent), template.HTMLEscapeString(last.Week), HoursText(last.Spent))
	ly := hgt - 10
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#2f6fde" stroke-width="2.5"/><text x="%g" y="%g" fill="#1d2733">%s</text>`, left, ly-4, left+22, ly-4, left+28, ly, template.HTMLEscapeString(spentLabel))
	fmt.Fprintf(&b, `<line x1="%g" y1="%g" x2="%g" y2="%g" stroke="#8a5a00" stroke-width="2" stroke-dasharray="6 4"/><text x="%g" y="%g" fill="#1d2733">%s</text>`, left+200, ly-4, left+222, ly-4, left+228, ly, template.HTMLEscapeString(plannedLabel))
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
