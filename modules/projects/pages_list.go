package projects

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/web"
)

// projectRow is a line of the projects list.
type projectRow struct {
	Project
	Client, Leader string
	Percent        int
}

// listData is what the projects list shows.
type listData struct {
	Rows []projectRow
	Next string // the next page, when there is one
}

var projectFields = []string{"name", "code", "starts_on", "ends_on"}

// listPage loads the projects the viewer sees (a page of them), with their client's and
// leader's names.
func (h *pages) listPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	pg, err := api.ParsePage(c)
	if err != nil {
		return nil, err
	}
	if c.Query("limit") == "" {
		pg.Limit = api.MaxLimit
	}
	list, err := h.svc.ListProjects(c.UserContext(), a, ProjectFilter{}, pg)
	if err != nil {
		return nil, err
	}
	var leaders []int64
	companies := map[int64]string{}
	for _, p := range list.Items {
		if p.LeaderID != nil {
			leaders = append(leaders, *p.LeaderID)
		}
		if p.ClientCompanyID != nil {
			companies[*p.ClientCompanyID] = ""
		}
	}
	people, err := h.svc.People.MembersByID(c.UserContext(), a, dedupe(leaders))
	if err != nil {
		return nil, err
	}
	// A handful of client companies at most: one lookup each.
	for id := range companies {
		if co, err := h.svc.People.Company(c.UserContext(), a, id); err == nil {
			companies[id] = co.Name
		}
	}
	d := listData{}
	for _, p := range list.Items {
		row := projectRow{Project: p, Percent: percent(p.Counts)}
		if p.LeaderID != nil {
			row.Leader = people[*p.LeaderID].Name
		}
		if p.ClientCompanyID != nil {
			row.Client = companies[*p.ClientCompanyID]
		}
		d.Rows = append(d.Rows, row)
	}
	if list.NextCursor != "" {
		d.Next = slugBase(c) + "/projects?cursor=" + list.NextCursor
	}
	page := h.page(c, "projects.list.title", form)
	page.Data = d
	return page, nil
}

func (h *pages) list(c *fiber.Ctx) error {
	p, err := h.listPage(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "projects/list", p)
}

func (h *pages) create(c *fiber.Ctx) error {
	form := web.NewForm(c, projectFields...)
	in := ProjectInput{Name: form.Get("name"), Code: form.Get("code"), StartsOn: form.Get("starts_on"), EndsOn: form.Get("ends_on")}
	p, err := h.svc.CreateProject(c.UserContext(), actor.From(c), in)
	if err != nil {
		page, perr := h.listPage(c, form)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "projects/list", page, err)
	}
	return web.Done(c, "projects.created", slugBase(c)+"/projects/"+itoa(p.ID))
}

// overviewData is the overview of a project.
type overviewData struct {
	*projectView
	Overdue    []Task
	Milestones []Milestone
	Activity   []Activity
}

// overviewRows is how many lines each block of the overview shows.
const overviewRows = 8

func (h *pages) overview(c *fiber.Ctx) error {
	p, err := h.overviewPage(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "projects/project", p)
}

// overviewPage is a project's overview, with the milestone form (re-rendered when refused).
func (h *pages) overviewPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	v, err := h.loadProject(c, "overview")
	if err != nil {
		return nil, err
	}
	a, ctx, id := actor.From(c), c.UserContext(), v.Project.ID
	today := h.today()
	d := overviewData{projectView: v}
	overdue, err := h.svc.Tasks(ctx, a, id, TaskFilter{Statuses: []string{StatusOpen, StatusInProgress}, DueBefore: today}, api.Page{Limit: overviewRows})
	if err != nil {
		return nil, err
	}
	d.Overdue = overdue.Items
	ms, err := h.svc.Milestones(ctx, a, id, api.Page{Limit: api.MaxLimit})
	if err != nil {
		return nil, err
	}
	for _, m := range ms.Items {
		if m.CompletedAt == nil && m.DueOn >= today {
			d.Milestones = append(d.Milestones, m)
		}
	}
	slices.SortStableFunc(d.Milestones, func(x, y Milestone) int { return strings.Compare(string(x.DueOn), string(y.DueOn)) })
	d.Milestones = d.Milestones[:min(len(d.Milestones), overviewRows)]
	act, err := h.svc.Activity(ctx, a, id, api.Page{Limit: overviewRows})
	if err != nil {
		return nil, err
	}
	d.Activity = act.Items
	p := h.page(c, v.Project.Name, form)
	p.Data = d
	return p, nil
}
