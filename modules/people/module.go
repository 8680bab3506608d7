// Package people imports people into an account from a file (issue 21, shared/API.md
// "Sign-in and integrations"): a CSV (header name, email, role, company_id) or a vCard file
// (a contacts export; github.com/emersion/go-vcard reads it) becomes invitations.
//
// Nothing is written until the import is confirmed: the page shows a preview of every row —
// who will be invited with which role, or the row's errors — and only a file whose rows are
// all valid may be confirmed; the API does the same with ?dry_run=true. A malformed line or
// card is a row error too, never a 500. The checks are the core's own (identity.CheckInvite,
// the same as a single invitation, plus "already in the account" and "twice in the file"),
// and the confirmed import is identity.InviteAll: one transaction, all rows or none, each
// with its invitation email, event and audit entry, plus one audit entry "people.imported".
//
// Between the preview and the confirmation the server keeps nothing: the preview page holds
// the parsed rows as a hidden field. They are not signed: the confirmation checks every row
// again, and whoever may confirm (users:invite's holders, through people:import) could invite
// any of them one by one anyway.
//
// Limits: MaxBytes per file, MaxRows people per import.
package people

import (
	"embed"

	"groupcamp/core/app"
	"groupcamp/core/web"
)

//go:embed views locales policy.csv matrix.csv
var files embed.FS

// Module is the people-import module.
type Module struct {
	svc *Service
}

// New returns the module.
func New() *Module { return &Module{} }

// Name is the module's name: the URL segment and the Casbin object prefix.
func (*Module) Name() string { return "people" }

// Service is the module's service once registered (for tests and tools).
func (m *Module) Service() *Service { return m.svc }

// Register declares the capability, the routes, the pages and the navigation.
func (m *Module) Register(r *app.Registry) error {
	if err := r.Folder(files); err != nil {
		return err
	}
	m.svc = &Service{People: r.People()}
	r.Fixtures(fixtures{})
	h := &handlers{svc: m.svc, web: r.Web()}
	h.routes(r)
	r.Nav(web.NavItem{Label: "people.nav", Path: "/admin/people-import", Object: "people", Action: "import", Order: 12, Group: web.GroupAdmin})
	return nil
}
