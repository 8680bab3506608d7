// Package app wires the kernel: config, database and migrations, authorization, the core
// services, the HTTP stack, and the modules. cmd/groupcamp lists modules explicitly and
// hands them to New, so a test can boot any subset: app.New(cfg, projects.New()).
//
// A module declares everything in Register — routes with their guards, navigation — and
// has no side effects before the App starts.
package app

import (
	"github.com/uptrace/bun"

	"groupcamp/core/api"
	"groupcamp/core/identity"
	"groupcamp/core/mail"
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

// NavItem is an entry of the main navigation.
type NavItem struct {
	Module string
	Label  string // message key of the label
	Path   string // relative to /{slug}
	Object string // shown only to roles that may read this object
}

// Registry collects what modules declare. Routes come with their guards (api.Routes).
type Registry struct {
	*api.Routes
	app *App
	nav []NavItem
}

// Nav adds an entry to the main navigation.
func (r *Registry) Nav(item NavItem) { r.nav = append(r.nav, item) }

// DB is the database modules build their stores on.
func (r *Registry) DB() *bun.DB { return r.app.DB }

// People is the identity service (accounts, people, teams) for modules that need it.
func (r *Registry) People() *identity.Service { return r.app.Identity }

// Mail sends messages to people.
func (r *Registry) Mail() mail.Sender { return r.app.Mail }
