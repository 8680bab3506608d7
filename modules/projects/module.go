// Package projects is project management: projects with their members and stars, milestones,
// task lists (internal, or shared with chosen client companies), tasks with parallel
// assignees, finish-to-start dependencies that reschedule successors, comments with
// @mentions, and each project's activity feed. Tasks carry details (model_taskdetails.go): a
// custom status of their project (a Kanban column that counts as a base status), labels of
// their project, and a checklist. It serves the JSON API of API.md ("Projects") and the pages,
// both thin layers over one Service, so the rules and the visibility are the same whichever
// way a person comes.
//
// # Pages
//
// Projects (tabs active / starred / templates / archived / trash, filters, stars), a new
// project (blank or from a template) and its settings (fields, apps, members, state); per
// project an overview (progress, overdue, milestones with their form, activity), the task
// list (filters, quick add, lists with a milestone and shared with client companies), the
// Kanban board (a column per status, custom ones included; buttons without JavaScript, drag
// and drop with kanban.js), the Gantt chart (SVG drawn in Go, inlined; bars open a date form,
// gantt.js drags them), the month calendar, the workflow (custom statuses and labels), and
// import/export; per task its page (Markdown description and comments, sanitized; checklist,
// labels, status), its edit page (every field, assignees with estimates, recurrence,
// dependencies) and its date form; and "my calendar" across projects. Notices (assigned,
// mentioned, done, reminders) are translated per recipient and lead to the task.
//
// # Who sees what
//
// Capabilities (policies/): projects:read (also starring), projects:create and
// projects:manage (update, archive, trash, restore, members, sharing lists with clients),
// projects.tasks:read, projects.tasks:write (tasks, dependencies, lists, milestones, checklists) and
// projects.comments:write; a project's custom statuses and labels are read with projects:read and
// managed with projects:manage. On top of them every query is scoped (see scope in
// store.go): owners and admins see every project of the account, managers and members the
// open ones and those they
// are members of, and a client only the projects that allow guests and list them as a client,
// and inside those only the lists shared with their company and what those lists hold —
// tasks, counts, comments, milestones, activity. Whatever the actor may not see is a 404,
// like an id of another account. An id of another account in a body is a 422 naming the
// field; the schema also refuses such links (composite foreign keys on account_id).
//
// # Queries
//
// Every query of the module is a method of store, in the store files (store.go and
// store_<topic>.go), and every store method takes the account's db.Tenant (core/db), which
// scopes each query to the account by construction: the services call store methods and never
// build a query, call db.For or Unscoped (TestQueriesOnlyInTheStore reads the other files and
// fails on any). Reads that a write depends on happen in the write's transaction, the row
// locked on PostgreSQL, and a change writes only the columns it changes. The jobs that cross
// accounts (purge, reminders, recurrence) list the accounts with work through the one unscoped
// method, store.unscopedAccounts, then work account by account through each one's Tenant.
// TestStoreNeverCrossesAccounts calls every store method as another account.
//

// # Rules
//
//   - Dates are days ("YYYY-MM-DD"); a task is not due before it starts, a project does not
//     end before it starts.
//   - A task is done when every assignee has completed their part (progress 100), or when
//     someone sets it done; reporting progress puts an open task in progress.
//   - When a task's due date moves, each successor that would start before that day + 1
//     working day (Monday to Friday) starts then, keeping its duration in working days; its
//     own successors follow. Done tasks do not move; nothing moves earlier. Adding a
//     dependency applies the same rule at once. A dependency that would close a cycle is a
//     422 that names the cycle.
//   - An archived project is read-only until restored. A trashed project (DELETE) is seen
//     only by those who may restore it, for TrashDays; then a daily job purges it with
//     everything in it.
//   - A deleted task goes to its project's trash (service_trash.go): out of every view and
//     count, restorable whole (POST .../tasks/{id}/restore) for TrashDays, then purged by the
//     same daily job.
//   - A project marked is_template is a template: GET .../projects lists templates only with
//     ?templates=true (both kinds with ?templates=any), in any state; their tasks stay out of
//     "my tasks" and reminders. POST .../projects with template_id copies any project the
//     creator sees (members, milestones, lists and their sharing, tags, settings and, unless
//     copy_tasks is false, its tasks reset to open with their assignees and dependencies),
//     every date shifted by new starts_on - template starts_on, in one transaction; see
//     service_templates.go.
//
// # Events
//
// Emitted with events.EmitBy in the transaction of the change (so they exist exactly when the
// change does), by the actor:
//
//   - task.created   TaskEvent: the task; user_ids are its assignees
//   - task.assigned  TaskEvent: user_ids are the people newly assigned (on creation too)
//   - task.completed TaskEvent: user_ids are the assignees
//   - task.rescheduled RescheduleEvent: new and previous days, and the predecessor that
//     pushed it (cause_task_id); one event per moved task and change
//   - comment.added  CommentEvent: mentioned_user_ids are the project members the comment
//     mentions (@Alice — a first name or the start of a name that names one person —,
//     @Full Name or @email) who can see the task, other than the author. Its notices go to
//     those mentioned and to the task's other followers (service_followers.go); plugin names
//     the partner plugin that posted it on author_id's behalf (omitted for a person's own),
//     and its notices and feed line read "<plugin> (on behalf of <author>)". Editing a
//     comment (its author only; marked edited_at) emits nothing: a person an edit newly
//     mentions is not notified. Deleting a list with ?tasks=delete deletes its tasks for good
//     (see service_lists.go); a list holding tasks is otherwise 409.
//   - project.archived ProjectEvent
//
// Task and comment events carry list_id, so that a subscriber telling people about them can
// apply the same visibility as the API (a client sees only lists shared with their company).
package projects

import (
	"embed"
	"io/fs"

	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/hooks"
	"groupcamp/modules/projects/contract"
	timesheet "groupcamp/modules/timesheet/contract"
)

//go:embed locales static policy.csv matrix.csv
var files embed.FS

// Module is the projects module.
type Module struct {
	svc *Service
}

// New returns the module.
func New() *Module { return &Module{} }

// Name is the module's name: the URL segment and the Casbin object prefix.
func (*Module) Name() string { return "projects" }

// Service is the module's service once registered (for tests, load tools and the pages).
func (m *Module) Service() *Service { return m.svc }

// Register declares the capabilities (policy.csv, matrix.csv), the published events
// (contract), the static files, the API routes with their capabilities, the jobs and the
// catalogs.
// The navigation entry comes with the pages.
func (m *Module) Register(r *app.Registry) error {
	policy, _ := files.ReadFile("policy.csv")
	matrix, _ := files.ReadFile("matrix.csv")
	r.Capabilities(string(policy), string(matrix))
	r.Publish(contract.All...)
	// The daily reminders (reminders.go) and the comments on the tasks one follows
	// (service_followers.go): preferences of their own.
	r.Notices("task.reminder", "task.commented")
	r.Fixtures(fixtures{})
	static, _ := fs.Sub(files, "static")
	if err := r.Assets(static); err != nil {
		return err
	}
	locales, _ := fs.Sub(files, "locales")
	if err := r.Locales(locales); err != nil {
		return err
	}
	m.svc = NewService(r.DB(), r.People())
	m.svc.Hooks = r.Hooks()
	r.PersonalData(personalData{m.svc}) // privacy.go
	r.Search(searchSource{m.svc})       // search.go
	registerJobs(r, m.svc)
	registerRecurring(r, m.svc)

	h := &handlers{svc: m.svc}
	const tag = "Projects"
	read, create, manage := api.Can("projects", "read"), api.Can("projects", "create"), api.Can("projects", "manage")
	readTasks, writeTasks, comment := api.Can("projects.tasks", "read"), api.Can("projects.tasks", "write"), api.Can("projects.comments", "write")
	const base = "/api/v1/:slug/projects"

	r.Get(base, read, h.listProjects, api.Doc{Summary: "List the projects you see", Tag: tag, Response: api.List[Project]{},
		Query: append([]api.Param{{Name: "state", Type: "string", Description: "active (default), archived or trash (project managers)"},
			{Name: "starred", Type: "boolean", Description: "only the projects you starred"}}, append(append([]api.Param{}, searchQuery...), pageQuery...)...)})
	r.Post(base, create, h.createProject, api.Doc{Summary: "Create a project, blank or from another one (template_id: its members, milestones, lists, tags and tasks, dates shifted)", Tag: tag, Request: ProjectInput{}, Response: Project{}, Status: 201})
	r.Get(base+"/:id", read, h.project, api.Doc{Summary: "One project", Tag: tag, Response: Project{}})
	r.Patch(base+"/:id", manage, h.updateProject, api.Doc{Summary: "Change a project", Tag: tag, Request: ProjectPatch{}, Response: Project{}})
	r.Delete(base+"/:id", manage, projectState(m.svc.TrashProject), api.Doc{Summary: "Move a project to the trash (restorable for 30 days)", Tag: tag, Response: Project{}})
	r.Post(base+"/:id/archive", manage, projectState(m.svc.ArchiveProject), api.Doc{Summary: "Archive a project (read-only)", Tag: tag, Response: Project{}})
	r.Post(base+"/:id/restore", manage, projectState(m.svc.RestoreProject), api.Doc{Summary: "Bring an archived or trashed project back", Tag: tag, Response: Project{}})
	r.Put(base+"/:id/star", read, h.star(true), api.Doc{Summary: "Star a project", Tag: tag, Status: 204})
	r.Delete(base+"/:id/star", read, h.star(false), api.Doc{Summary: "Unstar a project", Tag: tag, Status: 204})

	r.Get(base+"/:id/members", read, h.members, api.Doc{Summary: "The members of a project", Tag: tag, Response: MemberList{}})
	r.Put(base+"/:id/members/:user_id", manage, api.Change("id", "user_id", m.svc.SetMember), api.Doc{Summary: "Add a person to a project or change their role", Tag: tag, Request: MemberInput{}, Response: ProjectMember{}})
	r.Delete(base+"/:id/members/:user_id", manage, api.Remove("id", "user_id", m.svc.RemoveMember), api.Doc{Summary: "Remove a person from a project", Tag: tag, Status: 204})

	r.Get(base+"/:id/milestones", read, api.Paged("id", m.svc.Milestones), api.Doc{Summary: "The milestones of a project", Tag: tag, Response: api.List[Milestone]{}, Query: pageQuery})
	r.Post(base+"/:id/milestones", writeTasks, api.Create("id", m.svc.CreateMilestone), api.Doc{Summary: "Add a milestone", Tag: tag, Request: MilestoneInput{}, Response: Milestone{}, Status: 201})
	r.Patch(base+"/:id/milestones/:milestone_id", writeTasks, api.Change("id", "milestone_id", m.svc.UpdateMilestone), api.Doc{Summary: "Rename, move, complete or reopen a milestone", Tag: tag, Request: MilestonePatch{}, Response: Milestone{}})
	r.Delete(base+"/:id/milestones/:milestone_id", writeTasks, api.Remove("id", "milestone_id", m.svc.DeleteMilestone), api.Doc{Summary: "Delete a milestone (its lists stay, in no milestone)", Tag: tag, Status: 204})
	r.Get(base+"/:id/lists", readTasks, api.Paged("id", m.svc.Lists), api.Doc{Summary: "The task lists of a project", Tag: tag, Response: api.List[TaskList]{}, Query: pageQuery})
	r.Post(base+"/:id/lists", writeTasks, api.Create("id", m.svc.CreateList), api.Doc{Summary: "Add a task list (sharing it with clients: project managers)", Tag: tag, Request: ListInput{}, Response: TaskList{}, Status: 201})
	r.Patch(base+"/:id/lists/:list_id", writeTasks, api.Change("id", "list_id", m.svc.UpdateList), api.Doc{Summary: "Rename a task list, move it to a milestone (null: none) or change whom it is shared with (project managers)", Tag: tag, Request: ListPatch{}, Response: TaskList{}})
	r.Delete(base+"/:id/lists/:list_id", writeTasks, h.deleteList, api.Doc{Summary: "Move a task list to the project's trash (restorable for 30 days): 409 while it holds tasks, unless tasks=delete takes them with it", Tag: tag, Status: 204,
		Query: []api.Param{{Name: "tasks", Type: "string", Enum: []string{"delete"}, Description: "delete: the list's tasks go to the trash with it (and come back with it)"}}})
	r.Post(base+"/:id/lists/:list_id/restore", writeTasks, h.restoreList, api.Doc{Summary: "Bring a task list back from the trash with the tasks that went with it (410 after 30 days)", Tag: tag, Response: TaskList{}})
	r.Get(base+"/:id/trash/lists", writeTasks, h.trashedLists, api.Doc{Summary: "The task lists in a project's trash, newest first, with the tasks that went with each and when it is purged", Tag: tag, Response: TrashedLists{}})
	r.Get(base+"/:id/tasks", readTasks, h.tasks, api.Doc{Summary: "The tasks of a project", Tag: tag, Response: api.List[Task]{}, Query: append(append([]api.Param{}, taskQuery...), pageQuery...)})
	r.Post(base+"/:id/tasks", writeTasks, h.createTask, api.Doc{Summary: "Add a task", Tag: tag, Request: TaskInput{}, Response: Task{}, Status: 201})
	r.Get(base+"/:id/activity", read, api.Paged("id", m.svc.Activity), api.Doc{Summary: "The activity feed of a project, newest first", Tag: tag, Response: api.List[Activity]{}, Query: pageQuery})

	r.Get("/api/v1/:slug/tasks/:id", readTasks, h.task, api.Doc{Summary: "One task", Tag: tag, Response: Task{}})
	r.Patch("/api/v1/:slug/tasks/:id", writeTasks, h.updateTask, api.Doc{Summary: "Change a task: status, dates, assignees and their progress", Tag: tag, Request: TaskPatch{}, Response: Task{}})
	r.Delete("/api/v1/:slug/tasks/:id", writeTasks, h.deleteTask, api.Doc{Summary: "Move a task to its project's trash (restorable for 30 days)", Tag: tag, Status: 204})
	r.Post("/api/v1/:slug/tasks/:id/restore", writeTasks, h.restoreTask, api.Doc{Summary: "Bring a task back from the trash (410 after 30 days)", Tag: tag, Response: Task{}})
	r.Get(base+"/:id/trash", writeTasks, api.Paged("id", m.svc.Trash), api.Doc{Summary: "The tasks in a project's trash, newest first, with when each is purged", Tag: tag, Response: api.List[Task]{}, Query: pageQuery})
	r.Post("/api/v1/:slug/tasks/:id/dependencies", writeTasks, h.addDependency, api.Doc{Summary: "Make a task wait for another (finish to start)", Tag: tag, Request: DependencyInput{}, Response: Dependency{}, Status: 201})
	r.Delete("/api/v1/:slug/tasks/:id/dependencies/:pred_id", writeTasks, api.Remove("id", "pred_id", m.svc.RemoveDependency), api.Doc{Summary: "Remove a dependency", Tag: tag, Status: 204})
	r.Get("/api/v1/:slug/tasks/:id/comments", readTasks, api.Paged("id", m.svc.Comments), api.Doc{Summary: "The comments of a task, oldest first", Tag: tag, Response: api.List[Comment]{}, Query: pageQuery})
	r.Post("/api/v1/:slug/tasks/:id/comments", comment, api.Create("id", m.svc.AddComment), api.Doc{Summary: "Comment on a task (@mentions of project members)", Tag: tag, Request: CommentInput{}, Response: Comment{}, Status: 201})
	r.Patch("/api/v1/:slug/comments/:id", comment, h.updateComment, api.Doc{Summary: "Edit your comment (marked edited; a new mention notifies no one)", Tag: tag, Request: CommentPatch{}, Response: Comment{}})
	r.Delete("/api/v1/:slug/comments/:id", comment, h.deleteComment, api.Doc{Summary: "Delete a comment: its author, or a project manager", Tag: tag, Status: 204})
	r.Get("/api/v1/:slug/tasks/:id/followers", readTasks, h.followers, api.Doc{Summary: "Who follows a task (its author and assignees unless they unfollowed, and who chose to), and whether you do", Tag: tag, Response: FollowerList{}})
	r.Put("/api/v1/:slug/tasks/:id/follow", readTasks, h.follow(true), api.Doc{Summary: "Follow a task: hear of its comments", Tag: tag, Status: 204})
	r.Delete("/api/v1/:slug/tasks/:id/follow", readTasks, h.follow(false), api.Doc{Summary: "Stop following a task", Tag: tag, Status: 204})
	r.Get("/api/v1/:slug/my-tasks", readTasks, h.myTasks, api.Doc{Summary: "The tasks assigned to you in the active projects you see", Tag: tag, Response: api.List[Task]{}, Query: append(append([]api.Param{}, taskQuery...), pageQuery...)})
	registerTaskDetails(r, h)
	registerCategories(r, h) // http_categories.go
	registerTransfer(r, m.svc)
	registerHome(r, m.svc)
	r.Companies(companyUses{m.svc})
	r.Calendar(calendarFeed{m.svc})
	app.Provide[contract.TimeTargets](r, contract.TimeTargetsPort, timeTargets{m.svc}) // port_time.go
	app.Provide[contract.TimeReports](r, contract.TimeReportsPort, timeTargets{m.svc})
	// The tasks' estimates for the timesheet (port_estimates.go); the time it logged, shown on
	// the project and task pages when it is there (time_spent.go).
	app.Provide[contract.TaskEstimates](r, contract.TaskEstimatesPort, taskEstimates{m.svc})
	m.svc.spent = app.Optional[timesheet.TimeSpent](r, timesheet.TimeSpentPort)
	m.svc.budgets = app.Optional[timesheet.BudgetCards](r, timesheet.BudgetCardsPort)

	// port_files.go: which projects a person sees, for the files module's project folders.
	app.Provide[contract.ProjectsSeen](r, contract.ProjectsSeenPort, projectsSeen{m.svc})
	// port_spaces.go: who sees a project, for the intranet's project wiki and discussions.
	app.Provide[hooks.ProjectAccess](r, hooks.ProjectAccessPort, projectAccess{m.svc})
	// port_extranet.go: the projects a client company is a client of, for its deliverables.
	app.Provide[contract.ClientProjects](r, contract.ClientProjectsPort, clientProjects{m.svc})
	app.Provide[contract.ProjectPeople](r, contract.ProjectPeoplePort, projectPeople{m.svc})
	app.Provide[contract.PlanningProjects](r, contract.PlanningProjectsPort, planningProjects{m.svc}) // port_planning.go
	app.Provide[contract.Groups](r, contract.GroupsPort, gcapiGroups{m.svc})                          // port_gcapi.go
	app.Provide[contract.PluginReads](r, contract.PluginReadsPort, pluginReads{m.svc})                // port_plugins.go
	app.Provide[contract.PluginComments](r, contract.PluginCommentsPort, pluginComments{m.svc})       // port_plugin_comments.go
	// port_attachments.go: which tasks a person sees, for the files module's attachments; the
	// task page lists them through the files module's port when it is there.
	app.Provide[contract.TasksSeen](r, contract.TasksSeenPort, tasksSeen{m.svc})
	app.Provide[contract.TasksGone](r, contract.TasksGonePort, tasksGone{}) // and which are gone
	m.svc.attachments = app.Optional[contract.TaskAttachments](r, contract.TaskAttachmentsPort)
	m.svc.recentFiles = app.Optional[contract.ProjectFiles](r, contract.ProjectFilesPort) // the overview's latest files
	// port_mailin.go: replies to task notifications comment, mail to a project's address adds
	// a task.
	r.MailIn(MailTask, taskReplies{m.svc})
	r.MailIn(MailProject, projectDrops{m.svc, r.Web().Catalog})
	return registerPages(r, m.svc)
}
