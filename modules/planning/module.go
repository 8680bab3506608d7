// Package planning is resource planning (shared/PRODUCT.md "Resource planning", shared/API.md
// "Resource planning"): who works on what, when — resources, allocations, leave, the workload
// heatmap, the availability search, the timeline and plan vs actual.
//
// # Resources
//
// Every colleague of the account (no client, not deactivated) is a person resource. Their row
// in planning_resources is made lazily — one idempotent INSERT … SELECT on the first read of
// the account's resources — rather than computed by a view, because allocations need a stable
// id that survives a placeholder being replaced by the person; and rather than on membership
// events, so that no account's people are ever missing (imports, accounts made before this
// module). A person's name is their profile's, their job role and capacity core/capacity's
// (shared with the timesheet's budgets). Placeholders (a role not yet staffed), equipment and
// rooms are made by planners and work under a capacity profile of their own (or the default).
// A placeholder is replaced by a person (POST .../resources/{id}/assign): the person takes its
// allocations, the placeholder is archived.
//
// # Allocations
//
// A resource booked on a project (optionally a task of it) every working day of a range: a
// number of minutes or a percent of the day's capacity, tentative or confirmed, with a note,
// repeated weekly repeat_weeks more weeks (the range then fits in a week). The project must be
// one the planner sees (the projects module's ProjectsSeen port) and active (its
// PlanningProjects port): this module never imports projects. Booking over capacity is
// allowed — planners book ahead and sort it out — and flagged: the answer carries
// over_allocated and the weeks in conflict. An edit (the timeline's drag, the form) merges
// its fields into the row as read and writes it only if the row is unchanged since (a
// conditional update on updated_at, retried), so two edits at once both land.
//
// # Workload and availability (engine.go)
//
// One pass over sorted intervals: the resources, allocations and approved absences of a period
// are read in three queries (plus core/capacity's two), then each resource's days are filled
// by a sweep with difference arrays and summed per ISO week. Public holidays (core/holidays:
// the account's country, or the resource's own country when set) and approved leave count as
// time away; days off (capacity 0) and days away take no booking (half a day away: half of
// it). The dated task assignments of the projects module (its PlanningProjects port: an
// assignee's estimate laid evenly over the task's working days) count apart, as task_minutes:
// they fill the week and make conflicts like bookings, except a task an allocation of the
// person names, whose plan the allocation is. A client filter keeps the bookings and tasks of
// one client company's projects.
//
// # Leave
//
// Kinds of leave (admin managed on the kinds of leave page; holiday, sick, training, other to
// start with, stored under their English names and shown in the reader's language until
// renamed; paid or not; yearly allowance and carry-over). Leave is whole days, or half of one
// day (morning or afternoon: 0.5 of a balance, half the day's capacity; a morning and an
// afternoon of one day do not overlap). A person requests leave; a manager sharing a team with
// them (or an administrator) approves or rejects it through core/workflow ("planning.absence":
// recorded, audited, notified). Leave overlapping approved leave of the person is refused
// (422), and so is an approval beyond what is left of the kind's allowance of the year (422 on
// type): the approval locks the person's resource row first, so two managers approving two
// requests of one person at once cannot spend the balance twice. Colleagues see who is away
// when; the kind (sick...) only the person and who decides. A person's calendar feed (the
// ical module) carries their allocations and approved leave, a manager's team feed those of
// the team's people (calendar_feed.go).
//
// # Who may do what (policy.csv)
//
// Colleagues read the planning and request their own leave; managers plan (resources,
// allocations) and decide on their teams' leave; administrators manage the kinds of leave.
// Clients, platform support and partners see none of it.
package planning

import (
	"embed"

	"groupcamp/core/app"
	"groupcamp/core/web"
	"groupcamp/core/workflow"
	projects "groupcamp/modules/projects/contract"
	timesheet "groupcamp/modules/timesheet/contract"
)

//go:embed views locales static policy.csv matrix.csv
var files embed.FS

// Module is the planning module.
type Module struct {
	svc *Service
}

// New returns the module.
func New() *Module { return &Module{} }

// Name is the module's name: the URL segment and the Casbin object prefix.
func (*Module) Name() string { return "planning" }

// Service is the module's service once registered (for tests and tools).
func (m *Module) Service() *Service { return m.svc }

// routes is where the module registers its routes.
type routes = *app.Registry

// Register declares the capabilities, the workflow, the ports, the personal data, the
// walkers' fixtures, the routes, the pages and the navigation.
func (m *Module) Register(r *app.Registry) error {
	if err := r.Folder(files); err != nil {
		return err
	}
	def := AbsenceWorkflow()
	r.Workflow(def)
	// The module's own engine holds the same definition (as the timesheet's does).
	engine := workflow.NewEngine()
	engine.Define(def)
	r.Notices("planning.absence_requested", "planning.absence_approved", "planning.absence_rejected")
	m.svc = &Service{DB: r.DB(), Capacity: r.Capacity(), Workflows: engine, Notifier: r.Notifier(),
		Projects: app.Require[projects.PlanningProjects](r, projects.PlanningProjectsPort),
		Seen:     app.Require[projects.ProjectsSeen](r, projects.ProjectsSeenPort),
		Actuals:  app.Optional[timesheet.Actuals](r, timesheet.ActualsPort)}
	r.PersonalData(personalData{m.svc})
	r.Calendar(calendarFeed{m.svc}) // calendar_feed.go
	r.Fixtures(fixtures{})
	h := &handlers{svc: m.svc, web: r.Web()}
	h.apiRoutes(r)
	h.pageRoutes(r)
	r.Nav(web.NavItem{Label: "planning.nav", Path: "/planning", Object: "planning", Action: "read", Order: 35})
	return nil
}
