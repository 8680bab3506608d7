// Package extranet is the client extranet (shared/PRODUCT.md "Client extranet", shared/API.md
// "Extranet and plugins"): the portal a client company's people land on, and the deliverables a
// team submits to a client company for approval.
//
// # The portal
//
// /{slug}/extranet is the home of a client (role client; the account home sends them there
// through hooks.Set.PortalHome): a welcome naming their company, the portal's own navigation,
// and the sections other modules feed through hooks.PortalSection (projects: the projects the
// company takes part in; files: the folders shared with it) — this module only lists them, each
// module serves its section with its own guard and scope, so the portal shows exactly what
// was shared. A section with a Has func that answers false shows as empty, never a dead link.
//
// # Deliverables
//
// A colleague who sees a project submits a deliverable (title, description, up to 10 files)
// to a client company of that project (its client company, or the company of one of its client
// members: asked of projects through its ClientProjects port); each file must be one the
// submitter sees, in a folder shared with that company (asked of files through its FilesSeen
// port), so the client can open it. A round's files are extranet_round_files, in order; the
// API keeps the round's first one in file_id and file_name for old clients, beside files. A client of that company approves it, or rejects it with a
// comment (422 without one); staff get 403, a client of another company 404. A resubmission
// makes a new round with its own description, file and decision (a pending round it replaces is
// superseded); an approved deliverable takes no new round (409). Every step is written in the
// audit trail and the outbox (contract: extranet.submitted/approved/rejected) in the step's
// transaction, and notified: the company's client people of a submission, the submitter of a
// decision.
//
// # Who sees what
//
// Capabilities (policy.csv): extranet.portal for clients; extranet.deliverables read for
// everyone of the account, write for members and up, decide for clients. The service scopes:
// a client reads their company's deliverables, owners and admins all, other colleagues those of
// the projects they see.
package extranet

import (
	"embed"
	"io/fs"
	"strings"
	"testing/fstest"

	"groupcamp/core/app"
	"groupcamp/core/hooks"
	"groupcamp/core/web"
	"groupcamp/modules/extranet/contract"
	files "groupcamp/modules/files/contract"
	projects "groupcamp/modules/projects/contract"
)

//go:embed all:views locales static policy.csv matrix.csv
var embedded embed.FS

// PortalPath is the portal's path under /{slug}.
const PortalPath = "/extranet"

// Module is the extranet module.
type Module struct {
	svc *Service
}

// New returns the module.
func New() *Module { return &Module{} }

// Name is the module's name: the URL segment and the Casbin object prefix.
func (*Module) Name() string { return "extranet" }

// Service is the module's service once registered (for tests and tools).
func (m *Module) Service() *Service { return m.svc }

// routes is where the module registers its routes.
type routes = *app.Registry

// Register declares the capabilities, the ports it asks, the events, the personal data, the
// walkers' fixtures, the routes, the pages, its own portal section and the navigation.
func (m *Module) Register(r *app.Registry) error {
	policy, err := fs.ReadFile(embedded, "policy.csv")
	if err != nil {
		return err
	}
	matrix, err := fs.ReadFile(embedded, "matrix.csv")
	if err != nil {
		return err
	}
	r.Capabilities(string(policy), string(matrix))
	if err := mountViews(r); err != nil {
		return err
	}
	static, _ := fs.Sub(embedded, "static")
	if err := r.Assets(static); err != nil {
		return err
	}
	r.Publish(contract.All...)
	m.svc = &Service{DB: r.DB(), Notifier: r.Notifier(),
		Seen:    app.Require[projects.ProjectsSeen](r, projects.ProjectsSeenPort),
		Clients: app.Require[projects.ClientProjects](r, projects.ClientProjectsPort),
		Files:   app.Require[files.FilesSeen](r, files.FilesSeenPort)}
	r.PersonalData(personalData{m.svc})
	r.Fixtures(fixtures{})
	h := &handlers{svc: m.svc, web: r.Web(), hooks: r.Hooks()}
	h.apiRoutes(r)
	h.pageRoutes(r)
	h.brandingRoutes(r) // pages_branding.go
	r.SignIn(h.signInBanner)
	h.previewRoutes(r) // pages_preview.go
	r.Portal(hooks.PortalSection{Key: "deliverables", Label: "extranet.deliverables.title", Intro: "extranet.portal.deliverables_intro",
		Path: PortalPath + "/deliverables", Order: 30, Has: m.svc.HasDeliverables})
	r.PortalHome(PortalPath)
	r.Nav(web.NavItem{Label: "extranet.nav", Path: PortalPath, Object: "extranet.portal", Action: "read", Order: 1})
	r.Nav(web.NavItem{Label: "extranet.nav_branding", Path: PortalPath + "/branding", Object: "extranet.branding", Action: "manage", Order: 60, Group: "admin"})
	r.Nav(web.NavItem{Label: "extranet.nav_preview", Path: PortalPath + "/preview", Object: "extranet.preview", Action: "read", Order: 61, Group: "admin"})
	r.Nav(web.NavItem{Label: "extranet.nav_deliverables", Path: "/deliverables", Object: "extranet.deliverables", Action: "write", Order: 45})
	return nil
}

// mountViews loads the pages and the catalogues. Every page gets the partials of
// views/_portal.html appended (the portal's head, state badges, rounds): core/web parses each
// page on its own, with only core's partials.
func mountViews(r *app.Registry) error {
	partials, err := fs.ReadFile(embedded, "views/_portal.html")
	if err != nil {
		return err
	}
	pages := fstest.MapFS{}
	entries, err := fs.ReadDir(embedded, "views")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "_") {
			continue
		}
		b, err := fs.ReadFile(embedded, "views/"+e.Name())
		if err != nil {
			return err
		}
		pages[e.Name()] = &fstest.MapFile{Data: append(append(b, '\n'), partials...)}
	}
	if err := r.Views(pages, "extranet"); err != nil {
		return err
	}
	locales, err := fs.Sub(embedded, "locales")
	if err != nil {
		return err
	}
	return r.Locales(locales)
}
