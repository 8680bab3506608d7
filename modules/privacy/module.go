// Package privacy makes the GDPR rights working features (shared/PRODUCT.md "Privacy (GDPR)
// and support", shared/API.md "Privacy"): a person's access report, export, erasure and the
// list of their objections, in their profile; an account's record of processing, its
// connection data retention and the erasure of its members, for its admins; the closure of
// the whole account, for its owner; and the public privacy policy, cookie notice and security
// statement.
//
// It holds no one's data but its own requests: what every module keeps about a person it
// learns through the personal-data port (core/hooks.PersonalData), which the core and every
// module fill and which no module imports this package to reach. An erasure runs each
// provider in its own transaction with the step recorded beside it, modules first and the
// login last, so that a job that crashed resumes where it stopped; an account's closure then
// sweeps every table that has an account_id (core/db.AccountTables), so a table added later
// cannot be forgotten — but the records a legal obligation keeps, which their providers name
// (core/hooks.Retention: billing's invoices, ten years), and the account's row they hang on.
// The owner's closure and the purge of an account closed for non-payment (the
// hooks.AccountPurger billing calls) end in the same function (closeData), so both keep the
// same records; the closure page says what is kept. On SQLite, deleted rows are zeroed (secure_delete) and the write-ahead
// log is truncated after an erasure: nothing erased is left in the database files.
package privacy

import (
	"embed"

	"groupcamp/core/app"
	"groupcamp/core/web"
)

//go:embed views locales policy.csv matrix.csv
var files embed.FS

// Module is the privacy module.
type Module struct {
	svc *Service
}

// New returns the module.
func New() *Module { return &Module{} }

// Name is the module's name.
func (*Module) Name() string { return "privacy" }

// routes is where the module registers its routes.
type routes = *app.Registry

// handlers serve the API and the pages.
type handlers struct {
	svc *Service
	web *web.Renderer
}

// Register declares the routes, the jobs, the module's own personal-data provider, its
// capabilities, views and catalogues.
func (m *Module) Register(r *app.Registry) error {
	if err := r.Folder(files); err != nil {
		return err
	}
	cfg := r.Config()
	m.svc = &Service{DB: r.DB(), Hooks: r.Hooks(), People: r.People(), Auth: r.Auth(), Mail: r.MailQueue(), Jobs: r.Jobs(),
		Catalog: r.Web().Catalog, Log: r.Log(), DataDir: cfg.DataDir, BaseURL: cfg.BaseURL, Secret: cfg.SecretKey}
	r.PersonalData(provider{m.svc})
	r.AccountPurger(purger{m.svc})
	r.Fixtures(fixtures{})
	m.svc.jobs(r.Task, r.Every)
	h := &handlers{svc: m.svc, web: r.Web()}
	h.apiRoutes(r)
	h.pageRoutes(r)
	r.Nav(web.NavItem{Label: "privacy.nav.admin", Path: "/privacy", Object: "privacy.settings", Action: "read", Order: 85, Group: web.GroupAdmin})
	return nil
}

// Service is the module's service, for tests and tools.
func (m *Module) Service() *Service { return m.svc }
