package projects

// The list view of a project's tasks. By default the tasks are grouped by their task list,
// each group a <details> (collapsible without JavaScript) in the lists' order, its tasks in
// their order in the list; ?group=none shows one table with a List column. Each line has a
// tick that completes the task (or reopens it) with a plain form, its assignees, start and
// due days, priority, status and progress. ?sort= orders the lines of each group on the
// server (due_on, starts_on, priority, title, status; the default is the list's order), and
// the tables' headers sort them again in the browser (app.js) without a page load. The quick
// add row takes a title, a list, an assignee and a due day.

import (
	"net/url"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// tasksData is the list view of a project's tasks.
type tasksData struct {
	*projectView
	Rows   []taskRow   // the lines, sorted (the flat table)
	Groups []taskGroup // the same lines by list (the grouped view)
	Lists  []TaskList
	// The filters as read, for the filter form, and the view's grouping and order.
	Status, Assignee, DueBefore string
	Group, Sort                 string
	Members                     []ProjectMember
	Next                        string
	Back                        string // this page, for the ticks' return
	Statuses                    []string
	ListOptions                 [][]string // the add-task form's choice of list: id, name
	AssigneeOptions             [][]string // the add-task form's choice of an assignee: id, name
	listChoices                            // the add-list form's milestones and client companies
	// Task details: the label filter, the project's labels and custom statuses by key.
	Label         string
	ProjectLabels []Label
	Custom        map[string]*TaskStatus
	Sorts         []string
	// The sort keys of the priority and status columns, for the browser's sorting.
	PriorityRank, StatusRank map[string]int
}

// taskGroup is a list of the project with its lines on this page.
type taskGroup struct {
	List *TaskList
	Rows []taskRow
}

var taskFields = []string{"title", "list_id", "assignee_id", "due_on"}

// Orders of the list view's lines ("" is each list's own order).
var taskSorts = []string{"", "due_on", "starts_on", "priority", "title", "status"}

// priorityRank orders priorities from the most pressing.
var priorityRank = map[string]int{PriorityUrgent: 0, PriorityHigh: 1, PriorityNormal: 2, PriorityLow: 3}

// statusRank orders statuses as the board does.
var statusRank = map[string]int{StatusOpen: 0, StatusInProgress: 1, StatusDone: 2}

// sortTaskRows orders the lines by key, stably; days that are not set go last.
func sortTaskRows(rows []taskRow, key string) {
	day := func(a, b Date) int {
		switch {
		case a == b:
			return 0
		case a == "":
			return 1
		case b == "":
			return -1
		}
		return strings.Compare(string(a), string(b))
	}
	cmp := func(x, y taskRow) int {
		switch key {
		case "due_on":
			return day(x.DueOn, y.DueOn)
		case "starts_on":
			return day(x.StartsOn, y.StartsOn)
		case "priority":
			return priorityRank[x.Priority] - priorityRank[y.Priority]
		case "title":
			return strings.Compare(strings.ToLower(x.Title), strings.ToLower(y.Title))
		case "status":
			return statusRank[x.Status] - statusRank[y.Status]
		}
		if x.ListID != y.ListID {
			return 0 // the groups keep the lists' order
		}
		return int(x.Position - y.Position)
	}
	slices.SortStableFunc(rows, func(x, y taskRow) int {
		if c := cmp(x, y); c != 0 {
			return c
		}
		return int(x.ID - y.ID)
	})
}

// viewOptions reads ?group= (list, the default, or none) and ?sort=.
func viewOptions(c *fiber.Ctx) (group, sort string, err error) {
	var f problem.Fields
	group, sort = c.Query("group"), c.Query("sort")
	oneOf(&f, "group", group, "", "list", "none")
	oneOf(&f, "sort", sort, taskSorts...)
	return group, sort, f.Err()
}

func (h *pages) tasksPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	v, err := h.loadProject(c, "tasks")
	if err != nil {
		return nil, err
	}
	f, err := taskFilter(c)
	if err != nil {
		return nil, err
	}
	group, sortKey, err := viewOptions(c)
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
	if err := h.nameAssignees(c, v, list.Items); err != nil {
		return nil, err
	}
	d := tasksData{projectView: v, Rows: v.rows(list.Items, names, h.today(c)), Lists: lists, Members: members,
		Status: c.Query("status"), Assignee: c.Query("assignee"), DueBefore: c.Query("due_before"), Statuses: statuses, Label: c.Query("label"),
		Group: group, Sort: sortKey, Sorts: taskSorts, PriorityRank: priorityRank, StatusRank: statusRank}
	sortTaskRows(d.Rows, sortKey)
	if v.Logged, err = h.svc.taskTimes(c.UserContext(), actor.From(c), rowTasks(d.Rows)); err != nil {
		return nil, err
	}
	if group != "none" {
		byList := make(map[int64][]taskRow, len(lists))
		for _, r := range d.Rows {
			byList[r.ListID] = append(byList[r.ListID], r)
		}
		filtered := f.Statuses != nil || f.AssigneeID != 0 || f.DueBefore != "" || f.LabelID != 0 || f.LabelName != ""
		for i := range lists {
			rows := byList[lists[i].ID]
			if len(rows) == 0 && filtered {
				continue // a filter shows the lists that have matches
			}
			d.Groups = append(d.Groups, taskGroup{List: &lists[i], Rows: rows})
		}
	}
	if d.ProjectLabels, d.Custom, err = h.listDetails(c, v.Project.ID); err != nil {
		return nil, err
	}
	for _, l := range lists {
		d.ListOptions = append(d.ListOptions, []string{itoa(l.ID), l.Name})
	}
	if d.listChoices, err = h.listChoices(c, v.Project.ID); err != nil {
		return nil, err
	}
	q := url.Values{}
	for _, k := range []string{"status", "assignee", "due_before", "label", "group", "sort"} {
		if s := c.Query(k); s != "" {
			q.Set(k, s)
		}
	}
	d.Back = withQuery(v.Base+"/tasks", q)
	if list.NextCursor != "" {
		q.Set("cursor", list.NextCursor)
		d.Next = withQuery(v.Base+"/tasks", q)
	}
	if form == nil && len(lists) > 0 {
		form = web.EmptyForm(map[string]string{"list_id": itoa(lists[0].ID)})
	}
	p := h.page(c, v.Project.Name, form)
	// The quick add's assignees: the project's colleagues (clients are not assigned tasks).
	d.AssigneeOptions = [][]string{{"", p.T("projects.task.nobody_option")}}
	for _, m := range members {
		if m.Role != RoleClient {
			d.AssigneeOptions = append(d.AssigneeOptions, []string{itoa(m.UserID), m.Name})
		}
	}
	p.Data = d
	return p, nil
}

func (h *pages) tasks(c *fiber.Ctx) error {
	return h.render(c, "projects/project", h.tasksPage)
}

// addTask is the quick add: a title, a list, an assignee (optional) and a due day.
func (h *pages) addTask(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, taskFields...)
	var fe problem.Fields
	in := TaskInput{Title: form.Get("title"), ListID: formID(form, "list_id", &fe), DueOn: form.Get("due_on")}
	if who := formID(form, "assignee_id", &fe); who != 0 {
		in.Assignees = []AssigneeInput{{UserID: who}}
	}
	if err = fe.Err(); err == nil {
		_, err = h.svc.CreateTask(c.UserContext(), actor.From(c), id, in)
	}
	if err != nil {
		if p, ok := problem.As(err); ok && len(p.Errors) > 0 {
			// The service names the field "assignees"; the form's is assignee_id.
			q := *p
			q.Errors = slices.Clone(p.Errors)
			for i := range q.Errors {
				if q.Errors[i].Field == "assignees" {
					q.Errors[i].Field = "assignee_id"
				}
			}
			err = &q
		}
		return h.refuse(c, "projects/project", h.tasksPage, form, err)
	}
	back := web.SafeNext(c.FormValue("back"), slugBase(c)+"/projects/"+itoa(id)+"/tasks")
	return web.Done(c, "projects.task.added", back)
}
