package projects

// The month calendar: a project's tasks and milestones on a Monday-first month grid
// (/{slug}/projects/{id}/calendar?month=YYYY-MM), and the viewer's own tasks across the
// projects they see (/{slug}/my-calendar). A task shows on every day from its start to its
// due day (one day when it has only one of them), a milestone on its day. The grid is an
// HTML table drawn on the server: it works without JavaScript, a screen reader reads it
// row by row, and the "+N more" of a crowded day is a <details>. What the viewer sees comes
// from the Service (TasksBetween, MyTasksBetween, Milestones), so a client sees only the
// lists shared with their company.

import (
	"cmp"
	"html"
	"html/template"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
)

// Calendar limits: a day shows dayShown entries and folds the others under "+N more", which
// lists up to dayFolded of them (a day with hundreds of tasks names the rest by count).
const (
	dayShown  = 4
	dayFolded = 40
)

// calItem is one entry of a day: a task or a milestone.
type calItem struct {
	Title, Href string
	Milestone   bool
	Done, Late  bool
	Cont        bool   // the task started on an earlier day of the same week row
	Project     string // on the viewer's calendar: the project's code or name
	start, due  Date
	id          int64
	markup      *[2]template.HTML // written once (itemMarkup), shown on many days: plain, Cont
}

// Markup is the entry's <li>.
func (i calItem) Markup() template.HTML {
	if i.Cont {
		return i.markup[1]
	}
	return i.markup[0]
}

// itemMarkup writes an entry's <li> in both forms. In Go rather than in the template: a busy
// month puts a thousand tasks on up to 42 days each, and html/template's escaping of every
// value of every copy was half the page; here each entry is escaped once.
func itemMarkup(it *calItem, milestone, done, isLate string) {
	var b strings.Builder
	for k, cont := range []bool{false, true} {
		b.Reset()
		b.WriteString(`<li class="calitem`)
		if it.Milestone {
			b.WriteString(" milestone")
		}
		if it.Done {
			b.WriteString(" done")
		}
		if it.Late {
			b.WriteString(" late")
		}
		if cont {
			b.WriteString(" cont")
		}
		b.WriteString(`">`)
		if it.Milestone {
			b.WriteString(`<span class="mark" aria-hidden="true">◆</span> <span class="visually-hidden">`)
			b.WriteString(html.EscapeString(milestone))
			b.WriteString(`:</span> `)
		}
		if it.Href != "" {
			b.WriteString(`<a href="`)
			b.WriteString(html.EscapeString(it.Href))
			b.WriteString(`">`)
		}
		if it.Done {
			b.WriteString("<s>")
		}
		b.WriteString(html.EscapeString(it.Title))
		if it.Done {
			b.WriteString("</s>")
		}
		if it.Href != "" {
			b.WriteString("</a>")
		}
		if it.Project != "" {
			b.WriteString(` <small class="muted">`)
			b.WriteString(html.EscapeString(it.Project))
			b.WriteString("</small>")
		}
		switch {
		case it.Done:
			b.WriteString(`<span class="visually-hidden"> (` + html.EscapeString(done) + `)</span>`)
		case it.Late:
			b.WriteString(`<span class="visually-hidden"> (` + html.EscapeString(isLate) + `)</span>`)
		}
		b.WriteString("</li>")
		it.markup[k] = template.HTML(b.String())
	}
}

// calDay is a cell of the grid.
type calDay struct {
	Date           Date
	Day            int
	InMonth, Today bool
	Weekend        bool
	Items          []calItem // shown
	More           []calItem // folded under "+N more"
	Hidden         int       // beyond More: counted only
}

// MoreCount is how many entries the day folds.
func (d calDay) MoreCount() int { return len(d.More) + d.Hidden }

// calendarData is the calendar page; Project is nil on the viewer's own calendar.
type calendarData struct {
	*projectView
	Mine                 bool
	Month, Year          int
	Weeks                [][]calDay
	Prev, Next, ThisOne  string // links, with the filters
	PrevMonth, NextMonth int
	PrevYear, NextYear   int
	Empty                bool
	Cut                  bool // MaxCalendarTasks reached
	Weekdays             []int
	// Filters, for the form.
	Assignee, ListID string
	Members          []ProjectMember
	Lists            []TaskList
	Action           string
}

// parseMonth reads ?month=YYYY-MM; empty is the month of today.
func parseMonth(s string, today time.Time) (time.Time, error) {
	if s == "" {
		return time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, time.UTC), nil
	}
	t, err := time.Parse("2006-01", s)
	if err != nil || len(s) != 7 || t.Year() < 1000 || t.Year() > 9998 {
		var f problem.Fields
		f.Add("month", "must be a month written YYYY-MM")
		return time.Time{}, f.Err()
	}
	return t, nil
}

// grid is the Monday-first weeks that hold month m.
func grid(m time.Time) (from, to time.Time) {
	from = m.AddDate(0, 0, -((int(m.Weekday()) + 6) % 7))
	last := m.AddDate(0, 1, -1)
	to = last.AddDate(0, 0, (7-int(last.Weekday()))%7)
	return from, to
}

func (h *pages) calendar(c *fiber.Ctx) error {
	v, err := h.loadProject(c, "calendar")
	if err != nil {
		return err
	}
	return h.renderCalendar(c, v)
}

func (h *pages) myCalendar(c *fiber.Ctx) error {
	return h.renderCalendar(c, nil)
}

func (h *pages) renderCalendar(c *fiber.Ctx, v *projectView) error {
	today := h.today(c)
	month, err := parseMonth(c.Query("month"), today.Time())
	if err != nil {
		return err
	}
	f, err := taskFilter(c) // the list page's filters: assignee, list, status
	if err != nil {
		return err
	}
	a, ctx := actor.From(c), c.UserContext()
	from, to := grid(month)
	fromD, toD := DateOf(from), DateOf(to)
	d := calendarData{projectView: v, Mine: v == nil, Month: int(month.Month()), Year: month.Year(),
		Weekdays: []int{1, 2, 3, 4, 5, 6, 7}, Assignee: c.Query("assignee"), ListID: c.Query("list_id")}
	var ts []Task
	var items []calItem
	if v != nil {
		d.Action = v.Base + "/calendar"
		if ts, err = h.svc.TasksBetween(ctx, a, v.Project.ID, fromD, toD, f, MaxCalendarTasks); err != nil {
			return err
		}
		if d.Members, err = h.svc.Members(ctx, a, v.Project.ID); err != nil {
			return err
		}
		if d.Lists, err = h.allLists(c, v.Project.ID); err != nil {
			return err
		}
		// Milestones go with the project, not with a list or a person: a filter hides them.
		if f.AssigneeID == 0 && f.ListID == 0 && len(f.Statuses) == 0 {
			ms, err := all(maxTasks, func(pg api.Page) (api.List[Milestone], error) { return h.svc.Milestones(ctx, a, v.Project.ID, pg) },
				func(m Milestone) int64 { return m.ID })
			if err != nil {
				return err
			}
			for _, m := range ms {
				if m.DueOn >= fromD && m.DueOn <= toD {
					items = append(items, calItem{Title: m.Name, Milestone: true, Done: m.CompletedAt != nil,
						Late: m.CompletedAt == nil && m.DueOn < today, start: m.DueOn, due: m.DueOn, id: m.ID})
				}
			}
		}
	} else {
		d.Action = slugBase(c) + "/my-calendar"
		if ts, err = h.svc.MyTasksBetween(ctx, a, fromD, toD, f, MaxCalendarTasks); err != nil {
			return err
		}
	}
	d.Cut = len(ts) >= MaxCalendarTasks
	names := map[int64]string{}
	taskBase := slugBase(c) + "/tasks/"
	for i := range ts {
		t := &ts[i]
		it := calItem{Title: t.Title, Href: taskBase + itoa(t.ID), Done: t.Status == StatusDone, Late: late(t, today),
			start: cmp.Or(t.StartsOn, t.DueOn), due: cmp.Or(t.DueOn, t.StartsOn), id: t.ID}
		if it.due < it.start {
			it.start, it.due = it.due, it.start
		}
		if v == nil {
			if _, ok := names[t.ProjectID]; !ok {
				names[t.ProjectID] = ""
				if p, err := h.svc.Project(ctx, a, t.ProjectID); err == nil {
					names[t.ProjectID] = cmp.Or(p.Code, p.Name)
				}
			}
			it.Project = names[t.ProjectID]
		}
		items = append(items, it)
	}
	// One order for every day, so that a task spanning days keeps its place in each:
	// milestones, then by start day, the longer first, then by id.
	slices.SortStableFunc(items, func(x, y calItem) int {
		if x.Milestone != y.Milestone {
			if x.Milestone {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(x.start, y.start), -cmp.Compare(x.due, y.due), cmp.Compare(x.id, y.id))
	})
	title := "projects.calendar.mine"
	if v != nil {
		title = v.Project.Name
	}
	p := h.page(c, title, nil)
	milestone, done, isLate := p.T("projects.calendar.milestone"), p.T("projects.calendar.done"), p.T("projects.calendar.late")
	for i := range items {
		items[i].markup = new([2]template.HTML)
		itemMarkup(&items[i], milestone, done, isLate)
	}
	d.Empty = len(items) == 0
	d.Weeks = layoutMonth(month, from, to, today, items)

	q := url.Values{}
	for _, k := range []string{"assignee", "list_id", "status"} {
		if s := c.Query(k); s != "" {
			q.Set(k, s)
		}
	}
	prev, next := month.AddDate(0, -1, 0), month.AddDate(0, 1, 0)
	d.PrevMonth, d.PrevYear, d.NextMonth, d.NextYear = int(prev.Month()), prev.Year(), int(next.Month()), next.Year()
	link := func(m time.Time) string {
		q := cloneValues(q)
		if m.Year() >= 1000 && m.Year() <= 9998 {
			q.Set("month", m.Format("2006-01"))
		}
		return withQuery(d.Action, q)
	}
	d.Prev, d.Next, d.ThisOne = link(prev), link(next), withQuery(d.Action, q)

	p.Data = d
	return h.web.Render(c, "projects/calendar", p)
}

func cloneValues(q url.Values) url.Values {
	out := make(url.Values, len(q)+1)
	for k, v := range q {
		out[k] = v
	}
	return out
}

// layoutMonth spreads the items (sorted) over the days from..to, a week a row.
func layoutMonth(month, from, to time.Time, today Date, items []calItem) [][]calDay {
	var weeks [][]calDay
	for day := from; !day.After(to); day = day.AddDate(0, 0, 7) {
		week := make([]calDay, 7)
		for i := range week {
			t := day.AddDate(0, 0, i)
			dd := DateOf(t)
			week[i] = calDay{Date: dd, Day: t.Day(), InMonth: t.Month() == month.Month(), Today: dd == today,
				Weekend: i >= 5}
		}
		weekStart, weekEnd := week[0].Date, week[6].Date
		for _, it := range items {
			if it.due < weekStart || it.start > weekEnd {
				continue
			}
			for i := range week {
				cell := &week[i]
				if cell.Date < it.start || cell.Date > it.due {
					continue
				}
				e := it
				e.Cont = it.start < cell.Date && i > 0
				switch {
				case len(cell.Items) < dayShown:
					cell.Items = append(cell.Items, e)
				case len(cell.More) < dayFolded:
					cell.More = append(cell.More, e)
				default:
					cell.Hidden++
				}
			}
		}
		weeks = append(weeks, week)
	}
	return weeks
}
