package projects

import (
	"net/url"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// taskRow is a task as the list and the board show it.
type taskRow struct {
	*Task
	List     string
	Names    []string // the assignees' names
	Initials []string
	Late     bool
	Progress int
}

// rows decorates tasks with what their lines show.
func (v *projectView) rows(ts []Task, lists map[int64]string, today Date) []taskRow {
	out := make([]taskRow, len(ts))
	for i := range ts {
		t := &ts[i]
		r := taskRow{Task: t, List: lists[t.ListID], Late: late(t, today), Progress: taskProgress(t)}
		for _, a := range t.Assignees {
			name := v.People[a.UserID]
			r.Names = append(r.Names, name)
			r.Initials = append(r.Initials, initials(name))
		}
		out[i] = r
	}
	return out
}

// listNames are the names of the project's lists the viewer sees, by id, and the lists.
func (h *pages) listNames(c *fiber.Ctx, projectID int64) ([]TaskList, map[int64]string, error) {
	ls, err := h.allLists(c, projectID)
	if err != nil {
		return nil, nil, err
	}
	names := make(map[int64]string, len(ls))
	for _, l := range ls {
		names[l.ID] = l.Name
	}
	return ls, names, nil
}

// tasksData is the list view of a project's tasks.
type tasksData struct {
	*projectView
	Rows  []taskRow
	Lists []TaskList
	// The filters as read, for the filter form.
	Status, Assignee, DueBefore string
	Members                     []ProjectMember
	Next                        string
	Statuses                    []string
	ListOptions                 [][]string // the add-task form's choice of list: id, name
}

var taskFields = []string{"title", "list_id", "due_on"}

func (h *pages) tasksPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	v, err := h.loadProject(c, "tasks")
	if err != nil {
		return nil, err
	}
	f, err := taskFilter(c)
	if err != nil {
		return nil, err
	}
	pg, err := api.ParsePage(c)
	if err != nil {
		return nil, err
	}
	if c.Query("limit") == "" {
		pg.Limit = api.MaxLimit
	}
	a, ctx := actor.From(c), c.UserContext()
	list, err := h.svc.Tasks(ctx, a, v.Project.ID, f, pg)
	if err != nil {
		return nil, err
	}
	lists, names, err := h.listNames(c, v.Project.ID)
	if err != nil {
		return nil, err
	}
	members, err := h.svc.Members(ctx, a, v.Project.ID)
	if err != nil {
		return nil, err
	}
	d := tasksData{projectView: v, Rows: v.rows(list.Items, names, h.today()), Lists: lists, Members: members,
		Status: c.Query("status"), Assignee: c.Query("assignee"), DueBefore: c.Query("due_before"), Statuses: statuses}
	for _, l := range lists {
		d.ListOptions = append(d.ListOptions, []string{itoa(l.ID), l.Name})
	}
	if list.NextCursor != "" {
		q := url.Values{}
		for _, k := range []string{"status", "assignee", "due_before"} {
			if s := c.Query(k); s != "" {
				q.Set(k, s)
			}
		}
		q.Set("cursor", list.NextCursor)
		d.Next = withQuery(v.Base+"/tasks", q)
	}
	if form == nil && len(lists) > 0 {
		form = web.EmptyForm(map[string]string{"list_id": itoa(lists[0].ID)})
	}
	p := h.page(c, v.Project.Name, form)
	p.Data = d
	return p, nil
}

func (h *pages) tasks(c *fiber.Ctx) error {
	p, err := h.tasksPage(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "projects/project", p)
}

func (h *pages) addTask(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, taskFields...)
	var fe problem.Fields
	in := TaskInput{Title: form.Get("title"), ListID: formID(form, "list_id", &fe), DueOn: form.Get("due_on")}
	if err = fe.Err(); err == nil {
		_, err = h.svc.CreateTask(c.UserContext(), actor.From(c), id, in)
	}
	if err != nil {
		p, perr := h.tasksPage(c, form)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "projects/project", p, err)
	}
	return web.Done(c, "projects.task.added", slugBase(c)+"/projects/"+itoa(id)+"/tasks")
}

// column is a column of the board.
type column struct {
	Status     string
	Prev, Next string // the neighbouring columns' statuses ("" at the ends)
	Moves      []move // the buttons of its cards
	Cards      []card
}

// card is a task on the board, flat and formatted in Go: a board has a thousand of them, and
// html/template's reflection through embedded structs and method calls costs more per card
// than everything else on the page.
type card struct {
	ID, Title, Due string
	Late           bool
	People         []person
}

type person struct{ Initials, Name string }

// move is a card's button: which way, the status it moves to ("" at the board's ends, where
// the button is hidden until kanban.js moves the card), its arrow and its translated label.
type move struct{ Dir, To, Arrow, Label string }

// boardData is the Kanban board of a project.
type boardData struct {
	*projectView
	Columns []column
}

func (h *pages) board(c *fiber.Ctx) error {
	v, err := h.loadProject(c, "board")
	if err != nil {
		return err
	}
	ts, err := h.allTasks(c, v.Project.ID, TaskFilter{})
	if err != nil {
		return err
	}
	p := h.page(c, v.Project.Name, nil)
	d := boardData{projectView: v, Columns: make([]column, len(statuses))}
	index := map[string]int{}
	for i, s := range statuses {
		d.Columns[i].Status = s
		if i > 0 {
			d.Columns[i].Prev = statuses[i-1]
		}
		if i+1 < len(statuses) {
			d.Columns[i].Next = statuses[i+1]
		}
		d.Columns[i].Moves = []move{{"prev", d.Columns[i].Prev, "←", p.T("projects.board.move_prev")},
			{"next", d.Columns[i].Next, "→", p.T("projects.board.move_next")}}
		index[s] = i
	}
	today := h.today()
	for i := range ts {
		t := &ts[i]
		k := card{ID: itoa(t.ID), Title: t.Title, Late: late(t, today), People: make([]person, len(t.Assignees))}
		if t.DueOn != "" {
			k.Due = p.Date(t.DueOn.Time())
		}
		for j, a := range t.Assignees {
			name := v.People[a.UserID]
			k.People[j] = person{initials(name), name}
		}
		col := &d.Columns[index[t.Status]]
		col.Cards = append(col.Cards, k)
	}
	p.Data = d
	return h.web.Render(c, "projects/project", p)
}

// setStatus moves a task to another status: the board's buttons and its drag and drop (with
// X-Requested-With: fetch, answered 204), and the task page's buttons.
func (h *pages) setStatus(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	status := c.FormValue("status")
	t, err := h.svc.UpdateTask(c.UserContext(), actor.From(c), id, TaskPatch{Status: &status})
	if fetched(c) {
		if err != nil {
			return err
		}
		return c.SendStatus(fiber.StatusNoContent)
	}
	back := web.SafeNext(c.FormValue("back"), slugBase(c)+"/tasks/"+itoa(id))
	if err != nil {
		// A task the viewer cannot see stays a 404; a refused change goes back with a message.
		if p, ok := problem.As(err); !ok || p.Status == fiber.StatusNotFound || p.Status >= 500 {
			return err
		}
		web.Flash(c, "error", "projects.status.refused")
		return c.Redirect(back, fiber.StatusSeeOther)
	}
	return web.Done(c, "projects.status.changed."+t.Status, back)
}

// taskData is a task's page.
type taskData struct {
	Task       *Task
	Project    *Project
	ProjectURL string
	List       string
	People     map[int64]string
	Before     []Task // predecessors
	After      []Task // successors
	Comments   []Comment
	Statuses   []string
	Late       bool
	Progress   int
}

func (h *pages) taskPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	id, err := api.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	a, ctx := actor.From(c), c.UserContext()
	t, err := h.svc.Task(ctx, a, id)
	if err != nil {
		return nil, err
	}
	pr, err := h.svc.Project(ctx, a, t.ProjectID)
	if err != nil {
		return nil, err
	}
	ms, err := h.svc.Members(ctx, a, t.ProjectID)
	if err != nil {
		return nil, err
	}
	_, names, err := h.listNames(c, t.ProjectID)
	if err != nil {
		return nil, err
	}
	cs, err := h.svc.Comments(ctx, a, id, api.Page{Limit: api.MaxLimit})
	if err != nil {
		return nil, err
	}
	d := &taskData{Task: t, Project: pr, ProjectURL: slugBase(c) + "/projects/" + itoa(pr.ID), List: names[t.ListID],
		People: map[int64]string{}, Comments: cs.Items, Statuses: statuses, Late: late(t, h.today()), Progress: taskProgress(t)}
	for _, m := range ms {
		d.People[m.UserID] = m.Name
	}
	// Dependencies are a few per task; the service says which of them the viewer may see.
	for _, dep := range []struct {
		ids []int64
		to  *[]Task
	}{{t.PredecessorIDs, &d.Before}, {t.SuccessorIDs, &d.After}} {
		for _, did := range dep.ids {
			if o, err := h.svc.Task(ctx, a, did); err == nil {
				*dep.to = append(*dep.to, *o)
			}
		}
	}
	p := h.page(c, t.Title, form)
	p.Data = d
	return p, nil
}

func (h *pages) task(c *fiber.Ctx) error {
	p, err := h.taskPage(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "projects/task", p)
}

func (h *pages) addComment(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "body")
	if _, err := h.svc.AddComment(c.UserContext(), actor.From(c), id, CommentInput{Body: form.Get("body")}); err != nil {
		p, perr := h.taskPage(c, form)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "projects/task", p, err)
	}
	return web.Done(c, "projects.comment.added", slugBase(c)+"/tasks/"+itoa(id)+"#comments")
}
