package intranet

// The calendar's pages: the month (or week) grid of the events of the person's spaces — with
// their own entries of the other modules' calendar sources (approved absences, tasks due) —
// the event's page, the new-event form, and the import of an .ics file (preview, then confirm).

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// calView is the calendar pages' template.
const calView = "intranet/calendar"

// calData is what the calendar pages show.
type calData struct {
	View  string // "calendar", "event" or "import"
	Week  bool
	Month time.Month
	Year  int
	First time.Time // the week view's Monday
	// Prev, Next and Today are the query strings of the neighbouring and the current range.
	Prev, Next, Today, Other string
	Weeks                    [][]calDay
	Empty, Cut               bool
	SpaceID                  int64
	Spaces                   [][]string // the filter's choices
	Writable                 [][]string // the spaces the person adds events to
	People                   [][]string // the chosen space's people (attendees)
	Event                    *Event
	// Occurrence is the day of the occurrence of a series the event's page shows ("": the
	// series or the event itself); OccurrenceDay is it as a day.
	Occurrence    string
	OccurrenceDay time.Time
	Import        *ImportReport
	ICS           string
	MaxImport     int
}

// Weekdays are 1..7 (Monday first) for the grid's heads.
func (calData) Weekdays() []int { return []int{1, 2, 3, 4, 5, 6, 7} }

func (h *handlers) calendarPageRoutes(r routes) {
	read, write := api.Can("intranet", "read"), api.Can("intranet", "write")
	r.Get("/:slug/intranet/calendar", read, h.calendarPage)
	r.Post("/:slug/intranet/calendar/events", write, h.createEventForm)
	r.Post("/:slug/intranet/calendar/import", write, h.importPreview)
	r.Post("/:slug/intranet/calendar/import/confirm", write, h.importConfirm)
	r.Get("/:slug/intranet/events/:id", read, h.eventPage)
	r.Post("/:slug/intranet/events/:id/edit", write, h.editEventForm)
	r.Post("/:slug/intranet/events/:id/delete", write, h.deleteEventForm)
}

// zone is the viewer's time zone (UTC when none or unknown).
func zone(a *actor.Actor) *time.Location {
	if loc := actor.Zone(a.TimeZone); loc != nil {
		return loc
	}
	return time.UTC
}

// calendarView builds the grid of ?month=YYYY-MM or ?week=YYYY-MM-DD, of ?space_id= or all.
func (h *handlers) calendarView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a, ctx := actor.From(c), c.UserContext()
	loc := zone(a)
	now := h.svc.now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	d := &calData{View: "calendar", MaxImport: MaxImportBytes >> 20}
	start := today
	if w := c.Query("week"); w != "" {
		t, err := time.Parse(time.DateOnly, w)
		if err != nil {
			return nil, problem.Invalid(problem.FieldError{Field: "week", Message: "must be a day YYYY-MM-DD"})
		}
		start, d.Week = t, true
	} else if m := c.Query("month"); m != "" {
		t, err := time.Parse("2006-01", m)
		if err != nil {
			return nil, problem.Invalid(problem.FieldError{Field: "month", Message: "must be a month YYYY-MM"})
		}
		start = t
	} else if c.Query("view") == "week" {
		d.Week = true
	}
	if start.Year() < 1971 || start.Year() > 8999 {
		return nil, problem.Invalid(problem.FieldError{Field: "month", Message: "is out of range"})
	}
	sp, err := querySpace(c)
	if err != nil {
		return nil, err
	}
	d.SpaceID = sp
	first, last := calendarRange(start, d.Week)
	d.Month, d.Year, d.First = start.Month(), start.Year(), first
	space := ""
	if sp > 0 {
		space = "&space_id=" + strconv.FormatInt(sp, 10)
	}
	if d.Week {
		d.Prev = "?week=" + first.AddDate(0, 0, -7).Format(time.DateOnly) + space
		d.Next = "?week=" + first.AddDate(0, 0, 7).Format(time.DateOnly) + space
		d.Today = "?view=week" + space
		d.Other = "?month=" + first.Format("2006-01") + space
	} else {
		m := time.Date(start.Year(), start.Month(), 1, 0, 0, 0, 0, time.UTC)
		d.Prev = "?month=" + m.AddDate(0, -1, 0).Format("2006-01") + space
		d.Next = "?month=" + m.AddDate(0, 1, 0).Format("2006-01") + space
		d.Today = "?month=" + today.Format("2006-01") + space
		wk := today
		if m.Month() != today.Month() || m.Year() != today.Year() {
			wk = m
		}
		d.Other = "?week=" + mondayOf(wk).Format(time.DateOnly) + space
	}
	// A timed event late on the first day in UTC may fall on the day before in the viewer's
	// zone: read a day more on both sides and let the grid place them.
	list, err := h.svc.Events(ctx, a, first.AddDate(0, 0, -1), last.AddDate(0, 0, 1), sp)
	if err != nil {
		return nil, err
	}
	d.Cut = list.Cut
	var others []hooks.CalendarEvent
	p := h.web.NewPage(c, "intranet.calendar.title")
	if sp == 0 {
		if others, err = h.svc.otherEntries(ctx, a, first, last); err != nil {
			return nil, err
		}
		// The colleagues' birthdays and work anniversaries they show (profiles.go).
		cs, err := h.svc.Celebrations(ctx, a, first, last)
		if err != nil {
			return nil, err
		}
		for _, cb := range cs {
			d, _ := time.Parse(time.DateOnly, cb.On)
			what := p.T("intranet.calendar.birthday", "Name", cb.Name)
			if cb.Kind == "anniversary" {
				what = p.N("intranet.calendar.anniversary", cb.Years, "Name", cb.Name, "Count", cb.Years)
			}
			others = append(others, hooks.CalendarEvent{Summary: what, URL: fmt.Sprintf("/%s/intranet/people/%d", a.Account.Slug, cb.UserID), Starts: d, Ends: d, AllDay: true})
		}
	}
	d.Empty = len(list.Items) == 0 && len(others) == 0
	d.Weeks = buildGrid(first, last, start.Month(), d.Week, today, loc, list.Items, others, a.Account.Slug)
	if err := h.calendarChoices(ctx, a, d); err != nil {
		return nil, err
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"space_id": strconv.FormatInt(sp, 10), "starts_at": today.Format(time.DateOnly) + "T09:00", "ends_at": today.Format(time.DateOnly) + "T10:00"})
	}
	p.Data, p.Form = d, form
	return p, nil
}

// calendarChoices fills the space filter, the spaces the person adds events to, and the
// chosen space's people.
func (h *handlers) calendarChoices(ctx context.Context, a *actor.Actor, d *calData) error {
	spaces, err := h.svc.Spaces(ctx, a)
	if err != nil {
		return err
	}
	for _, s := range spaces {
		o := []string{strconv.FormatInt(s.ID, 10), s.Name}
		d.Spaces = append(d.Spaces, o)
		if a.May("intranet", "write") && (!s.Company() || a.May("intranet", "publish")) {
			d.Writable = append(d.Writable, o)
		}
		if s.ID == d.SpaceID {
			people, err := h.svc.audience(ctx, h.svc.DB, s)
			if err != nil {
				return err
			}
			for _, r := range people {
				d.People = append(d.People, []string{strconv.FormatInt(r.UserID, 10), r.Name})
			}
		}
	}
	return nil
}

// otherEntries are the person's entries of the other modules' calendar sources (planning's
// approved absences and allocations, projects' tasks due), through the calendar port only.
func (s *Service) otherEntries(ctx context.Context, a *actor.Actor, from, to time.Time) ([]hooks.CalendarEvent, error) {
	// The product's plans are days of the years 2000 to 2100 (planning refuses others): a
	// calendar page beyond shows the spaces' events only.
	if s.Hooks == nil || from.Year() < 2000 || to.Year() > 2100 {
		return nil, nil
	}
	var out []hooks.CalendarEvent
	for _, src := range s.Hooks.Calendar {
		if src.Module == "intranet" {
			continue
		}
		if on, err := s.Hooks.Enabled(ctx, a.AccountID(), src.Module); err != nil {
			return nil, err
		} else if !on {
			continue
		}
		evs, err := src.Hook.Events(ctx, a, from, to)
		if err != nil {
			return nil, fmt.Errorf("%s calendar: %w", src.Module, err)
		}
		for _, e := range evs {
			if e.URL != "" && !strings.HasPrefix(e.URL, "/") && !strings.HasPrefix(e.URL, "https://") && !strings.HasPrefix(e.URL, "http://") {
				e.URL = ""
			}
			out = append(out, e)
		}
		if len(out) > MaxRangeEvents {
			return out[:MaxRangeEvents], nil
		}
	}
	return out, nil
}

func (h *handlers) calendarPage(c *fiber.Ctx) error {
	p, err := h.calendarView(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, calView, p)
}

// localTime reads a datetime-local (or, all day, a date) field in the viewer's zone.
func localTime(f *problem.Fields, field, v string, loc *time.Location, allDay bool) *time.Time {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil
	}
	layouts := []string{"2006-01-02T15:04", "2006-01-02T15:04:05", time.DateOnly}
	for _, l := range layouts {
		if t, err := time.ParseInLocation(l, v, loc); err == nil {
			if allDay {
				t = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
			}
			return &t
		}
	}
	f.Add(field, "must be a date and time")
	return nil
}

// eventForm reads the fields of an event form (new or edit) in the viewer's zone.
func eventForm(c *fiber.Ctx) (*web.Form, EventInput, error) {
	a := actor.From(c)
	form := web.NewForm(c, "space_id", "title", "place", "starts_at", "ends_at", "all_day", "description", "recurrence", "recur_until", "recur_count", "scope", "occurrence")
	in := EventInput{Title: form.Get("title"), Place: form.Get("place"), Description: form.Get("description"), AllDay: form.Get("all_day") != "",
		Recurrence: form.Get("recurrence"), RecurUntil: form.Get("recur_until")}
	in.SpaceID, _ = api.ParseID(form.Get("space_id"))
	var f problem.Fields
	if n := strings.TrimSpace(form.Get("recur_count")); n != "" {
		var err error
		if in.RecurCount, err = strconv.Atoi(n); err != nil {
			f.Add("recur_count", "must be a number")
		}
	}
	loc := zone(a)
	in.StartsAt = localTime(&f, "starts_at", form.Get("starts_at"), loc, in.AllDay)
	in.EndsAt = localTime(&f, "ends_at", form.Get("ends_at"), loc, in.AllDay)
	for _, v := range c.Context().PostArgs().PeekMulti("attendee_ids") {
		if id, ok := api.ParseID(string(v)); ok {
			in.AttendeeIDs = append(in.AttendeeIDs, id)
		}
	}
	return form, in, f.Err()
}

func (h *handlers) createEventForm(c *fiber.Ctx) error {
	a := actor.From(c)
	form, in, err := eventForm(c)
	var e Event
	if err == nil {
		e, err = h.svc.CreateEvent(c.UserContext(), a, in)
	}
	if err != nil {
		if !refusable(err) {
			return err
		}
		p, verr := h.calendarView(c, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, calView, p, err)
	}
	return web.Done(c, "intranet.flash.event_created", fmt.Sprintf("%s/events/%d", h.base(c), e.ID))
}

func (h *handlers) eventPage(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.eventView(c, id, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, calView, p)
}

// eventView is an event's page; form (nil: the event's values) is its edit form.
func (h *handlers) eventView(c *fiber.Ctx, id int64, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	key := c.Query("occurrence")
	if key == "" && form != nil {
		key = form.Get("occurrence")
	}
	var e Event
	var err error
	if key != "" {
		e, err = h.svc.Occurrence(c.UserContext(), a, id, key)
	} else {
		e, err = h.svc.Event(c.UserContext(), a, id)
	}
	if err != nil {
		return nil, err
	}
	p := h.web.NewPage(c, e.Title)
	if form == nil {
		layout, loc := "2006-01-02T15:04", zone(a)
		if e.AllDay {
			layout, loc = time.DateOnly, time.UTC
		}
		v := map[string]string{"title": e.Title, "place": e.Place, "description": e.Description, "recurrence": e.Recurrence,
			"starts_at": e.StartsAt.In(loc).Format(layout), "ends_at": e.EndsAt.In(loc).Format(layout)}
		if e.AllDay {
			v["all_day"] = "1"
		}
		if key != "" {
			v["occurrence"], v["scope"] = key, "occurrence"
		}
		if e.RecurCount > 0 {
			v["recur_count"] = strconv.Itoa(e.RecurCount)
		}
		if e.RecurUntil != nil {
			v["recur_until"] = e.RecurUntil.Format(time.DateOnly)
		}
		form = web.EmptyForm(v)
	}
	d := &calData{View: "event", Event: &e, Month: e.StartsAt.Month(), Year: e.StartsAt.Year(), Occurrence: key}
	if key != "" {
		d.OccurrenceDay, _ = time.Parse(time.DateOnly, key)
	}
	p.Data, p.Form = d, form
	return p, nil
}

func (h *handlers) editEventForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form, in, err := eventForm(c)
	key := occurrenceChoice(form)
	if err == nil {
		if key != "" {
			_, err = h.svc.UpdateOccurrence(c.UserContext(), actor.From(c), id, key, in)
		} else if from := strings.TrimSpace(form.Get("occurrence")); from != "" {
			// The whole series, from the page of one occurrence: the series moves as much as
			// the person moved that occurrence.
			if in, err = h.svc.shiftSeries(c.UserContext(), actor.From(c), id, from, in); err == nil {
				_, err = h.svc.UpdateEvent(c.UserContext(), actor.From(c), id, in)
			}
		} else {
			_, err = h.svc.UpdateEvent(c.UserContext(), actor.From(c), id, in)
		}
	}
	if err != nil {
		if !refusable(err) {
			return err
		}
		p, verr := h.eventView(c, id, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, calView, p, err)
	}
	if key != "" {
		return web.Done(c, "intranet.flash.occurrence_saved", fmt.Sprintf("%s/events/%d?occurrence=%s", h.base(c), id, key))
	}
	return web.Done(c, "intranet.flash.event_saved", fmt.Sprintf("%s/events/%d", h.base(c), id))
}

// occurrenceChoice is the occurrence an event form changes alone: its occurrence field when
// the person chose "this occurrence only" (scope=occurrence), else "" (the whole series).
func occurrenceChoice(form *web.Form) string {
	if form.Get("scope") != "occurrence" {
		return ""
	}
	return strings.TrimSpace(form.Get("occurrence"))
}

func (h *handlers) deleteEventForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "scope", "occurrence")
	if key := occurrenceChoice(form); key != "" {
		if err := h.svc.CancelOccurrence(c.UserContext(), actor.From(c), id, key); err != nil {
			return err
		}
		return web.Done(c, "intranet.flash.occurrence_cancelled", h.base(c)+"/calendar")
	}
	if err := h.svc.DeleteEvent(c.UserContext(), actor.From(c), id); err != nil {
		return err
	}
	return web.Done(c, "intranet.flash.event_deleted", h.base(c)+"/calendar")
}

// importPage shows the preview of a file (or the refusal of one on the calendar page).
func (h *handlers) importRefused(c *fiber.Ctx, err error) error {
	if !refusable(err) {
		return err
	}
	p, verr := h.calendarView(c, web.EmptyForm(nil))
	if verr != nil {
		return verr
	}
	return h.web.Refuse(c, calView, p, err)
}

func (h *handlers) importPreview(c *fiber.Ctx) error {
	sp, _ := api.ParseID(c.FormValue("space_id"))
	data, err := icsUpload(c)
	if err != nil {
		return h.importRefused(c, err)
	}
	rep, err := h.svc.ImportICS(c.UserContext(), actor.From(c), sp, data, true)
	if err != nil {
		return h.importRefused(c, err)
	}
	p := h.web.NewPage(c, "intranet.import.title")
	p.Data, p.Form = &calData{View: "import", Import: &rep, ICS: string(data), SpaceID: sp}, web.EmptyForm(nil)
	return h.web.Render(c, calView, p)
}

func (h *handlers) importConfirm(c *fiber.Ctx) error {
	sp, _ := api.ParseID(c.FormValue("space_id"))
	data := []byte(c.FormValue("ics"))
	rep, err := h.svc.ImportICS(c.UserContext(), actor.From(c), sp, data, false)
	if err != nil {
		return h.importRefused(c, err)
	}
	_ = rep
	return web.Done(c, "intranet.flash.events_imported", fmt.Sprintf("%s/calendar?space_id=%d", h.base(c), sp))
}
