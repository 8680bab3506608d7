package app

import (
	"context"
	"fmt"
	"html/template"
	"io/fs"
	"reflect"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/events"
	"groupcamp/core/hooks"
	"groupcamp/core/web"
	"groupcamp/policies"
)

// What a module offers the others goes through the Registry only (DESIGN.md §5): published
// event contracts, named ports (Provide/Require), and the hooks of core/hooks. A module never
// imports another; the Registry checks at start that what one requires another provides.

// Capabilities declares the module's capabilities: its rows of the policy (role templates,
// "p, role, *, object, action") and of the reviewed role matrix (same header as
// policies/matrix.csv). Every object is the module's name or starts with it and a dot
// ("projects.tasks"); New refuses any other. Modules keep the two files beside module.go.
func (r *Registry) Capabilities(policyCSV, matrixCSV string) {
	r.app.parts = append(r.app.parts, policies.Part{Module: r.module, Policy: policyCSV, Matrix: matrixCSV})
}

// Assets adds the module's static files (scripts, styles, images), served under
// /static/HASH/<module>/<name> and named "<module>/<name>" in templates: {{asset "projects/kanban.js"}}.
func (r *Registry) Assets(fsys fs.FS) error { return r.app.Web.Assets.Add(r.module, fsys) }

// Publish declares the event contracts the module emits: they become choices of the
// automation rules' "when", and those marked Notify get a notification preference.
func (r *Registry) Publish(contracts ...events.Declarer) {
	for _, c := range contracts {
		d := c.Declare()
		r.app.contracts = append(r.app.contracts, published{Module: r.module, Declared: d})
		r.events = append(r.events, d.Type)
	}
}

// Notices declares notice types that are no event — a due-date reminder, sent by a module's
// schedule — so that each is a notification preference of its own (its message key is
// "notify.event.<type>", in the module's catalogs).
func (r *Registry) Notices(types ...string) {
	for _, t := range types {
		r.app.contracts = append(r.app.contracts, published{Module: r.module, Declared: events.Declared{Type: t, Notify: true}})
	}
}

// NoticesByDefault declares notice types, as Notices, whose channel for a person who chose
// none is channel (notify.ChannelDigest for news: one mail a day, not one per post).
func (r *Registry) NoticesByDefault(channel string, types ...string) {
	for _, t := range types {
		r.app.contracts = append(r.app.contracts, published{Module: r.module, Declared: events.Declared{Type: t, Notify: true}, Default: channel})
	}
}

type published struct {
	Module string
	events.Declared
	// Default is the notice type's default channel ("": notify.DefaultChannel).
	Default string
}

// Subscribe runs fn for every event of the contract, with its payload decoded; name is the
// subscriber's stable idempotency key. The contract may be another module's (imported from its
// contract package).
func Subscribe[T any](r *Registry, c events.Contract[T], name string, fn func(ctx context.Context, tx bun.Tx, ev *events.Event, payload T) error) {
	r.app.Events.On(c.Type, name, c.Handle(fn))
}

// Port is a handle on a port another module provides; Get answers once the App is built.
type Port[T any] struct {
	name     string
	optional bool
	v        T
	ok       bool
}

// Get is the provider of the port (the zero value of T for an optional port nobody provides).
func (p *Port[T]) Get() T { return p.v }

// Has reports whether some module provides the port.
func (p *Port[T]) Has() bool { return p.ok }

type provided struct {
	module string
	impl   any
}

type required struct {
	module   string
	name     string
	optional bool
	resolve  func(impl any) error
}

// Provide offers impl under name to the other modules.
func Provide[T any](r *Registry, name string, impl T) {
	if prev, dup := r.app.ports[name]; dup {
		r.fail(fmt.Errorf("port %q is provided twice (by %s and %s)", name, prev.module, r.module))
		return
	}
	r.app.ports[name] = provided{module: r.module, impl: impl}
}

// Require declares that the module needs the port name of type T: New stops with a clear
// message when no module provides it, or provides something else.
func Require[T any](r *Registry, name string) *Port[T] { return require[T](r, name, false) }

// Optional is Require for a port the module can do without (Has reports whether it is there).
func Optional[T any](r *Registry, name string) *Port[T] { return require[T](r, name, true) }

func require[T any](r *Registry, name string, optional bool) *Port[T] {
	p := &Port[T]{name: name, optional: optional}
	r.app.requires = append(r.app.requires, required{module: r.module, name: name, optional: optional, resolve: func(impl any) error {
		v, ok := impl.(T)
		if !ok {
			return fmt.Errorf("it provides %T, which is no %v", impl, reflect.TypeFor[T]())
		}
		p.v, p.ok = v, true
		return nil
	}})
	return p
}

// resolvePorts hands every required port its provider.
func (a *App) resolvePorts() error {
	var missing []string
	for _, req := range a.requires {
		prov, ok := a.ports[req.name]
		if !ok {
			if !req.optional {
				missing = append(missing, fmt.Sprintf("module %s requires the port %q, which no module provides (is the module that provides it in the module list?)", req.module, req.name))
			}
			continue
		}
		if err := req.resolve(prov.impl); err != nil {
			missing = append(missing, fmt.Sprintf("module %s requires the port %q from %s: %v", req.module, req.name, prov.module, err))
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("%s", strings.Join(missing, "; "))
	}
	return nil
}

// The hooks of core/hooks, fed by modules and read by their consumer once the App is built.

// PersonalData adds the module's part of a person's GDPR rights (describe, export, erase).
func (r *Registry) PersonalData(h hooks.PersonalData) {
	r.app.Hooks.PersonalData = append(r.app.Hooks.PersonalData, hooks.Named[hooks.PersonalData]{Module: r.module, Hook: h})
}

// Search offers the module's documents to the search index.
func (r *Registry) Search(h hooks.SearchSource) {
	r.app.Hooks.Search = append(r.app.Hooks.Search, hooks.Named[hooks.SearchSource]{Module: r.module, Hook: h})
}

// Portal adds a section of the client extranet.
func (r *Registry) Portal(s hooks.PortalSection) {
	s.Module = r.module
	r.app.Hooks.Portal = append(r.app.Hooks.Portal, s)
}

// PortalHome makes path (under /{slug}) the page a client lands on instead of the account
// home: the client portal.
func (r *Registry) PortalHome(path string) {
	r.app.Hooks.PortalHome, r.app.Hooks.PortalModule = path, r.module
}

// SignIn makes fn the banner of the sign-in page for visitors headed for an account (the
// client portal's branding).
func (r *Registry) SignIn(fn func(c *fiber.Ctx, p *web.Page, slug string) (template.HTML, error)) {
	r.app.Hooks.SignIn = fn
}

// Banner adds the module's notices to the top of every page of an account.
func (r *Registry) Banner(b hooks.Banner) {
	r.app.Hooks.Banners = append(r.app.Hooks.Banners, hooks.Named[hooks.Banner]{Module: r.module, Hook: b})
}

// Plan answers an account's subscription for the platform console (hooks.AccountPlan).
func (r *Registry) Plan(p hooks.AccountPlan) {
	r.app.Hooks.Plans = append(r.app.Hooks.Plans, hooks.Named[hooks.AccountPlan]{Module: r.module, Hook: p})
}

// Counter reports the module's usage of a quota.
func (r *Registry) Counter(c hooks.Counter) {
	r.app.Hooks.Counters = append(r.app.Hooks.Counters, hooks.Named[hooks.Counter]{Module: r.module, Hook: c})
}

// Activity adds the module's lines to "what changed".
func (r *Registry) Activity(h hooks.ActivitySource) {
	r.app.Hooks.Activity = append(r.app.Hooks.Activity, hooks.Named[hooks.ActivitySource]{Module: r.module, Hook: h})
}

// Home adds a section to the account home, shown in Order among the modules' sections.
func (r *Registry) Home(s hooks.HomeSection) {
	s.Module = r.module
	r.app.Hooks.Home = append(r.app.Hooks.Home, s)
}

// Companies adds the module's part of the account's companies: what names a company, on its
// page, and the module's letting go of one that is deleted.
func (r *Registry) Companies(h hooks.CompanyUses) {
	r.app.Hooks.Companies = append(r.app.Hooks.Companies, hooks.Named[hooks.CompanyUses]{Module: r.module, Hook: h})
}

// Calendar adds the module's entries to a person's calendar feed.
func (r *Registry) Calendar(h hooks.CalendarSource) {
	r.app.Hooks.Calendar = append(r.app.Hooks.Calendar, hooks.Named[hooks.CalendarSource]{Module: r.module, Hook: h})
}

// Profile adds a section to the person's profile page, shown in Order among the modules'.
func (r *Registry) Profile(s hooks.ProfileSection) {
	s.Module = r.module
	r.app.Hooks.Profile = append(r.app.Hooks.Profile, s)
}

// ProjectSection adds a tab to a project's pages, leading to a part the module serves.
func (r *Registry) ProjectSection(s hooks.ProjectSection) {
	s.Module = r.module
	r.app.Hooks.ProjectSections = append(r.app.Hooks.ProjectSections, s)
}

// MailIn makes t what email in does with the replies about, and the messages to the
// addresses of, the module's things of kind (core/mailin; one module per kind).
func (r *Registry) MailIn(kind string, t hooks.MailTarget) {
	if prev, dup := r.app.Hooks.MailIn[kind]; dup {
		r.fail(fmt.Errorf("email in: kind %q is registered by %s and %s", kind, prev.Module, r.module))
		return
	}
	if r.app.Hooks.MailIn == nil {
		r.app.Hooks.MailIn = map[string]hooks.Named[hooks.MailTarget]{}
	}
	r.app.Hooks.MailIn[kind] = hooks.Named[hooks.MailTarget]{Module: r.module, Hook: t}
}

// CalendarURL makes the module the one that serves the calendar feeds: GET /api/v1/me gives
// the person's feed URL as ical_url.
func (r *Registry) CalendarURL(fn func(ctx context.Context, userID int64) (string, error)) {
	if r.app.Hooks.CalendarURL != nil {
		r.fail(fmt.Errorf("a second module serves the calendar feeds"))
	}
	r.app.Hooks.CalendarURL = fn
}

// Limiter makes the module the one that enforces quotas (billing).
func (r *Registry) Limiter(l hooks.Limiter) {
	if r.app.Hooks.Limiter != nil {
		r.fail(fmt.Errorf("a second module provides the quota limiter"))
	}
	r.app.Hooks.Limiter = l
}

// Enablement makes the module the one that turns modules on and off per account (billing).
func (r *Registry) Enablement(e hooks.Enablement) {
	if r.app.Hooks.Enablement != nil {
		r.fail(fmt.Errorf("a second module provides module enablement"))
	}
	r.app.Hooks.Enablement = e
}

// AccountPurger makes the module the one that purges whole accounts (privacy).
func (r *Registry) AccountPurger(p hooks.AccountPurger) {
	if r.app.Hooks.Purger != nil {
		r.fail(fmt.Errorf("a second module provides the account purger"))
	}
	r.app.Hooks.Purger = p
}

// Hooks are what every module fed, for the consumers; complete once the App is built.
func (r *Registry) Hooks() *hooks.Set { return r.app.Hooks }

// Fixtures gives the cross-cutting test walkers (core/testkit/walk) what they need to drive
// the module's routes: see Fixtures.
func (r *Registry) Fixtures(f Fixtures) {
	r.app.fixtures = append(r.app.fixtures, NamedFixtures{Module: r.module, Fixtures: f})
}

func (r *Registry) fail(err error) {
	r.errs = append(r.errs, err)
}

// enabled answers 404 for the routes of a module the account has turned off (billing's
// offerings), and the provider's refusal for a write of an account it made read-only,
// before the handler runs.
func (a *App) enabled(module string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		acc := accountOf(c)
		if acc == 0 {
			return c.Next()
		}
		on, err := a.Hooks.Enabled(c.UserContext(), acc, module)
		if err != nil {
			return err
		}
		if !on {
			return fiber.NewError(fiber.StatusNotFound, "The "+module+" module is not enabled for this account.")
		}
		if g, ok := a.Hooks.Enablement.(hooks.WriteGate); ok && c.Method() != fiber.MethodGet && c.Method() != fiber.MethodHead {
			if err := g.Writable(c.UserContext(), acc, module); err != nil {
				return err // a read-only account: reads still work
			}
		}
		return c.Next()
	}
}

func accountOf(c *fiber.Ctx) int64 {
	if a := actor.From(c); a != nil {
		return a.AccountID()
	}
	return 0
}
