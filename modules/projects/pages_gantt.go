package projects

import (
	"bufio"
	"bytes"
	"cmp"
	"html/template"
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/web"
	"groupcamp/core/web/gantt"
)

// scales are the Gantt's scale choices, by query value ("" is automatic).
var scales = map[string]gantt.Scale{"": gantt.Auto, "day": gantt.Day, "week": gantt.Week, "month": gantt.Month}

// ganttData is the Gantt page: the chart is gantt.svg's drawing inlined in the page (its
// links work, and gantt.js can move its bars); gantt.svg stays the download.
type ganttData struct {
	*projectView
	Scale    string
	Scales   []string
	SVG      string
	Download string
	Chart    template.HTML // the inline SVG
	Write    bool          // the viewer may move tasks
	API      string        // /api/v1/{slug}/tasks/, for gantt.js
}

func (h *pages) gantt(c *fiber.Ctx) error {
	v, err := h.loadProject(c, "gantt")
	if err != nil {
		return err
	}
	scale := c.Query("scale")
	if _, ok := scales[scale]; !ok {
		scale = ""
	}
	q := url.Values{}
	if scale != "" {
		q.Set("scale", scale)
	}
	here := withQuery(v.Base+"/gantt", q)
	d := ganttData{projectView: v, Scale: scale, Scales: []string{"", "day", "week", "month"}, SVG: withQuery(v.Base+"/gantt.svg", q),
		API: "/api/v1" + slugBase(c) + "/tasks/"}
	q.Set("download", "1")
	d.Download = withQuery(v.Base+"/gantt.svg", q)
	p := h.page(c, v.Project.Name, nil)
	d.Write = p.Can("projects.tasks", "write") && v.Project.State == StateActive
	chart, err := h.chart(c, v)
	if err != nil {
		return err
	}
	// Inline: no <style> (the CSP; planning.css has its rules), the script's hooks, and for
	// those who may move tasks each bar links to its date form.
	chart.OmitStyle, chart.Script, chart.IDPrefix = true, true, "gantt"
	if d.Write {
		dates := "/dates?back=" + url.QueryEscape(here)
		for i := range chart.Rows {
			if row := &chart.Rows[i]; row.Kind == gantt.Task && row.ID != "" {
				row.BarHref = slugBase(c) + "/tasks/" + row.ID + dates
			}
		}
	}
	var b bytes.Buffer
	if err := gantt.Render(&b, chart); err != nil {
		return err
	}
	d.Chart = template.HTML(b.String()) // gantt escapes every value it writes
	p.Data = d
	return h.web.Render(c, "projects/project", p)
}

// ganttSVG draws the project as the viewer sees it: milestones first, then each list with its
// tasks (a client: the lists shared with their company only), dependency arrows and today.
func (h *pages) ganttSVG(c *fiber.Ctx) error {
	v, err := h.loadProject(c, "gantt")
	if err != nil {
		return err
	}
	chart, err := h.chart(c, v)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "image/svg+xml; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	if c.QueryBool("download") {
		name := v.Project.Code
		if name == "" {
			name = "project-" + itoa(v.Project.ID)
		}
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+safeFileName(name)+`-gantt.svg"`)
	}
	c.Status(fiber.StatusOK)
	w := bufio.NewWriterSize(c.Response().BodyWriter(), 32<<10)
	return gantt.Render(w, chart)
}

// safeFileName keeps the letters, digits, '-' and '_' of a code (it goes in a header).
func safeFileName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') {
			return r
		}
		return '_'
	}, s)
}

// chart maps the project onto a gantt.Chart.
func (h *pages) chart(c *fiber.Ctx, v *projectView) (gantt.Chart, error) {
	a, ctx := actor.From(c), c.UserContext()
	ms, err := all(maxTasks, func(pg api.Page) (api.List[Milestone], error) { return h.svc.Milestones(ctx, a, v.Project.ID, pg) },
		func(m Milestone) int64 { return m.ID })
	if err != nil {
		return gantt.Chart{}, err
	}
	lists, err := h.allLists(c, v.Project.ID)
	if err != nil {
		return gantt.Chart{}, err
	}
	ts, err := h.svc.ganttTasks(ctx, a, v.Project.ID, maxTasks)
	if err != nil {
		return gantt.Chart{}, err
	}
	// The chart speaks the page's language (not NewPage: it would take the flash message).
	lang := h.web.Catalog.Choose(web.ReaderChoice(c))
	chart := gantt.Chart{Title: v.Project.Name, Scale: scales[c.Query("scale")], Today: h.today(c).Time(), Lang: lang,
		Rows: make([]gantt.Row, 0, len(ms)+len(lists)+len(ts))}
	slices.SortStableFunc(ms, func(x, y Milestone) int { return strings.Compare(string(x.DueOn), string(y.DueOn)) })
	for _, m := range ms {
		chart.Rows = append(chart.Rows, gantt.Row{Kind: gantt.Milestone, Label: m.Name, Start: m.DueOn.Time(), Done: m.CompletedAt != nil})
	}
	byList := make(map[int64][]*Task, len(lists))
	for i := range ts {
		byList[ts[i].ListID] = append(byList[ts[i].ListID], &ts[i])
	}
	slices.SortStableFunc(lists, func(x, y TaskList) int { return cmp.Compare(x.Position, y.Position) })
	today := h.today(c)
	taskBase := slugBase(c) + "/tasks/"
	for _, l := range lists {
		chart.Rows = append(chart.Rows, gantt.Row{Kind: gantt.List, Label: l.Name})
		for _, t := range byList[l.ID] {
			id := itoa(t.ID)
			chart.Rows = append(chart.Rows, gantt.Row{ID: id, Kind: gantt.Task, Label: t.Title, Indent: 1,
				Start: t.StartsOn.Time(), End: t.DueOn.Time(), Progress: taskProgress(t),
				Done: t.Status == StatusDone, Late: late(t, today), Href: taskBase + id})
			for _, p := range t.PredecessorIDs {
				chart.Links = append(chart.Links, gantt.Link{From: itoa(p), To: id})
			}
		}
	}
	return chart, nil
}
