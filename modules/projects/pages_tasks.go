package projects

import (
	"encoding/json"
	"html"
	"html/template"
	"math"
	"slices"
	"strconv"
	"strings"

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

// addList adds a task list from the list page: a new project has none, and tasks go in
// lists. It may belong to a milestone, and a project manager may share it with client
// companies (listInput, pages_plan.go).
func (h *pages) addList(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "name", "milestone_id")
	in, err := listInput(c, form)
	if err == nil {
		_, err = h.svc.CreateList(c.UserContext(), actor.From(c), id, in)
	}
	if err != nil {
		return h.refuse(c, "projects/project", h.tasksPage, form, err)
	}
	return web.Done(c, "projects.tasklist.added", slugBase(c)+"/projects/"+itoa(id)+"/tasks")
}

// column is a column of the board.
type column struct {
	Status     string // a base status, or a custom status's key
	Name       string // a custom status's name and colour ("" for a base status)
	Color      string
	Prev, Next string // the neighbouring columns' statuses ("" at the ends)
	Count      int
	// Cards is the markup of the column's cards, written in Go (boardWriter): a board has a
	// thousand cards, and html/template's contextual escaping, value by value, cost more
	// than everything else on the page (35–54 ms for 1,000 cards, against a few here).
	Cards template.HTML
}

// boardWriter writes the cards of a board: what is the same on every card of a column (the
// link's start, the buttons with their translated labels) is escaped once per page, and what
// repeats across cards (people, due dates) once per person or day.
type boardWriter struct {
	b      strings.Builder
	slug   string           // escaped
	write  bool             // the viewer may move cards: draggable, with buttons
	people map[int64]string // user id → escaped avatar markup
	days   map[Date]string  // due day → escaped formatted date
	names  map[int64]string
	date   func(Date) string
	moves  [2]move          // escaped labels, per direction; To set per column
	labels map[int64]string // label id → escaped chip markup
	checks string           // the checklist's escaped name, for screen readers
}

// move is a card's button: which way, its arrow and its translated label.
type move struct{ Dir, Arrow, Label string }

func (w *boardWriter) person(id int64) string {
	if s, ok := w.people[id]; ok {
		return s
	}
	name := html.EscapeString(w.names[id])
	s := `<span class="avatar small" title="` + name + `">` + html.EscapeString(initials(w.names[id])) + `</span>`
	w.people[id] = s
	return s
}

func (w *boardWriter) due(d Date) string {
	if s, ok := w.days[d]; ok {
		return s
	}
	s := html.EscapeString(w.date(d))
	w.days[d] = s
	return s
}

// column writes one column's cards; to are the statuses its prev and next buttons move to.
func (w *boardWriter) column(ts []*Task, to [2]string, today Date) template.HTML {
	w.b.Reset()
	w.b.Grow(len(ts) * 700)
	var id [20]byte
	for _, t := range ts {
		ids := strconv.AppendInt(id[:0], t.ID, 10)
		isLate := late(t, today)
		w.b.WriteString("\n      <li class=\"kcard")
		if isLate {
			w.b.WriteString(" is-late")
		}
		w.b.WriteString(`" data-task="`)
		w.b.Write(ids)
		w.b.WriteByte('"')
		if w.write {
			w.b.WriteString(` draggable="true"`)
		}
		w.b.WriteString(">\n        <a class=\"title\" href=\"/")
		w.b.WriteString(w.slug)
		w.b.WriteString("/tasks/")
		w.b.Write(ids)
		w.b.WriteString(`">`)
		w.b.WriteString(html.EscapeString(t.Title))
		w.b.WriteString("</a>")
		w.details(t)
		w.b.WriteString("\n        <div class=\"meta\">")
		for _, a := range t.Assignees {
			w.b.WriteString(w.person(a.UserID))
		}
		if t.DueOn != "" {
			w.b.WriteString(`<span class="due`)
			if isLate {
				w.b.WriteString(" late")
			}
			w.b.WriteString(`">`)
			w.b.WriteString(w.due(t.DueOn))
			w.b.WriteString("</span>")
		}
		w.b.WriteString("</div>")
		if w.write {
			w.b.WriteString("\n        <div class=\"moves\">")
			for i, m := range w.moves {
				w.b.WriteString(`<button class="small secondary" type="submit" form="board-moves" formaction="/`)
				w.b.WriteString(w.slug)
				w.b.WriteString("/tasks/")
				w.b.Write(ids)
				w.b.WriteString(`/status" name="status" value="`)
				w.b.WriteString(to[i])
				w.b.WriteString(`" data-dir="`)
				w.b.WriteString(m.Dir)
				w.b.WriteString(`" aria-label="`)
				w.b.WriteString(m.Label)
				w.b.WriteByte('"')
				if to[i] == "" {
					w.b.WriteString(" hidden")
				}
				w.b.WriteByte('>')
				w.b.WriteString(m.Arrow)
				w.b.WriteString("</button>")
			}
			w.b.WriteString("</div>")
		}
		w.b.WriteString("\n      </li>")
	}
	return template.HTML(w.b.String())
}

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
	ts, err := h.svc.boardTasks(c.UserContext(), actor.From(c), v.Project.ID, maxTasks)
	if err != nil {
		return err
	}
	if err := h.nameAssignees(c, v, ts); err != nil {
		return err
	}
	// The project is checked (loadProject): its statuses, which every reader of it sees, follow.
	custom, err := h.svc.store.statuses(c.UserContext(), h.svc.tenantOf(v.Project.AccountID), v.Project.ID)
	if err != nil {
		return err
	}
	p := h.page(c, v.Project.Name, nil)
	d := boardData{projectView: v, Columns: boardColumns(custom)}
	index := make(map[string]int, len(d.Columns))
	for i, col := range d.Columns {
		index[col.Status] = i
	}
	// The tasks of each column, in the order loaded: a task in a custom status goes to its
	// column, the others to their base status's.
	byCol := make([][]*Task, len(d.Columns))
	for i := range ts {
		k, ok := index[ts[i].CustomStatus]
		if !ok {
			k = index[ts[i].Status]
		}
		byCol[k] = append(byCol[k], &ts[i])
	}
	w := &boardWriter{slug: html.EscapeString(p.Slug()), write: p.Can("projects.tasks", "write"),
		people: make(map[int64]string, len(v.People)), days: map[Date]string{}, names: v.People,
		date: func(d Date) string { return p.Date(d.Time()) }, labels: map[int64]string{},
		checks: html.EscapeString(p.T("projects.checklist.title")),
		moves: [2]move{{"prev", "←", html.EscapeString(p.T("projects.board.move_prev"))},
			{"next", "→", html.EscapeString(p.T("projects.board.move_next"))}}}
	today := h.today(c)
	for i := range d.Columns {
		col := &d.Columns[i]
		col.Count = len(byCol[i])
		col.Cards = w.column(byCol[i], [2]string{col.Prev, col.Next}, today)
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
	t, err := h.svc.UpdateTask(c.UserContext(), actor.From(c), id, statusPatch(c.FormValue("status")))
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
	if t.CustomStatus != "" {
		return web.Done(c, "projects.status.changed.custom", back)
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
	Details    *taskDetails // statuses, labels, checklist (pages_taskdetails.go)
	// The estimates: each assignee's and their sum, in hours as the reader writes numbers
	// ("" when nobody estimated).
	Estimates map[int64]string
	Estimate  string
	Logged    *taskTime // time_spent.go
	// Who outside the account sees the task: the client companies its list is shared with
	// (none: internal). Shown to colleagues; a client knows they see it.
	Visibility *taskVisibility
	// Who follows the task, and whether the viewer does; the names the comment box suggests
	// after an "@" (JSON, for mentions.js).
	Followers *FollowerList
	Mentions  string
	Files     *taskFiles // pages_attachments.go
}

// taskVisibility says whether clients see a task, and which companies' clients.
type taskVisibility struct {
	Shared bool
	Names  string // the companies, by name, separated by commas
}

// taskBase is what the pages of one task start from: the task of the path and its project,
// both as the viewer may see them (404 otherwise).
type taskBase struct {
	Task    *Task
	Project *Project
}

func (h *pages) loadTask(c *fiber.Ctx) (*taskBase, error) {
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
	return &taskBase{Task: t, Project: pr}, nil
}

// peopleAndLists are the members of a project and its lists (with their names by id), for
// the pages of a task.
func (h *pages) peopleAndLists(c *fiber.Ctx, projectID int64) ([]ProjectMember, []TaskList, map[int64]string, error) {
	ms, err := h.svc.Members(c.UserContext(), actor.From(c), projectID)
	if err != nil {
		return nil, nil, nil, err
	}
	ls, names, err := h.listNames(c, projectID)
	return ms, ls, names, err
}

func (h *pages) taskPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	tb, err := h.loadTask(c)
	if err != nil {
		return nil, err
	}
	a, ctx, t, pr, id := actor.From(c), c.UserContext(), tb.Task, tb.Project, tb.Task.ID
	ms, lists, names, err := h.peopleAndLists(c, t.ProjectID)
	if err != nil {
		return nil, err
	}
	cs, err := h.svc.Comments(ctx, a, id, api.Page{Limit: api.MaxLimit})
	if err != nil {
		return nil, err
	}
	d := &taskData{Task: t, Project: pr, ProjectURL: slugBase(c) + "/projects/" + itoa(pr.ID), List: names[t.ListID],
		People: map[int64]string{}, Comments: cs.Items, Statuses: statuses, Late: late(t, h.today(c)), Progress: taskProgress(t),
		Estimates: map[int64]string{}}
	if d.Details, err = h.loadTaskDetails(c, t); err != nil {
		return nil, err
	}
	for _, m := range ms {
		d.People[m.UserID] = m.Name
	}
	// The tasks at the other end of its dependencies that the viewer may see, in one query.
	others, err := h.svc.TasksByID(ctx, a, append(slices.Clone(t.PredecessorIDs), t.SuccessorIDs...))
	if err != nil {
		return nil, err
	}
	for _, dep := range []struct {
		ids []int64
		to  *[]Task
	}{{t.PredecessorIDs, &d.Before}, {t.SuccessorIDs, &d.After}} {
		for _, did := range dep.ids {
			if o, ok := others[did]; ok {
				*dep.to = append(*dep.to, o)
			}
		}
	}
	p := h.page(c, t.Title, form)
	var total int64
	for _, as := range t.Assignees {
		if as.EstimateMinutes > 0 {
			d.Estimates[as.UserID] = hoursText(p, as.EstimateMinutes)
			total += as.EstimateMinutes
		}
	}
	if total > 0 {
		d.Estimate = hoursText(p, total)
	}
	times, err := h.svc.taskTimes(ctx, a, []*Task{t})
	if err != nil {
		return nil, err
	}
	d.Logged = times[t.ID]
	if d.Files, err = h.attachmentsOf(c, p, t); err != nil {
		return nil, err
	}
	if !scopeOf(a).Client {
		if d.Visibility, err = h.visibility(c, lists, t.ListID); err != nil {
			return nil, err
		}
	}
	if d.Followers, err = h.svc.Followers(ctx, a, id); err != nil {
		return nil, err
	}
	mentionable, err := h.svc.Mentionable(ctx, a, id)
	if err != nil {
		return nil, err
	}
	who := make([]string, 0, len(mentionable))
	for _, m := range mentionable {
		who = append(who, m.Name)
	}
	slices.SortFunc(who, func(x, y string) int { return strings.Compare(strings.ToLower(x), strings.ToLower(y)) })
	js, _ := json.Marshal(who)
	d.Mentions = string(js)
	p.Data = d
	return p, nil
}

// hoursText writes minutes as hours the way the reader writes numbers ("1.5 h", "1,5 h").
func hoursText(p *web.Page, minutes int64) string {
	return p.T("projects.estimate.hours", "Hours", p.Num(math.Round(float64(minutes)/60*100)/100))
}

// visibility says which client companies see the tasks of a list: those it is shared with.
func (h *pages) visibility(c *fiber.Ctx, lists []TaskList, listID int64) (*taskVisibility, error) {
	v := &taskVisibility{}
	var names []string
	for _, l := range lists {
		if l.ID != listID || l.Visibility != VisibilityClients {
			continue
		}
		v.Shared = true
		for _, id := range l.CompanyIDs {
			co, err := h.svc.People.Company(c.UserContext(), actor.From(c), id)
			if err != nil {
				return nil, err
			}
			names = append(names, co.Name)
		}
	}
	slices.Sort(names)
	v.Names = strings.Join(names, ", ")
	return v, nil
}

func (h *pages) task(c *fiber.Ctx) error {
	return h.render(c, "projects/task", h.taskPage)
}

func (h *pages) addComment(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "body")
	if _, err := h.svc.AddComment(c.UserContext(), actor.From(c), id, CommentInput{Body: form.Get("body")}); err != nil {
		return h.refuse(c, "projects/task", h.taskPage, form, err)
	}
	return web.Done(c, "projects.comment.added", slugBase(c)+"/tasks/"+itoa(id)+"#comments")
}
