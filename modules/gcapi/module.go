// Package gcapi is the GroupCamp-compatible API (issue 20, shared/API.md "GroupCamp-compatible
// API"): GroupCamp's customers' scripts run against us unchanged but for the host name. It
// serves GroupCamp's paths at the root of the server — /core/v1/... (application
// provisioning-1) and /task/v1/..., /track/v1/... (reporting-1) — with GroupCamp's JSON names,
// units, errors and paging, over the other modules' ports (projects' contract.Groups,
// timesheet's contract.TimeLogs and contract.TimeSpent) and the core's people and companies.
// It owns no business data: only the account's key pairs and the pages of "full" answers.
//
// # Authentication (GroupCamp's Auth.md)
//
// Every request names its application (X-Gcmp-Application: provisioning-1 or reporting-1), its
// acting person (X-Gcmp-Acting: an email or a user id of the account) and its key
// (Authorization: GCMP key:signature), the signature being base64(HMAC-SHA1(secret,
// METHOD::path::body)) over the path as sent (no query string, a trailing slash kept) and the
// raw body. The secret is sealed at rest (core/seal, bound to its row) and compared in
// constant time. An unknown or revoked key, a key of the other application, a bad signature
// or an acting person who is not an active member: 401 {"error": "unauthorized"}, whatever the
// reason. Each key is throttled (PerSecond, Burst: 429 too_many_requests beyond). The request
// then runs as the acting person with the role admin of the key's account — GroupCamp checks
// no right of the acting person, who is only the one the history names — so the modules'
// own audit entries name them, and each write also leaves a gcapi.write entry with its key.
//
// # Answers
//
// Success: {"result": ...} (or a paged object, Paging.md). Anything else: a JSON object with
// "error" (unauthorized, bad_request, forbidden, not_found, gone, too_many_requests,
// internal_error), "detail" (the documentation's optional detail: error_id, error_json,
// error_body_data, get_parameter_error, access_forbidden) and for a bad_request "errors":
// [{field, error}] (e.g. a duplicate project name: {field: name, error: already_use}). Unknown
// fields of a body are ignored. See README.md for every endpoint and what differs.
package gcapi

import (
	"context"
	"embed"
	"time"

	"golang.org/x/time/rate"

	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/identity"
	"groupcamp/core/seal"
	"groupcamp/core/web"
	"groupcamp/jobs"
	projects "groupcamp/modules/projects/contract"
	timesheet "groupcamp/modules/timesheet/contract"
)

//go:embed views locales policy.csv matrix.csv
var files embed.FS

// PurgeTask deletes the expired pages of "full" answers.
const PurgeTask = "gcapi:purge"

// Default throttle of each key: requests a second, and the burst above it.
const (
	DefaultPerSecond = 50
	DefaultBurst     = 100
)

// Module is the GroupCamp-compatible API.
type Module struct {
	svc  *Service
	gate *gate
	// PerSecond and Burst are each key's throttle (0: the defaults).
	PerSecond float64
	Burst     int
	// FullPageSize is the page size of the "full" mechanism (0: FullPageSize).
	FullPageSize int
}

// New returns the module.
func New() *Module { return &Module{} }

// Name is the module's name: the Casbin object prefix.
func (*Module) Name() string { return "gcapi" }

// Service is the module's service once registered (for tests and tools).
func (m *Module) Service() *Service { return m.svc }

// Reserved are the top-level words of GroupCamp's paths, which no account slug may take.
var Reserved = []string{"core", "task", "track"}

// Register declares the capability, the ports it needs, the routes, the page and its
// navigation, the personal data, the walkers' fixtures and the purge.
func (m *Module) Register(r *app.Registry) error {
	if err := r.Folder(files); err != nil {
		return err
	}
	identity.Reserve(Reserved...)
	m.svc = &Service{DB: r.DB(), Box: seal.MustNew(r.Config().SecretKey, "gcapi.keys"), People: r.People()}
	perSecond, burst := m.PerSecond, m.Burst
	if perSecond <= 0 {
		perSecond = DefaultPerSecond
	}
	if burst <= 0 {
		burst = DefaultBurst
	}
	g := &gate{svc: m.svc, log: r.Log(), people: r.People(), enforcer: r.Enforcer, perSecond: rate.Limit(perSecond), burst: burst}
	m.gate = g
	h := &handlers{svc: m.svc, gate: g, people: r.People(), log: r.Log(), base: r.Config().BaseURL, fullPage: m.FullPageSize,
		groups: app.Require[projects.Groups](r, projects.GroupsPort),
		times:  app.Require[timesheet.TimeLogs](r, timesheet.TimeLogsPort),
		spent:  app.Optional[timesheet.TimeSpent](r, timesheet.TimeSpentPort)}
	h.compatRoutes(r)
	k := &keyHandlers{svc: m.svc, web: r.Web()}
	k.apiRoutes(r)
	k.pageRoutes(r)
	r.PersonalData(personalData{m.svc})
	r.Fixtures(fixtures{})
	r.Task(PurgeTask, func(ctx context.Context, _ []byte) error {
		_, err := m.svc.store().purgePages(ctx, m.svc.DB, time.Now().UTC())
		return err
	})
	r.Every("17 * * * *", PurgeTask, nil, jobs.Low)
	r.Nav(web.NavItem{Label: "gcapi.nav", Path: "/admin/gcapi-keys", Object: "gcapi", Action: "manage", Order: 86, Group: web.GroupAdmin})
	return nil
}

// compatRoutes registers GroupCamp's paths. They are public to the kernel's gate: the
// compatible API authenticates them itself (gate), before any handler runs.
func (h *handlers) compatRoutes(r *app.Registry) {
	prov := func(fn handlerFunc, fields map[string]string) func(c fiberCtx) error {
		return h.gate.wrap(AppProvisioning, h.do(fields, fn))
	}
	rep := func(fn handlerFunc) func(c fiberCtx) error { return h.gate.wrap(AppReporting, h.do(nil, fn)) }
	pub := api.Public()
	doc := func(s string) api.Doc {
		return api.Doc{Summary: s + " (GroupCamp-compatible, signed: see modules/gcapi)", Tag: "GroupCamp-compatible API"}
	}
	r.Get("/core/v1/groups", pub, prov(h.listGroups, nil), doc("GroupCamp: the groups (projects) matching the filters"))
	r.Get("/core/v1/group/:group", pub, prov(h.getGroup, nil), doc("GroupCamp: one group (project)"))
	r.Post("/core/v1/group/project", pub, prov(h.createGroup, groupFields), doc("GroupCamp: create a project"))
	r.Post("/core/v1/group/project/:group", pub, prov(h.updateGroup, groupFields), doc("GroupCamp: change a project"))
	r.Put("/core/v1/group/:group/user/:user", pub, prov(h.putMember, nil), doc("GroupCamp: add a member to a project"))
	r.Delete("/core/v1/group/:group/user/:user", pub, prov(h.deleteMember, nil), doc("GroupCamp: remove a member from a project"))
	r.Get("/core/v1/users", pub, prov(h.listUsers, nil), doc("GroupCamp: the account's users"))
	r.Get("/core/v1/user/:user/teams", pub, prov(h.userTeams, nil), doc("GroupCamp: a user's teams"))
	r.Get("/core/v1/orgas/invited", pub, prov(h.listInvited, nil), doc("GroupCamp: the invited organisations (client and supplier companies)"))
	r.Get("/core/v1/orga/:orga", pub, prov(h.getOrga, nil), doc("GroupCamp: one organisation (company)"))
	r.Post("/core/v1/orga/invited", pub, prov(h.createInvited, nil), doc("GroupCamp: create an invited organisation (a client company)"))
	r.Post("/core/v1/orga/invited/:orga", pub, prov(h.updateInvited, nil), doc("GroupCamp: change an invited organisation"))

	r.Get("/task/v1/tasks", pub, rep(h.tasks), doc("GroupCamp: tasks matching the filters (paged: next)"))
	r.Get("/task/v1/group/:group/tasks", pub, rep(h.groupTasks), doc("GroupCamp: a group's tasks (paged: next)"))
	r.Get("/task/v1/user/:user/assigned_tasks", pub, rep(h.assignedTasks), doc("GroupCamp: the tasks assigned to a user (paged: next)"))
	r.Get("/task/v1/task/:task", pub, rep(h.getTask), doc("GroupCamp: one task"))
	r.Get("/task/v1/task_list/:list", pub, rep(h.getList), doc("GroupCamp: one task list"))
	r.Get("/task/v1/milestone/:milestone", pub, rep(h.getMilestone), doc("GroupCamp: one milestone"))
	r.Get("/track/v1/timelogs", pub, rep(h.timelogs), doc("GroupCamp: the account's time logs of at most 42 days (paged: full)"))
	r.Get("/track/v1/group/:group/timelogs", pub, rep(h.groupTimelogs), doc("GroupCamp: a group's time logs (paged: full)"))
	r.Get("/track/v1/budget/:group", pub, rep(h.budget), doc("GroupCamp: a project's budget"))
	r.Get("/track/v1/report", pub, rep(h.report), doc("GroupCamp: the report of the projects matching the filters"))
}
