// Package timesheet is time keeping (shared/PRODUCT.md "Timesheets", shared/API.md
// "Timesheets"): people log time on the projects they see — a project and optionally a task of
// it — or on the account's administrative time categories (holiday, training, internal,
// managed by its admins), in integer minutes on calendar days; each person's ISO week
// ("2026-W49") is submitted, then approved (locked) or sent back with a comment by a manager
// of the person, on core/workflow; an administrator reopens a locked week.
//
// # Who sees whose time
//
// Capabilities (policy.csv): timesheet.entries read/write for colleagues (member and up),
// timesheet.categories read for them and manage for admins, timesheet.approvals approve for
// managers and up and reopen for admins. Clients, support and partners hold none. On top, the
// service scopes every sheet (service.go, reach): a person reaches their own; owners and
// admins every colleague's; a manager the sheets of the people in a team with them, and — as
// the leader of a project — the time logged on that project and the weeks that hold some.
// Anyone else's sheet is a 404, as is a person of another account.
//
// # Rules
//
//   - A duration is integer minutes, or text as typed (ParseDuration: 1:30, 1h30, 1.5h, 90m,
//     2h): more than 0, and no more than 24 hours in one day for one person (all entries).
//   - An entry is on a project the person sees, active and no template (the projects module
//     answers through its read port, contract.TimeTargets; this module never imports it),
//     optionally on a task of that project and a project category (a kind of work: design,
//     meetings); or on an administrative category (holiday, training) alone. Categories of
//     either kind are of the account and not archived; a category's kind stays once time is
//     logged on it (service_categories.go).
//   - The capacity profile the person works under that day (core/capacity) may cap the time of a
//     day and of an ISO week: an entry over a cap is a 422 naming it (service_capacity.go).
//     When the account counts in days, durations are typed and shown in days of the person's
//     workday; the API stays in minutes. A job reminds people of an incomplete week
//     (jobs_capacity.go).
//   - A day of a submitted or approved week takes no change: 409. Every write locks the
//     person's week row first (timesheet_weeks, on PostgreSQL FOR UPDATE), so a submission
//     and an entry of the same week never pass together and no entry is lost.
//   - submit (the person, or whoever keeps their sheet; a week without time cannot be
//     submitted), approve and reject (a manager of the person, never the person; reject needs
//     a comment), reopen (admins): each recorded by the workflow, written in the audit trail,
//     published (contract: timesheet.submitted, .approved, .rejected, .reopened — automation
//     rules can use them) and notified (the deciders of a submission, the person of a
//     decision).
//
// # Budgets
//
// A project's budget (service_budgets.go) is lines — the project's total, a job role's or a
// project category's —
// of planned minutes and/or amount; spent is the approved time priced at cost rates
// (core/capacity), pending the rest. Leaders and admins manage it and see amounts; colleagues
// who see the project read the hours. Approval past 80% and 100% of a line publishes
// timesheet.budget_threshold and notifies the leader, once per threshold.
//
// # Pages
//
// /{slug}/timesheet is the actor's weekly grid, /{slug}/timesheet/{user_id}/{week} any week
// of a sheet they reach: rows of project/task/project category or of an administrative
// category ("p12t5c3", "c4": RowKey), a column per day, totals per row,
// day and week; cells take durations as typed; the whole week is one form (saving needs no
// JavaScript; static/grid.js moves between cells with the arrow keys); add a row, copy last
// week's rows, submit; approve, reject and reopen for those who may. /{slug}/timesheet/budgets
// lists the projects with a budget; /{slug}/timesheet/budgets/{project_id} is one with its
// lines, forms and burn-down (SVG). /{slug}/timesheet/categories lists the time categories
// (pages_categories.go); administrators add, change and archive them there.
//
// # Reports and invoicing
//
// service_reports.go sums the time a reader reaches (their own; a manager's teams and led
// projects; admins all) by person, project, client company, category, task, week or month,
// then optionally by a second grouping, with the billable split, and compares task estimates
// with the time logged; /{slug}/timesheet/reports shows it with an SVG bar chart, CSV and XLSX.
// service_invoicing.go turns a client company's approved billable time into draft invoice
// lines, each entry at the first rate there is of: the project's rate for the person, the
// project's rate, the person's own bill rate of that day, their role's (core/capacity); a
// person since erased is a "Former colleague" at the rate frozen at the erasure. An export
// marks the time invoiced (locked: 409) until an administrator undoes it
// (/{slug}/timesheet/invoicing). service_sharing.go shares a project's time report with its
// client company: that company's client users read its approved billable time by week in the
// extranet's time section (/{slug}/portal/time, a hooks.PortalSection).
//
// # Timers, the period lock, the team view (service_timers.go, service_lock.go, service_team.go)
//
// A person runs one timer (on a task, a project or a category); its stop is an entry made by
// CreateEntry's rules, on the day it started in the person's time zone, and a timer that ran
// past midnight needs the time it stopped (409 until then) or is discarded. An administrator's
// period lock closes every day before a date, whatever its week's state. Managers see their
// teams' weeks side by side (administrators everyone) and decide from there. The projects
// module reads the time logged through contract.TimeSpent; an entry that takes a task past its
// estimate (projects' TaskEstimates port) publishes timesheet.estimate_exceeded and notifies
// the project's leader once.
package timesheet

import (
	"embed"

	"groupcamp/core/app"
	"groupcamp/core/web"
	"groupcamp/core/workflow"
	projects "groupcamp/modules/projects/contract"
	"groupcamp/modules/timesheet/contract"
)

//go:embed views locales static policy.csv matrix.csv
var files embed.FS

// Module is the timesheet module.
type Module struct {
	svc *Service
}

// New returns the module.
func New() *Module { return &Module{} }

// Name is the module's name: the URL segment and the Casbin object prefix.
func (*Module) Name() string { return "timesheet" }

// Service is the module's service once registered (for tests and tools).
func (m *Module) Service() *Service { return m.svc }

// routes is where the module registers its routes.
type routes = *app.Registry

// Register declares the capabilities, the workflow, the published events, the port it needs,
// the personal data, the walkers' fixtures, the routes, the pages and the navigation.
func (m *Module) Register(r *app.Registry) error {
	if err := r.Folder(files); err != nil {
		return err
	}
	def := WeekWorkflow()
	r.Workflow(def)
	// The engine of this module's own transitions holds the same definition (the App's engine
	// is not handed to modules; Fire, Find and Start only need the definition).
	engine := workflow.NewEngine()
	engine.Define(def)
	r.Publish(contract.All...)
	m.svc = &Service{DB: r.DB(), Targets: app.Require[projects.TimeTargets](r, projects.TimeTargetsPort), Reports: app.Require[projects.TimeReports](r, projects.TimeReportsPort),
		Workflows: engine, Notifier: r.Notifier(), Capacity: r.Capacity()}
	m.svc.Estimates = app.Require[projects.TaskEstimates](r, projects.TaskEstimatesPort)
	r.Publish(contract.EstimateExceeded)
	app.Provide[contract.TimeSpent](r, contract.TimeSpentPort, timeSpent{m.svc})
	app.Provide[contract.BudgetCards](r, contract.BudgetCardsPort, budgetCards{m.svc}) // port_budget_cards.go
	app.Provide[contract.Actuals](r, contract.ActualsPort, actuals{m.svc})             // port_actuals.go
	app.Provide[contract.TimeLogs](r, contract.TimeLogsPort, gcapiTimeLogs{m.svc})     // port_gcapi.go
	r.PersonalData(personalData{m.svc})
	r.PersonalData(reminderData{m.svc})
	r.PersonalData(timerData{m.svc})
	r.Fixtures(fixtures{})
	h := &handlers{svc: m.svc, web: r.Web()}
	h.apiRoutes(r)
	h.reportRoutes(r)        // http_reports.go
	h.invoicingRoutes(r)     // http_invoicing.go
	h.reportPageRoutes(r)    // before the grid's /timesheet/:user_id/:week
	h.invoicingPageRoutes(r) // the same
	h.budgets(r)             // before pageRoutes: /timesheet/budgets/{id} is no /timesheet/{user_id}/{week}
	h.categoryPageRoutes(r)  // pages_categories.go; before pageRoutes too
	h.pageRoutes(r)
	h.capacityRoutes(r)
	m.reminders(r)
	h.timerRoutes(r)
	h.sharingRoutes(r) // http_sharing.go
	r.Nav(web.NavItem{Label: "timesheet.nav", Path: "/timesheet", Object: "timesheet.entries", Action: "read", Order: 30})
	return nil
}
