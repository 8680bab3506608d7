package projects

// The pages of projects: the list of projects, a project's overview, its tasks as a list, a
// Kanban board and a Gantt chart, and a task's page. They are thin like the API handlers:
// parse, call the Service (which scopes everything to what the viewer may see — a client
// sees only what is shared with their company), render. Every form works without
// JavaScript; kanban.js (core/web/static) only adds drag and drop on top of the board's
// buttons, and gantt.js dragging of the Gantt's bars on top of their date forms.

import (
	"context"
	"embed"
	"io/fs"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
	"groupcamp/core/web"
	"groupcamp/modules/projects/contract"
)

//go:embed views
var viewFiles embed.FS

// pages serve the HTML face of the module.
type pages struct {
	web *web.Renderer
	svc *Service
	// files is the module that shows a project's files, if any (the "files" app).
	files *app.Port[contract.FilesApp]
}

// offers reports whether the pages offer the app: "files" only when a module provides it.
func (h *pages) offers(ap string) bool {
	return ap != "files" || h.files.Has()
}

// registerPages declares the pages with the same capabilities as the API routes they mirror,
// and the navigation entry.
func registerPages(r *app.Registry, svc *Service) error {
	views, _ := fs.Sub(viewFiles, "views")
	if err := r.Views(views, "projects"); err != nil {
		return err
	}
	h := &pages{web: r.Web(), svc: svc, files: app.Optional[contract.FilesApp](r, contract.FilesAppPort)}
	read, create := api.Can("projects", "read"), api.Can("projects", "create")
	readTasks, writeTasks, comment := api.Can("projects.tasks", "read"), api.Can("projects.tasks", "write"), api.Can("projects.comments", "write")

	r.Get("/:slug/projects", read, h.list)
	r.Post("/:slug/projects", create, h.create)
	registerProjectPages(r, h) // before /projects/:id, which would take "new" for an id
	r.Get("/:slug/projects/:id", read, h.overview)
	r.Get("/:slug/projects/:id/tasks", readTasks, h.tasks)
	r.Post("/:slug/projects/:id/tasks", writeTasks, h.addTask)
	r.Post("/:slug/projects/:id/lists", writeTasks, h.addList)
	r.Get("/:slug/projects/:id/board", readTasks, h.board)
	r.Get("/:slug/projects/:id/gantt", readTasks, h.gantt)
	r.Get("/:slug/projects/:id/gantt.svg", readTasks, h.ganttSVG)
	r.Get("/:slug/projects/:id/calendar", readTasks, h.calendar)
	r.Get("/:slug/my-calendar", readTasks, h.myCalendar)
	r.Get("/:slug/tasks/:id/dates", writeTasks, h.datesForm)
	r.Post("/:slug/tasks/:id/dates", writeTasks, h.setDates)
	r.Get("/:slug/tasks/:id", readTasks, h.task)
	r.Post("/:slug/tasks/:id/status", writeTasks, h.setStatus)
	r.Post("/:slug/tasks/:id/comments", comment, h.addComment)
	registerPlanPages(r, h)
	registerListPages(r, h)
	registerTaskDetailsPages(r, h)
	registerTrashPages(r, h)
	registerCategoryPages(r, h) // pages_categories.go

	r.Nav(web.NavItem{Label: "projects.nav", Path: "/projects", Object: "projects", Action: "read", Order: 5})
	r.Nav(web.NavItem{Label: "projects.nav_calendar", Path: "/my-calendar", Object: "tasks", Action: "read", Order: 6})
	r.Portal(hooks.PortalSection{Key: "projects", Label: "projects.portal.label", Intro: "projects.portal.intro", Path: "/projects", Order: 10,
		Has: func(ctx context.Context, a *actor.Actor) (bool, error) {
			ps, err := projectsSeen{svc}.Projects(ctx, a, 1)
			return len(ps) > 0, err
		}})
	return nil
}

// page starts a page with a form (empty unless one is being re-rendered).
func (h *pages) page(c *fiber.Ctx, title string, form *web.Form) *web.Page {
	p := h.web.NewPage(c, title)
	if form == nil {
		form = web.EmptyForm(nil)
	}
	p.Form = form
	return p
}

// pageBuilder makes a page: empty, or with a form being shown again.
type pageBuilder func(*fiber.Ctx, *web.Form) (*web.Page, error)

// render shows the page build makes, with its form empty.
func (h *pages) render(c *fiber.Ctx, view string, build pageBuilder) error {
	p, err := build(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, view, p)
}

// refuse shows the page build makes again with the refused form, err's messages next to its
// fields (web.Renderer.Refuse).
func (h *pages) refuse(c *fiber.Ctx, view string, build pageBuilder, form *web.Form, err error) error {
	p, perr := build(c, form)
	if perr != nil {
		return perr
	}
	return h.web.Refuse(c, view, p, err)
}

func slugBase(c *fiber.Ctx) string { return "/" + actor.From(c).Account.Slug }

// today is the current day in UTC: dates of tasks are days, and "late" compares days.
// today is the reader's calendar day: in their profile's time zone (a task due today in
// Paris is not late at 23:30 UTC of the day before... nor still due at 00:30 in Tokyo).
func (h *pages) today(c *fiber.Ctx) Date { return DateIn(h.svc.now(), actor.From(c).Location()) }

// pageSize is how many rows a step of all fetches: the service's pages are cursor pages,
// and the board and the Gantt need the whole project.
const pageSize = 500

// all walks a cursor listing of the service to the end, or to limit items.
func all[T any](limit int, fetch func(api.Page) (api.List[T], error), id func(T) int64) ([]T, error) {
	var out []T
	pg := api.Page{Limit: pageSize}
	for {
		l, err := fetch(pg)
		if err != nil {
			return nil, err
		}
		out = append(out, l.Items...)
		if l.NextCursor == "" || len(out) >= limit {
			return out, nil
		}
		pg.After = id(l.Items[len(l.Items)-1])
	}
}

// maxTasks bounds what the board and the Gantt load: the chart draws no more rows anyway.
const maxTasks = 5000

func taskID(t Task) int64     { return t.ID }
func listID(l TaskList) int64 { return l.ID }

// allTasks are the tasks of a project the viewer sees, matching f.
func (h *pages) allTasks(c *fiber.Ctx, projectID int64, f TaskFilter) ([]Task, error) {
	return all(maxTasks, func(pg api.Page) (api.List[Task], error) {
		return h.svc.Tasks(c.UserContext(), actor.From(c), projectID, f, pg)
	}, taskID)
}

func (h *pages) allLists(c *fiber.Ctx, projectID int64) ([]TaskList, error) {
	return all(maxTasks, func(pg api.Page) (api.List[TaskList], error) {
		return h.svc.Lists(c.UserContext(), actor.From(c), projectID, pg)
	}, listID)
}

// tab is an entry of a project's tabs.
type tab struct {
	Label, Href string
	Current     bool
}

// projectView is what every page of one project shows: the project, its tabs, the names of
// its people; View names the part of views/project.html to draw.
type projectView struct {
	View    string
	Project *Project
	Base    string // /{slug}/projects/{id}
	Tabs    []tab
	People  map[int64]string
	Client  string
	Percent int
	Done    int // tasks done
	// Logged is the time logged on the tasks shown, by task (time_spent.go; nil: none shown).
	Logged map[int64]*taskTime
}

// loadProject reads the project of the path (404 when the viewer does not see it) and its
// members' names.
func (h *pages) loadProject(c *fiber.Ctx, view string) (*projectView, error) {
	id, err := api.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	a := actor.From(c)
	p, err := h.svc.Project(c.UserContext(), a, id)
	if err != nil {
		return nil, err
	}
	if slices.Contains(AllApps, view) && !p.HasApp(view) {
		return nil, problem.NotFound() // an app the project turned off has no page, not just no tab
	}
	ms, err := h.svc.Members(c.UserContext(), a, id)
	if err != nil {
		return nil, err
	}
	v := &projectView{View: view, Project: p, Base: slugBase(c) + "/projects/" + itoa(id),
		People: make(map[int64]string, len(ms)), Percent: percent(p.Counts), Done: p.Counts.Tasks - p.Counts.OpenTasks}
	for _, m := range ms {
		v.People[m.UserID] = m.Name
	}
	if p.ClientCompanyID != nil {
		if co, err := h.svc.People.Company(c.UserContext(), a, *p.ClientCompanyID); err == nil {
			v.Client = co.Name
		}
	}
	for _, t := range []struct{ view, label, path string }{
		{"overview", "projects.tab.overview", ""}, {"tasks", "projects.tab.tasks", "/tasks"},
		{"board", "projects.tab.board", "/board"}, {"gantt", "projects.tab.gantt", "/gantt"},
		{"calendar", "projects.tab.calendar", "/calendar"},
	} {
		if t.view != "overview" && !p.HasApp(t.view) {
			continue // apps per project (service_templates.go)
		}
		v.Tabs = append(v.Tabs, tab{Label: t.label, Href: v.Base + t.path, Current: t.view == view})
	}
	if p.HasApp("files") && h.files.Has() && a.May("files", "read") {
		// The files app lives in the module that provides it: its tab leads to the project's folders.
		v.Tabs = append(v.Tabs, tab{Label: "files.nav", Href: h.files.Get().ProjectFilesPath(a.Account.Slug, id)})
	}
	// The parts of a project other modules serve (the intranet's wiki and discussions),
	// each guarded by its own module's capability.
	for _, s := range h.svc.Hooks.Sections() {
		if !a.May(s.Object, s.Action) {
			continue
		}
		if s.Shows != nil {
			if ok, err := s.Shows(c.UserContext(), a, id); err != nil || !ok {
				continue // a section that cannot tell hides its tab, it does not fail the page
			}
		}
		v.Tabs = append(v.Tabs, tab{Label: s.Label, Href: v.Base + s.Path, Current: view == s.Module+"."+s.Key})
	}
	if a.May("projects", "manage") {
		v.Tabs = append(v.Tabs, tab{Label: "projects.tab.workflow", Href: v.Base + "/workflow", Current: view == "workflow"})
		v.Tabs = append(v.Tabs, tab{Label: "projects.tab.settings", Href: v.Base + "/settings", Current: view == "settings"})
	}
	return v, nil
}

// nameAssignees adds to v.People the assignees of ts who are not members of the project (a
// colleague assigned in an open project, or removed from it since): without a name their
// avatar would be blank. One query, only when some are missing.
func (h *pages) nameAssignees(c *fiber.Ctx, v *projectView, ts []Task) error {
	var missing []int64
	for _, t := range ts {
		for _, as := range t.Assignees {
			if _, ok := v.People[as.UserID]; !ok && !slices.Contains(missing, as.UserID) {
				missing = append(missing, as.UserID)
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	people, err := h.svc.People.MembersByID(c.UserContext(), actor.From(c), missing)
	for id, m := range people {
		v.People[id] = m.Name
	}
	return err
}

// percent is the share of done tasks.
func percent(c ProjectCounts) int {
	if c.Tasks == 0 {
		return 0
	}
	return (c.Tasks - c.OpenTasks) * 100 / c.Tasks
}

// taskProgress is a task's progress: 100 when done, else the mean of its assignees' parts.
func taskProgress(t *Task) int {
	if t.Status == StatusDone {
		return 100
	}
	if len(t.Assignees) == 0 {
		return 0
	}
	var sum int64
	for _, a := range t.Assignees {
		sum += a.Progress
	}
	return int(sum / int64(len(t.Assignees)))
}

// late reports whether a task that is not done is past its due day.
func late(t *Task, today Date) bool {
	return t.Status != StatusDone && t.DueOn != "" && t.DueOn < today
}

// initials are the two letters of a name shown on a card.
func initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		out = append(out, []rune(strings.ToUpper(w))[0])
		if len(out) == 2 {
			break
		}
	}
	return string(out)
}

// statuses are the board's columns, in order. Custom statuses (Task.CustomStatus) get their
// columns when a later slice lets projects define them.
var statuses = []string{StatusOpen, StatusInProgress, StatusDone}

// fetched reports whether the request comes from kanban.js, which wants a status, not a page.
func fetched(c *fiber.Ctx) bool { return c.Get("X-Requested-With") == "fetch" }

// formID reads an optional positive id field: "" is 0; anything else is a field error.
func formID(f *web.Form, field string, fe *problem.Fields) int64 {
	s := strings.TrimSpace(f.Get(field))
	if s == "" {
		return 0
	}
	id, ok := api.ParseID(s)
	fe.Check(ok, field, "is not a valid choice")
	return id
}

// withQuery is path with q's values (none: the bare path).
func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

func itoa(id int64) string { return strconv.FormatInt(id, 10) }
