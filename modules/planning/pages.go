package planning

import (
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/capacity"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// pageRoutes registers the pages and their forms.
func (h *handlers) pageRoutes(r routes) {
	read, write := api.Can("planning", "read"), api.Can("planning", "write")
	absRead, absWrite, absApprove := api.Can("planning.absences", "read"), api.Can("planning.absences", "write"), api.Can("planning.absences", "approve")
	r.Get("/:slug/planning", read, h.timelinePage)
	r.Get("/:slug/planning/workload", read, h.workloadPage)
	r.Get("/:slug/planning/availability", read, h.availabilityPage)
	r.Get("/:slug/planning/actual", read, h.actualPage)
	// "new" before ":id": the keyboard's way to book, as dragging is to move.
	r.Get("/:slug/planning/allocations/new", write, h.newAllocationPage)
	r.Post("/:slug/planning/allocations", write, h.newAllocationForm)
	r.Get("/:slug/planning/allocations/:id", read, h.allocationPage)
	r.Post("/:slug/planning/allocations/:id", write, h.allocationForm)
	r.Post("/:slug/planning/allocations/:id/delete", write, h.deleteAllocationForm)
	r.Post("/:slug/planning/allocations/:id/split", write, h.splitAllocationForm)
	r.Get("/:slug/planning/absences", absRead, h.absencesPage)
	r.Post("/:slug/planning/absences", absWrite, h.absenceForm)
	r.Post("/:slug/planning/absences/:id/approve", absApprove, h.decideForm(Approve))
	r.Post("/:slug/planning/absences/:id/reject", absApprove, h.decideForm(Reject))
	h.typesRoutes(r)     // pages_types.go
	h.resourcesRoutes(r) // pages_resources.go
}

// Zoom levels of the timeline: the days shown.
var zooms = map[string]int{"day": 14, "week": 56, "month": 182}

// bar is a bar of the timeline, placed on the row's grid of days (CSS classes: the CSP allows
// no inline style): column Col (1 = the first day), Span days.
type bar struct {
	ID         int64
	Col, Span  int
	Colour     int
	Tentative  bool
	Label      string
	Title      string
	Start, End string
	Href       string
}

type timelineRow struct {
	Resource
	Bars     []bar
	Away     []bar
	Tasks    []bar
	Selected bool
}

type column struct {
	Label string
	Span  int
	Today bool
}

// filters are the choices of the pages' filters.
type filters struct {
	Clients []option
	Teams   []option
	Roles   []option
	Zooms   []string
}

func (h *handlers) filters(c *fiber.Ctx) (filters, error) {
	out := filters{Zooms: []string{"day", "week", "month"}}
	a := actor.From(c)
	var err error
	if out.Teams, err = h.svc.store.teams(c.UserContext(), h.svc.tenant(a.AccountID())); err != nil {
		return out, err
	}
	if out.Clients, err = h.svc.store.clients(c.UserContext(), h.svc.tenant(a.AccountID())); err != nil {
		return out, err
	}
	roles, err := h.svc.roleNames(c.UserContext(), a)
	for id, name := range roles {
		out.Roles = append(out.Roles, option{ID: id, Name: name})
	}
	slices.SortFunc(out.Roles, func(x, y option) int { return strings.Compare(x.Name, y.Name) })
	return out, err
}

type timelineData struct {
	filters
	From, Prev, Next string
	Zoom             string
	Days             int
	Columns          []column
	Rows             []timelineRow
	Query            Query
	ProjectID        int64
	Write            bool
	Legend           []legend
	Selected         int64
	// Keep are the filters the earlier and later links carry on ("&team_id=3..."; a URL part
	// made by url.Values, so the template keeps its & and =).
	Keep template.URL
}

// keep writes the filters of the timeline for its earlier and later links.
func keep(q Query, project int64) template.URL {
	v := url.Values{}
	for name, id := range map[string]int64{"team_id": q.TeamID, "role": q.RoleID, "client_id": q.ClientID, "project": project} {
		if id != 0 {
			v.Set(name, itoa(id))
		}
	}
	if len(v) == 0 {
		return ""
	}
	return template.URL("&" + v.Encode())
}

type legend struct {
	Name   string
	Colour int
}

// place is the bar of [start, end] on a period of n days from first: its first column and
// its span in days (clipped; ok false when it is outside).
func place(first time.Time, n int, start, end string) (int, int, bool) {
	s, err1 := time.Parse(capacity.DayLayout, start)
	e, err2 := time.Parse(capacity.DayLayout, end)
	if err1 != nil || err2 != nil {
		return 0, 0, false
	}
	lo := max(int(s.Sub(first).Hours()/24), 0)
	hi := min(int(e.Sub(first).Hours()/24), n-1)
	if lo > hi {
		return 0, 0, false
	}
	return lo + 1, hi - lo + 1, true
}

func day(t time.Time) string { return t.Format(capacity.DayLayout) }

func (h *handlers) timelinePage(c *fiber.Ctx) error {
	a := actor.From(c)
	q, err := query(c)
	if err != nil {
		return err
	}
	var f problem.Fields
	project := queryID(c, "project", &f)
	selected := queryID(c, "resource", &f)
	zoom := c.Query("zoom", "week")
	days, ok := zooms[zoom]
	if !ok {
		f.Add("zoom", "must be day, week or month")
	}
	from := monday(h.svc.today())
	if q.From != "" {
		if t, ok := parseDay(&f, "from", q.From); ok {
			from = monday(t)
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	t, err := h.svc.Timeline(c.UserContext(), a, from, days, Filter{TeamID: q.TeamID, RoleID: q.RoleID, Client: q.ClientID, Project: project})
	if err != nil {
		return err
	}
	step := 7
	if zoom == "month" {
		step = 28
	}
	fl, err := h.filters(c)
	if err != nil {
		return err
	}
	d := &timelineData{filters: fl, From: day(from), Prev: day(from.AddDate(0, 0, -step)), Next: day(from.AddDate(0, 0, step)), Zoom: zoom, Days: days, Query: q,
		ProjectID: project, Write: manages(a), Selected: selected, Keep: keep(q, project)}
	today := h.svc.today()
	switch zoom {
	case "day":
		for i := range days {
			dd := from.AddDate(0, 0, i)
			d.Columns = append(d.Columns, column{Label: fmt.Sprintf("%02d/%02d", dd.Day(), int(dd.Month())), Span: 1, Today: dd.Equal(today)})
		}
	default:
		for i := 0; i < days; i += 7 {
			w := weekOf(from.AddDate(0, 0, i))
			d.Columns = append(d.Columns, column{Label: w.Label[5:], Span: 7, Today: !today.Before(from.AddDate(0, 0, i)) && today.Before(from.AddDate(0, 0, i+7))})
		}
	}
	seen := map[int64]bool{}
	for _, r := range t.Resources {
		row := timelineRow{Resource: r, Selected: r.ID == selected}
		for _, al := range t.Allocs[r.ID] {
			s, _ := time.Parse(capacity.DayLayout, al.StartsOn)
			e, _ := time.Parse(capacity.DayLayout, al.EndsOn)
			for k := 0; k <= al.RepeatWeeks; k++ {
				col, span, ok := place(from, days, day(s.AddDate(0, 0, 7*k)), day(e.AddDate(0, 0, 7*k)))
				if !ok {
					continue
				}
				name := t.Projects[al.ProjectID].Name
				amount := fmt.Sprintf("%d%%", al.Percent)
				if al.MinutesPerDay > 0 {
					amount = fmt.Sprintf("%d:%02d", al.MinutesPerDay/60, al.MinutesPerDay%60)
				}
				row.Bars = append(row.Bars, bar{ID: al.ID, Col: col, Span: span, Colour: int(al.ProjectID % 8), Tentative: al.Tentative,
					Label: name + " · " + amount, Title: name + " " + al.StartsOn + " – " + al.EndsOn + " · " + amount,
					Start: al.StartsOn, End: al.EndsOn, Href: "/" + a.Account.Slug + "/planning/allocations/" + itoa(al.ID)})
				if !seen[al.ProjectID] {
					seen[al.ProjectID] = true
					d.Legend = append(d.Legend, legend{Name: name, Colour: int(al.ProjectID % 8)})
				}
			}
		}
		if r.UserID != nil {
			for _, ab := range t.Absences[*r.UserID] {
				first, last := t.period.day(ab.First), t.period.day(ab.Last)
				if col, span, ok := place(from, days, first, last); ok {
					row.Away = append(row.Away, bar{Col: col, Span: span, Title: first + " – " + last})
				}
			}
			for _, ta := range t.Tasks[*r.UserID] {
				if col, span, ok := place(from, days, ta.StartsOn, ta.DueOn); ok {
					row.Tasks = append(row.Tasks, bar{ID: ta.TaskID, Col: col, Span: span, Colour: int(ta.ProjectID % 8), Label: ta.Title,
						Title: t.Projects[ta.ProjectID].Name + ": " + ta.Title, Href: "/" + a.Account.Slug + "/tasks/" + itoa(ta.TaskID)})
				}
			}
		}
		d.Rows = append(d.Rows, row)
	}
	p := h.web.NewPage(c, "planning.title")
	p.Data = d
	return h.web.Render(c, "planning/timeline", p)
}

func (h *handlers) workloadPage(c *fiber.Ctx) error {
	q, err := query(c)
	if err != nil {
		return err
	}
	w, err := h.svc.Workload(c.UserContext(), actor.From(c), q)
	if err != nil {
		return err
	}
	fl, err := h.filters(c)
	if err != nil {
		return err
	}
	p := h.web.NewPage(c, "planning.workload.title")
	p.Data = &workloadData{Workload: w, filters: fl, Query: q}
	return h.web.Render(c, "planning/workload", p)
}

type workloadData struct {
	*Workload
	filters
	Query Query
}

type availabilityData struct {
	filters
	Result *Availability
	Asked  bool
}

func (h *handlers) availabilityPage(c *fiber.Ctx) error {
	from, to := h.defaultRange(c, 1)
	form := web.EmptyForm(map[string]string{"from": from, "to": to, "hours": c.Query("hours"), "days": c.Query("days"), "day_hours": c.Query("day_hours"),
		"consecutive": c.Query("consecutive"), "role": c.Query("role"), "team_id": c.Query("team_id"), "client_id": c.Query("client_id")})
	fl, err := h.filters(c)
	if err != nil {
		return err
	}
	d := &availabilityData{filters: fl, Asked: c.Query("from") != ""}
	p := h.web.NewPage(c, "planning.availability.title")
	p.Data, p.Form = d, form
	if d.Asked {
		var f problem.Fields
		q := Query{From: from, To: to, Minutes: hoursField(c, &f, "hours", MaxRangeDays*24), DayMinutes: hoursField(c, &f, "day_hours", 24), Days: queryInt(c, "days", &f),
			Consecutive: queryBool(c, "consecutive", &f), RoleID: queryID(c, "role", &f), TeamID: queryID(c, "team_id", &f), ClientID: queryID(c, "client_id", &f)}
		err := f.Err()
		if err == nil {
			d.Result, err = h.svc.Availability(c.UserContext(), actor.From(c), q)
		}
		if err != nil {
			return h.web.Refuse(c, "planning/availability", p, err)
		}
	}
	return h.web.Render(c, "planning/availability", p)
}

// hoursField reads an optional number of hours of the query, from 0 to most, as minutes.
func hoursField(c *fiber.Ctx, f *problem.Fields, name string, most int) int {
	s := c.Query(name)
	if s == "" {
		return 0
	}
	hours, err := strconv.ParseFloat(s, 64)
	if err != nil || hours < 0 || hours > float64(most) {
		f.Addf(name, "must be a number of hours from 0 to {max}", "max", most)
		return 0
	}
	return int(hours * 60)
}

type actualData struct {
	Weeks     []Week
	Rows      []PlanRow
	ProjectID int64
	Asked     bool
	Actuals   bool
	// Costs, for who may see cost rates: the plan priced (service_costs.go) and its chart.
	Costs *CostReport
	Chart template.HTML
}

func (h *handlers) actualPage(c *fiber.Ctx) error {
	from, to := h.defaultRange(c, 8)
	form := web.EmptyForm(map[string]string{"from": from, "to": to, "project_id": c.Query("project_id")})
	d := &actualData{Actuals: h.svc.Actuals.Has()}
	p := h.web.NewPage(c, "planning.actual.title")
	p.Data, p.Form = d, form
	if c.Query("project_id") != "" {
		var f problem.Fields
		d.ProjectID = queryID(c, "project_id", &f)
		d.Asked = true
		err := f.Err()
		if err == nil {
			d.Weeks, d.Rows, err = h.svc.PlanActual(c.UserContext(), actor.From(c), d.ProjectID, from, to)
		}
		if err == nil && seesCosts(actor.From(c)) {
			d.Costs, err = h.svc.price(c.UserContext(), actor.From(c), d.ProjectID, from, to, d.Weeks, d.Rows)
			if err == nil {
				d.Costs.money, d.Costs.num = p.L.Money, p.L.Num
			}
			if err == nil && len(d.Costs.Rows) > 0 {
				d.Chart = costChart(d.Costs, p.T("planning.costs.planned"), p.T("planning.costs.actual"), p.T("planning.costs.chart"))
			}
		}
		if err != nil {
			return h.web.Refuse(c, "planning/actual", p, err)
		}
	}
	return h.web.Render(c, "planning/actual", p)
}

// allocationData is the allocation page's: an allocation (the zero one for a new one) and
// the choices of its resource and project.
type allocationData struct {
	Allocation
	New       bool
	Resources [][]string // [id, name]
	Projects  [][]string
}

// allocationFields are the fields of the allocation form.
var allocationFields = []string{"resource_id", "project_id", "starts_on", "ends_on", "minutes_per_day", "percent", "repeat_weeks", "note", "tentative"}

// allocationView is the allocation page: of the path's id, or a new one (id 0) whose form
// starts from the query (?resource_id=&starts_on=: a row of the timeline's link).
func (h *handlers) allocationView(c *fiber.Ctx, id int64, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	// The first choice is none: a new allocation names both or is refused field by field.
	d := &allocationData{New: id == 0, Resources: [][]string{{"", "—"}}, Projects: [][]string{{"", "—"}}}
	if id != 0 {
		al, err := h.svc.Allocation(c.UserContext(), a, id)
		if err != nil {
			return nil, err
		}
		d.Allocation = *al
	} else {
		d.StartsOn, d.EndsOn = c.Query("starts_on", day(h.svc.today())), c.Query("ends_on", c.Query("starts_on", day(h.svc.today())))
		d.MinutesPerDay = 480
		if rid, err := strconv.ParseInt(c.Query("resource_id"), 10, 64); err == nil {
			d.ResourceID = rid
		}
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"resource_id": idValue(d.ResourceID), "project_id": idValue(d.ProjectID), "starts_on": d.StartsOn, "ends_on": d.EndsOn,
			"minutes_per_day": strconv.Itoa(d.MinutesPerDay), "percent": strconv.Itoa(d.Percent), "repeat_weeks": strconv.Itoa(d.RepeatWeeks),
			"note": d.Note, "tentative": boolValue(d.Tentative)})
	}
	rs, err := h.svc.Resources(c.UserContext(), a, Filter{})
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		d.Resources = append(d.Resources, []string{itoa(r.ID), r.Name})
	}
	ps, err := h.svc.Seen.Get().Projects(c.UserContext(), a, 500)
	if err != nil {
		return nil, err
	}
	for _, pr := range ps {
		d.Projects = append(d.Projects, []string{itoa(pr.ID), pr.Name})
	}
	p := h.web.NewPage(c, "planning.allocation.title")
	p.Data, p.Form = d, form
	return p, nil
}

// idValue is an id as a form's value ("" for none).
func idValue(id int64) string {
	if id == 0 {
		return ""
	}
	return itoa(id)
}

func boolValue(b bool) string {
	if b {
		return "1"
	}
	return ""
}

func (h *handlers) allocationPage(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.allocationView(c, id, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "planning/allocation", p)
}

func (h *handlers) newAllocationPage(c *fiber.Ctx) error {
	p, err := h.allocationView(c, 0, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "planning/allocation", p)
}

// formInt reads a whole number of a form (a message on f when it is not one).
func formInt(f *problem.Fields, form *web.Form, name string) *int {
	s := form.Get(name)
	if s == "" {
		zero := 0
		return &zero
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f.Add(name, "must be a whole number")
		return nil
	}
	return &n
}

// formID reads an id of a form (0 when empty; a message on f when it is not one).
func formID(f *problem.Fields, form *web.Form, name string) int64 {
	s := form.Get(name)
	if s == "" {
		return 0
	}
	id, ok := api.ParseID(s)
	if !ok {
		f.Add(name, "must be an id")
	}
	return id
}

// allocationPatch reads the allocation form: what it names, as a change.
func allocationPatch(form *web.Form) (AllocationPatch, error) {
	var f problem.Fields
	starts, ends, note := form.Get("starts_on"), form.Get("ends_on"), form.Get("note")
	tentative := form.Get("tentative") != ""
	in := AllocationPatch{StartsOn: &starts, EndsOn: &ends, Note: &note, Tentative: &tentative,
		MinutesPerDay: formInt(&f, form, "minutes_per_day"), Percent: formInt(&f, form, "percent"), RepeatWeeks: formInt(&f, form, "repeat_weeks")}
	if form.Get("resource_id") != "" {
		id := formID(&f, form, "resource_id")
		in.ResourceID = &id
	}
	if form.Get("project_id") != "" {
		id := formID(&f, form, "project_id")
		in.ProjectID = &id
	}
	return in, f.Err()
}

// allocationForm is the keyboard alternative of the timeline's drag: the dates, amount and
// resource (dragging to another row) of an allocation in a form.
func (h *handlers) allocationForm(c *fiber.Ctx) error {
	a := actor.From(c)
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, allocationFields...)
	in, err := allocationPatch(form)
	var out *Allocation
	if err == nil {
		out, err = h.svc.UpdateAllocation(c.UserContext(), a, id, in)
	}
	return h.allocationDone(c, id, form, out, err)
}

// newAllocationForm books a resource from the form (the API's POST allocations).
func (h *handlers) newAllocationForm(c *fiber.Ctx) error {
	a := actor.From(c)
	form := web.NewForm(c, allocationFields...)
	in, err := allocationPatch(form)
	var out *Allocation
	if err == nil {
		out, err = h.svc.CreateAllocation(c.UserContext(), a, AllocationInput{ResourceID: deref(in.ResourceID), ProjectID: deref(in.ProjectID),
			StartsOn: *in.StartsOn, EndsOn: *in.EndsOn, MinutesPerDay: *in.MinutesPerDay, Percent: *in.Percent, RepeatWeeks: *in.RepeatWeeks, Note: *in.Note, Tentative: *in.Tentative})
	}
	return h.allocationDone(c, 0, form, out, err)
}

// allocationDone answers an allocation form: the form again with its messages, or the
// timeline at the allocation's first day with the resource's row selected.
func (h *handlers) allocationDone(c *fiber.Ctx, id int64, form *web.Form, out *Allocation, err error) error {
	if err != nil {
		p, verr := h.allocationView(c, id, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "planning/allocation", p, err)
	}
	key := "planning.flash.saved"
	if out.OverAllocated {
		key = "planning.flash.saved_over"
	}
	return web.Done(c, key, "/"+actor.From(c).Account.Slug+"/planning?from="+out.StartsOn+"&resource="+itoa(out.ResourceID)+"#resource-"+itoa(out.ResourceID))
}

// deleteAllocationForm deletes an allocation (the page's button, after a confirmation).
func (h *handlers) deleteAllocationForm(c *fiber.Ctx) error {
	a := actor.From(c)
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	al, err := h.svc.Allocation(c.UserContext(), a, id)
	if err != nil {
		return err
	}
	if err := h.svc.DeleteAllocation(c.UserContext(), a, id); err != nil {
		return err
	}
	return web.Done(c, "planning.flash.deleted", "/"+a.Account.Slug+"/planning?from="+al.StartsOn)
}

// splitAllocationForm cuts the allocation in two on the form's day (the API's split).
func (h *handlers) splitAllocationForm(c *fiber.Ctx) error {
	a := actor.From(c)
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "on")
	out, err := h.svc.SplitAllocation(c.UserContext(), a, id, SplitInput{On: form.Get("on")})
	if err != nil {
		p, verr := h.allocationView(c, id, nil)
		if verr != nil {
			return verr
		}
		p.Form.Values["on"] = form.Get("on")
		return h.web.Refuse(c, "planning/allocation", p, err)
	}
	return web.Done(c, "planning.flash.split", "/"+a.Account.Slug+"/planning?from="+out.StartsOn+"&resource="+itoa(out.ResourceID)+"#resource-"+itoa(out.ResourceID))
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

type absencesData struct {
	Mine      []Absence
	ToDecide  []Absence
	Upcoming  []Absence
	Types     []AbsenceType
	Balances  []Balance
	TypeOpts  [][2]string
	PartOpts  [][2]string
	MayDecide bool
	Settings  bool
}

// partOpts are the choices of the half of a day (catalogue keys).
var partOpts = [][2]string{{"", "planning.part.whole"}, {PartMorning, "planning.part.morning"}, {PartAfternoon, "planning.part.afternoon"}}

func (h *handlers) absencesView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	ctx := c.UserContext()
	today := h.svc.today()
	from, to := day(today.AddDate(0, -2, 0)), day(today.AddDate(1, 0, 0))
	d := &absencesData{MayDecide: a.May("planning.absences", "approve"), Settings: a.May("planning.settings", "manage"), PartOpts: partOpts}
	all, err := h.svc.Absences(ctx, a, from, to, 0, "")
	if err != nil {
		return nil, err
	}
	for _, ab := range all {
		switch {
		case ab.UserID == a.UserID:
			d.Mine = append(d.Mine, ab)
		case ab.State == StateRequested && ab.TypeID != 0 && d.MayDecide:
			d.ToDecide = append(d.ToDecide, ab) // the type is shown to who decides only
		case ab.State == StateApproved:
			d.Upcoming = append(d.Upcoming, ab)
		}
	}
	if d.Types, err = h.svc.AbsenceTypes(ctx, a); err != nil {
		return nil, err
	}
	for _, t := range d.Types {
		if t.ArchivedAt == nil {
			d.TypeOpts = append(d.TypeOpts, [2]string{itoa(t.ID), t.Name})
		}
	}
	if d.Balances, err = h.svc.Balances(ctx, a, a.UserID, today.Year()); err != nil {
		return nil, err
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"starts_on": day(today.AddDate(0, 0, 7)), "ends_on": day(today.AddDate(0, 0, 7))})
	}
	p := h.web.NewPage(c, "planning.absences.title")
	p.Data, p.Form = d, form
	// The kinds an account starts with read in the reader's language while unrenamed.
	for _, l := range [][]Absence{d.Mine, d.ToDecide} {
		for i := range l {
			l[i].Type = typeLabel(p, l[i].Type)
		}
	}
	for i := range d.Balances {
		d.Balances[i].Type = typeLabel(p, d.Balances[i].Type)
	}
	for i := range d.TypeOpts {
		d.TypeOpts[i][1] = typeLabel(p, d.TypeOpts[i][1])
	}
	return p, nil
}

func (h *handlers) absencesPage(c *fiber.Ctx) error {
	p, err := h.absencesView(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "planning/absences", p)
}

func (h *handlers) absenceForm(c *fiber.Ctx) error {
	a := actor.From(c)
	form := web.NewForm(c, "type", "starts_on", "ends_on", "part", "note")
	typ, _ := api.ParseID(form.Get("type"))
	_, err := h.svc.RequestAbsence(c.UserContext(), a, AbsenceInput{TypeID: typ, StartsOn: form.Get("starts_on"), EndsOn: form.Get("ends_on"), Part: form.Get("part"), Note: form.Get("note")})
	if err != nil {
		p, verr := h.absencesView(c, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "planning/absences", p, err)
	}
	return web.Done(c, "planning.flash.requested", "/"+a.Account.Slug+"/planning/absences")
}

func (h *handlers) decideForm(name string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		a := actor.From(c)
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		form := web.NewForm(c, "comment")
		if _, err := h.svc.Decide(c.UserContext(), a, id, name, DecisionInput{Comment: form.Get("comment")}); err != nil {
			p, verr := h.absencesView(c, form)
			if verr != nil {
				return verr
			}
			return h.web.Refuse(c, "planning/absences", p, err)
		}
		return web.Done(c, "planning.flash."+name, "/"+a.Account.Slug+"/planning/absences")
	}
}
