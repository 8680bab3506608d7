// Package hooks defines the seams that several modules feed and one part of the product
// consumes (DESIGN.md §5, "hooks several modules feed"). Each is an interface or a value a
// module hands to its app.Registry in Register; core/app collects them in a Set, and the
// consumer reads the Set once the App is built:
//
//   - PersonalData: what a module holds about a person, its export and its erasure — the
//     privacy module answers a person's GDPR requests by asking every source.
//   - SearchSource: the documents a module offers to the search index (core/search), each
//     with the keys of who may find it, and the keys a person holds.
//   - PortalSection: a page of the client extranet a module serves.
//   - Counter and Limiter: how much of a quota an account uses (each module counts its own
//     things), and the gate that refuses creating past a plan's quota (billing provides it;
//     without billing nothing is limited).
//   - Enablement: whether an account has a module turned on (billing's offerings); without a
//     provider every module is on.
//   - AccountPurger: the erasure of a whole account's data through the personal-data
//     providers, keeping what a legal obligation keeps (privacy provides it; billing purges
//     the accounts closed for non-payment through it); Retention: what a provider keeps of
//     a closed account (the same list for the owner's closure and the purge).
//   - ActivitySource: what changed lately, for the home page's "since your last visit".
//   - HomeSection: a module's part of a person's home ("My work").
//   - CompanyUses: what a module holds that names a company of the account (the company's
//     page lists it) and lets go of when the company is deleted.
//   - CalendarSource: what of a module goes in a person's calendar feed (tasks due,
//     allocations, absences); CalendarURL: the one module that serves the feed gives its URL.
//   - ProfileSection: a module's part of a person's profile page.
//   - ProjectAccess (a named port, projects.go) and ProjectSection: who sees a project, for
//     modules that keep things of a project, and the tabs they add to the project's pages.
//   - MailTarget: what email in (core/mailin) does with a reply to a notification about one
//     of a module's things, or with a message to one of its places' addresses.
//
// The package depends on nothing of the product but the actor, so that core packages and
// modules alike can implement its interfaces without import cycles.
package hooks

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// Subject is the person a personal-data request is about, in one account. A person's login is
// shared by the accounts they belong to: a request concerns what one account (the controller)
// holds, and the login itself goes only when no other account still has the person.
type Subject struct {
	AccountID int64
	UserID    int64
	Email     string
	Name      string
}

// DataCategory describes one kind of personal data a module holds: for the access report and
// the record of processing activities. Name, Purpose and Retention are message keys of the
// module's catalogues (so the report reads in the viewer's language), Fields lists the kinds of
// data in it ("name", "email", "IP address") as message keys too.
type DataCategory struct {
	Module    string   `json:"module"`
	Name      string   `json:"name"`      // "privacy.cat.comments"
	Purpose   string   `json:"purpose"`   // why it is processed
	Retention string   `json:"retention"` // how long it is kept
	Fields    []string `json:"fields,omitempty"`
	Count     int64    `json:"count"` // how many records of this person (-1 in the record of processing)
}

// Exporter receives a person's data: JSON documents and files, each under a name unique in
// the module ("tasks.json", "files/report.pdf").
type Exporter interface {
	JSON(name string, v any) error
	File(name string, r io.Reader) error
}

// Erasure says how an erasure treats the records the account keeps.
type Erasure struct {
	// KeepText keeps the free text the person wrote in shared records (comments, descriptions),
	// detached from them ("Deleted user"), when the account's admin chose so; otherwise that
	// text is removed with the rest. Their name and email are never kept.
	KeepText bool
	// Closure is set when the whole account is being closed: every row of the account goes
	// afterwards, so providers may skip detaching what will be deleted anyway.
	Closure bool
}

// PersonalData is a module's part of a person's GDPR rights.
type PersonalData interface {
	// Tables names the tables this provider answers for. Every table that holds a person's id
	// (or email, name, IP) must be named by a provider of the module whose migration created
	// it: the test kit fails otherwise, so a new table cannot be forgotten by erasure.
	Tables() []string
	// Describe lists the categories of personal data the module holds about the person, with
	// their counts. With a zero Subject.UserID it describes what the module may hold about
	// anyone (the record of processing), counts -1, without a query: AccountID is 0 there for
	// the public privacy policy.
	Describe(ctx context.Context, s Subject) ([]DataCategory, error)
	// Export writes the person's data, machine-readable.
	Export(ctx context.Context, s Subject, out Exporter) error
	// Erase deletes the person's personal data in tx, or detaches it from them where the
	// account must keep the business record ("Deleted user"). It must be idempotent: a job
	// that crashed runs it again.
	Erase(ctx context.Context, tx bun.IDB, s Subject, e Erasure) error
}

// ConnectionData is implemented by a PersonalData provider that keeps connection data (IP
// address, user agent, language, URL of sign-ins and sessions): the privacy module's scheduled
// job purges what is older than the account's retention. accountID 0 is for rows that belong
// to no account (a login's sessions, failed sign-ins), purged with the platform's retention.
type ConnectionData interface {
	PurgeConnections(ctx context.Context, idb bun.IDB, accountID int64, before time.Time) (int64, error)
}

// AccountData is implemented by a PersonalData provider that keeps an account's data outside
// the database (blobs, files on disk, an external index): closing the account calls it after
// the members are erased and before the account's rows are swept.
type AccountData interface {
	CloseAccount(ctx context.Context, accountID int64) error
}

// Retention is implemented by a PersonalData provider whose records a legal obligation keeps
// past the account's closure (billing's invoices and credit notes: ten years). Closing the
// account — the owner's closure and the purge of an account closed for non-payment alike —
// keeps the rows of the tables Retained names, and the account's row they hang on; with none
// named (no such record: an account that never issued an invoice) everything goes.
type Retention interface {
	// Retained names the tables of the account to keep; it is asked after the members are
	// erased and before the rows are swept.
	Retained(ctx context.Context, idb bun.IDB, accountID int64) ([]string, error)
	// RetentionNotice is the message key of the sentence that tells the owner, before they
	// close the account, what is kept and how long.
	RetentionNotice() string
}

// AccountPurger erases a whole account's data: every member erased through every
// PersonalData provider (as a closure does, Erasure.Closure set), the data kept outside the
// database closed (AccountData), then every row of every table of the account swept — but the
// tables named in keep, which a legal obligation requires the platform to keep (billing's
// invoices, ten years) and those the providers' Retention names: those rows, and the
// account's own row they hang on, stay. It is
// idempotent (a purge that crashed is run again) and runs outside any request: its caller is
// a job. The privacy module provides it; without it no account is purged.
type AccountPurger interface {
	PurgeAccount(ctx context.Context, accountID int64, keep []string) error
}

// Ref names one searchable document: its kind and its id in the module that offers it.
type Ref struct {
	Kind string `json:"kind"`
	ID   int64  `json:"id"`
}

// String is the ref as a document's Parent names it: "task:42".
func (r Ref) String() string { return r.Kind + ":" + strconv.FormatInt(r.ID, 10) }

// Document is one searchable thing a module offers to the index (core/search).
type Document struct {
	AccountID int64  `json:"account_id"`
	Kind      string `json:"kind"` // "task", "wiki_page"
	ID        int64  `json:"id"`
	// ProjectID is the project the document belongs to (0 for none): the search's project
	// filter, and what a Ref of kind "project" covers when it is refreshed.
	ProjectID int64 `json:"project_id,omitempty"`
	// Parent is the document it hangs under ("task:42" for a comment), so that refreshing the
	// parent refreshes it too (a trashed task takes its comments out of the index).
	Parent string `json:"parent,omitempty"`
	// AuthorID is the person the document is by or about (a comment's author, a person's own
	// card): erasing the person purges these documents from the index.
	AuthorID  int64     `json:"author_id,omitempty"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	URL       string    `json:"url"` // under /{slug}
	UpdatedAt time.Time `json:"updated_at"`
	// Audience are the keys of who may find the document: a person finds it when they hold
	// at least one of them (SearchSource.Audience, and core's "staff" and "admins"). Keys are
	// the source's own words ("project:12", "project:12:co:5"); a document with none is found
	// by nobody.
	Audience []string `json:"audience"`
}

// SearchSource offers a module's documents to the search index (core/search) and says who
// may find them. Permissions are applied in the index's query — the document's audience keys
// against the keys the person holds — so a search never learns of a document it may not show.
type SearchSource interface {
	// Kinds are the document kinds the source offers (its Refs' kinds).
	Kinds() []string
	// Documents calls fn with the documents of the account as they are now: all of them when
	// refs is empty, else each ref's document and those beneath it (its Parent chain; for a
	// ref of kind "project", everything of the project). What is gone, trashed or archived is
	// not called: the index drops the ref's documents it does not get back. The source reads
	// through idb: the index's refresh runs in its event's write transaction, and a read on
	// another pooled connection while holding SQLite's one write lock waited for a connection
	// that writers queued behind that lock held (a stall until their busy timeout).
	Documents(ctx context.Context, idb bun.IDB, accountID int64, refs []Ref, fn func(Document) error) error
	// Audience is the keys the actor holds in the source's words (the projects they are a
	// member of, their client company's shares), with the same rules as the module's pages.
	Audience(ctx context.Context, a *actor.Actor) ([]string, error)
}

// ProjectDocuments is implemented by a SearchSource whose documents may belong to a project
// (Document.ProjectID) without the source offering the kind "project" (the intranet's
// project spaces): a refresh of a project's ref, which covers every document of the project,
// hands the ref to it as well, so that its documents are offered again (with the project's
// new audience) rather than dropped.
type ProjectDocuments interface {
	ProjectDocuments() bool
}

// PortalSection is a page of the client extranet served by a module. The portal (the
// extranet module) lists the sections in Order, as tiles and in its own navigation.
type PortalSection struct {
	Module string
	Key    string // unique in the module
	Label  string // message key of its title
	Path   string // under /{slug}, served by the module with its own guard
	Order  int
	// Intro, optional, is the message key of one line saying what the section holds.
	Intro string
	// Has, optional, says whether the section holds anything for this client: the portal
	// shows a section without anything as empty (never as a dead link). Nil: always shown.
	Has func(ctx context.Context, a *actor.Actor) (bool, error)
}

// Counter reports how much of a quota an account uses.
type Counter struct {
	Quota string // "projects", "storage_bytes" — the name the plans use
	Unit  string // "count" or "bytes"
	Usage func(ctx context.Context, idb bun.IDB, accountID int64) (int64, error)
}

// ErrQuota is the error a Limiter returns (wrapped in a QuotaError) when a creation would go
// past the account's quota.
var ErrQuota = errors.New("quota exceeded")

// QuotaError says which quota a creation would exceed.
type QuotaError struct {
	Quota        string
	Limit, Usage int64
	// Plan is the plan that lifts the quota ("" when none does).
	Plan string
	// Each says the quota bounds each thing, not the account (the assignees of one task):
	// Usage is then what the one thing would have.
	Each bool
}

func (e *QuotaError) Error() string {
	if e.Each {
		return fmt.Sprintf("the plan allows %d %s each; this one would have %d", e.Limit, e.Quota, e.Usage)
	}
	return fmt.Sprintf("the plan allows %d %s; %d are used", e.Limit, e.Quota, e.Usage)
}

// Unwrap makes errors.Is(err, ErrQuota) hold.
func (e *QuotaError) Unwrap() error { return ErrQuota }

// Limiter refuses a creation that would go past the account's quota. It runs in the
// creation's transaction, so that two creations racing for the last unit cannot both pass.
// Check is for the quotas that bound the account's total: its counters' usage plus add.
type Limiter interface {
	Check(ctx context.Context, tx bun.IDB, accountID int64, quota string, add int64) error
}

// EachLimiter is implemented by a Limiter that also holds quotas bounding each thing rather
// than the account (the assignees of one task): n is how many the one thing would have, and
// no counter is read.
type EachLimiter interface {
	CheckEach(ctx context.Context, tx bun.IDB, accountID int64, quota string, n int64) error
}

// Enablement says whether an account has a module on.
type Enablement interface {
	Enabled(ctx context.Context, accountID int64, module string) (bool, error)
}

// WriteGate is implemented by an Enablement provider that may put a whole account in
// read-only (billing, after non-payment): Writable answers the error to give a write (a
// non-GET request) to a module's route instead of running it — nil lets it through.
type WriteGate interface {
	Writable(ctx context.Context, accountID int64, module string) error
}

// ActivityEntry is one line of "what changed": "Alice completed Draft the plan (in Website)".
type ActivityEntry struct {
	Module string `json:"module"`
	Actor  string `json:"actor"` // the name of who did it ("" for the system)
	// Plugin names the partner plugin that did it on Actor's behalf ("" when Actor did it):
	// the line reads "<plugin> (on behalf of <actor>)".
	Plugin string    `json:"plugin,omitempty"`
	Verb   string    `json:"verb"`  // a message key of the module's catalogs ("projects.verb.task.completed")
	Text   string    `json:"text"`  // what it concerns, as its users named it
	URL    string    `json:"url"`   // its page ("" for none)
	Where  string    `json:"where"` // the container it belongs to (a project's name), or ""
	At     time.Time `json:"at"`
}

// ActivitySource lists what changed in a module that the actor may see.
type ActivitySource interface {
	Activity(ctx context.Context, a *actor.Actor, since time.Time, limit int) ([]ActivityEntry, error)
}

// Banner answers the notices to show across the top of every page of the actor's account
// (the account is a.Account; nil or empty: none). It runs on every page: it must be cheap (a
// cached answer). An error hides the module's banners, it does not fail the page.
type Banner func(ctx context.Context, a *actor.Actor) ([]web.Banner, error)

// AccountPlan is what the module that bills accounts says of one account's subscription for
// the platform console (a partner's view of the accounts it manages): nil when the account
// has none.
type AccountPlan func(ctx context.Context, accountID int64) (*PlanInfo, error)

// PlanInfo is an account's subscription as the platform console shows it.
type PlanInfo struct {
	Plan      string   `json:"plan"`
	State     string   `json:"state"` // trial, active, past_due, read_only, closed
	Offerings []string `json:"offerings"`
	Seats     int64    `json:"seats"`
}

// Set holds what the modules fed, in the order the modules are listed.
type Set struct {
	// Plans answer an account's plan (billing); the first that knows the account answers.
	Plans        []Named[AccountPlan]
	PersonalData []Named[PersonalData]
	Search       []Named[SearchSource]
	Portal       []PortalSection
	Counters     []Named[Counter]
	Activity     []Named[ActivitySource]
	Home         []HomeSection
	Companies    []Named[CompanyUses]
	Calendar     []Named[CalendarSource]
	Profile      []ProfileSection
	// ProjectSections are the parts of a project other modules serve (projects shows them
	// as tabs of a project).
	ProjectSections []ProjectSection
	Banners         []Named[Banner]
	// MailIn are the kinds of thing email in reaches ("task", "project"), by kind.
	MailIn map[string]Named[MailTarget]
	// MailAddress is the signed address of a place (kind, id) of an account that mail may be
	// sent to (a project's, for new tasks); nil when email in is off.
	MailAddress func(accountID int64, kind string, id int64) string
	// CalendarURL is the person's feed URL, from the module serving the feed (nil: none).
	CalendarURL func(ctx context.Context, userID int64) (string, error)
	// PortalHome is where a client lands instead of the account home (the portal's path under
	// /{slug}), served by PortalModule; "" keeps clients on the account home (so does an
	// account that has PortalModule off).
	PortalHome, PortalModule string
	// SignIn, optional, is a banner on the sign-in page when the visitor is headed for an
	// account (?next=/{slug}/...): the client portal's branding. It gets the page being built
	// and the slug, and returns "" for none (an unknown slug included).
	SignIn func(c *fiber.Ctx, p *web.Page, slug string) (template.HTML, error)
	// Limiter and Enablement have one provider at most (billing); nil means unlimited, all on.
	Limiter    Limiter
	Enablement Enablement
	// Purger has one provider at most (privacy); nil: accounts are not purged.
	Purger AccountPurger
}

// Named is a hook with the module that fed it.
type Named[T any] struct {
	Module string
	Hook   T
}

// Check asks the Limiter, when there is one.
func (s *Set) Check(ctx context.Context, tx bun.IDB, accountID int64, quota string, add int64) error {
	if s == nil || s.Limiter == nil {
		return nil
	}
	return s.Limiter.Check(ctx, tx, accountID, quota, add)
}

// Allow is Check with the refusal as the API says it: a 402 problem naming the quota, its
// limit and usage, and the plan that lifts it (modules call it where they create a counted
// thing, in the creation's transaction).
func (s *Set) Allow(ctx context.Context, tx bun.IDB, accountID int64, quota string, add int64) error {
	return refusal(s.Check(ctx, tx, accountID, quota, add))
}

// AllowEach is Allow for a quota that bounds each thing: n is how many the thing (a task's
// assignees) would have after the change. Without a Limiter nothing is limited.
func (s *Set) AllowEach(ctx context.Context, tx bun.IDB, accountID int64, quota string, n int64) error {
	l, ok := s.limiter().(EachLimiter)
	if !ok {
		return nil
	}
	return refusal(l.CheckEach(ctx, tx, accountID, quota, n))
}

// RoomEach says how many of n a thing may have under a quota that bounds each thing: n when
// the plan allows them (or nothing is limited), else the plan's limit — for the copies made
// without a person to refuse (a recurring task's next occurrence), which keep what fits
// rather than fail. Any other error of the Limiter is returned.
func (s *Set) RoomEach(ctx context.Context, tx bun.IDB, accountID int64, quota string, n int64) (int64, error) {
	l, ok := s.limiter().(EachLimiter)
	if !ok {
		return n, nil
	}
	err := l.CheckEach(ctx, tx, accountID, quota, n)
	var q *QuotaError
	switch {
	case err == nil:
		return n, nil
	case errors.As(err, &q):
		return max(0, min(n, q.Limit)), nil
	default:
		return 0, err
	}
}

func (s *Set) limiter() Limiter {
	if s == nil {
		return nil
	}
	return s.Limiter
}

// refusal turns a QuotaError into the 402 problem (any other error is returned as it is).
func refusal(err error) error {
	var q *QuotaError
	if !errors.As(err, &q) {
		return err
	}
	var p *problem.Problem
	if q.Each {
		detail := fmt.Sprintf("quota %q reached: the plan allows %d each and this one would have %d", q.Quota, q.Limit, q.Usage)
		if q.Plan != "" {
			detail += fmt.Sprintf("; the %q plan lifts it", q.Plan)
		}
		p = problem.New(http.StatusPaymentRequired, detail)
		p.Errors = []problem.FieldError{problem.Sayf("quota", "{quota} quota reached ({usage} where the plan allows {limit} each); the {plan} plan lifts it",
			"quota", q.Quota, "usage", q.Usage, "limit", q.Limit, "plan", q.Plan)}
		return p
	}
	detail := fmt.Sprintf("quota %q reached: the plan allows %d and %d are used", q.Quota, q.Limit, q.Usage)
	if q.Plan != "" {
		detail += fmt.Sprintf("; the %q plan lifts it", q.Plan)
	}
	p = problem.New(http.StatusPaymentRequired, detail)
	p.Errors = []problem.FieldError{problem.Sayf("quota", "{quota} quota reached ({usage} of {limit}); the {plan} plan lifts it",
		"quota", q.Quota, "usage", q.Usage, "limit", q.Limit, "plan", q.Plan)}
	return p
}

// Enabled asks the Enablement provider, when there is one.
func (s *Set) Enabled(ctx context.Context, accountID int64, module string) (bool, error) {
	if s == nil || s.Enablement == nil {
		return true, nil
	}
	return s.Enablement.Enabled(ctx, accountID, module)
}

// PlanOf is the account's subscription from the first module that has one (nil: none).
func (s *Set) PlanOf(ctx context.Context, accountID int64) (*PlanInfo, error) {
	for _, p := range s.Plans {
		pi, err := p.Hook(ctx, accountID)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p.Module, err)
		}
		if pi != nil {
			return pi, nil
		}
	}
	return nil, nil
}

// Usage reports every counted quota of the account.
func (s *Set) Usage(ctx context.Context, idb bun.IDB, accountID int64) (map[string]int64, error) {
	out := map[string]int64{}
	for _, c := range s.Counters {
		n, err := c.Hook.Usage(ctx, idb, accountID)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", c.Module, c.Hook.Quota, err)
		}
		out[c.Hook.Quota] += n
	}
	return out, nil
}

// HomeSection is a part of the account home that a module fills for the viewer ("My work":
// my tasks, my week, my approvals). Render gets the home page being built (its language,
// viewer, CSRF token) and returns the section's HTML — the module renders it with its own
// templates (web.Renderer.Fragment on a copy of the page) — or "" to show nothing.
type HomeSection struct {
	Module string
	Order  int
	Render func(c *fiber.Ctx, home *web.Page) (template.HTML, error)
}

// CompanyUse is one thing of a module that names a company: a project whose client it is, a
// project with task lists shared with it.
type CompanyUse struct {
	Module string `json:"module"`
	Kind   string `json:"kind"`  // a message key of the module's catalogs: what it is to the company ("projects.company.client")
	Title  string `json:"title"` // its name, as its users wrote it
	URL    string `json:"url"`   // its page, under /{slug}
	// Count parts of it name the company (task lists shared with it), said by CountKey (a
	// counted message key); 0 for none.
	Count    int    `json:"count"`
	CountKey string `json:"count_key,omitempty"`
	State    string `json:"state"` // "active", or the module's word for another state ("archived")
}

// CompanyUses is a module's part of a company of the account. A company is deleted only once
// nobody belongs to it (core/identity); the modules then let go of it in the deletion's
// transaction.
type CompanyUses interface {
	// CompanyUses lists what of the module names the company that the actor may see.
	CompanyUses(ctx context.Context, a *actor.Actor, companyID int64) ([]CompanyUse, error)
	// ForgetCompany removes the module's references to the company, in tx (the deletion's).
	ForgetCompany(ctx context.Context, tx bun.IDB, accountID, companyID int64) error
}

// CompanyUses asks every module what names the company, in the modules' order.
func (s *Set) CompanyUses(ctx context.Context, a *actor.Actor, companyID int64) ([]CompanyUse, error) {
	var out []CompanyUse
	for _, h := range s.Companies {
		uses, err := h.Hook.CompanyUses(ctx, a, companyID)
		if err != nil {
			return nil, fmt.Errorf("%s: company uses: %w", h.Module, err)
		}
		for _, u := range uses {
			u.Module = h.Module
			out = append(out, u)
		}
	}
	return out, nil
}

// ForgetCompany lets every module let go of a company being deleted, in tx.
func (s *Set) ForgetCompany(ctx context.Context, tx bun.IDB, accountID, companyID int64) error {
	for _, h := range s.Companies {
		if err := h.Hook.ForgetCompany(ctx, tx, accountID, companyID); err != nil {
			return fmt.Errorf("%s: forget company %d: %w", h.Module, companyID, err)
		}
	}
	return nil
}

// CalendarEvent is one entry of a person's calendar feed. UID is stable across fetches and
// unique in the platform ("projects-task-42"); an all-day event's Starts and Ends are civil
// days (UTC midnight, Ends inclusive), another's are instants.
type CalendarEvent struct {
	UID         string
	Summary     string
	Description string
	URL         string // absolute, or under /{slug} (the feed makes it absolute)
	Starts      time.Time
	Ends        time.Time
	AllDay      bool
	// RRule, optional, repeats the event (RFC 5545 RRULE value, "FREQ=WEEKLY;COUNT=10"):
	// Starts..Ends is then its first occurrence, and a source gives it once whenever its
	// series meets the range.
	RRule string
	// Zone, optional, is the IANA zone a timed repeating event steps in: the feed writes its
	// times as local times of it (TZID), so the series keeps its hour across daylight saving.
	Zone string
	// ExDates are the starts of the series' occurrences that do not happen (EXDATE).
	ExDates []time.Time
	// RecurrenceID, when set, makes the entry an override of the occurrence of the series of
	// the same UID that was to start then (RECURRENCE-ID); its Starts..Ends are the new times.
	RecurrenceID time.Time
}

// CalendarSource is a module's part of a person's calendar feed (GET /ical/{token}.ics). The
// actor is the person in one of their accounts, with their role's capabilities: a source
// returns only what the person may see there, between from and to (civil days, inclusive).
type CalendarSource interface {
	Events(ctx context.Context, a *actor.Actor, from, to time.Time) ([]CalendarEvent, error)
}

// TeamCalendarSource is implemented by a CalendarSource that also fills a team's feed (a
// manager's subscription to their team): the entries of people (user ids of the actor's
// account) that the actor may see, each naming its person in its Summary.
type TeamCalendarSource interface {
	TeamEvents(ctx context.Context, a *actor.Actor, people []int64, from, to time.Time) ([]CalendarEvent, error)
}

// ProfileSection is a part of the person's profile page (/profile) that a module fills, like a
// HomeSection: Render returns its HTML (rendered with the module's templates) or "".
type ProfileSection struct {
	Module string
	Order  int
	Render func(c *fiber.Ctx, profile *web.Page) (template.HTML, error)
}

// MailFile is an attachment of a message sent to a place's address.
type MailFile struct {
	Name string
	MIME string
	Data []byte
}

// MailDrop is a message sent to a place's address: its subject, its text as sent, its
// attachments; Forward when it forwards an email (core/mailin found the original).
type MailDrop struct {
	Subject string
	Text    string
	Files   []MailFile
	Forward *MailForward
}

// MailForward is the original of a forwarded email — its sender and date as the forward
// wrote them, its subject and text — and Note, what the forwarder wrote above it. Files of
// the MailDrop hold the attachments of both. At is Date read (mailin.ParseDate, a date
// without a zone in the forwarder's time zone), nil when it could not be: show At in the
// reader's language, else Date as written.
type MailForward struct {
	From    string
	Date    string
	At      *time.Time
	Subject string
	Text    string
	Note    string
}

// MailTarget is a module's side of email in, for one kind of thing it registered (core/mailin
// has checked the signed address, dropped what no person wrote, and found the sender an
// active person of the account; person is that sender with their role in the account). Each
// method answers a problem (core/problem) the sender may read when it refuses: a 404 for a
// thing they do not see, a 403 for what their role may not do, a 422 for bad content.
type MailTarget interface {
	// Reply adds text, what the person wrote above the quoted notification, as their comment
	// on the thing id.
	Reply(ctx context.Context, person *actor.Actor, id int64, text string) error
	// Drop makes a new item in the place id from a message sent to its address.
	Drop(ctx context.Context, person *actor.Actor, id int64, m MailDrop) error
}
