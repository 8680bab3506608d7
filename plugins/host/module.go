// Package host is GroupCamp's side of partner plugins (DESIGN.md §8, issue 18): the
// supervisor that discovers, starts, health-checks, restarts and stops plugin processes, the
// Host API it serves back to them, and the "plugins" module that lets an account's admins
// enable them and routes the extension points to them.
//
// # Discovery and processes
//
// GROUPCAMP_PLUGINS_DIR holds one folder per plugin: its binary and plugin.json (Manifest:
// name, version, description, author, capabilities asked, sections, events, http, settings,
// and the binary's SHA-256). The folder is scanned when the App is built and again from the
// admin page ("Rescan"); a binary whose SHA-256 differs from its manifest is refused, and
// go-plugin checks it again at each start (SecureConfig), so a binary swapped after the scan
// does not run. A plugin runs only once an account enabled it: it is started on its first
// call, over gRPC only with AutoMTLS, with an empty environment. A health check pings the
// running plugins every HealthEvery; a plugin that exits or stops answering is killed and
// restarted after a back-off (0, 1 s, 4 s); its third crash within an hour marks it failed,
// shown as such to the admins, until a rescan gives it a new budget. Every call has a
// deadline (CallTimeout) and the App's Close stops the processes.
//
// # Extension points
//
//   - Portal section: /{slug}/portal/plugins (a hooks.PortalSection, for clients) renders the
//     sections of every plugin the account enabled; the HTML is sanitized with bluemonday's
//     UGC policy (no script, style, event attribute nor javascript: URL) and shown inside the
//     page's CSP; a plugin that fails, hangs or crashes makes its section say "unavailable",
//     never the page fail.
//   - Event listener: the outbox subscriber writes one row per listening plugin in the
//     event's transaction (plugin_deliveries), and a job hands them to the plugin, at least
//     once, with the event id, retried with back-off: the relay never waits for a plugin.
//   - HTTP endpoint: /{slug}/x/{plugin}/... is passed to the plugin (body at most 1 MiB), and
//     its answer is served sandboxed (CSP sandbox) so its HTML runs no script in our origin.
//   - Scheduled job: the manifest's jobs (key + cron schedule) run, for each account that
//     enabled the plugin, from a job the scheduler starts every minute (RunJobs).
//
// # Host API
//
// A plugin reads the account's projects, milestones and tasks through the Host API, served to
// it over the go-plugin broker. A call to the plugin carries a token naming the call's account
// and person; the Host API answers only while the call lasts, only for that account, only
// what the viewer sees (through the projects module's ports), and only the capabilities the
// manifest asked and the admin granted — checked by Casbin with the plugin as subject and the
// account as domain (Grants). Anything else is PermissionDenied (or Unauthenticated for a
// stale token).
package host

import (
	"context"
	"embed"
	"strconv"
	"time"

	"github.com/hibiken/asynq"

	"groupcamp/core/app"
	"groupcamp/core/hooks"
	"groupcamp/core/seal"
	"groupcamp/core/web"
	"groupcamp/jobs"
	filesc "groupcamp/modules/files/contract"
	"groupcamp/modules/projects/contract"
	"groupcamp/plugins/sdk/pluginv1"
)

//go:embed views locales policy.csv matrix.csv
var files embed.FS

// DeliverTask is the job that hands waiting events to plugins.
const DeliverTask = "plugins:deliver"

// HealthEvery is how often the running plugins are pinged.
var HealthEvery = 10 * time.Second

// Module is the plugins module.
type Module struct {
	svc *Service
	// Tune, when set, adjusts the supervisor before it scans (tests shorten its deadlines).
	Tune func(*Supervisor)
}

// New returns the module.
func New() *Module { return &Module{} }

// Name is the module's name: the URL segment and the Casbin object prefix.
func (*Module) Name() string { return "plugins" }

// Service is the module's service once registered (for tests and tools).
func (m *Module) Service() *Service { return m.svc }

// Register declares the capabilities, the supervisor, the subscriber, the job, the portal
// section, the routes and the navigation.
func (m *Module) Register(r *app.Registry) error {
	if err := r.Folder(files); err != nil {
		return err
	}
	grants, err := NewGrants()
	if err != nil {
		return err
	}
	sup := &Supervisor{Dir: r.Config().PluginsDir, Log: r.Log(), Authz: grants}
	pp := &ports{}
	reads := app.Optional[contract.PluginReads](r, contract.PluginReadsPort)
	seen := app.Optional[contract.ProjectsSeen](r, contract.ProjectsSeenPort)
	pp.reads = func() contract.PluginReads { return reads.Get() }
	pp.seen = func() contract.ProjectsSeen { return seen.Get() }
	comments := app.Optional[contract.PluginComments](r, contract.PluginCommentsPort)
	pp.comments = func() contract.PluginComments { return comments.Get() }
	pfiles := app.Optional[filesc.PluginFiles](r, filesc.PluginFilesPort)
	pp.files = func() filesc.PluginFiles { return pfiles.Get() }
	fseen := app.Optional[filesc.FilesSeen](r, filesc.FilesSeenPort)
	pp.filesSeen = func() filesc.FilesSeen { return fseen.Get() }
	pp.people, pp.notifier, pp.db = r.People(), r.Notifier(), r.DB()
	sup.API = func(name string) pluginv1.HostServiceServer { return &hostAPI{sup: sup, plugin: name, ports: pp} }
	if m.Tune != nil {
		m.Tune(sup)
	}
	if err := sup.Scan(); err != nil {
		return err
	}
	broker := r.Jobs()
	m.svc = &Service{DB: r.DB(), Sup: sup, Notifier: r.Notifier(), Box: seal.MustNew(r.Config().SecretKey, "plugins.settings"), Log: r.Log(), Published: r.EventTypes(), Hooks: r.Hooks(),
		Kick: func(ctx context.Context) {
			// One pass a second at most: the events of a burst share it.
			id := "plugins-deliver-" + strconv.FormatInt(time.Now().Unix(), 10)
			_ = broker.EnqueueOnce(ctx, jobs.Default, id, DeliverTask, nil, 2*time.Second, asynq.ProcessIn(time.Second))
		}}
	sup.OnFailed = m.svc.Failed
	health, stopHealth := context.WithCancel(context.Background())
	go sup.Run(health, HealthEvery)
	r.OnClose(func() { stopHealth(); sup.Close() })
	r.OnAny("plugins.deliveries", m.svc.Record)
	r.Task(DeliverTask, func(ctx context.Context, _ []byte) error { _, err := m.svc.Deliver(ctx); return err })
	r.Every("* * * * *", DeliverTask, nil, jobs.Default)
	r.Task(JobsTask, func(ctx context.Context, _ []byte) error { _, err := m.svc.RunJobs(ctx, time.Now()); return err })
	r.Every("* * * * *", JobsTask, nil, jobs.Low)
	r.Fixtures(fixtures{})
	r.PersonalData(personalData{m.svc})
	h := &handlers{svc: m.svc, web: r.Web()}
	h.apiRoutes(r)
	h.pageRoutes(r)
	r.Home(hooks.HomeSection{Order: 90, Render: h.homeSection})
	r.Portal(hooks.PortalSection{Key: "sections", Label: "plugins.portal.title", Intro: "plugins.portal.intro", Path: "/portal/plugins", Order: 60, Has: h.hasSections})
	r.Nav(web.NavItem{Label: "plugins.nav", Path: "/admin/plugins", Object: "plugins", Action: "manage", Order: 86, Group: web.GroupAdmin})
	return nil
}
