// Package admin is the people-admin part of the web shell: the account settings, the people
// of the account (search, invitations, roles, deactivation), companies (each with its page:
// people, projects, rename, delete), teams, the audit trail
// with its CSV export, and — on a development server without SMTP — the dev mailbox.
//
// It holds no data of its own: every page calls the identity service (core/identity) or reads
// the audit trail (core/audit), always scoped by the signed-in actor's account. Pages live at
// /{slug}/...; each route is registered with the capability it needs, so the Gate answers 404
// to strangers and 403 to roles without it before a handler runs. Every form works without
// JavaScript, carries the CSRF field, and comes back with the values kept and the messages next
// to their fields when something is wrong.
package admin

import (
	"embed"

	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/mail"
	"groupcamp/core/web"
)

//go:embed views locales
var files embed.FS

// Module is the people-admin module.
type Module struct{}

// New returns the module.
func New() *Module { return &Module{} }

// Name is the module's name.
func (*Module) Name() string { return "admin" }

// Register declares the pages, their capabilities, the navigation, views and catalogs.
func (*Module) Register(r *app.Registry) error {
	if err := r.Mount(files, "admin"); err != nil {
		return err
	}
	r.Fixtures(fixtures{})
	h := &handlers{web: r.Web(), svc: r.People(), db: r.DB(), hooks: r.Hooks(), cap: r.Capacity()}
	// The dev mailbox exists only on a development server whose mail stays in memory.
	if box, ok := r.Mail().(*mail.DevMailbox); ok && !r.Config().Production && r.Config().SMTPURL == "" {
		h.mailbox = box
	}

	r.Get("/:slug/settings", api.Can("account", "read"), h.settings)
	r.Post("/:slug/settings", api.Can("account", "update"), h.saveSettings)

	r.Get("/:slug/people", api.Can("users", "read"), h.people)
	r.Post("/:slug/people", api.Can("users", "invite"), h.invite)
	r.Get("/:slug/people/:id", api.Can("users", "read"), h.person)
	r.Post("/:slug/people/:id", api.Can("users", "update"), h.updatePerson)
	r.Post("/:slug/people/:id/deactivate", api.Can("users", "update"), h.deactivate)
	r.Post("/:slug/people/:id/reactivate", api.Can("users", "update"), h.reactivate)

	r.Get("/:slug/companies", api.Can("companies", "read"), h.companies)
	r.Post("/:slug/companies", api.Can("companies", "create"), h.createCompany)
	r.Get("/:slug/companies/:id", api.Can("companies", "read"), h.company)
	r.Post("/:slug/companies/:id", api.Can("companies", "update"), h.renameCompany)
	r.Post("/:slug/companies/:id/delete", api.Can("companies", "update"), h.deleteCompany)

	r.Get("/:slug/teams", api.Can("teams", "read"), h.teams)
	r.Post("/:slug/teams", api.Can("teams", "manage"), h.createTeam)
	r.Get("/:slug/teams/:id", api.Can("teams", "read"), h.team)
	r.Post("/:slug/teams/:id/members", api.Can("teams", "manage"), h.addTeamMember)
	r.Post("/:slug/teams/:id/members/:user_id/remove", api.Can("teams", "manage"), h.removeTeamMember)

	h.capacityRoutes(r)

	r.Get("/:slug/audit", api.Can("audit", "read"), h.audit)
	r.Get("/:slug/audit.csv", api.Can("audit", "read"), h.auditCSV)

	if h.mailbox != nil {
		r.Get("/:slug/dev/mailbox", api.Can("devmail", "read"), h.devMailbox)
	}

	for _, n := range []web.NavItem{
		{Label: "admin.nav.people", Path: "/people", Object: "users", Action: "read", Order: 10},
		{Label: "admin.nav.teams", Path: "/teams", Object: "teams", Action: "read", Order: 20, Group: web.GroupAdmin},
		{Label: "admin.nav.companies", Path: "/companies", Object: "companies", Action: "read", Order: 30, Group: web.GroupAdmin},
		{Label: "admin.nav.capacity", Path: "/capacity", Object: "capacity", Action: "read", Order: 40, Group: web.GroupAdmin},
		{Label: "admin.nav.settings", Path: "/settings", Object: "account", Action: "read", Order: 80, Group: web.GroupAdmin},
		{Label: "admin.nav.audit", Path: "/audit", Object: "audit", Action: "read", Order: 90, Group: web.GroupAdmin},
	} {
		r.Nav(n)
	}
	return nil
}
