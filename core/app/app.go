package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/audit"
	"groupcamp/core/auth"
	"groupcamp/core/authz"
	"groupcamp/core/automation"
	"groupcamp/core/capacity"
	"groupcamp/core/config"
	"groupcamp/core/consent"
	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
	"groupcamp/core/mail"
	"groupcamp/core/notify"
	"groupcamp/core/obs"
	"groupcamp/core/ops"
	"groupcamp/core/problem"
	"groupcamp/core/search"
	"groupcamp/core/shell"
	"groupcamp/core/web"
	"groupcamp/core/workflow"
	"groupcamp/jobs"
	"groupcamp/migrations"
	"groupcamp/policies"
)

// App is one running GroupCamp.
type App struct {
	Config   *config.Config
	Log      *slog.Logger
	DB       *bun.DB
	Mail     mail.Sender
	Enforcer *authz.Enforcer
	Identity *identity.Service
	Auth     *auth.Service
	Consent  *consent.Service
	Routes   *api.Routes
	Web      *web.Renderer
	Fiber    *fiber.App
	Metrics  *obs.Metrics
	Jobs     *jobs.Broker   // the job broker (Redis or embedded)
	Tasks    *jobs.Registry // task handlers and schedules
	Events   *events.Bus    // domain events through the outbox

	Workflows  *workflow.Engine   // approval state machines
	Automation *automation.Engine // admin-defined rules
	MailQueue  *mail.Queue        // every email is queued here, in its cause's transaction
	Notify     *notify.Service    // notifications, preferences, mail blocks; sends the email
	Capacity   *capacity.Service  // capacity profiles, who works under which, job roles and rates
	Search     *search.Service    // the search index the modules feed (hooks.SearchSource)

	// Hooks are what the modules fed (personal data, search, portal, quotas, enablement,
	// activity), for their consumers.
	Hooks *hooks.Set
	// Matrix is the reviewed role matrix of core and every module (policies.Assemble).
	Matrix string

	modules      []Module
	noBackground bool
	nav          []web.NavItem
	parts        []policies.Part
	contracts    []published
	ports        map[string]provided
	requires     []required
	fixtures     []NamedFixtures
	moduleOf     map[string]string  // capability object -> module
	access       *authz.AccessCache // the Gate's memberships (revocations.go drops them)
	closers      []func()           // Registry.OnClose, run by Close in reverse order
	mailIn       *mailInState       // email in, when GROUPCAMP_SMTP_IN_ADDR is set (mailin.go)
}

// Options are the parts a caller may supply instead of the defaults.
type Options struct {
	Logger *slog.Logger // default: JSON to stderr at the configured level
	Mail   mail.Sender  // default: SMTP when configured, else a dev mailbox
	// NoBackground: Serve does not run the worker, scheduler and relay in-process (set when
	// separate `groupcamp worker` processes do that work).
	NoBackground bool
	// JobNamespace prefixes queue names (tests share one Redis).
	JobNamespace string
}

// New opens the database, applies migrations, builds the services and registers the routes
// of core and of the given modules.
func New(cfg *config.Config, opts Options, modules ...Module) (*App, error) {
	if err := cfg.EnsureDataDir(); err != nil {
		return nil, err
	}
	a := &App{Config: cfg, Log: opts.Logger, Mail: opts.Mail, modules: modules, Routes: &api.Routes{}, Metrics: obs.NewMetrics(),
		Hooks: &hooks.Set{}, ports: map[string]provided{}, moduleOf: map[string]string{}}
	if err := a.build(opts); err != nil {
		// Whatever was opened before the failure is released: the database and the broker.
		if a.Jobs != nil {
			a.Jobs.Close()
		}
		if a.DB != nil {
			a.DB.Close()
		}
		return nil, err
	}
	return a, nil
}

func (a *App) build(opts Options) error {
	cfg := a.Config
	if a.Log == nil {
		a.Log = obs.NewLogger(os.Stderr, cfg.LogLevel)
	}
	var err error
	if a.Mail == nil {
		if a.Mail, err = mail.New(cfg.SMTPURL, "GroupCamp <no-reply@"+hostOf(cfg.BaseURL)+">"); err != nil {
			return err
		}
	}
	if a.DB, err = db.Open(cfg.DatabaseURL); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := db.Ping(ctx, a.DB); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if applied, err := migrations.Up(ctx, a.DB); err != nil {
		return err
	} else if len(applied) > 0 {
		a.Log.Info("migrations applied", "names", applied)
	}
	if err := a.openBackground(opts.JobNamespace); err != nil {
		return err
	}
	a.noBackground = opts.NoBackground
	a.Workflows = workflow.NewEngine()
	a.Automation = automation.NewEngine(a.DB)
	a.Automation.Workflows = a.Workflows
	a.Automation.Subscribe(a.Events)
	a.MailQueue = mail.NewQueue(cfg.SecretKey)
	a.Identity = &identity.Service{DB: a.DB, Mail: a.MailQueue, BaseURL: cfg.BaseURL}
	a.Auth = &auth.Service{DB: a.DB, Mail: a.MailQueue, BaseURL: cfg.BaseURL, Secret: cfg.SecretKey, Idle: cfg.SessionIdle, Absolute: cfg.SessionAbsolute}
	a.Identity.Throttle = a.Auth
	a.Identity.Credentials = a.Auth
	a.publishRevocations()
	// The Gate's cached memberships go with the person's credentials, and with every change
	// to the accounts and memberships tables once committed.
	a.access = &authz.AccessCache{}
	a.Auth.OnForget(a.access.Drop)
	a.Auth.CacheEnrolment()
	db.Watch(a.DB, a.accessChanged, "accounts", "memberships")
	a.Consent = consent.New(a.DB, a.Identity, a.Log, a.Workflows)
	a.Consent.Register(a.Tasks)

	catalog, err := web.NewCatalog()
	if err != nil {
		return err
	}
	if a.Web, err = web.NewRenderer(catalog); err != nil {
		return err
	}
	if err := a.notifications(); err != nil {
		return err
	}
	authHTTP := &auth.HTTP{Svc: a.Auth, Secure: cfg.Secure()}
	// No header, no choice: the person's language then follows each browser they use.
	language := func(acceptLanguage string) string {
		if strings.TrimSpace(acceptLanguage) == "" {
			return ""
		}
		return a.Web.Catalog.Match("", acceptLanguage)
	}
	(&identity.HTTP{Svc: a.Identity, SignupClosed: cfg.Signup == "closed", Language: language}).Routes(a.Routes)
	authHTTP.Routes(a.Routes)
	(&audit.HTTP{DB: a.DB}).Routes(a.Routes)
	a.Capacity = &capacity.Service{DB: a.DB}
	(&capacity.HTTP{Svc: a.Capacity}).Routes(a.Routes)
	(&automation.HTTP{Engine: a.Automation}).Routes(a.Routes)
	rulePages := &automation.Pages{Engine: a.Automation, Web: a.Web, EventTypes: append(identity.EventTypes, "workflow.transitioned")}
	if err := rulePages.Install(); err != nil {
		return err
	}
	rulePages.Routes(a.Routes)
	a.nav = append(a.nav, automation.Nav...)
	deadTasks := &ops.HTTP{Broker: a.Jobs, DB: a.DB, Web: a.Web}
	if err := deadTasks.Install(); err != nil {
		return err
	}
	deadTasks.Routes(a.Routes)
	a.opsRoutes()
	sh := &shell.Shell{Web: a.Web, People: a.Identity, Auth: a.Auth, AuthHTTP: authHTTP, SignupClosed: cfg.Signup == "closed", Notices: a.Notify}
	sh.Routes(a.Routes)
	a.nav = append(a.nav, shell.CoreNav...)
	consentHTTP := &consent.HTTP{Svc: a.Consent, Web: a.Web}
	if err := consentHTTP.Install(); err != nil {
		return err
	}
	consentHTTP.Routes(a.Routes)
	consentHTTP.TOTPRoutes(a.Routes, a.Auth.ResetTOTPFor) // support's reset of two-factor sign-in
	a.nav = append(a.nav, consent.Nav...)
	a.Search = search.New(a.DB, a.Hooks, a.Log)
	a.Search.Subscribe(a.Events)
	a.Identity.SignedUp = a.Search.SignedUp
	searchHTTP := &search.HTTP{Svc: a.Search, Web: a.Web}
	if err := searchHTTP.Install(); err != nil {
		return err
	}
	searchHTTP.Routes(a.Routes)
	a.fixtures = append(a.fixtures, NamedFixtures{Module: "core", Fixtures: coreFixtures{}})
	if err := a.personalData(); err != nil {
		return err
	}
	if err := a.openMailIn(); err != nil { // before the modules, which show their places' addresses
		return err
	}
	if err := a.registerModules(rulePages); err != nil {
		return err
	}
	// The account home matches any /:slug, so it comes after every fixed path.
	sh.HomeRoutes(a.Routes)
	sh.Nav = a.nav
	sh.Enabled = a.Hooks.Enabled
	sh.Hooks, sh.DB = a.Hooks, a.DB
	a.Consent.Usage = a.Hooks.Usage
	a.Consent.Plan = a.Hooks.PlanOf
	a.Identity.ForgetCompany = a.Hooks.ForgetCompany
	a.Identity.CalendarURL = a.Hooks.CalendarURL
	a.Identity.Allow = a.Hooks.Allow
	if err := sh.Install(); err != nil {
		return err
	}
	// Account slugs may not shadow a top-level path of any route, core's or a module's.
	identity.Reserve(topSegments(a.Routes.All())...)
	a.Fiber = a.buildFiber()
	return nil
}

// registerModules lets each module declare itself, then assembles what they declared: the
// policy and the matrix with their capabilities, the event types people may choose, the ports.
func (a *App) registerModules(rulePages *automation.Pages) error {
	seen := map[string]bool{"core": true}
	for _, m := range a.modules {
		name := m.Name()
		if seen[name] {
			return fmt.Errorf("module %s is listed twice (or takes a reserved name)", name)
		}
		seen[name] = true
		reg := &Registry{Routes: a.Routes.For(name), app: a, module: name}
		if err := m.Register(reg); err != nil {
			return fmt.Errorf("module %s: %w", name, err)
		}
		if err := errors.Join(reg.errs...); err != nil {
			return fmt.Errorf("module %s: %w", name, err)
		}
		a.nav = append(a.nav, reg.nav...)
		rulePages.EventTypes = append(rulePages.EventTypes, reg.events...)
	}
	a.Automation.EventTypes = rulePages.EventTypes
	if err := a.resolvePorts(); err != nil {
		return err
	}
	policy, matrix, err := policies.Assemble(a.parts...)
	if err != nil {
		return err
	}
	if a.Enforcer, err = authz.NewEnforcerFrom(policies.Model, policy); err != nil {
		return err
	}
	a.Matrix = matrix
	a.Auth.Objects = auth.ScopeObjects(a.Enforcer.Capabilities())
	for _, p := range a.parts {
		for _, c := range a.Enforcer.Capabilities() {
			if obj, _, _ := strings.Cut(c, ":"); policies.Owns(p.Module, obj) {
				a.moduleOf[obj] = p.Module
			}
		}
	}
	// A module's routes check the module's own capabilities, or core's: never another module's.
	for _, r := range a.Routes.All() {
		if r.Module == "" || r.Guard.Object == "" {
			continue
		}
		if owner, ok := a.moduleOf[r.Guard.Object]; ok && owner != r.Module {
			return fmt.Errorf("module %s: %s %s checks %s, a capability of module %s", r.Module, r.Method, r.Path, r.Guard.Capability(), owner)
		}
	}
	// The event types people may be notified of: core's, then the modules' contracts so marked.
	types := a.Notify.EventTypes[: len(a.Notify.EventTypes)-1 : len(a.Notify.EventTypes)-1]
	for _, c := range a.contracts {
		if c.Notify && !slices.Contains(types, c.Type) {
			types = append(types, c.Type)
		}
	}
	a.Notify.EventTypes = append(types, notify.TypeNotice)
	for _, c := range a.contracts {
		if c.Default != "" {
			if a.Notify.Defaults == nil {
				a.Notify.Defaults = map[string]string{}
			}
			a.Notify.Defaults[c.Type] = c.Default
		}
	}
	return nil
}

// topSegments are the first path segments of the routes that are not parameters.
func topSegments(routes []api.Route) []string {
	var out []string
	for _, r := range routes {
		first, _, _ := strings.Cut(strings.TrimPrefix(r.Path, "/"), "/")
		if first != "" && !strings.HasPrefix(first, ":") && !strings.ContainsAny(first, "*") {
			out = append(out, first)
		}
	}
	return out
}

// notifications builds the notification service — which sends every email — and wires it:
// the automation rules notify through it, and the dev mailbox lists the email it has queued.
func (a *App) notifications() error {
	var err error
	if a.Notify, err = notify.New(a.DB, a.Mail, a.MailQueue, a.Jobs, a.Web.Catalog, a.Log, a.Config.BaseURL, a.Config.SecretKey); err != nil {
		return err
	}
	a.Notify.Register(a.Tasks, a.Events)
	a.Automation.Notifier = a.Notify
	if box, ok := a.Mail.(*mail.DevMailbox); ok {
		box.Queued = a.Notify.Queued
	}
	(&notify.HTTP{Svc: a.Notify}).Routes(a.Routes)
	pages := &notify.Pages{Svc: a.Notify, Web: a.Web}
	if err := pages.Install(); err != nil {
		return err
	}
	pages.Routes(a.Routes)
	return nil
}

// errorHandler answers API requests with problem+json and pages with an HTML error page.
func (a *App) errorHandler() fiber.ErrorHandler {
	apiErrors := api.ErrorHandlerEditing(a.Log, a.speakToPages)
	return func(c *fiber.Ctx, err error) error {
		path := c.Path()
		if strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/static/") || path == "/metrics" || path == "/healthz" || path == "/readyz" {
			return apiErrors(c, err)
		}
		if rerr := a.Web.ErrorPage(c, api.ToProblem(a.Log, c, err)); rerr != nil {
			a.Log.Error("error page failed", "err", rerr)
			return apiErrors(c, err)
		}
		return nil
	}
}

// speakToPages translates a refusal's field messages for the pages' own scripts (signed in
// by the session cookie: a drag on the planning timeline, a board's move), which show them to
// the person; integrators (tokens) keep the English.
func (a *App) speakToPages(c *fiber.Ctx, p *problem.Problem) {
	if ac := actor.From(c); ac == nil || !ac.ViaCookie || len(p.Errors) == 0 {
		return
	}
	lz := a.Web.Catalog.For(a.Web.Catalog.Choose(web.ReaderChoice(c)))
	for i := range p.Errors {
		p.Errors[i].Message = a.Web.Catalog.FieldMessage(lz, p.Errors[i])
	}
}

func (a *App) buildFiber() *fiber.App {
	errHandler := a.errorHandler()
	f := fiber.New(fiber.Config{
		AppName:               "GroupCamp",
		BodyLimit:             api.MaxRequest,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           120 * time.Second,
		DisableStartupMessage: true,
		ErrorHandler:          errHandler,
		JSONEncoder:           api.EncodeJSON,
		// WebDAV's methods (RFC 4918), for the files module's /dav/.
		RequestMethods: append(append([]string{}, fiber.DefaultMethods...), "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK"),
		// Bodies stream to the handlers that read them, limited by bodyGuard (bodylimit.go).
		StreamRequestBody:            true,
		DisablePreParseMultipartForm: true,
	})
	rules := bodyRules(a.Routes.All())
	f.Server().HeaderReceived = requestConfig(rules) // bodylimit.go
	// First: the logs, the throttle and the audit trail see the client (obs.ClientIP).
	f.Use(obs.TrustProxies(a.Config.TrustedProxies))
	f.Use(obs.RequestID())
	f.Use(web.SecurityHeaders(a.Config.Secure()))
	// The application log (under the owner's consent) wraps the error handling, so it records
	// the status the client got.
	f.Use(a.Consent.RecordLogs)
	f.Use(obs.Observe(a.Metrics, a.Log, errHandler))
	f.Use(recover.New(recover.Config{EnableStackTrace: true, StackTraceHandler: func(c *fiber.Ctx, e any) {
		a.Log.Error("panic", "err", e, "request_id", c.Locals("requestid"))
	}}))
	f.Use(bodyGuard(rules))
	gate := &authz.Gate{Auth: a.Auth, People: a.Identity, Enforcer: a.Enforcer, Support: a.Consent, Access: a.access}
	for _, r := range a.Routes.All() {
		handlers := []fiber.Handler{gate.Middleware(r.Guard)}
		if r.Doc.Challenge != "" {
			handlers = append([]fiber.Handler{challenge(r.Doc.Challenge)}, handlers...)
		}
		if m := a.moduleOf[r.Guard.Object]; m != "" {
			handlers = append(handlers, a.enabled(m))
		}
		if !r.IsAPI() {
			handlers = append(handlers, web.CheckForm) // API bodies: api.Decode checks their text
		}
		f.Add(r.Method, r.Path, append(handlers, r.Handler)...)
	}
	return f
}

// opsRoutes registers health, readiness, metrics and the OpenAPI document.
func (a *App) opsRoutes() {
	a.Routes.Get("/healthz", api.Public(), func(c *fiber.Ctx) error {
		return c.JSON(fiber.Map{"status": "ok"})
	})
	a.Routes.Get("/readyz", api.Public(), func(c *fiber.Ctx) error {
		if err := a.Ready(c.UserContext()); err != nil {
			return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "error": err.Error()})
		}
		return c.JSON(fiber.Map{"status": "ready"})
	})
	a.Routes.Get("/static/:hash/*", api.Public(), a.Web.Assets.Handler)
	metrics := adaptor.HTTPHandler(promhttp.HandlerFor(a.Metrics.Registry, promhttp.HandlerOpts{}))
	a.Routes.Get("/metrics", api.Public(), metrics)
	// Built once, on the first request (every route is registered by then), by one request
	// while the others wait.
	var (
		doc     []byte
		docOnce sync.Once
	)
	a.Routes.Get("/api/v1/openapi.json", api.Public(), func(c *fiber.Ctx) error {
		docOnce.Do(func() { doc, _ = api.EncodeJSON(api.OpenAPI(a.Routes.All(), Version)) })
		c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
		return c.Send(doc)
	}, api.Doc{Summary: "This document", Tag: "Core"})
}

// Ready reports whether the App's dependencies answer.
func (a *App) Ready(ctx context.Context) error {
	if err := db.Ping(ctx, a.DB); err != nil {
		return fmt.Errorf("database: %w", err)
	}
	if err := a.Jobs.Ping(ctx); err != nil {
		return fmt.Errorf("job broker: %w", err)
	}
	return nil
}

// Nav is the navigation of core and the modules.
func (a *App) Nav() []web.NavItem { return a.nav }

// Serve accepts connections on ln until ctx ends, then shuts down gracefully: in-flight
// requests get up to grace to finish. Unless told otherwise, the background work (worker,
// scheduler, event relay) runs beside it.
func (a *App) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	bgCtx, stopBackground := context.WithCancel(context.Background())
	bgDone := make(chan error, 1)
	if a.noBackground {
		bgDone <- nil
	} else {
		go func() { bgDone <- a.RunBackground(bgCtx) }()
	}
	// Requests finish first, then the background work, which they may have enqueued.
	defer func() { stopBackground(); <-bgDone }()
	// Other instances' revocations, heard before the first request is served.
	revCtx, stopRevocations := context.WithCancel(context.Background())
	revDone := a.subscribeRevocations(revCtx)
	defer func() { stopRevocations(); <-revDone }()
	// Email in listens beside the web server; it stops before the background work, which
	// what it received may have enqueued.
	stopMailIn, err := a.startMailIn()
	if err != nil {
		return fmt.Errorf("GROUPCAMP_SMTP_IN_ADDR: %w", err)
	}
	defer stopMailIn()
	errc := make(chan error, 1)
	go func() { errc <- a.Fiber.Listener(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down", "grace", grace.String())
	if err := a.Fiber.ShutdownWithTimeout(grace); err != nil {
		return err
	}
	// A shutdown that comes before the server has started serving finds nothing to stop:
	// closing the listener makes the late Listener call return instead of serving forever.
	_ = ln.Close()
	if err := <-errc; err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}

// Close stops what the modules started (Registry.OnClose), then releases the broker and the
// database.
func (a *App) Close() error {
	for i := len(a.closers) - 1; i >= 0; i-- {
		a.closers[i]()
	}
	a.closers = nil
	a.Jobs.Close()
	return a.DB.Close()
}

func hostOf(base string) string {
	if u, err := url.Parse(base); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "localhost"
}

// challenge adds WWW-Authenticate to a route's 401 (api.Doc.Challenge).
func challenge(value string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		err := c.Next()
		if p, ok := problem.As(err); ok && p.Status == fiber.StatusUnauthorized {
			c.Set(fiber.HeaderWWWAuthenticate, value)
		}
		return err
	}
}
