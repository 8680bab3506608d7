package projects

// The pages of task details: the board's custom columns and its cards' labels and checklist
// counts, the task page's checklist, labels and status choice (no-JS forms, each posting to
// a small handler that redirects back), and the project's Workflow page, where its managers
// add, rename, recolour, reorder and delete custom statuses and labels.
//
// Colours are classes of a fixed palette (chip-red, col-red in app.css): the CSP forbids
// style attributes.

import (
	"html"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

func registerTaskDetailsPages(r *app.Registry, h *pages) {
	manage, writeTasks := api.Can("projects", "manage"), api.Can("projects.tasks", "write")
	r.Post("/:slug/tasks/:id/checklist", writeTasks, h.addItem)
	r.Post("/:slug/tasks/:id/checklist/:item_id", writeTasks, h.tickItem)
	r.Post("/:slug/tasks/:id/checklist/:item_id/delete", writeTasks, h.deleteItem)
	r.Post("/:slug/tasks/:id/labels", writeTasks, h.setLabels)

	const wf = "/:slug/projects/:id/workflow"
	r.Get(wf, manage, h.workflow)
	r.Post(wf+"/statuses", manage, h.addStatus)
	r.Post(wf+"/statuses/:status_id", manage, h.editStatus)
	r.Post(wf+"/statuses/:status_id/move", manage, h.moveStatus)
	r.Post(wf+"/statuses/:status_id/delete", manage, h.deleteStatus)
	r.Post(wf+"/labels", manage, h.addLabel)
	r.Post(wf+"/labels/:label_id", manage, h.editLabel)
	r.Post(wf+"/labels/:label_id/delete", manage, h.deleteLabel)
}

// boardColumns are the board's columns: each base status followed by its custom statuses in
// their order (Open, Backlog, In progress, Review, Done, Shipped), each knowing its
// neighbours for the cards' ← and → buttons.
func boardColumns(custom []TaskStatus) []column {
	var cols []column
	for _, b := range baseStatuses {
		cols = append(cols, column{Status: b})
		for _, st := range custom {
			if st.Base == b {
				cols = append(cols, column{Status: st.Key, Name: st.Name, Color: st.Color})
			}
		}
	}
	for i := range cols {
		if i > 0 {
			cols[i].Prev = cols[i-1].Status
		}
		if i+1 < len(cols) {
			cols[i].Next = cols[i+1].Status
		}
	}
	return cols
}

// statusPatch is the change a status button or choice asks for: a base status, or else the
// key of a custom status (keys are never base statuses).
func statusPatch(value string) TaskPatch {
	if slices.Contains(baseStatuses, value) {
		return TaskPatch{Status: &value}
	}
	return TaskPatch{CustomStatus: &value}
}

// details writes a card's labels and checklist count, when it has any.
func (w *boardWriter) details(t *Task) {
	if len(t.Labels) == 0 && t.ChecklistTotal == 0 {
		return
	}
	w.b.WriteString("\n        <div class=\"chips\">")
	for _, l := range t.Labels {
		s, ok := w.labels[l.ID]
		if !ok {
			s = chip(l.Name, l.Color)
			w.labels[l.ID] = s
		}
		w.b.WriteString(s)
	}
	if t.ChecklistTotal > 0 {
		w.b.WriteString(`<span class="checks`)
		if t.ChecklistDone == t.ChecklistTotal {
			w.b.WriteString(" all")
		}
		w.b.WriteString(`"><span class="visually-hidden">`)
		w.b.WriteString(w.checks)
		w.b.WriteString(` </span>☑ `)
		w.b.WriteString(strconv.Itoa(t.ChecklistDone))
		w.b.WriteByte('/')
		w.b.WriteString(strconv.Itoa(t.ChecklistTotal))
		w.b.WriteString("</span>")
	}
	w.b.WriteString("</div>")
}

// chip is a label's markup (escaped; the colour is one of the palette's names).
func chip(name, color string) string {
	if !slices.Contains(Colors, color) {
		color = Colors[0]
	}
	return `<span class="chip chip-` + color + `">` + html.EscapeString(name) + `</span>`
}

// taskDetails is what the task page shows of a task's details.
type taskDetails struct {
	Current  *TaskStatus  // the task's custom status
	Groups   []statusPick // the status choice: each base status with its custom statuses
	Custom   bool         // the project has custom statuses
	Labels   []Label      // the project's labels, for the choice
	On       map[int64]bool
	Items    []ChecklistItem
	Workflow string // the Workflow page, for those who may manage the project
}

// statusPick is a base status and the custom statuses that count as it.
type statusPick struct {
	Base   string
	Custom []TaskStatus
}

// loadTaskDetails reads the statuses and labels the task page offers.
func (h *pages) loadTaskDetails(c *fiber.Ctx, t *Task) (*taskDetails, error) {
	a, ctx := actor.From(c), c.UserContext()
	ss, err := h.svc.Statuses(ctx, a, t.ProjectID)
	if err != nil {
		return nil, err
	}
	ls, err := h.svc.Labels(ctx, a, t.ProjectID)
	if err != nil {
		return nil, err
	}
	d := &taskDetails{Labels: ls, On: map[int64]bool{}, Custom: len(ss) > 0}
	if t.Checklist != nil {
		d.Items = *t.Checklist
	}
	for _, b := range baseStatuses {
		g := statusPick{Base: b}
		for i := range ss {
			if ss[i].Base == b {
				g.Custom = append(g.Custom, ss[i])
			}
			if ss[i].Key == t.CustomStatus {
				d.Current = &ss[i]
			}
		}
		d.Groups = append(d.Groups, g)
	}
	for _, l := range t.Labels {
		d.On[l.ID] = true
	}
	if a.May("projects", "manage") {
		d.Workflow = slugBase(c) + "/projects/" + itoa(t.ProjectID) + "/workflow"
	}
	return d, nil
}

// taskForm handles a form of the task page: on a refused change, the page again with the
// form's errors (a task the viewer cannot see stays a 404).
func (h *pages) taskForm(c *fiber.Ctx, form *web.Form, err error, flash, anchor string) error {
	id, _ := api.PathID(c, "id")
	if err != nil {
		return h.refuse(c, "projects/task", h.taskPage, form, err)
	}
	return web.Done(c, flash, slugBase(c)+"/tasks/"+itoa(id)+anchor)
}

func (h *pages) addItem(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "text")
	_, err = h.svc.AddChecklistItem(c.UserContext(), actor.From(c), id, ChecklistInput{Text: form.Get("text")})
	return h.taskForm(c, form, err, "projects.checklist.added", "#checklist")
}

// tickItem ticks (done=1) or unticks (done=0) an item.
func (h *pages) tickItem(c *fiber.Ctx) error {
	ids, err := pathIDs(c, "id", "item_id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "done")
	var in ChecklistPatch
	var fe problem.Fields
	switch form.Get("done") {
	case "1":
		in.Done = ptr(true)
	case "0":
		in.Done = ptr(false)
	default:
		fe.Add("done", "must be 0 or 1")
	}
	if err = fe.Err(); err == nil {
		_, err = h.svc.UpdateChecklistItem(c.UserContext(), actor.From(c), ids[0], ids[1], in)
	}
	return h.taskForm(c, form, err, "projects.checklist.saved", "#checklist")
}

func (h *pages) deleteItem(c *fiber.Ctx) error {
	ids, err := pathIDs(c, "id", "item_id")
	if err != nil {
		return err
	}
	err = h.svc.DeleteChecklistItem(c.UserContext(), actor.From(c), ids[0], ids[1])
	return h.taskForm(c, web.NewForm(c), err, "projects.checklist.removed", "#checklist")
}

// setLabels sets the labels ticked in the task page's form (label=ID, repeated).
func (h *pages) setLabels(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c)
	var fe problem.Fields
	ids := []int64{}
	for _, v := range c.Request().PostArgs().PeekMulti("label") {
		n, perr := strconv.ParseInt(string(v), 10, 64)
		if perr != nil || n <= 0 {
			fe.Add("labels", "is not a valid choice")
			break
		}
		ids = append(ids, n)
	}
	if err = fe.Err(); err == nil {
		_, err = h.svc.UpdateTask(c.UserContext(), actor.From(c), id, TaskPatch{Labels: &ids})
	}
	return h.taskForm(c, form, err, "projects.labels.saved", "#labels")
}

// listDetails are the project's labels (for the task list's filter) and custom statuses by
// key (for its status column).
func (h *pages) listDetails(c *fiber.Ctx, projectID int64) ([]Label, map[string]*TaskStatus, error) {
	a, ctx := actor.From(c), c.UserContext()
	ls, err := h.svc.Labels(ctx, a, projectID)
	if err != nil {
		return nil, nil, err
	}
	ss, err := h.svc.Statuses(ctx, a, projectID)
	if err != nil {
		return nil, nil, err
	}
	byKey := make(map[string]*TaskStatus, len(ss))
	for i := range ss {
		byKey[ss[i].Key] = &ss[i]
	}
	return ls, byKey, nil
}
