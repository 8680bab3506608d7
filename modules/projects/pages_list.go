package projects

import (
	timesheet "groupcamp/modules/timesheet/contract"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/web"
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
	// MailTo is the project's address (port_mailin.go): mail to it adds a task. Shown to
	// those who may add tasks, when email in is on.
	MailTo string
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
	if h.svc.budgets != nil && h.svc.budgets.Has() && d.Time != nil {
		if d.Budget, err = h.svc.budgets.Get().Card(ctx, a, id, p.T); err != nil {
			return nil, err
		}
	}
	p.Data = d
	return p, nil
}
