// Package app wires the kernel: config, database and migrations, authorization, the core
// services, the HTTP stack, and the modules. cmd/groupcamp lists modules explicitly and
// hands them to New, so a test can boot any subset: app.New(cfg, projects.New()).
//
// A module declares everything in Register — routes with their guards, navigation — and
// has no side effects before the App starts.
package app

import (
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/uptrace/bun"

	"groupcamp/core/api"
	"groupcamp/core/auth"
	"groupcamp/core/authz"
	"groupcamp/core/automation"
	"groupcamp/core/capacity"
	"groupcamp/core/config"
	"groupcamp/core/events"
	"groupcamp/core/identity"
	"groupcamp/core/mail"
	"groupcamp/core/web"
	"groupcamp/core/workflow"
	"groupcamp/jobs"
)

// Version is set at build time with -ldflags "-X groupcamp/core/app.Version=...".
var Version = "dev"

// Module is one bounded context (projects, timesheet, ...).
type Module interface {
	// Name is also the Casbin object prefix and the URL segment.
	Name() string
	// Register declares the module's routes, navigation, jobs and ports.
	Register(r *Registry) error
}

// Registry collects what modules declare. Routes come with their guards (api.Routes).
type Registry struct {
	*api.Routes
	app    *App
	module string
	nav    []web.NavItem
	events []string
	errs   []error
}

// Module is the name of the module registering.
func (r *Registry) Module() string { return r.module }

// Events declares the event types the module emits, so administrators can pick them as the
// "when" of an automation rule.
func (r *Registry) Events(types ...string) { r.events = append(r.events, types...) }

// EventTypes answers the event types modules publish — the choices of the automation rules'
// "when" — once every module has registered (before that, the list is incomplete): for a
// module that lets people pick events (webhooks).
func (r *Registry) EventTypes() func() []string {
	return func() []string { return r.app.Automation.EventTypes }
}

// Nav adds an entry to the main navigation (shown to roles holding its capability).
func (r *Registry) Nav(item web.NavItem) {
	item.Module = r.module
	r.nav = append(r.nav, item)
}

// OnClose runs fn when the App closes, before the broker and the database (the plugin host
// stops its plugin processes there).
func (r *Registry) OnClose(fn func()) { r.app.closers = append(r.app.closers, fn) }

// Web is the page renderer.
func (r *Registry) Web() *web.Renderer { return r.app.Web }

// Mount adds the module's "views" (named "<prefix>/<file>") and "locales" folders of files.
func (r *Registry) Mount(files fs.FS, prefix string) error { return r.app.Web.Mount(files, prefix) }

// Views loads the module's page templates, named "<prefix>/<file without .html>".
func (r *Registry) Views(fsys fs.FS, prefix string) error { return r.app.Web.Load(fsys, prefix) }

// Locales adds the module's message catalogs (en.json, fr.json, ru.json).
func (r *Registry) Locales(fsys fs.FS) error { return r.app.Web.Catalog.Add(fsys) }

// Config is the running configuration.
func (r *Registry) Config() *config.Config { return r.app.Config }

// Enforcer answers capability questions.
func (r *Registry) Enforcer() *authz.Enforcer { return r.app.Enforcer }

// Task registers the handler of a background task type.
func (r *Registry) Task(taskType string, h jobs.Handler) { r.app.Tasks.Handle(taskType, h) }

// Every registers periodic work (cron spec, task type, payload, queue).
func (r *Registry) Every(cron, taskType string, payload []byte, queue string) {
	r.app.Tasks.Every(cron, taskType, payload, queue)
}

// On subscribes to a domain event; name is the subscriber's stable idempotency key.
func (r *Registry) On(eventType, name string, fn events.HandlerFunc) {
	r.app.Events.On(eventType, name, fn)
}

// OnAny subscribes to every domain event (webhooks); name is the stable idempotency key.
func (r *Registry) OnAny(name string, fn events.HandlerFunc) { r.app.Events.OnAny(name, fn) }

// OnAnyBatch subscribes to every domain event with a subscriber that takes them in batches
// (events.Bus.OnBatch): for work cheaper done once for many events than once for each.
func (r *Registry) OnAnyBatch(name string, fn events.BatchFunc) { r.app.Events.OnBatch("*", name, fn) }

// Workflow adds a state-machine definition (approvals) to the engine.
func (r *Registry) Workflow(d *workflow.Definition) { r.app.Workflows.Define(d) }

// Action provides a named action that automation rules may run.
func (r *Registry) Action(a automation.NamedAction) { r.app.Automation.Provide(a) }

// Jobs is the job broker, for enqueuing tasks.
func (r *Registry) Jobs() *jobs.Broker { return r.app.Jobs }

// Auth is the authentication service.
func (r *Registry) Auth() *auth.Service { return r.app.Auth }

// DB is the database modules build their stores on.
func (r *Registry) DB() *bun.DB { return r.app.DB }

// People is the identity service (accounts, people, teams) for modules that need it.
func (r *Registry) People() *identity.Service { return r.app.Identity }

// Notifier delivers notices to people as each prefers (core/notify; the automation rules' path).
func (r *Registry) Notifier() automation.Notifier { return r.app.Notify }

// Capacity is the capacity service (profiles, who works under which, job roles and rates).
func (r *Registry) Capacity() *capacity.Service { return r.app.Capacity }

// Mail sends messages to people.
func (r *Registry) Mail() mail.Sender { return r.app.Mail }

// Log is the application's logger.
func (r *Registry) Log() *slog.Logger { return r.app.Log }

// MailQueue queues an email in the transaction of the change that causes it.
func (r *Registry) MailQueue() *mail.Queue { return r.app.MailQueue }

// Folder declares what a module keeps in its own folder, by the names every module uses
// (DESIGN.md §3): its rows of the policy and of the role matrix (policy.csv, matrix.csv —
// both required), its page templates (views/, named "<module>/<file>"), its catalogues
// (locales/) and its static files (static/, served as "<module>/<name>"); each folder is
// optional. It is the preamble every module's Register began with, said once.
func (r *Registry) Folder(files fs.FS) error {
	policy, err := fs.ReadFile(files, "policy.csv")
	if err != nil {
		return fmt.Errorf("module %s: %w", r.module, err)
	}
	matrix, err := fs.ReadFile(files, "matrix.csv")
	if err != nil {
		return fmt.Errorf("module %s: %w", r.module, err)
	}
	r.Capabilities(string(policy), string(matrix))
	if err := r.Mount(files, r.module); err != nil {
		return err
	}
	if _, err := fs.Stat(files, "static"); err == nil {
		static, _ := fs.Sub(files, "static")
		return r.Assets(static)
	}
	return nil
}
