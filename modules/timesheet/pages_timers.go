package timesheet

import (
	"cmp"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// timerPages registers the timer's form (start, stop, discard, from the grid), the team view
// and the timesheet settings (the period lock).
func (h *handlers) timerPages(r routes) {
	write, team, lock := api.Can("timesheet.entries", "write"), api.Can("timesheet.team", "read"), api.Can("timesheet.lock", "manage")
	r.Post("/:slug/timesheet/timer", write, h.timerForm)
	r.Get("/:slug/timesheet/team", team, h.teamPage)
	r.Post("/:slug/timesheet/team", team, h.teamForm)
	r.Get("/:slug/timesheet/settings", lock, h.settingsPage)
	r.Post("/:slug/timesheet/settings", lock, h.settingsForm)
}

// gridTimers is the grid's part of the timers and the period lock.
type gridTimers struct {
	// Box is the running timer's indicator (or its "when did you stop?" banner).
	Box template.HTML
	// Start: each row has a button that starts a timer on it (the reader's own sheet).
	Start bool
	// LockedBefore is the period lock ("" for none); the cells of days before it are read-only.
	LockedBefore string
	// Locked: some day of the week is before the lock.
	Locked bool
	// row is the running timer's row, which the grid shows even without time.
	row *RowKey
}

// timerView is what the timer's fragment (views/timer.html) shows.
type timerView struct {
	Timer  *Timer
	Back   string // where the forms come back to
	Action string
	// Elapsed is the time it has run, as a duration (the script ticks it on).
	Elapsed string
	// Failed: the form shown is the timer's, refused (its messages go in the banner).
	Failed bool
}

// gridTimers fills the grid's timer and lock parts.
func (h *handlers) gridTimers(c *fiber.Ctx, p *web.Page, d *gridData) (gridTimers, error) {
	a := actor.From(c)
	var out gridTimers
	lock, err := h.svc.Lock(c.UserContext(), a)
	if err != nil {
		return out, err
	}
	out.LockedBefore = lock.LockedBefore
	out.Locked = lock.LockedBefore != "" && d.Sheet.Days[0].Date < lock.LockedBefore
	out.Start = d.Self && a.May("timesheet.entries", "write")
	if !a.May("timesheet.entries", "write") {
		return out, nil
	}
	t, err := h.svc.Current(c.UserContext(), a)
	if err != nil {
		return out, err
	}
	if t != nil && out.Start && t.Date >= d.Sheet.Days[0].Date && t.Date <= d.Sheet.Days[6].Date {
		out.row = &RowKey{ProjectID: deref(t.ProjectID), TaskID: deref(t.TaskID), CategoryID: deref(t.CategoryID)}
	}
	out.Box, err = h.renderTimer(p, t, d.Base)
	return out, err
}

// timerBox renders the actor's running timer, or nothing.
func (h *handlers) timerBox(c *fiber.Ctx, p *web.Page, back string) (template.HTML, error) {
	a := actor.From(c)
	if !a.May("timesheet.entries", "write") {
		return "", nil
	}
	t, err := h.svc.Current(c.UserContext(), a)
	if err != nil {
		return "", err
	}
	return h.renderTimer(p, t, back)
}

// renderTimer renders the timer's fragment (views/timer.html) for the page: the running
// timer, or the messages of the timer's refused form; nothing else.
func (h *handlers) renderTimer(p *web.Page, t *Timer, back string) (template.HTML, error) {
	failed := p.Form != nil && p.Form.Get("do") != ""
	if t == nil && !failed {
		return "", nil
	}
	v := timerView{Timer: t, Back: back, Action: "/" + p.Slug() + "/timesheet/timer", Failed: failed}
	if t != nil {
		v.Elapsed = FormatDuration(t.ElapsedMinutes)
	}
	fp := *p
	fp.Data = v
	return h.web.Fragment("timesheet/timer", &fp)
}

// timerForm starts (on a row of the grid), stops or discards the actor's timer, then goes back.
func (h *handlers) timerForm(c *fiber.Ctx) error {
	a := actor.From(c)
	ctx := c.UserContext()
	form := web.NewForm(c, "do", "row", "stopped_at", "back")
	back := web.SafeNext(form.Get("back"), "/"+a.Account.Slug+"/timesheet")
	var err error
	flash := "timesheet.flash.timer_" + form.Get("do")
	switch form.Get("do") {
	case "start":
		k, ok := ParseRowKey(form.Get("row"))
		if !ok {
			err = problem.Invalid(problem.FieldError{Field: "row", Message: "is not a row of the grid"})
			break
		}
		_, err = h.svc.StartTimer(ctx, a, TimerStart{ProjectID: k.ProjectID, TaskID: k.TaskID, CategoryID: k.CategoryID})
	case "stop":
		var in TimerStop
		if at := strings.TrimSpace(form.Get("stopped_at")); at != "" {
			t, terr := h.svc.Current(ctx, a)
			if terr != nil {
				return terr
			}
			if t == nil {
				err = problem.Conflict("", "no timer is running")
				break
			}
			when, perr := time.ParseInLocation("2006-01-02 15:04", t.Date+" "+at, zoneOf(a.TimeZone))
			if perr != nil {
				err = problem.Invalid(problem.FieldError{Field: "stopped_at", Message: "must be a time of day such as 17:45"})
				break
			}
			in.StoppedAt = &when
		}
		_, err = h.svc.StopTimer(ctx, a, in)
	case "discard":
		err = h.svc.DiscardTimer(ctx, a)
	default:
		err = problem.Invalid(problem.FieldError{Field: "do", Message: "must be start, stop or discard"})
	}
	if err != nil {
		if pr, ok := problem.As(err); !ok || pr.Status >= 500 {
			return err
		}
		// The grid of the actor's current week again, the timer's messages in its banner.
		form.Fail(err)
		p, verr := h.gridView(c, a.UserID, WeekOf(h.svc.now()).String(), nil, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "timesheet/grid", p, err)
	}
	return web.Done(c, flash, back)
}

// teamData is what the team view shows.
type teamData struct {
	Week       *TeamWeek
	Rows       []teamRow
	Days       []dayHead
	Totals     []string
	Total      string
	Prev, Next string
	Team       int64
	Sort       string
	Timer      template.HTML
	Query      string // the team and sort of the page, for the week links
	// NextPage is the link to the next people (by name), FirstPage the first page's when this
	// is not it.
	NextPage, FirstPage string
}

// teamRow is a person's row as shown.
type teamRow struct {
	TeamRow
	Days    []string
	Total   string
	Sheet   string
	Allowed map[string]bool
}

// teamSorts are the orders of the team view.
var teamSorts = []string{"name", "total", "state"}

func (h *handlers) teamPage(c *fiber.Ctx) error {
	p, err := h.teamView(c)
	if err != nil {
		return err
	}
	return h.web.Render(c, "timesheet/team", p)
}

func (h *handlers) teamView(c *fiber.Ctx) (*web.Page, error) {
	a := actor.From(c)
	week, team, err := h.teamQuery(c)
	if err != nil {
		return nil, err
	}
	pg, err := api.ParseKeyPage(c)
	if err != nil {
		return nil, problem.NotFound() // a page's cursor is one of its links
	}
	tw, err := h.svc.TeamWeek(c.UserContext(), a, week, team, pg)
	if err != nil {
		if problemStatus(err) == fiber.StatusUnprocessableEntity {
			return nil, problem.NotFound()
		}
		return nil, err
	}
	sort := c.Query("sort")
	if !slices.Contains(teamSorts, sort) {
		sort = "name"
	}
	w, _ := ParseWeek(tw.Week)
	d := &teamData{Week: tw, Prev: w.Prev().String(), Next: w.Next().String(), Team: team, Sort: sort}
	q := url.Values{}
	if team != 0 {
		q.Set("team", strconv.FormatInt(team, 10))
	}
	q.Set("sort", sort)
	d.Query = q.Encode()
	if tw.NextCursor != "" {
		nq := url.Values{"week": {tw.Week}, "cursor": {tw.NextCursor}}
		for k, v := range q {
			nq[k] = v
		}
		if pg.Limit != api.DefaultLimit {
			nq.Set("limit", strconv.Itoa(pg.Limit))
		}
		d.NextPage = "?" + nq.Encode()
	}
	if pg.After != 0 {
		d.FirstPage = "?week=" + tw.Week + "&" + d.Query
	}
	totals := make([]int, 7)
	all := 0
	for _, r := range tw.Items {
		row := teamRow{TeamRow: r, Total: FormatDuration(r.TotalMinutes), Sheet: "/" + a.Account.Slug + "/timesheet/" + strconv.FormatInt(r.UserID, 10) + "/" + tw.Week, Allowed: map[string]bool{}}
		for i, m := range r.DayMinutes {
			row.Days = append(row.Days, FormatDuration(m))
			totals[i] += m
		}
		for _, n := range r.Allowed {
			row.Allowed[n] = true
		}
		all += r.TotalMinutes
		d.Rows = append(d.Rows, row)
	}
	stateOrder := map[string]int{StateSubmitted: 0, StateRejected: 1, StateOpen: 2, StateApproved: 3}
	switch sort {
	case "total":
		slices.SortStableFunc(d.Rows, func(x, y teamRow) int { return cmp.Compare(y.TotalMinutes, x.TotalMinutes) })
	case "state":
		slices.SortStableFunc(d.Rows, func(x, y teamRow) int { return cmp.Compare(stateOrder[x.State], stateOrder[y.State]) })
	}
	for i, day := range tw.Days {
		d.Days = append(d.Days, dayHead{Date: day, Name: weekdays[i], Weekend: i >= 5})
		d.Totals = append(d.Totals, FormatDuration(totals[i]))
	}
	d.Total = FormatDuration(all)
	p := h.web.NewPage(c, "timesheet.team.title")
	p.Form = web.EmptyForm(nil)
	if d.Timer, err = h.timerBox(c, p, "/"+a.Account.Slug+"/timesheet/team?week="+tw.Week+"&"+d.Query); err != nil {
		return nil, err
	}
	p.Data = d
	return p, nil
}

// teamForm submits or approves a person's week from the team view, then shows the view again.
func (h *handlers) teamForm(c *fiber.Ctx) error {
	a := actor.From(c)
	form := web.NewForm(c, "user_id", "week", "do", "back")
	uid, ok := api.ParseID(form.Get("user_id"))
	name := form.Get("do")
	if !ok || (name != Submit && name != Approve) {
		return problem.Invalid(problem.FieldError{Field: "do", Message: "must submit or approve a person's week"})
	}
	back := web.SafeNext(form.Get("back"), "/"+a.Account.Slug+"/timesheet/team")
	if _, err := h.svc.Transition(c.UserContext(), a, uid, form.Get("week"), name, DecisionInput{}); err != nil {
		if pr, ok := problem.As(err); !ok || pr.Status >= 500 || pr.Status == fiber.StatusNotFound {
			return err
		}
		p, verr := h.teamView(c)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "timesheet/team", p, err)
	}
	return web.Done(c, "timesheet.flash."+name, back)
}

// settingsData is what the settings page shows.
type settingsData struct {
	Lock *PeriodLock
}

func (h *handlers) settingsView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	l, err := h.svc.Lock(c.UserContext(), actor.From(c))
	if err != nil {
		return nil, err
	}
	p := h.web.NewPage(c, "timesheet.settings.title")
	if form == nil {
		form = web.EmptyForm(map[string]string{"locked_before": l.LockedBefore})
	}
	p.Form = form
	p.Data = &settingsData{Lock: l}
	return p, nil
}

func (h *handlers) settingsPage(c *fiber.Ctx) error {
	p, err := h.settingsView(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "timesheet/settings", p)
}

// settingsForm moves (or lifts, with do=lift) the period lock.
func (h *handlers) settingsForm(c *fiber.Ctx) error {
	a := actor.From(c)
	form := web.NewForm(c, "locked_before", "do")
	in := LockInput{LockedBefore: strings.TrimSpace(form.Get("locked_before"))}
	if form.Get("do") == "lift" {
		in.LockedBefore = ""
	} else if in.LockedBefore == "" {
		return h.refuseSettings(c, form, problem.Invalid(problem.FieldError{Field: "locked_before", Message: "must not be empty"}))
	}
	if _, err := h.svc.SetLock(c.UserContext(), a, in); err != nil {
		return h.refuseSettings(c, form, err)
	}
	key := "timesheet.flash.lock_set"
	if in.LockedBefore == "" {
		key = "timesheet.flash.lock_lifted"
	}
	return web.Done(c, key, "/"+a.Account.Slug+"/timesheet/settings")
}

func (h *handlers) refuseSettings(c *fiber.Ctx, form *web.Form, err error) error {
	p, verr := h.settingsView(c, form)
	if verr != nil {
		return verr
	}
	return h.web.Refuse(c, "timesheet/settings", p, err)
}
