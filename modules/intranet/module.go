// Package intranet is the company's intranet (issue 17, shared/PRODUCT.md "Intranet",
// shared/API.md "Intranet and search"): spaces, and in each space news posts with read
// receipts and comments, discussions with replies, and a wiki whose every save is a revision.
//
// # Spaces and who sees what
//
// A space is the whole company's (no team: every colleague of the account) or one team's (its
// members). Administrators (intranet.manage) create spaces and see them all. Everything else
// lives in a space and is seen by exactly the people of that space: every query of the service
// joins the person's spaces (visibleSpaces), so a post, topic or page of a space someone is not
// in answers 404, as one of another account does. Clients see no company or team space.
//
// # A project's own wiki and discussions
//
// A space may belong to a project (projectspaces.go, projects_http.go): made the first time
// someone who sees the project opens its wiki or discussions (/{slug}/projects/{id}/wiki,
// .../discussions, tabs of the project's pages through hooks.ProjectSection; the API under
// /api/v1/{slug}/projects/{id}/space|topics|wiki, and project_id instead of space_id in
// POST topics and wiki). Who sees the project is the projects module's answer, through the
// hooks.ProjectAccess port (this module never imports projects): a subquery of its visibility
// inside visibleSpaces, so that permissions stay in each query. Its clients see the space only
// once a manager shares it with clients (intranet.project lets them read and take part in
// discussions; the wiki is written by colleagues). Its search documents carry the project's
// own audience keys, and its clients' key only while shared.
//
// # News and read receipts
//
// Managers and up (intranet.publish) post news, optionally pinned or scheduled (publish_at):
// a scheduled post shows, and reaches the search, once its time comes (the minute job
// PublishTask). Opening a post marks it read (POST .../news/{id}/read); its readers page says
// "read by n of m" — m being the space's people now — and who has not read it yet.
//
// # Discussions, comments and mentions
//
// Topics, their replies and news comments are Markdown, rendered through core/web/markdown
// (goldmark, then the bluemonday sanitizer). "@Full Name" of a person of the space notifies
// them (notice intranet.mentioned, by their notification preferences); a name outside the
// space notifies nobody. Comments and replies are one flow, "a thread of messages under a
// parent" (thread.go), generic over the two types. The text areas suggest whom to mention as
// one types "@" (GET .../mentions, core/web/static/mentions.js).
//
// # Editing, reactions, subscriptions
//
// A post, topic, comment or reply is edited or deleted by its author or by a manager and up
// (edit.go, thread.go): an edit sets edited_at (the "edited" mark), a newly named @Name is
// notified once, the search is told, and every change is audited; a deletion takes its
// comments or replies, receipts, subscriptions and reactions with it. Reactions are a fixed set
// of emoji, toggled, counted per emoji with who (reactions.go). A topic's author and repliers
// follow it; anyone of the space follows or stops; followers are told of each new reply
// (notice intranet.replied) through core/notify, so by their preferences — the daily digest
// included (subscriptions.go).
//
// # Wiki
//
// A page keeps every revision (1, 2, ...). A save names the revision it started from
// (base_revision): when someone saved since, it is refused with 409 and the page shows the
// difference to merge by hand — never a silent overwrite. The diff is word-level (WordDiff,
// diff-match-patch from github.com/sergi/go-diff over word tokens). Restoring a revision saves
// its content as a new revision.
//
// # Directory and activity
//
// The directory (/{slug}/intranet/people, GET /api/v1/{slug}/directory) lists the account's
// colleagues from core identity (never clients) by name, with their company, teams and
// directory profile (profiles.go, directory.go, directory_http.go): job title, phone,
// location, a time zone (” shows the person's own setting), skills (at most 30 short tags,
// lower-cased, spaces collapsed), a manager (a colleague of the account; a chain that would
// come back to the person is refused) and a photo (photo.go: a PNG, JPEG, GIF or WebP of at
// most 2 MiB and 40 megapixels, cropped and scaled server-side to a 256-pixel square JPEG).
// The profile lives in the module's directory_profiles (account, person), directory_skills and
// directory_photos. Search by name, email, title or skill; filter by team (?team=) and skill
// (?skill=, the skill tags link to it). Each person changes their own profile (PATCH
// .../directory/me, /{slug}/intranet/profile), administrators anyone's (PATCH
// .../directory/{id}, /{slug}/intranet/people/{id}/edit) — except the birthday and what shows
// in "this week", which are the person's own opt-in: a birthday (day and month; the year,
// optional, is never shown to others) and a work anniversary from the start date show in the
// "This week" block of the directory and the intranet's home, and on the calendar's grid. A person's page shows the card,
// their manager and reports; the vCard (4.0, lines folded at 75 octets) carries the profile
// and the photo inline. Profiles feed the search (directory_search.go: kind "profile",
// colleagues only). The home page's "what changed since my last visit" gets the posts,
// discussions, replies and wiki saves of the person's spaces (activity.go).
//
// # Calendars
//
// A space has events (events.go): title, start and end instants or all-day civil days, place,
// attendees among the space's people, a Markdown description. Anyone of a team space adds its
// events; the company's calendar takes managers and up. GET /api/v1/{slug}/events lists a range
// of days (at most 366); the calendar page (/{slug}/intranet/calendar, calendar_pages.go) is a
// month or week grid in the viewer's time zone, with the person's entries of the other
// modules' calendar sources (planning's approved absences, tasks due) read through the
// calendar port only. The person's feed (/ical/{token}.ics, served by modules/ical) gets the
// events of their spaces and those they attend from this module's hooks.CalendarSource
// (calendar_feed.go). An .ics file (at most 1 MiB, 500 events) is imported into a space with a
// preview first (icsimport.go, parsed by github.com/emersion/go-ical): a malformed file is a 422
// naming the line and the reason, an event already imported (same UID) is skipped, a weekly
// or monthly RRULE on the first occurrence's day becomes a series in the DTSTART's zone (its
// EXDATE days cancelled, its RECURRENCE-ID entries changed alone), and any other repeating
// one keeps its first occurrence. News and events go in the company's and the teams' spaces,
// never a project's (422): the project serves only its wiki and discussions. An event is edited or deleted (after a
// confirmation) by its author or managers and up, and may repeat weekly or monthly until a
// day or for a count (recurrence.go): one row, expanded in ranges and on the grid, given once
// with its RRULE in the feed; an edit or deletion changes the whole series.
//
// # Search, audit, personal data
//
// Spaces, published news, topics (with their replies' text), wiki pages and events (with the
// text of their occurrences changed alone) feed core/search (search.go) with the space's
// audience ("staff", or "admins" and the team's key; a project's space: the project's keys).
// A project's space's people — whom its @mentions may name and tell, and the autocomplete
// offers — are whoever sees the project (hooks.ProjectAccess.Viewers). Every write is audited
// (admin.audit.action.intranet.*). privacy.go describes, exports and erases a person's part.
package intranet

import (
	"context"
	"embed"

	"groupcamp/core/app"
	"groupcamp/core/hooks"
	"groupcamp/core/notify"
	"groupcamp/core/web"
	"groupcamp/jobs"
)

//go:embed views locales static policy.csv matrix.csv
var files embed.FS

// PublishTask offers the search the scheduled posts whose time came.
const PublishTask = "intranet:publish"

// Module is the intranet module.
type Module struct {
	svc *Service
}

// New returns the module.
func New() *Module { return &Module{} }

// Name is the module's name: the URL segment and the Casbin object prefix.
func (*Module) Name() string { return "intranet" }

// Service is the module's service once registered (for tests and tools).
func (m *Module) Service() *Service { return m.svc }

// routes is where the module registers its routes.
type routes = *app.Registry

// Register declares the capabilities, the notice, the search source, the personal data, the
// job, the walkers' fixtures, the routes, the pages and the navigation.
func (m *Module) Register(r *app.Registry) error {
	if err := r.Folder(files); err != nil {
		return err
	}
	m.svc = &Service{DB: r.DB(), Notifier: r.Notifier(), Hooks: r.Hooks(),
		Projects: app.Optional[hooks.ProjectAccess](r, hooks.ProjectAccessPort)}
	r.Notices(NoticeMentioned, NoticeReplied)
	r.NoticesByDefault(notify.ChannelDigest, NoticeNews)
	r.Search(searchSource{m.svc})
	for _, typ := range personEvents { // directory_search.go: the profiles' documents
		r.On(typ, "intranet.profile_search", onPersonChanged)
	}
	r.Activity(activitySource{m.svc})
	r.Calendar(calendarFeed{m.svc}) // calendar_feed.go
	r.PersonalData(personalData{m.svc})
	r.MailIn(MailTopic, topicReplies{m.svc}) // port_mailin.go: replies to discussion notices
	r.MailIn(MailNews, newsComments{m.svc})  // and to notices about news comments
	r.Fixtures(fixtures{})
	r.Task(PublishTask, func(ctx context.Context, _ []byte) error { _, err := m.svc.PublishDue(ctx); return err })
	r.Every("* * * * *", PublishTask, nil, jobs.Low)
	h := &handlers{svc: m.svc, web: r.Web()}
	h.apiRoutes(r)
	h.editRoutes(r)      // edit_http.go
	h.eventRoutes(r)     // events_http.go
	h.directoryRoutes(r) // directory_http.go: colleagues, profiles, photos, vCards
	h.pageRoutes(r)
	h.projectRoutes(r)      // projects_http.go: a project's own wiki and discussions
	h.calendarPageRoutes(r) // calendar_pages.go
	h.portalRoutes(r)       // portal.go: the client portal's Discussions section
	r.Portal(h.portalSection())
	r.ProjectSection(hooks.ProjectSection{Key: "discussions", Label: "intranet.tab.discussions", Path: "/discussions", Order: 10, Object: "intranet.project", Action: "read", Shows: m.svc.showsProjectTabs})
	r.ProjectSection(hooks.ProjectSection{Key: "wiki", Label: "intranet.tab.wiki", Path: "/wiki", Order: 20, Object: "intranet.project", Action: "read", Shows: m.svc.showsProjectTabs})
	r.Nav(web.NavItem{Label: "intranet.nav", Path: "/intranet", Object: "intranet", Action: "read", Order: 40})
	return nil
}
