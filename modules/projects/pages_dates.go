package projects

// Moving a task in the Gantt. The chart on the page is the SVG itself, inlined, and each
// task's bar links (for those who may change tasks) to a small form of the task's two dates,
// which saves through the Service's UpdateTask — the same rules as the API: a due day moved
// later pushes the successors (reschedule), an end before the start is a field error — and
// goes back to the Gantt. That is the whole feature without JavaScript, and from the
// keyboard (a bar is a link). gantt.js adds dragging on top, through the API's PATCH.

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// maxBack bounds the "back" address a date form carries.
const maxBack = 500

var dateFields = []string{"starts_on", "due_on", "back"}

// datesData is the date form of a task.
type datesData struct {
	Task       *Task
	Project    *Project
	ProjectURL string
	Back       string
}

// back is where the date form returns: the address it was given when it is a page of this
// account (the Gantt with its scale), else the project's Gantt.
func back(c *fiber.Ctx, given string, projectID int64) string {
	fallback := slugBase(c) + "/projects/" + itoa(projectID) + "/gantt"
	if len(given) > maxBack || !strings.HasPrefix(given, slugBase(c)+"/") {
		return fallback
	}
	return web.SafeNext(given, fallback)
}

func (h *pages) datesPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	tb, err := h.loadTask(c)
	if err != nil {
		return nil, err
	}
	t, pr := tb.Task, tb.Project
	given := c.Query("back")
	if form != nil {
		given = form.Get("back")
	}
	d := &datesData{Task: t, Project: pr, ProjectURL: slugBase(c) + "/projects/" + itoa(pr.ID), Back: back(c, given, pr.ID)}
	if form == nil {
		form = web.EmptyForm(map[string]string{"starts_on": string(t.StartsOn), "due_on": string(t.DueOn)})
	}
	p := h.page(c, t.Title, form)
	p.Data = d
	return p, nil
}

func (h *pages) datesForm(c *fiber.Ctx) error {
	return h.render(c, "projects/dates", h.datesPage)
}

// setDates saves the form: both days as typed (an empty one clears that day).
func (h *pages) setDates(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, dateFields...)
	start, due := strings.TrimSpace(form.Get("starts_on")), strings.TrimSpace(form.Get("due_on"))
	t, err := h.svc.UpdateTask(c.UserContext(), actor.From(c), id, TaskPatch{StartsOn: &start, DueOn: &due})
	if err != nil {
		if p, ok := problem.As(err); !ok || p.Status == fiber.StatusNotFound || p.Status >= 500 {
			return err
		}
		page, perr := h.datesPage(c, form)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "projects/dates", page, err)
	}
	key := "projects.dates.saved"
	if len(t.Rescheduled) > 0 {
		key = "projects.dates.saved_followers"
	}
	return web.Done(c, key, back(c, form.Get("back"), t.ProjectID))
}
