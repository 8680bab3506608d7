package projects

import (
	timesheet "groupcamp/modules/timesheet/contract"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/web"
	"groupcamp/modules/projects/contract"
)

// overviewData is the overview of a project.
type overviewData struct {
	*projectView
	Overdue    []Task
	Milestones []Milestone
	Activity   []Activity
	Time       *timeShown // time_spent.go
	// Budget is the budget's card with its burn-down (the timesheet's, through its port).
	Budget *timesheet.BudgetCard
	// Files are the project's latest files the reader sees (the files module's, through its
	// ProjectFiles port); nil without that module or when the project has no files app.
	Files []fileLine
	// FilesPath is where all the project's files are (the files app).
	FilesPath string
	// MailTo is the project's address (port_mailin.go): mail to it adds a task. Shown to
	// those who may add tasks, when email in is on.
	MailTo string
}

// fileLine is one of the overview's latest files, its size written for people.
type fileLine struct {
	contract.ProjectFile
	Human string
}

// recentFiles fills the overview's latest files, when the files module is there and the
// project uses its files app.
func (h *pages) recentFiles(c *fiber.Ctx, p *web.Page, d *overviewData) error {
	port := h.svc.recentFiles
	if port == nil || !port.Has() || !h.offers("files") || !d.Project.HasApp("files") || !actor.From(c).May("files", "read") {
		return nil
	}
	slug := c.Params("slug")
	fs, err := port.Get().Recent(c.UserContext(), actor.From(c), slug, d.Project.ID, overviewRows)
	if err != nil {
		return err
	}
	d.Files = make([]fileLine, len(fs))
	for i, f := range fs {
		d.Files[i] = fileLine{ProjectFile: f, Human: sizeText(p, f.Size)}
	}
	d.FilesPath = h.files.Get().ProjectFilesPath(slug, d.Project.ID)
	return nil
}

// overviewRows is how many lines each block of the overview shows.
const overviewRows = 8

func (h *pages) overview(c *fiber.Ctx) error {
	return h.render(c, "projects/project", h.overviewPage)
}

// overviewPage is a project's overview, with the milestone form (re-rendered when refused).
func (h *pages) overviewPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	v, err := h.loadProject(c, "overview")
	if err != nil {
		return nil, err
	}
	a, ctx, id := actor.From(c), c.UserContext(), v.Project.ID
	today := h.today(c)
	d := overviewData{projectView: v}
	if mailTo := h.svc.Hooks.MailAddress; mailTo != nil && a.May("projects.tasks", "write") && v.Project.State == StateActive {
		d.MailTo = mailTo(a.AccountID(), MailProject, id)
	}
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
	if d.Time, err = h.svc.projectTime(ctx, a, id, string(today)[:7]); err != nil {
		return nil, err
	}
	p := h.page(c, v.Project.Name, form)
	if err := h.recentFiles(c, p, &d); err != nil {
		return nil, err
	}
	if h.svc.budgets != nil && h.svc.budgets.Has() && d.Time != nil {
		if d.Budget, err = h.svc.budgets.Get().Card(ctx, a, id, p.T); err != nil {
			return nil, err
		}
	}
	p.Data = d
	return p, nil
}
