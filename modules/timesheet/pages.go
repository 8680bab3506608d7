package timesheet

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// pageRoutes registers the weekly grid and its forms.
func (h *handlers) pageRoutes(r routes) {
	read, write := api.Can("timesheet.entries", "read"), api.Can("timesheet.entries", "write")
	r.Get("/:slug/timesheet", read, h.gridPage)
	r.Get("/:slug/timesheet/:user_id/:week", read, h.gridPage)
	r.Post("/:slug/timesheet/:user_id/:week", write, h.gridForm)
	r.Post("/:slug/timesheet/:user_id/:week/approve", api.Can("timesheet.approvals", "approve"), h.decisionForm(Approve))
	r.Post("/:slug/timesheet/:user_id/:week/reject", api.Can("timesheet.approvals", "approve"), h.decisionForm(Reject))
	r.Post("/:slug/timesheet/:user_id/:week/reopen", api.Can("timesheet.approvals", "reopen"), h.decisionForm(Reopen))
}

// gridRow is a row of the grid.
type gridRow struct {
	Key   string
	Label string
	Cells []gridCell
	Total string
}

// gridCell is an input of the grid.
type gridCell struct {
	Name  string // the form field
	Value string
	Label string // for screen readers: row and day
	// Locked: the day is before the period lock (a read-only cell).
	Locked bool
}

// dayHead is a column of the grid.
// cellError is a refused cell: its label and day, and the service's message (kept apart so
// the page translates it: problem.Sayf messages are translated from their template).
type cellError struct{ Cell, Msg string }

type dayHead struct {
	Date    string
	Name    string // message key of the weekday
	Total   string
	Weekend bool
}

// option is a row one may add.
type option struct{ Key, Label string }

// gridData is what the grid page shows.
type gridData struct {
	Sheet    *Timesheet
	Self     bool
	Base     string // /{slug}/timesheet/{user}/{week}
	Prev     string
	Next     string
	Days     []dayHead
	Rows     []gridRow
	Options  []option
	Editable bool
	Allowed  map[string]bool
	Total    string
	Errors   []cellError // the refused cells, for the summary above the grid
	Capacity *capacityView
	Timers   gridTimers
}

var weekdays = []string{"timesheet.day.mon", "timesheet.day.tue", "timesheet.day.wed", "timesheet.day.thu", "timesheet.day.fri", "timesheet.day.sat", "timesheet.day.sun"}

func cellName(key string, day int) string { return "d_" + key + "_" + strconv.Itoa(day) }

// weekParams reads the user and week of the path; the actor's current week when absent.
func (h *handlers) weekParams(c *fiber.Ctx) (int64, string, error) {
	a := actor.From(c)
	if c.Params("user_id") == "" {
		return a.UserID, WeekOf(h.svc.now()).String(), nil
	}
	uid, err := api.PathID(c, "user_id")
	if err != nil {
		return 0, "", err
	}
	return uid, strings.Clone(c.Params("week")), nil
}

// gridView builds the page; extra are rows to show beyond those with time, form the values
// typed (nil: the logged time).
func (h *handlers) gridView(c *fiber.Ctx, uid int64, week string, extra []RowKey, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	ctx := c.UserContext()
	t, err := h.svc.Timesheet(ctx, a, uid, week)
	if err != nil {
		return nil, err
	}
	w, _ := ParseWeek(t.Week)
	d := &gridData{Sheet: t, Self: uid == a.UserID, Base: "/" + a.Account.Slug + "/timesheet/" + strconv.FormatInt(uid, 10) + "/" + t.Week,
		Prev: w.Prev().String(), Next: w.Next().String(), Editable: !t.Locked && a.May("timesheet.entries", "write"), Allowed: map[string]bool{}}
	for _, name := range t.Allowed {
		d.Allowed[name] = true
	}
	var unit Unit
	if d.Capacity, unit, err = h.capacityOf(ctx, a, t); err != nil {
		return nil, err
	}
	d.Total = unit.FormatWeek(dayMinutes(t))
	if form == nil {
		form = web.EmptyForm(nil)
	}
	p := h.web.NewPage(c, "timesheet.title")
	p.Form = form
	if d.Timers, err = h.gridTimers(c, p, d); err != nil {
		return nil, err
	}
	if d.Timers.row != nil {
		extra = append(extra, *d.Timers.row)
	}
	var keys []RowKey
	minutes := map[RowKey][]int{}
	for i, day := range t.Days {
		d.Days = append(d.Days, dayHead{Date: day.Date, Name: weekdays[i], Total: unit.FormatOn(day.Minutes, i), Weekend: i >= 5})
		for j := range day.Entries {
			k := KeyOf(&day.Entries[j])
			if _, ok := minutes[k]; !ok {
				keys = append(keys, k)
				minutes[k] = make([]int, 7)
			}
			minutes[k][i] += day.Entries[j].Minutes
		}
	}
	for _, k := range extra {
		if _, ok := minutes[k]; !ok && d.Editable {
			keys = append(keys, k)
			minutes[k] = make([]int, 7)
		}
	}
	names, err := h.svc.RowNames(ctx, a.AccountID(), keys)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		label, ok := names[k]
		if !ok {
			continue // a key that names nothing of the account
		}
		row := gridRow{Key: k.String(), Label: label}
		for i := range 7 {
			name := cellName(row.Key, i)
			v := unit.FormatOn(minutes[k][i], i)
			if typed, ok := form.Values[name]; ok {
				v = typed
			}
			row.Cells = append(row.Cells, gridCell{Name: name, Value: v, Label: label + " · " + d.Days[i].Date, Locked: d.Days[i].Date < d.Timers.LockedBefore})
			if msg, bad := form.Errors[name]; bad {
				d.Errors = append(d.Errors, cellError{Cell: label + " · " + d.Days[i].Date, Msg: msg})
			}
		}
		row.Total = unit.FormatWeek(minutes[k])
		d.Rows = append(d.Rows, row)
	}
	if d.Editable {
		ts, cats, err := h.svc.GridTargets(ctx, a, uid)
		if err != nil {
			return nil, err
		}
		for _, tg := range ts {
			k := RowKey{ProjectID: tg.ProjectID, TaskID: tg.TaskID}
			label := tg.ProjectName
			if tg.TaskID != 0 {
				label += " › " + tg.TaskTitle
			}
			if _, shown := minutes[k]; !shown {
				d.Options = append(d.Options, option{k.String(), label})
			}
		}
		d.Options = append(d.Options, categoryOptions(ts, cats, minutes)...)
	}
	d.Capacity.translate(p.T)
	p.Data = d
	return p, nil
}

// extraRows reads the rows=... of the query (rows added but holding no time yet).
func extraRows(raw string) []RowKey {
	var out []RowKey
	for _, s := range strings.Split(raw, ",") {
		if k, ok := ParseRowKey(s); ok && !slices.Contains(out, k) && len(out) < 50 {
			out = append(out, k)
		}
	}
	return out
}

func (h *handlers) gridPage(c *fiber.Ctx) error {
	uid, week, err := h.weekParams(c)
	if err != nil {
		return err
	}
	extra := extraRows(strings.Clone(c.Query("rows")))
	if c.Query("copy") != "" {
		prev, err := h.svc.PreviousRows(c.UserContext(), actor.From(c), uid, week)
		if err != nil {
			return err
		}
		extra = append(extra, prev...)
	}
	if c.Query("assigned") != "" {
		rows, err := h.svc.AssignedRows(c.UserContext(), actor.From(c), uid, week)
		if err != nil {
			return err
		}
		extra = append(extra, rows...)
	}
	p, err := h.gridView(c, uid, week, extra, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "timesheet/grid", p)
}

// gridForm saves the whole week the grid posts; then, by the button pressed, submits it, adds
// a row or copies last week's rows.
func (h *handlers) gridForm(c *fiber.Ctx) error {
	uid, week, err := h.weekParams(c)
	if err != nil {
		return err
	}
	a := actor.From(c)
	var keys []RowKey
	var fields []string
	for _, raw := range c.Request().PostArgs().PeekMulti("row") {
		if k, ok := ParseRowKey(string(raw)); ok && !slices.Contains(keys, k) && len(keys) < 200 {
			keys = append(keys, k)
			for i := range 7 {
				fields = append(fields, cellName(k.String(), i))
			}
		}
	}
	form := web.NewForm(c, append(fields, "add", "action")...)
	var unit Unit
	if w, ok := ParseWeek(week); ok {
		if unit, err = h.svc.Unit(c.UserContext(), a.AccountID(), uid, w); err != nil {
			return err
		}
	}
	var cells []GridCell
	var f problem.Fields
	for _, k := range keys {
		for i := range 7 {
			name := cellName(k.String(), i)
			m, err := unit.Parse(form.Get(name), i)
			if err != nil {
				f.Add(name, err.Error())
				continue
			}
			cells = append(cells, GridCell{Row: k, Day: i, Field: name, Minutes: m})
		}
	}
	err = f.Err()
	if err == nil {
		err = h.svc.SaveGrid(c.UserContext(), a, uid, week, cells)
	}
	action := form.Get("action")
	if err == nil && action == Submit {
		_, err = h.svc.Transition(c.UserContext(), a, uid, week, Submit, DecisionInput{})
	}
	if err != nil {
		if p, ok := problem.As(err); !ok || p.Status >= 500 || p.Status == fiber.StatusNotFound {
			return err
		}
		form.Fail(err) // before the view, whose summary lists the refused cells
		p, verr := h.gridView(c, uid, week, keys, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "timesheet/grid", p, err)
	}
	to := "/" + a.Account.Slug + "/timesheet/" + strconv.FormatInt(uid, 10) + "/" + url.PathEscape(week)
	var empty []string
	for _, k := range keys {
		empty = append(empty, k.String())
	}
	switch action {
	case Submit:
		return web.Done(c, "timesheet.flash.submitted", to)
	case "add":
		if k, ok := ParseRowKey(form.Get("add")); ok {
			empty = append(empty, k.String())
		}
		web.Flash(c, "info", "timesheet.flash.row_added")
		return c.Redirect(to+"?rows="+url.QueryEscape(strings.Join(empty, ",")), fiber.StatusSeeOther)
	case "copy":
		web.Flash(c, "info", "timesheet.flash.copied")
		return c.Redirect(to+"?copy=1&rows="+url.QueryEscape(strings.Join(empty, ",")), fiber.StatusSeeOther)
	case "assigned":
		web.Flash(c, "info", "timesheet.flash.assigned")
		return c.Redirect(to+"?assigned=1&rows="+url.QueryEscape(strings.Join(empty, ",")), fiber.StatusSeeOther)
	}
	return web.Done(c, "timesheet.flash.saved", to)
}

// decisionForm approves, rejects or reopens a week from the grid.
func (h *handlers) decisionForm(name string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		uid, week, err := h.weekParams(c)
		if err != nil {
			return err
		}
		form := web.NewForm(c, "comment")
		_, err = h.svc.Transition(c.UserContext(), actor.From(c), uid, week, name, DecisionInput{Comment: strings.TrimSpace(form.Get("comment"))})
		if err != nil {
			if p, ok := problem.As(err); !ok || p.Status >= 500 || p.Status == fiber.StatusNotFound {
				return err
			}
			p, verr := h.gridView(c, uid, week, nil, form)
			if verr != nil {
				return verr
			}
			return h.web.Refuse(c, "timesheet/grid", p, err)
		}
		return web.Done(c, "timesheet.flash."+name, "/"+actor.From(c).Account.Slug+"/timesheet/"+strconv.FormatInt(uid, 10)+"/"+url.PathEscape(week))
	}
}
