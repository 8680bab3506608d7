package projects

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/automation"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
	"groupcamp/core/validate"
	"groupcamp/modules/projects/contract"
	timesheet "groupcamp/modules/timesheet/contract"
)

// Limits of the inputs.
const (
	MaxProjectName = 200
	MaxCode        = 20
	MaxCategory    = 100
	MaxTags        = 20
	MaxTag         = 40
	MaxListName    = 200
	MaxTitle       = 500
	MaxDescription = 20000
	MaxComment     = 10000
	MaxAssignees   = 20
	MaxEstimate    = 60 * 24 * 365 // a year of minutes
	MaxImport      = 10000         // tasks in one import
)

// Service holds the use cases of projects. Every method takes the actor and decides scope
// (see scope); errors a client can act on are *problem.Problem.
type Service struct {
	DB     *bun.DB
	People *identity.Service
	// Now is the clock (tests move it); nil is the real one.
	Now func() time.Time
	// Hooks gate creations by the account's plan (Allow: nil or no limiter allows all).
	Hooks *hooks.Set

	store store
	// spent is the time logged on projects and tasks, when the timesheet module is there.
	spent *app.Port[timesheet.TimeSpent]
	// budgets draws a project's budget card on its overview, when the timesheet is there.
	budgets *app.Port[timesheet.BudgetCards]
	// attachments lists a task's files on its page, when the files module is there.
	attachments *app.Port[contract.TaskAttachments]
	// recentFiles lists a project's latest files on its overview, when the files module is there.
	recentFiles *app.Port[contract.ProjectFiles]
	// notifier tells the people concerned what the schedule did on its own (a recurring
	// task's copy short of assignees); nil until the module is registered.
	notifier automation.Notifier
}

// NewService returns the service over db, checking people and companies with people.
func NewService(d *bun.DB, people *identity.Service) *Service {
	return &Service{DB: d, People: people}
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return db.Now()
}

// Event payloads: the module's published contracts (modules/projects/contract), which other
// modules may import. Each is emitted in the transaction of its change: see the package
// documentation.
type (
	TaskEvent       = contract.TaskEvent
	RescheduleEvent = contract.RescheduleEvent
	CommentEvent    = contract.CommentEvent
	ProjectEvent    = contract.ProjectEvent
)

// EventTypes are the events this module emits.
var EventTypes = func() []string {
	out := make([]string, len(contract.All))
	for i, c := range contract.All {
		out[i] = c.Declare().Type
	}
	return out
}()

// feed writes a line of the project's activity feed. listID is the list the line concerns (0:
// the project itself, which clients never see in their feed). It also touches the search
// index: what changes the feed changes what the search finds.
func (s *Service) feed(ctx context.Context, tx db.Tenant, a *actor.Actor, projectID, listID int64, verb, targetType string, targetID int64, title string) error {
	return s.feedBy(ctx, tx, a, "", projectID, listID, verb, targetType, targetID, title)
}

// feedBy is feed for what the partner plugin named did on a's behalf ("": a did it).
func (s *Service) feedBy(ctx context.Context, tx db.Tenant, a *actor.Actor, plugin string, projectID, listID int64, verb, targetType string, targetID int64, title string) error {
	row := &Activity{AccountID: a.AccountID(), ProjectID: projectID, Verb: verb, TargetType: targetType, TargetID: targetID,
		TargetTitle: title, CreatedAt: s.now()}
	if plugin != "" {
		row.Plugin = &plugin
	}
	if listID != 0 {
		row.ListID = &listID
	}
	if a.UserID != 0 {
		id := a.UserID
		row.ActorID = &id
	}
	if err := s.store.insertActivity(ctx, tx, row); err != nil {
		return err
	}
	// Every change of the feed is a change of what the search finds (search.go).
	return touch(ctx, tx, projectID, targetType, targetID)
}

// writable refuses changes inside an archived project: archived projects are read-only until
// restored.
func writable(p *Project) error {
	if p.State != StateActive {
		return problem.Conflict("", "the project is archived; restore it to change it")
	}
	return nil
}

// writableProject is the project of a change: one the actor sees (404 otherwise, trash
// included) and that is not archived (409), read through tn — the change's transaction when
// the change depends on it.
func (s *Service) writableProject(ctx context.Context, tn db.Tenant, sc scope, projectID int64) (*Project, error) {
	p, err := s.store.project(ctx, tn, sc, projectID, false)
	if err != nil {
		return nil, err
	}
	return p, writable(p)
}

// day validates an optional "YYYY-MM-DD" field.
func day(f *problem.Fields, field, s string) Date {
	if s == "" {
		return ""
	}
	d, ok := ParseDate(s)
	switch {
	case !ok:
		f.Add(field, "must be a day written YYYY-MM-DD")
	case d < "1900-01-01" || d > "2199-12-31":
		f.Add(field, "must be between 1900-01-01 and 2199-12-31")
	default:
		return d
	}
	return ""
}

// order checks that a period does not end before it starts.
func order(f *problem.Fields, field string, from, to Date, fromField string) {
	if from != "" && to != "" && to < from && !f.Has(field) {
		f.Addf(field, "must not be before {other}", "other", problem.Field(fromField))
	}
}

// checkName validates a required name and returns it trimmed.
func checkName(f *problem.Fields, field, s string, max int) string {
	s = strings.TrimSpace(s)
	if msg := validate.Name(s, max); msg != "" {
		f.Add(field, msg)
	}
	return s
}

func oneOf(f *problem.Fields, field, s string, allowed ...string) {
	if msg := validate.OneOf(s, allowed...); msg != "" {
		f.Add(field, msg)
	}
}

var codePattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

func checkCode(f *problem.Fields, s string) string {
	s = strings.TrimSpace(s)
	if s != "" && (len(s) > MaxCode || !codePattern.MatchString(s)) {
		f.Addf("code", "must be at most {max} letters, digits, '.', '-' or '_'", "max", MaxCode)
	}
	return s
}

// checkTags validates tags and returns them trimmed, without duplicates (ignoring case).
func checkTags(f *problem.Fields, tags []string) []string {
	out := []string{}
	if len(tags) > MaxTags {
		f.Addf("tags", "must be at most {max} tags", "max", MaxTags)
		return out
	}
	seen := map[string]bool{}
	for _, t := range tags {
		t = strings.TrimSpace(t)
		if msg := validate.Name(t, MaxTag); msg != "" {
			f.Add("tags", "each tag "+msg)
			return out
		}
		if k := strings.ToLower(t); !seen[k] {
			seen[k] = true
			out = append(out, t)
		}
	}
	return out
}

// colleague checks that userID is a person of the account who may lead or do work: not a
// client, not deactivated. A problem names field.
func (s *Service) colleague(ctx context.Context, a *actor.Actor, f *problem.Fields, field string, userID int64) {
	m, err := s.People.Member(ctx, a, userID)
	switch {
	case err != nil:
		f.Add(field, "no such person in this account")
	case m.Role == actor.RoleClient:
		f.Add(field, "must be a colleague, not a client")
	case m.DeactivatedAt != nil:
		f.Add(field, "this person is deactivated")
	}
}

// clientCompany checks that companyID is a client company of the account.
func (s *Service) clientCompany(ctx context.Context, a *actor.Actor, f *problem.Fields, field string, companyID int64) {
	co, err := s.People.Company(ctx, a, companyID)
	switch {
	case err != nil:
		f.Add(field, "no such company in this account")
	case co.Kind == identity.KindInternal:
		f.Add(field, "must be a client or supplier company, not the account's own")
	}
}

// ListProjects pages through the projects the actor sees, in one state (active by default);
// the trash is for those who may restore from it.
func (s *Service) ListProjects(ctx context.Context, a *actor.Actor, f ProjectFilter, p api.Page) (api.List[Project], error) {
	sc := scopeOf(a)
	if f.State == "" {
		f.State = StateActive
	}
	var fe problem.Fields
	oneOf(&fe, "state", f.State, StateActive, StateArchived, StateTrash)
	f.ProjectSearch.check(&fe)
	if err := fe.Err(); err != nil {
		return api.List[Project]{}, err
	}
	if f.State == StateTrash && !sc.Manage {
		return api.List[Project]{}, problem.Forbidden("only project managers see the trash")
	}
	rows, err := s.store.projects(ctx, s.tenant(sc), sc, f, p)
	if err != nil {
		return api.List[Project]{}, err
	}
	list := api.MakeList(rows, p, func(p Project) int64 { return p.ID })
	return list, s.decorate(ctx, sc, list.Items)
}

func (s *Service) decorate(ctx context.Context, sc scope, ps []Project) error {
	for i := range ps {
		p := &ps[i]
		if p.Tags == nil {
			p.Tags = []string{}
		}
		p.fillSettings()
		if p.State == StateTrash && p.TrashedAt != nil {
			until := p.TrashedAt.Add(TrashDays * 24 * time.Hour)
			p.PurgeAfter = &until
		}
	}
	return s.store.decorate(ctx, s.tenant(sc), sc, ps)
}

// Project returns one project the actor sees (a trashed one only to those who may restore
// it), or 404.
func (s *Service) Project(ctx context.Context, a *actor.Actor, id int64) (*Project, error) {
	sc := scopeOf(a)
	p, err := s.store.project(ctx, s.tenant(sc), sc, id, true)
	if err != nil {
		return nil, err
	}
	ps := []Project{*p}
	if err := s.decorate(ctx, sc, ps); err != nil {
		return nil, err
	}
	return &ps[0], nil
}

// ProjectInput is the body of POST /api/v1/{slug}/projects.
type ProjectInput struct {
	Name              string   `json:"name" openapi:"required" example:"Website relaunch"`
	Code              string   `json:"code,omitempty" example:"WEB"`
	ClientCompanyID   int64    `json:"client_company_id,omitempty" example:"12"`
	CategoryID        int64    `json:"category_id,omitempty" example:"3"`      // a project category of the account
	Category          string   `json:"category,omitempty" example:"Marketing"` // or its name (any case)
	Tags              []string `json:"tags,omitempty" example:"web,launch"`
	StartsOn          string   `json:"starts_on,omitempty" format:"date" example:"2026-03-02"`
	EndsOn            string   `json:"ends_on,omitempty" format:"date" example:"2026-06-30"`
	Access            string   `json:"access,omitempty" enum:"open,invite" example:"open"` // open (default) or invite
	GuestsAllowed     bool     `json:"guests_allowed,omitempty"`                           // clients may be members
	LeaderID          int64    `json:"leader_id,omitempty"`                                // default: the creator
	AssistantLeaderID int64    `json:"assistant_leader_id,omitempty"`

	// Templates and settings: see TemplateOptions (service_templates.go).
	TemplateID int64             `json:"template_id,omitempty"`
	CopyTasks  *bool             `json:"copy_tasks,omitempty"`
	IsTemplate bool              `json:"is_template,omitempty"`
	Apps       []string          `json:"apps,omitempty" enum:"tasks,board,gantt,calendar,files"`
	TagColors  map[string]string `json:"tag_colors,omitempty"`

	// exactCategory matches Category as spelled (GroupCamp's API, port_gcapi.go).
	exactCategory bool
}

// CreateProject creates a project. Its creator, leader and assistant leader become its
// managers, so that an invite-only project is never out of its creator's sight.
func (s *Service) CreateProject(ctx context.Context, a *actor.Actor, in ProjectInput) (*Project, error) {
	var f problem.Fields
	now := s.now()
	tpl, err := s.template(ctx, a, &f, &in)
	if err != nil {
		return nil, err
	}
	p := &Project{AccountID: a.AccountID(), Access: in.Access, GuestsAllowed: in.GuestsAllowed, State: StateActive, CreatedAt: now, UpdatedAt: now}
	p.Name = checkName(&f, "name", in.Name, MaxProjectName)
	p.Code = checkCode(&f, in.Code)
	if p.CategoryID, p.Category, err = s.projectCategory(ctx, s.tenant(scopeOf(a)), &f, in.CategoryID, in.Category, in.exactCategory); err != nil {
		return nil, err
	}
	p.Tags = checkTags(&f, in.Tags)
	p.IsTemplate, p.Apps, p.TagColors = in.IsTemplate, checkApps(&f, in.Apps), checkTagColors(&f, p.Tags, in.TagColors)
	p.StartsOn, p.EndsOn = day(&f, "starts_on", in.StartsOn), day(&f, "ends_on", in.EndsOn)
	order(&f, "ends_on", p.StartsOn, p.EndsOn, "starts_on")
	if p.Access == "" {
		p.Access = AccessOpen
	}
	oneOf(&f, "access", p.Access, AccessOpen, AccessInvite)
	if in.ClientCompanyID != 0 {
		s.clientCompany(ctx, a, &f, "client_company_id", in.ClientCompanyID)
		p.ClientCompanyID = &in.ClientCompanyID
	}
	leader := in.LeaderID
	if leader == 0 {
		leader = a.UserID
	}
	s.colleague(ctx, a, &f, "leader_id", leader)
	p.LeaderID = &leader
	if in.AssistantLeaderID != 0 {
		s.colleague(ctx, a, &f, "assistant_leader_id", in.AssistantLeaderID)
		if in.AssistantLeaderID == leader && !f.Has("assistant_leader_id") {
			f.Add("assistant_leader_id", "must be someone else than the leader")
		}
		p.AssistantLeaderID = &in.AssistantLeaderID
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	creator := a.UserID
	p.CreatedBy = &creator
	err = s.tenant(scopeOf(a)).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		if err := s.store.allowProject(ctx, s.Hooks, tx); err != nil {
			return err
		}
		if err := s.store.insertProject(ctx, tx, p); err != nil {
			return codeConflict(err)
		}
		for _, id := range managers(p, creator) {
			if err := s.putMember(ctx, tx, p, id, RoleManager, now); err != nil {
				return err
			}
		}
		if err := s.feed(ctx, tx, a, p.ID, 0, "project.created", "project", p.ID, p.Name); err != nil {
			return err
		}
		return s.copyTemplate(ctx, tx, a, tpl, p, in.CopyTasks, now)
	})
	if err != nil {
		return nil, err
	}
	return s.Project(ctx, a, p.ID)
}

func codeConflict(err error) error {
	if db.IsUniqueViolation(err) {
		return problem.Conflict("code", "another project of the account has this code")
	}
	return err
}

// managers are the people a project's leadership makes its managers: the creator (when a
// colleague creates it), the leader and the assistant leader.
func managers(p *Project, creator int64) []int64 {
	var ids []int64
	for _, id := range []*int64{&creator, p.LeaderID, p.AssistantLeaderID} {
		if id != nil && *id != 0 && !slices.Contains(ids, *id) {
			ids = append(ids, *id)
		}
	}
	return ids
}

// putMember makes userID a member with role, or changes their role.
func (s *Service) putMember(ctx context.Context, tx db.Tenant, p *Project, userID int64, role string, now time.Time) error {
	return s.store.putMember(ctx, tx, &ProjectMember{AccountID: p.AccountID, ProjectID: p.ID, UserID: userID, Role: role, CreatedAt: now})
}

// ProjectPatch is the body of PATCH /api/v1/{slug}/projects/{id}; absent fields stay as they
// are. An empty string clears a day, the code or the category; 0 clears the client company
// and the assistant leader.
type ProjectPatch struct {
	Name              *string   `json:"name,omitempty" example:"Website relaunch, phase 2"`
	Code              *string   `json:"code,omitempty"`
	ClientCompanyID   *int64    `json:"client_company_id,omitempty"`
	CategoryID        *int64    `json:"category_id,omitempty"` // 0 clears
	Category          *string   `json:"category,omitempty"`    // or the category's name (any case); "" clears
	Tags              *[]string `json:"tags,omitempty"`
	StartsOn          *string   `json:"starts_on,omitempty" pattern:"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"`
	EndsOn            *string   `json:"ends_on,omitempty" pattern:"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$" example:"2026-07-31"`
	Access            *string   `json:"access,omitempty" enum:"open,invite"`
	GuestsAllowed     *bool     `json:"guests_allowed,omitempty"`
	LeaderID          *int64    `json:"leader_id,omitempty"`
	AssistantLeaderID *int64    `json:"assistant_leader_id,omitempty"`

	// Settings: see SettingsPatch (service_templates.go).
	IsTemplate *bool              `json:"is_template,omitempty"`
	Apps       *[]string          `json:"apps,omitempty" enum:"tasks,board,gantt,calendar,files"`
	TagColors  *map[string]string `json:"tag_colors,omitempty"`

	// exactCategory matches Category as spelled (GroupCamp's API, port_gcapi.go).
	exactCategory bool
}

// UpdateProject changes a project's settings. A new leader or assistant leader becomes a
// manager of the project.
func (s *Service) UpdateProject(ctx context.Context, a *actor.Actor, id int64, in ProjectPatch) (*Project, error) {
	err := s.tenant(scopeOf(a)).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		return s.updateProject(ctx, tx, a, id, in)
	})
	if err != nil && err != errUnchanged {
		return nil, err
	}
	return s.Project(ctx, a, id)
}

// updateProject is UpdateProject in its transaction: the project is read there, its row
// locked (PostgreSQL), and only the columns that change are written.
func (s *Service) updateProject(ctx context.Context, tx db.Tenant, a *actor.Actor, id int64, in ProjectPatch) error {
	sc := scopeOf(a)
	old, err := s.store.projectForUpdate(ctx, tx, sc, id)
	if err != nil {
		return err
	}
	if err := writable(old); err != nil {
		return err
	}
	p := new(Project)
	*p = *old
	// Copies of what the checks may change in place, for changed to compare.
	p.Tags, p.Apps, p.TagColors = slices.Clone(old.Tags), slices.Clone(old.Apps), maps.Clone(old.TagColors)
	was := settingsOf(p)
	var f problem.Fields
	if in.Name != nil {
		p.Name = checkName(&f, "name", *in.Name, MaxProjectName)
	}
	if in.Code != nil {
		p.Code = checkCode(&f, *in.Code)
	}
	if in.CategoryID != nil || in.Category != nil {
		if p.CategoryID, p.Category, err = s.projectCategory(ctx, tx, &f, deref(in.CategoryID), deref(in.Category), in.exactCategory); err != nil {
			return err
		}
	}
	if in.Tags != nil {
		p.Tags = checkTags(&f, *in.Tags)
	}
	if in.StartsOn != nil {
		p.StartsOn = day(&f, "starts_on", *in.StartsOn)
	}
	if in.EndsOn != nil {
		p.EndsOn = day(&f, "ends_on", *in.EndsOn)
	}
	order(&f, "ends_on", p.StartsOn, p.EndsOn, "starts_on")
	if in.Access != nil {
		oneOf(&f, "access", *in.Access, AccessOpen, AccessInvite)
		p.Access = *in.Access
	}
	if in.GuestsAllowed != nil {
		p.GuestsAllowed = *in.GuestsAllowed
	}
	SettingsPatch{IsTemplate: in.IsTemplate, Apps: in.Apps, TagColors: in.TagColors}.apply(&f, p, in.Tags != nil)
	if in.ClientCompanyID != nil {
		p.ClientCompanyID = nil
		if *in.ClientCompanyID != 0 {
			s.clientCompany(ctx, a, &f, "client_company_id", *in.ClientCompanyID)
			p.ClientCompanyID = in.ClientCompanyID
		}
	}
	if in.LeaderID != nil {
		s.colleague(ctx, a, &f, "leader_id", *in.LeaderID)
		p.LeaderID = in.LeaderID
	}
	if in.AssistantLeaderID != nil {
		p.AssistantLeaderID = nil
		if *in.AssistantLeaderID != 0 {
			s.colleague(ctx, a, &f, "assistant_leader_id", *in.AssistantLeaderID)
			p.AssistantLeaderID = in.AssistantLeaderID
		}
	}
	if p.LeaderID != nil && p.AssistantLeaderID != nil && *p.LeaderID == *p.AssistantLeaderID && !f.Has("assistant_leader_id") {
		f.Add("assistant_leader_id", "must be someone else than the leader")
	}
	if err := f.Err(); err != nil {
		return err
	}
	if settingsOf(p) == was {
		return errUnchanged // nothing to change, nothing to write
	}
	now := s.now()
	p.UpdatedAt = now
	if err := s.store.saveProject(ctx, tx, old, p); err != nil {
		return codeConflict(err)
	}
	for _, id := range managers(p, 0) {
		if err := s.putMember(ctx, tx, p, id, RoleManager, now); err != nil {
			return err
		}
	}
	return s.feed(ctx, tx, a, p.ID, 0, "project.updated", "project", p.ID, p.Name)
}

// projectSettings are the columns a PATCH may change, comparable as a whole.
type projectSettings struct {
	name, code, category, tags, access    string
	client, leader, assistant, categoryID int64
	starts, ends                          Date
	guests                                bool
	more                                  string // is_template, apps and tag_colors (service_templates.go)
}

func settingsOf(p *Project) projectSettings {
	return projectSettings{name: p.Name, code: p.Code, category: p.Category, categoryID: deref(p.CategoryID), tags: strings.Join(p.Tags, "\x00"), access: p.Access,
		client: deref(p.ClientCompanyID), leader: deref(p.LeaderID), assistant: deref(p.AssistantLeaderID),
		starts: p.StartsOn, ends: p.EndsOn, guests: p.GuestsAllowed, more: moreSettings(p)}
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// setState moves a project between states in one transaction with its feed line, audit
// event and, for the archive, the project.archived event.
func (s *Service) setState(ctx context.Context, tx db.Tenant, a *actor.Actor, p *Project, state string) error {
	now := s.now()
	p.State, p.UpdatedAt = state, now
	switch state {
	case StateArchived:
		p.ArchivedAt, p.TrashedAt = &now, nil
	case StateTrash:
		p.TrashedAt = &now
	case StateActive:
		p.ArchivedAt, p.TrashedAt = nil, nil
	}
	verb := map[string]string{StateArchived: "project.archived", StateTrash: "project.trashed", StateActive: "project.restored"}[state]
	if err := s.store.saveProjectState(ctx, tx, p); err != nil {
		return err
	}
	if err := s.feed(ctx, tx, a, p.ID, 0, verb, "project", p.ID, p.Name); err != nil {
		return err
	}
	if state == StateArchived {
		if err := emit(ctx, tx, a, "project.archived", ProjectEvent{ProjectID: p.ID, Name: p.Name}); err != nil {
			return err
		}
	}
	return record(ctx, tx, a, verb, p.Name, map[string]int64{"project_id": p.ID})
}

// changeState reads a project the actor sees in a transaction (its row locked on PostgreSQL;
// a trashed one when trashed is true), and hands it to change, which moves it with setState
// when it has to.
func (s *Service) changeState(ctx context.Context, a *actor.Actor, id int64, trashed bool, change func(tx db.Tenant, p *Project) error) (*Project, error) {
	sc := scopeOf(a)
	err := s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		// The row locked first (PostgreSQL), then read as it is now.
		if err := s.store.lockProject(ctx, tx, id); err != nil {
			return err
		}
		p, err := s.store.project(ctx, tx, sc, id, trashed)
		if err != nil {
			return err
		}
		return change(tx, p)

	})
	if err != nil {
		return nil, err
	}
	return s.Project(ctx, a, id)
}

// ArchiveProject makes an active project read-only (archiving an archived project changes
// nothing).
func (s *Service) ArchiveProject(ctx context.Context, a *actor.Actor, id int64) (*Project, error) {
	return s.changeState(ctx, a, id, false, func(tx db.Tenant, p *Project) error {
		if p.State == StateActive {
			return s.setState(ctx, tx, a, p, StateArchived)
		}
		return nil
	})
}

// TrashProject moves a project to the trash, from which it can be restored for TrashDays;
// then it is purged with everything in it. Trashing a trashed project changes nothing.
func (s *Service) TrashProject(ctx context.Context, a *actor.Actor, id int64) (*Project, error) {
	return s.changeState(ctx, a, id, true, func(tx db.Tenant, p *Project) error {
		if p.State != StateTrash {
			return s.setState(ctx, tx, a, p, StateTrash)
		}
		return nil
	})
}

// RestoreProject brings an archived or trashed project back to active (a project in the
// trash for more than TrashDays is gone). Restoring an active project changes nothing.
func (s *Service) RestoreProject(ctx context.Context, a *actor.Actor, id int64) (*Project, error) {
	return s.changeState(ctx, a, id, true, func(tx db.Tenant, p *Project) error {
		if p.State == StateTrash && p.TrashedAt != nil && s.now().Sub(*p.TrashedAt) > TrashDays*24*time.Hour {
			return problem.Gone(fmt.Sprintf("the project was in the trash for more than %d days", TrashDays))
		}
		if p.State != StateActive {
			return s.setState(ctx, tx, a, p, StateActive)
		}
		return nil
	})
}

// PurgeTrash deletes, with everything in them (the foreign keys cascade), the projects trashed
// more than TrashDays ago, in every account, and returns how many. The daily job runs it: the
// accounts that have such projects (store.unscopedAccounts, which reads the projects table
// without an index, cheap once a day: projects are few next to their tasks), then each
// account's through its Tenant.
func (s *Service) PurgeTrash(ctx context.Context) (int, error) {
	cutoff := s.now().Add(-TrashDays * 24 * time.Hour)
	accounts, err := s.store.unscopedAccounts(ctx, s.DB, workPurge, cutoff)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, id := range accounts {
		n, err := s.store.purgeTrash(ctx, s.tenantOf(id), cutoff)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// Star marks (on) or unmarks a project the actor sees as one of their favourites.
func (s *Service) Star(ctx context.Context, a *actor.Actor, id int64, on bool) error {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	p, err := s.store.project(ctx, tn, sc, id, false)
	if err != nil {
		return err
	}
	return s.store.setStar(ctx, tn, &star{AccountID: p.AccountID, UserID: a.UserID, ProjectID: p.ID, CreatedAt: s.now()}, on)
}

// Members lists the people of a project the actor sees.
func (s *Service) Members(ctx context.Context, a *actor.Actor, projectID int64) ([]ProjectMember, error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	if _, err := s.store.project(ctx, tn, sc, projectID, false); err != nil {
		return nil, err
	}
	return s.store.members(ctx, tn, sc, projectID)
}

// MemberInput is the body of PUT /api/v1/{slug}/projects/{id}/members/{user_id}.
type MemberInput struct {
	Role string `json:"role" openapi:"required" enum:"manager,member,client" example:"member"` // manager, member or client
}

// SetMember adds a person of the account to a project, or changes their role. Colleagues are
// managers or members; the account's clients join only as clients, and only projects that
// allow guests.
func (s *Service) SetMember(ctx context.Context, a *actor.Actor, projectID, userID int64, in MemberInput) (*ProjectMember, error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	err := tn.RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		// What the change depends on — the project (its row locked on PostgreSQL) and the
		// person's role in it — is read in its transaction.
		p, err := s.store.projectForUpdate(ctx, tx, sc, projectID)
		if err != nil {
			return err
		}
		if err := writable(p); err != nil {
			return err
		}
		person, err := s.People.Member(ctx, a, userID)
		if err != nil {
			return err
		}
		var f problem.Fields
		oneOf(&f, "role", in.Role, RoleManager, RoleMember, RoleClient)
		switch {
		case f.Has("role"):
		case person.DeactivatedAt != nil:
			f.Add("user_id", "this person is deactivated")
		case person.Role == actor.RoleClient && in.Role != RoleClient:
			f.Add("role", "a client of the account joins a project as a client")
		case person.Role != actor.RoleClient && in.Role == RoleClient:
			f.Add("role", "only the account's clients join as clients")
		case in.Role == RoleClient && !p.GuestsAllowed:
			f.Add("role", "this project does not allow guests; allow them first")
		case in.Role != RoleManager && (isID(p.LeaderID, userID) || isID(p.AssistantLeaderID, userID)):
			f.Add("role", "the leader and the assistant leader are managers of their project")
		}
		if err := f.Err(); err != nil {
			return err
		}
		previous, err := s.store.memberRole(ctx, tx, p.ID, userID)
		if err != nil || previous == in.Role {
			return err
		}
		if err := s.putMember(ctx, tx, p, userID, in.Role, s.now()); err != nil {
			return err
		}
		verb := "member.added"
		if previous != "" {
			verb = "member.role_changed"
		}
		if err := s.feed(ctx, tx, a, p.ID, 0, verb, "user", userID, person.Name); err != nil {
			return err
		}
		return record(ctx, tx, a, "project."+verb, person.Email, map[string]any{"project_id": p.ID, "role": in.Role})
	})
	if err != nil {
		return nil, err
	}
	members, err := s.store.members(ctx, tn, sc, projectID)
	if err != nil {
		return nil, err
	}
	for i := range members {
		if members[i].UserID == userID {
			return &members[i], nil
		}
	}
	return nil, problem.NotFound()
}

func isID(p *int64, id int64) bool { return p != nil && *p == id }

// RemoveMember takes a person out of a project (404 when they are no member). The leader and
// the assistant leader stay until someone else takes their place.
func (s *Service) RemoveMember(ctx context.Context, a *actor.Actor, projectID, userID int64) error {
	sc := scopeOf(a)
	return s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		p, err := s.store.projectForUpdate(ctx, tx, sc, projectID)
		if err != nil {
			return err
		}
		if err := writable(p); err != nil {
			return err
		}
		role, err := s.store.memberRole(ctx, tx, p.ID, userID)
		if err != nil {
			return err
		}
		if role == "" {
			return problem.NotFound()
		}
		if isID(p.LeaderID, userID) || isID(p.AssistantLeaderID, userID) {
			return problem.Conflict("user_id", "the leader and the assistant leader stay in their project; name someone else first")
		}
		person, err := s.People.Member(ctx, a, userID)
		if err != nil {
			return err
		}
		if err := s.store.removeMember(ctx, tx, p.ID, userID); err != nil {
			return err
		}
		if err := s.feed(ctx, tx, a, p.ID, 0, "member.removed", "user", userID, person.Name); err != nil {
			return err
		}
		return record(ctx, tx, a, "project.member.removed", person.Email, map[string]int64{"project_id": p.ID})
	})
}

// Milestones pages through a project's milestones (a client: those of the lists shared with
// their company).
func (s *Service) Milestones(ctx context.Context, a *actor.Actor, projectID int64, pg api.Page) (api.List[Milestone], error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	if _, err := s.store.project(ctx, tn, sc, projectID, false); err != nil {
		return api.List[Milestone]{}, err
	}
	rows, err := s.store.milestones(ctx, tn, sc, projectID, pg)
	return api.MakeList(rows, pg, func(m Milestone) int64 { return m.ID }), err
}

// MilestoneInput is the body of POST /api/v1/{slug}/projects/{id}/milestones.
type MilestoneInput struct {
	Name  string `json:"name" openapi:"required" example:"Beta launch"`
	DueOn string `json:"due_on" openapi:"required" format:"date" example:"2026-04-30"`
}

// CreateMilestone adds a milestone to a project.
func (s *Service) CreateMilestone(ctx context.Context, a *actor.Actor, projectID int64, in MilestoneInput) (*Milestone, error) {
	sc := scopeOf(a)
	p, err := s.writableProject(ctx, s.tenant(sc), sc, projectID)
	if err != nil {
		return nil, err
	}
	var f problem.Fields
	m := &Milestone{AccountID: p.AccountID, ProjectID: p.ID, CreatedAt: s.now()}
	m.Name = checkName(&f, "name", in.Name, MaxListName)
	if m.DueOn = day(&f, "due_on", in.DueOn); in.DueOn == "" {
		f.Add("due_on", "is required")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err = s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		if err := s.store.insertMilestone(ctx, tx, m); err != nil {
			return err
		}
		return s.feed(ctx, tx, a, p.ID, 0, "milestone.created", "milestone", m.ID, m.Name)
	})
	return m, err
}

// Lists pages through a project's task lists (a client: those shared with their company),
// with their companies and task counts.
func (s *Service) Lists(ctx context.Context, a *actor.Actor, projectID int64, pg api.Page) (api.List[TaskList], error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	if _, err := s.store.project(ctx, tn, sc, projectID, false); err != nil {
		return api.List[TaskList]{}, err
	}
	rows, err := s.store.lists(ctx, tn, sc, projectID, pg)
	if err != nil {
		return api.List[TaskList]{}, err
	}
	list := api.MakeList(rows, pg, func(l TaskList) int64 { return l.ID })
	return list, s.store.decorateLists(ctx, tn, sc, list.Items)
}

// ListInput is the body of POST /api/v1/{slug}/projects/{id}/lists.
type ListInput struct {
	Name        string  `json:"name" openapi:"required" example:"Design"`
	MilestoneID int64   `json:"milestone_id,omitempty"`
	Visibility  string  `json:"visibility,omitempty" enum:"internal,clients" example:"clients"` // internal (default) or clients
	CompanyIDs  []int64 `json:"company_ids,omitempty" example:"[12]"`
}

// CreateList adds a task list to a project. Sharing a list with clients is a project
// manager's decision (projects:manage), and names at least one client company of the account.
func (s *Service) CreateList(ctx context.Context, a *actor.Actor, projectID int64, in ListInput) (*TaskList, error) {
	sc := scopeOf(a)
	p, err := s.writableProject(ctx, s.tenant(sc), sc, projectID)
	if err != nil {
		return nil, err
	}
	var f problem.Fields
	l := &TaskList{AccountID: p.AccountID, ProjectID: p.ID, Visibility: in.Visibility, CreatedAt: s.now(), CompanyIDs: []int64{}}
	l.Name = checkName(&f, "name", in.Name, MaxListName)
	if l.Visibility == "" {
		l.Visibility = VisibilityInternal
	}
	oneOf(&f, "visibility", l.Visibility, VisibilityInternal, VisibilityClients)
	if in.MilestoneID != 0 {
		if _, err := s.store.milestone(ctx, s.tenant(sc), p.ID, in.MilestoneID); err != nil {
			f.Add("milestone_id", "no such milestone in this project")
		}
		l.MilestoneID = &in.MilestoneID
	}
	switch {
	case l.Visibility == VisibilityInternal && len(in.CompanyIDs) > 0:
		f.Add("company_ids", "an internal list is shared with no company; set visibility to clients")
	case l.Visibility == VisibilityClients && len(in.CompanyIDs) == 0:
		f.Add("company_ids", "name the client companies the list is shared with")
	case len(in.CompanyIDs) > 100:
		f.Add("company_ids", "must be at most 100 companies")
	}
	if !f.Has("company_ids") {
		for _, id := range in.CompanyIDs {
			if slices.Contains(l.CompanyIDs, id) {
				continue
			}
			s.clientCompany(ctx, a, &f, "company_ids", id)
			if f.Has("company_ids") {
				break
			}
			l.CompanyIDs = append(l.CompanyIDs, id)
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if l.Visibility == VisibilityClients && !a.May("projects", "manage") {
		p := problem.Forbidden("only project managers share lists with clients")
		p.Errors = []problem.FieldError{{Field: "visibility", Message: "only project managers share lists with clients"}}
		return nil, p
	}
	err = s.tenant(sc).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		if err := s.store.insertList(ctx, tx, l); err != nil {
			return err
		}
		return s.feed(
			ctx, tx, a, p.ID, l.ID, "list.created", "list", l.ID, l.Name)
	})
	return l, err
}
