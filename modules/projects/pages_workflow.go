package projects

// The Workflow page of a project: its custom statuses, grouped under their base status in
// board order, and its labels — each added, renamed, recoloured, moved (statuses) and
// deleted (after a confirmation) with plain forms. Several forms share the page, so their
// fields carry a prefix (status_name, st12_name, label_color…) and a refused form comes back
// with its messages next to its own fields.

import (
	"fmt"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// workflowData is the Workflow page.
type workflowData struct {
	*projectView
	Groups    []workflowGroup
	Labels    []Label
	Colors    [][]string // color options: value, label key
	Bases     [][]string // base status options: value, label key
	Uses      map[string]int
	NoStatus  bool
	StatusMax int
	LabelMax  int
}

// workflowGroup is a base status and its custom statuses, in order.
type workflowGroup struct {
	Base     string
	Statuses []TaskStatus
}

func (h *pages) workflowPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	v, err := h.loadProject(c, "workflow")
	if err != nil {
		return nil, err
	}
	a, ctx := actor.From(c), c.UserContext()
	ss, err := h.svc.Statuses(ctx, a, v.Project.ID)
	if err != nil {
		return nil, err
	}
	ls, err := h.svc.Labels(ctx, a, v.Project.ID)
	if err != nil {
		return nil, err
	}
	uses, err := h.svc.statusUses(ctx, a, v.Project.ID)
	if err != nil {
		return nil, err
	}
	d := workflowData{projectView: v, Labels: ls, Uses: uses, NoStatus: len(ss) == 0, StatusMax: MaxStatuses, LabelMax: MaxLabels}
	for _, b := range baseStatuses {
		g := workflowGroup{Base: b}
		for _, st := range ss {
			if st.Base == b {
				g.Statuses = append(g.Statuses, st)
			}
		}
		d.Groups = append(d.Groups, g)
		d.Bases = append(d.Bases, []string{b, "projects.status." + b})
	}
	for _, col := range Colors {
		d.Colors = append(d.Colors, []string{col, "projects.color." + col})
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"status_base": StatusInProgress, "status_color": "blue", "label_color": "gray"})
	}
	p := h.page(c, v.Project.Name, form)
	p.Data = d
	return p, nil
}

func (h *pages) workflow(c *fiber.Ctx) error {
	return h.render(c, "projects/workflow", h.workflowPage)
}

// workflowDone ends a form of the Workflow page: the page again with the messages next to
// the form's fields (the service's field names under prefix), or back to the page.
func (h *pages) workflowDone(c *fiber.Ctx, form *web.Form, prefix string, err error, flash, anchor string) error {
	if err != nil {
		if p, ok := problem.As(err); ok && p.Status < 500 && len(p.Errors) > 0 {
			q := *p
			q.Errors = make([]problem.FieldError, len(p.Errors))
			for i, e := range p.Errors {
				q.Errors[i] = problem.FieldError{Field: prefix + e.Field, Message: e.Message}
			}
			err = &q
		}
		page, perr := h.workflowPage(c, form)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "projects/workflow", page, err)
	}
	id, _ := api.PathID(c, "id")
	return web.Done(c, flash, slugBase(c)+"/projects/"+itoa(id)+"/workflow"+anchor)
}

func (h *pages) addStatus(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "status_name", "status_base", "status_color")
	_, err = h.svc.CreateStatus(c.UserContext(), actor.From(c), id, StatusInput{Name: form.Get("status_name"), Base: form.Get("status_base"), Color: form.Get("status_color")})
	return h.workflowDone(c, form, "status_", err, "projects.workflow.status_added", "#statuses")
}

func (h *pages) editStatus(c *fiber.Ctx) error {
	ids, err := pathIDs(c, "id", "status_id")
	if err != nil {
		return err
	}
	prefix := fmt.Sprintf("st%d_", ids[1])
	form := web.NewForm(c, prefix+"name", prefix+"color")
	name, color := form.Get(prefix+"name"), form.Get(prefix+"color")
	_, err = h.svc.UpdateStatus(c.UserContext(), actor.From(c), ids[0], ids[1], StatusPatch{Name: &name, Color: &color})
	return h.workflowDone(c, form, prefix, err, "projects.workflow.status_saved", "#statuses")
}

// moveStatus moves a status one place up or down among those of its base.
func (h *pages) moveStatus(c *fiber.Ctx) error {
	ids, err := pathIDs(c, "id", "status_id")
	if err != nil {
		return err
	}
	a, ctx := actor.From(c), c.UserContext()
	ss, err := h.svc.Statuses(ctx, a, ids[0])
	if err != nil {
		return err
	}
	var pos int64 = -1
	var group []TaskStatus
	for _, st := range ss {
		if st.ID == ids[1] {
			for _, x := range ss {
				if x.Base == st.Base {
					group = append(group, x)
				}
			}
		}
	}
	for i, st := range group {
		if st.ID == ids[1] {
			pos = int64(i)
		}
	}
	if pos < 0 {
		return problem.NotFound()
	}
	switch c.FormValue("dir") {
	case "up":
		pos = max(pos-1, 0)
	case "down":
		pos++
	default:
		return h.workflowDone(c, web.NewForm(c), "", problem.Invalid(problem.FieldError{Field: "dir", Message: "must be up or down"}), "", "")
	}
	_, err = h.svc.UpdateStatus(ctx, a, ids[0], ids[1], StatusPatch{Position: &pos})
	return h.workflowDone(c, web.NewForm(c), "", err, "projects.workflow.status_moved", "#statuses")
}

func (h *pages) deleteStatus(c *fiber.Ctx) error {
	ids, err := pathIDs(c, "id", "status_id")
	if err != nil {
		return err
	}
	err = h.svc.DeleteStatus(c.UserContext(), actor.From(c), ids[0], ids[1])
	return h.workflowDone(c, web.NewForm(c), "", err, "projects.workflow.status_deleted", "#statuses")
}

func (h *pages) addLabel(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "label_name", "label_color")
	_, err = h.svc.CreateLabel(c.UserContext(), actor.From(c), id, LabelInput{Name: form.Get("label_name"), Color: form.Get("label_color")})
	return h.workflowDone(c, form, "label_", err, "projects.workflow.label_added", "#labels")
}

func (h *pages) editLabel(c *fiber.Ctx) error {
	ids, err := pathIDs(c, "id", "label_id")
	if err != nil {
		return err
	}
	prefix := fmt.Sprintf("lb%d_", ids[1])
	form := web.NewForm(c, prefix+"name", prefix+"color")
	name, color := form.Get(prefix+"name"), form.Get(prefix+"color")
	_, err = h.svc.UpdateLabel(c.UserContext(), actor.From(c), ids[0], ids[1], LabelPatch{Name: &name, Color: &color})
	return h.workflowDone(c, form, prefix, err, "projects.workflow.label_saved", "#labels")
}

func (h *pages) deleteLabel(c *fiber.Ctx) error {
	ids, err := pathIDs(c, "id", "label_id")
	if err != nil {
		return err
	}
	err = h.svc.DeleteLabel(c.UserContext(), actor.From(c), ids[0], ids[1])
	return h.workflowDone(c, web.NewForm(c), "", err, "projects.workflow.label_deleted", "#labels")
}
