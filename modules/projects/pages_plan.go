package projects

// Planning in the browser: a task's edit page (title, list, description, dates, priority,
// assignees with their estimates, recurrence) with its dependencies (add a task it waits for,
// remove one), and the milestones of a project from its overview. Every form posts to a page
// route that calls the same Service as the API, so the rules are the API's: a move of the due
// date reschedules successors, a dependency that would close a cycle is refused and the
// refusal names the cycle next to the field.

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// registerPlanPages declares the planning forms (projects.tasks:write, like the API routes they mirror).
func registerPlanPages(r *app.Registry, h *pages) {
	writeTasks := api.Can("projects.tasks", "write")
	r.Get("/:slug/tasks/:id/edit", writeTasks, h.editTask)
	r.Post("/:slug/tasks/:id/edit", writeTasks, h.saveTask)
	r.Post("/:slug/tasks/:id/dependencies", writeTasks, h.addPredecessor)
	r.Post("/:slug/tasks/:id/dependencies/:pred_id/remove", writeTasks, h.removePredecessor)
	r.Post("/:slug/projects/:id/milestones", writeTasks, h.addMilestone)
	r.Get("/:slug/projects/:id/milestones/:milestone_id/edit", writeTasks, h.editMilestone)
	r.Post("/:slug/projects/:id/milestones/:milestone_id/edit", writeTasks, h.saveMilestone)
	r.Post("/:slug/projects/:id/milestones/:milestone_id/complete", writeTasks, h.completeMilestone)
	r.Post("/:slug/projects/:id/milestones/:milestone_id/delete", writeTasks, h.deleteMilestone)
}

// editFields are the edit form's fields, named like the API's so that its field errors land
// next to them.
var editFields = []string{"title", "list_id", "description", "starts_on", "due_on", "priority", "recurrence.every", "recurrence.interval", "predecessor_id"}

// maxCandidates bounds the "waits for" choice: a project's other tasks, by title.
const maxCandidates = 1000

// assigneeChoice is a project member in the edit form: assigned or not, with their estimate.
type assigneeChoice struct {
	UserID   int64
	Name     string
	Checked  bool
	Estimate string // hours, as typed or as stored
}

// editData is the edit page of a task.
type editData struct {
	Task        *Task
	Project     *Project
	ProjectURL  string
	TaskURL     string
	ListOptions [][]string
	Priorities  [][]string
	Every       [][]string
	People      []assigneeChoice
	Before      []Task     // what the task waits for now
	Candidates  [][]string // tasks it could wait for: id, title
	After       []Task     // the tasks that wait for it (never offered: a cycle)
}

func (h *pages) editPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	tb, err := h.loadTask(c)
	if err != nil {
		return nil, err
	}
	a, ctx, t, pr, id := actor.From(c), c.UserContext(), tb.Task, tb.Project, tb.Task.ID
	members, lists, _, err := h.peopleAndLists(c, t.ProjectID)
	if err != nil {
		return nil, err
	}
	others, err := all(maxCandidates, func(pg api.Page) (api.List[Task], error) {
		return h.svc.Tasks(ctx, a, t.ProjectID, TaskFilter{}, pg)
	}, taskID)
	if err != nil {
		return nil, err
	}
	d := &editData{Task: t, Project: pr, ProjectURL: slugBase(c) + "/projects/" + itoa(pr.ID), TaskURL: slugBase(c) + "/tasks/" + itoa(id),
		Priorities: [][]string{{PriorityLow, "projects.priority.low"}, {PriorityNormal, "projects.priority.normal"},
			{PriorityHigh, "projects.priority.high"}, {PriorityUrgent, "projects.priority.urgent"}},
		Every: [][]string{{EveryNone, "projects.recurrence.none"}, {EveryDay, "projects.recurrence.day"},
			{EveryWeek, "projects.recurrence.week"}, {EveryMonth, "projects.recurrence.month"}}}
	for _, l := range lists {
		d.ListOptions = append(d.ListOptions, []string{itoa(l.ID), l.Name})
	}
	waits := map[int64]bool{}
	for _, p := range t.PredecessorIDs {
		waits[p] = true
	}
	// Offer only what may be chosen: not the task itself, nor a task that waits for it.
	downstream, err := h.svc.Downstream(ctx, a, t.ProjectID, id)
	if err != nil {
		return nil, err
	}
	for _, o := range others {
		switch {
		case waits[o.ID]:
			d.Before = append(d.Before, o)
		case o.ID != t.ID && !downstream[o.ID]:
			d.Candidates = append(d.Candidates, []string{itoa(o.ID), o.Title})
		}
		if slices.Contains(t.SuccessorIDs, o.ID) {
			d.After = append(d.After, o)
		}
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"title": t.Title, "list_id": itoa(t.ListID), "description": t.Description,
			"starts_on": string(t.StartsOn), "due_on": string(t.DueOn), "priority": t.Priority, "recurrence.every": EveryNone, "recurrence.interval": "1"})
		if r := t.Recurrence; r != nil {
			form.Values["recurrence.every"], form.Values["recurrence.interval"] = r.Every, strconv.Itoa(r.Interval)
		}
	}
	d.People = choices(c, members, t.Assignees, form)
	p := h.page(c, t.Title, form)
	p.Data = d
	return p, nil
}

// choices are the members with what the form says of them: the submitted choice after a
// refused form, else the task's assignees.
func choices(c *fiber.Ctx, members []ProjectMember, assigned []Assignee, form *web.Form) []assigneeChoice {
	// After a refused edit form, show what was submitted (the dependency form has no title).
	submitted := c.Method() == fiber.MethodPost && c.Request().PostArgs().Has("title")
	picked := map[string]bool{}
	for _, v := range c.Request().PostArgs().PeekMulti("assignee") {
		picked[string(v)] = true
	}
	stored := map[int64]Assignee{}
	for _, as := range assigned {
		stored[as.UserID] = as
	}
	out := make([]assigneeChoice, 0, len(members))
	for _, m := range members {
		if _, assigned := stored[m.UserID]; m.Role == RoleClient && !assigned {
			continue // clients are not assigned tasks: offering them only leads to a refusal
		}
		ch := assigneeChoice{UserID: m.UserID, Name: m.Name}
		if submitted {
			ch.Checked, ch.Estimate = picked[itoa(m.UserID)], strings.Clone(c.FormValue("estimate_"+itoa(m.UserID)))
		} else if as, ok := stored[m.UserID]; ok {
			ch.Checked = true
			if as.EstimateMinutes > 0 {
				ch.Estimate = strconv.FormatFloat(float64(as.EstimateMinutes)/60, 'f', -1, 64)
			}
		}
		out = append(out, ch)
	}
	return out
}

func (h *pages) editTask(c *fiber.Ctx) error {
	return h.render(c, "projects/task_edit", h.editPage)
}

// maxEstimateHours bounds an estimate typed in hours (the API bounds minutes the same way).
const maxEstimateHours = 10000

// saveTask applies the edit form: every field at once, as one PATCH.
func (h *pages) saveTask(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, editFields...)
	in, err := editPatch(c, form)
	if err == nil {
		_, err = h.svc.UpdateTask(c.UserContext(), actor.From(c), id, in)
	}
	if err != nil {
		return h.refuse(c, "projects/task_edit", h.editPage, form, err)
	}
	return web.Done(c, "projects.task.saved", slugBase(c)+"/tasks/"+itoa(id))
}

// editPatch reads the edit form into a TaskPatch; what the form itself cannot read (a list id
// that is not a number, an estimate that is not hours) is a field error.
func editPatch(c *fiber.Ctx, form *web.Form) (TaskPatch, error) {
	var f problem.Fields
	in := TaskPatch{}
	title, desc, starts, due, prio := form.Get("title"), form.Get("description"), form.Get("starts_on"), form.Get("due_on"), form.Get("priority")
	in.Title, in.Description, in.StartsOn, in.DueOn, in.Priority = &title, &desc, &starts, &due, &prio
	if list, err := strconv.ParseInt(form.Get("list_id"), 10, 64); err == nil {
		in.ListID = &list
	} else {
		f.Add("list_id", "choose a list")
	}
	assignees := []AssigneeInput{}
	for _, v := range c.Request().PostArgs().PeekMulti("assignee") {
		uid, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil {
			f.Add("assignees", "choose people of the project")
			break
		}
		a := AssigneeInput{UserID: uid}
		if s := strings.TrimSpace(strings.ReplaceAll(c.FormValue("estimate_"+itoa(uid)), ",", ".")); s != "" {
			hours, err := strconv.ParseFloat(s, 64)
			if err != nil || hours < 0 || hours > maxEstimateHours || math.IsNaN(hours) {
				f.Add("assignees", "an estimate is a number of hours, from 0 to 10000")
				break
			}
			a.EstimateMinutes = int64(math.Round(hours * 60))
		}
		assignees = append(assignees, a)
	}
	in.Assignees = &assignees
	switch every := form.Get("recurrence.every"); every {
	case "", EveryNone:
		in.Recurrence = &RecurrenceInput{Every: EveryNone}
	default:
		n, err := strconv.Atoi(form.Get("recurrence.interval"))
		if err != nil {
			f.Add("recurrence.interval", "must be a whole number")
		}
		in.Recurrence = &RecurrenceInput{Every: every, Interval: n}
	}
	return in, f.Err()
}

// addPredecessor makes the task wait for the chosen one; a cycle comes back next to the field.
func (h *pages) addPredecessor(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "predecessor_id")
	pred, perr := strconv.ParseInt(form.Get("predecessor_id"), 10, 64)
	if perr != nil {
		err = problem.Invalid(problem.FieldError{Field: "predecessor_id", Message: "choose a task"})
	} else {
		_, _, err = h.svc.AddDependency(c.UserContext(), actor.From(c), id, DependencyInput{PredecessorID: pred})
	}
	if err != nil {
		// The page comes back with the task's fields as stored and the choice next to its error.
		p, perr := h.editPage(c, nil)
		if perr != nil {
			return perr
		}
		p.Form.Values["predecessor_id"] = form.Get("predecessor_id")
		return h.web.Refuse(c, "projects/task_edit", p, err)
	}
	return web.Done(c, "projects.dependency.added", slugBase(c)+"/tasks/"+itoa(id)+"/edit#dependencies")
}

func (h *pages) removePredecessor(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	pred, err := api.PathID(c, "pred_id")
	if err != nil {
		return err
	}
	if err := h.svc.RemoveDependency(c.UserContext(), actor.From(c), id, pred); err != nil {
		return err
	}
	return web.Done(c, "projects.dependency.removed", slugBase(c)+"/tasks/"+itoa(id)+"/edit#dependencies")
}

// addMilestone adds a milestone from the overview; a refusal re-renders the overview.
func (h *pages) addMilestone(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "name", "due_on")
	if _, err := h.svc.CreateMilestone(c.UserContext(), actor.From(c), id, MilestoneInput{Name: form.Get("name"), DueOn: form.Get("due_on")}); err != nil {
		return h.refuse(c, "projects/project", h.overviewPage, form, err)
	}
	return web.Done(c, "projects.milestone.added", slugBase(c)+"/projects/"+itoa(id)+"#ov-milestones")
}

// listChoices are the add-list form's choices: the project's open milestones, and — for who
// may share lists with clients — the account's client companies.
type listChoices struct {
	MilestoneOptions [][]string // id, name; the first is "none"
	Companies        []companyChoice
}

// companyChoice is a client company in the add-list form.
type companyChoice struct {
	ID      int64
	Name    string
	Checked bool
}

func (h *pages) listChoices(c *fiber.Ctx, projectID int64) (listChoices, error) {
	a, ctx := actor.From(c), c.UserContext()
	var out listChoices
	ms, err := h.svc.Milestones(ctx, a, projectID, api.Page{Limit: api.MaxLimit})
	if err != nil {
		return out, err
	}
	if len(ms.Items) > 0 {
		out.MilestoneOptions = [][]string{{"", "—"}}
		for _, m := range ms.Items {
			if m.CompletedAt == nil {
				out.MilestoneOptions = append(out.MilestoneOptions, []string{itoa(m.ID), m.Name})
			}
		}
	}
	if !a.May("projects", "manage") {
		return out, nil
	}
	picked := map[string]bool{}
	for _, v := range c.Request().PostArgs().PeekMulti("company_id") {
		picked[string(v)] = true
	}
	cos, err := all(maxCandidates, func(pg api.Page) (api.List[identity.Company], error) {
		return h.svc.People.ListCompanies(ctx, a, pg)
	}, func(co identity.Company) int64 { return co.ID })
	if err != nil {
		return out, err
	}
	for _, co := range cos {
		if co.Kind == identity.KindClient {
			out.Companies = append(out.Companies, companyChoice{ID: co.ID, Name: co.Name, Checked: picked[itoa(co.ID)]})
		}
	}
	return out, nil
}

// listInput reads the add-list form: checking client companies shares the list with them.
func listInput(c *fiber.Ctx, form *web.Form) (ListInput, error) {
	in := ListInput{Name: form.Get("name")}
	var f problem.Fields
	if s := form.Get("milestone_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		f.Check(err == nil, "milestone_id", "choose a milestone")
		in.MilestoneID = id
	}
	for _, v := range c.Request().PostArgs().PeekMulti("company_id") {
		id, err := strconv.ParseInt(string(v), 10, 64)
		if err != nil {
			f.Add("company_ids", "choose client companies")
			break
		}
		in.CompanyIDs = append(in.CompanyIDs, id)
	}
	if len(in.CompanyIDs) > 0 {
		in.Visibility = VisibilityClients
	}
	return in, f.Err()
}

// completeMilestone marks a milestone done from the overview.
func (h *pages) completeMilestone(c *fiber.Ctx) error {
	ids, err := pathIDs(c, "id", "milestone_id")
	if err != nil {
		return err
	}
	done := true
	if _, err := h.svc.UpdateMilestone(c.UserContext(), actor.From(c), ids[0], ids[1], MilestonePatch{Completed: &done}); err != nil {
		return err
	}
	return web.Done(c, "projects.milestone.completed", slugBase(c)+"/projects/"+itoa(ids[0])+"#ov-milestones")
}

// deleteMilestone deletes a milestone from the overview (after its confirmation).
func (h *pages) deleteMilestone(c *fiber.Ctx) error {
	ids, err := pathIDs(c, "id", "milestone_id")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteMilestone(c.UserContext(), actor.From(c), ids[0], ids[1]); err != nil {
		return err
	}
	return web.Done(c, "projects.milestone.deleted", slugBase(c)+"/projects/"+itoa(ids[0])+"#ov-milestones")
}

// milestonePage is the form that renames or moves a milestone.
func (h *pages) milestonePage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	ids, err := pathIDs(c, "id", "milestone_id")
	if err != nil {
		return nil, err
	}
	a, ctx := actor.From(c), c.UserContext()
	pr, err := h.svc.writableProject(ctx, h.svc.tenant(scopeOf(a)), scopeOf(a), ids[0])
	if err != nil {
		return nil, err
	}
	m, err := h.svc.store.milestone(ctx, h.svc.tenantOf(pr.AccountID), pr.ID, ids[1])
	if err != nil {
		return nil, err
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"name": m.Name, "due_on": string(m.DueOn)})
	}
	p := h.page(c, m.Name, form)
	p.Data = struct {
		Project    *Project
		Milestone  *Milestone
		ProjectURL string
	}{pr, m, slugBase(c) + "/projects/" + itoa(pr.ID)}
	return p, nil
}

func (h *pages) editMilestone(c *fiber.Ctx) error {
	return h.render(c, "projects/milestone", h.milestonePage)
}

func (h *pages) saveMilestone(c *fiber.Ctx) error {
	ids, err := pathIDs(c, "id", "milestone_id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "name", "due_on")
	name, due := form.Get("name"), form.Get("due_on")
	if _, err := h.svc.UpdateMilestone(c.UserContext(), actor.From(c), ids[0], ids[1], MilestonePatch{Name: &name, DueOn: &due}); err != nil {
		return h.refuse(c, "projects/milestone", h.milestonePage, form, err)
	}
	return web.Done(c, "projects.milestone.saved", slugBase(c)+"/projects/"+itoa(ids[0])+"#ov-milestones")
}
