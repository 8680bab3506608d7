// Package ical serves each person's calendar feed (shared/API.md "GET /ical/{feed_token}.ics"):
// one secret URL per person that any calendar application (Google, Outlook, Apple) subscribes
// to, showing what the modules put in it — tasks due now (modules/projects), allocations and
// absences when planning feeds it — across every account the person is active in.
//
// # What is in a feed
//
// The modules fill it through hooks.CalendarSource (app.Registry.Calendar): for each of the
// person's active accounts (not closed, at most MaxAccounts) the feed builds the person's actor
// there (their role's capabilities, their company) and asks every source whose module the
// account has on, for PastDays before today to FutureDays after (today in the profile's time
// zone). A source returns only what that actor may see, with the scope of its own pages. The
// events are written by core/ical (RFC 5545; all-day events as VALUE=DATE).
//
// # The secret
//
// The URL is the only credential: GET /ical/{token}.ics is a public route. The database keeps
// a random nonce and the SHA-256 of the token, the token being an HMAC of the nonce under the
// server's secret key — the profile can show the URL again, a copy of the database alone
// opens nothing. An unknown, rotated or revoked token is a 404 (nothing says which). Rotating
// (POST /api/v1/me/ical/rotate, or the profile's button, confirmed) replaces the nonce; an
// erasure of the person deletes the row (privacy.go); a person without an active account gets
// an empty calendar, never someone else's.
//
// # Team feeds
//
// A manager subscribes to a team they belong to (an admin to any team of the account):
// GET /api/v1/{slug}/teams/{id}/ical gives the URL (capability ical.team:subscribe), POST
// .../ical/rotate a new one. The feed holds the team's tasks due as the manager sees them
// (hooks.TeamCalendarSource), each naming its person; it answers 404 once the holder is no
// longer a manager of the account or no longer reaches the team (team.go).
//
// # Routes and pages
//
// GET /api/v1/me/ical and POST /api/v1/me/ical/rotate (signed in), GET /api/v1/me's ical_url
// (hooks CalendarURL), the feed itself, and a section of the profile page (hooks.ProfileSection)
// with the URL, a copy button and the rotation.
package ical

import (
	"embed"

	"groupcamp/core/app"
	"groupcamp/core/authz"
	"groupcamp/core/hooks"
)

//go:embed views locales static policy.csv matrix.csv
var files embed.FS

// Module is the calendar feeds module.
type Module struct {
	svc *Service
}

// New returns the module.
func New() *Module { return &Module{} }

// Name is the module's name: its tables' prefix and its catalogue keys'.
func (*Module) Name() string { return "ical" }

// Service is the module's service once registered (for tests and tools).
func (m *Module) Service() *Service { return m.svc }

// Register declares the feeds' routes, the profile section, ical_url and the personal data.
func (m *Module) Register(r *app.Registry) error {
	if err := r.Folder(files); err != nil {
		return err
	}
	cfg := r.Config()
	// The hooks and the enforcer are complete once the App is built: read at each fetch.
	m.svc = &Service{DB: r.DB(), Secret: cfg.SecretKey, BaseURL: cfg.BaseURL,
		Hooks: r.Hooks, Enforcer: func() *authz.Enforcer { return r.Enforcer() }, People: r.People()}
	r.CalendarURL(m.svc.URL)
	r.PersonalData(personalData{m.svc}) // privacy.go
	h := &handlers{svc: m.svc, web: r.Web()}
	h.routes(r)
	r.Profile(hooks.ProfileSection{Order: 10, Render: h.profileSection(r.Web())})
	r.Fixtures(fixtures{})
	return nil
}
