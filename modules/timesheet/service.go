package timesheet

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/automation"
	"groupcamp/core/capacity"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	"groupcamp/core/workflow"
	projects "groupcamp/modules/projects/contract"
)

// Service holds the use cases of the module: plain Go, an actor and a context in, domain
// errors (core/problem) out. The pages and the API both call it.
type Service struct {
	DB        *bun.DB
	Targets   *app.Port[projects.TimeTargets]
	Reports   *app.Port[projects.TimeReports] // client companies and estimates, for reports and invoicing
	Estimates *app.Port[projects.TaskEstimates]
	Workflows *workflow.Engine
	Notifier  automation.Notifier
	// Capacity answers the profile a person works under (caps, workday length).
	Capacity *capacity.Service
	// Now is the clock (tests move it); nil is the real one.
	Now func() time.Time

	store store
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return db.Now()
}

func (s *Service) tenant(accountID int64) db.Tenant { return db.For(s.DB, accountID) }

// sheet is a person's timesheet as an actor reaches it.
type sheet struct {
	person *person
	self   bool
	// full: the person themself, an owner or admin, or a manager in a team with them — every
	// entry of the person, and their sheet to fill and submit.
	full bool
	// led are the active projects the actor leads, when not full: a project leader sees and
	// changes the time logged on their projects, and decides on the weeks that hold some.
	led []int64
}

// admin reports whether the actor administers the account.
func admin(a *actor.Actor) bool { return a.Role == actor.RoleOwner || a.Role == actor.RoleAdmin }

// reach finds the sheet of userID (0: the actor's own) for the actor, or 404 when the actor
// is no manager of that person in any way (or there is no such person in the account).
func (s *Service) reach(ctx context.Context, tn db.Tenant, a *actor.Actor, userID int64) (*sheet, error) {
	if userID == 0 {
		userID = a.UserID
	}
	p, err := s.store.person(ctx, tn, userID)
	if err != nil {
		return nil, err
	}
	if p.Role == actor.RoleClient {
		return nil, problem.NotFound() // clients keep no time
	}
	sh := &sheet{person: p, self: userID == a.UserID}
	switch {
	case sh.self, admin(a):
		sh.full = true
		return sh, nil
	case a.Role != actor.RoleManager:
		return nil, problem.NotFound()
	}
	team, err := s.store.sharesTeam(ctx, tn, a.UserID, userID)
	if err != nil {
		return nil, err
	}
	if team {
		sh.full = true
		return sh, nil
	}
	if sh.led, err = s.ledProjects(ctx, a); err != nil {
		return nil, err
	}
	if len(sh.led) == 0 {
		return nil, problem.NotFound()
	}
	return sh, nil
}

// ledProjects are the active projects the actor leads.
func (s *Service) ledProjects(ctx context.Context, a *actor.Actor) ([]int64, error) {
	ts, err := s.Targets.Get().Targets(ctx, a, 1000)
	if err != nil {
		return nil, err
	}
	out := []int64{}
	for _, t := range ts {
		if t.TaskID == 0 && t.LeaderID == a.UserID {
			out = append(out, t.ProjectID)
		}
	}
	return out, nil
}

// mayChange reports whether the sheet lets the actor change an entry on projectID (0: a
// category).
func (sh *sheet) mayChange(projectID int64) bool {
	return sh.full || (projectID != 0 && slices.Contains(sh.led, projectID))
}

// personActor is the person whose time it is, as the projects port sees them.
func (sh *sheet) personActor(a *actor.Actor) *actor.Actor {
	if sh.self {
		return a
	}
	return &actor.Actor{UserID: sh.person.UserID, Name: sh.person.Name, Role: sh.person.Role, CompanyID: sh.person.CompanyID, Account: a.Account}
}

// ---- Categories ----

// Categories lists the account's time categories (archived ones too with archived).
//
// kind narrows the list to one kind (administrative or project; "" both): another is a 422.
func (s *Service) Categories(ctx context.Context, a *actor.Actor, archived bool, kind string, p api.Page) (api.List[Category], error) {
	if kind != "" {
		var f problem.Fields
		f.Check(kind == KindAdministrative || kind == KindProject, "kind", "must be administrative or project")
		if err := f.Err(); err != nil {
			return api.List[Category]{}, err
		}
	}
	out, err := s.store.categories(ctx, s.tenant(a.AccountID()), archived, kind, p)
	if err != nil {
		return api.List[Category]{}, err
	}
	return api.MakeList(out, p, func(c Category) int64 { return c.ID }), nil
}

func checkName(f *problem.Fields, name string) string {
	name = strings.TrimSpace(name)
	f.Check(name != "", "name", "must not be empty")
	f.Check(utf8.RuneCountInString(name) <= 100, "name", "must be at most 100 characters")
	f.Check(!strings.ContainsAny(name, "\r\n"), "name", "must be one line")
	return name
}

// CreateCategory adds a category (administrators).
func (s *Service) CreateCategory(ctx context.Context, a *actor.Actor, in CategoryInput) (*Category, error) {
	var f problem.Fields
	now := s.now()
	c := &Category{AccountID: a.AccountID(), Name: checkName(&f, in.Name), Kind: checkKind(&f, in.Kind), Billable: in.Billable, CreatedAt: now, UpdatedAt: now}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if err := s.store.insertCategory(ctx, s.tenant(a.AccountID()), c); err != nil {
		if db.IsUniqueViolation(err) {
			return nil, problem.Conflict("name", "a category of this name exists")
		}
		return nil, err
	}
	return c, nil
}

// UpdateCategory renames, changes or archives (restores) a category.
func (s *Service) UpdateCategory(ctx context.Context, a *actor.Actor, id int64, in CategoryPatch) (*Category, error) {
	var out *Category
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		c, err := s.store.category(ctx, tn, id)
		if err != nil {
			return err
		}
		var f problem.Fields
		if in.Name != nil {
			c.Name = checkName(&f, *in.Name)
		}
		if err := s.changeKind(ctx, tn, &f, c, in.Kind); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		if in.Billable != nil {
			c.Billable = *in.Billable
		}
		now := s.now()
		if in.Archived != nil {
			switch {
			case *in.Archived && c.ArchivedAt == nil:
				c.ArchivedAt = &now
			case !*in.Archived:
				c.ArchivedAt = nil
			}
		}
		c.UpdatedAt = now
		if err := s.store.saveCategory(ctx, tn, c); err != nil {
			if db.IsUniqueViolation(err) {
				return problem.Conflict("name", "a category of this name exists")
			}
			return err
		}
		out = c
		return nil
	})
	return out, err
}

// ArchiveCategory archives a category: no new time on it; what was logged stays.
func (s *Service) ArchiveCategory(ctx context.Context, a *actor.Actor, id int64) (*Category, error) {
	yes := true
	return s.UpdateCategory(ctx, a, id, CategoryPatch{Archived: &yes})
}

// ---- Entries ----

// Entries lists a person's entries (default: the actor's), filtered.
func (s *Service) Entries(ctx context.Context, a *actor.Actor, f EntryFilter, p api.Page) (api.List[Entry], error) {
	tn := s.tenant(a.AccountID())
	sh, err := s.reach(ctx, tn, a, f.UserID)
	if err != nil {
		return api.List[Entry]{}, err
	}
	f.UserID = sh.person.UserID
	if !sh.full {
		f.Projects = sh.led
	}
	out, err := s.store.entries(ctx, tn, f, p)
	if err != nil {
		return api.List[Entry]{}, err
	}
	list := api.MakeList(out, p, func(e Entry) int64 { return e.ID })
	return list, s.decorate(ctx, tn, list.Items)
}

// decorate fills the names of the entries' projects, tasks and categories.
func (s *Service) decorate(ctx context.Context, tn db.Tenant, es []Entry) error {
	var pids, tids, cids []int64
	for _, e := range es {
		if e.ProjectID != nil {
			pids = append(pids, *e.ProjectID)
		}
		if e.TaskID != nil {
			tids = append(tids, *e.TaskID)
		}
		if e.CategoryID != nil {
			cids = append(cids, *e.CategoryID)
		}
	}
	if len(es) == 0 {
		return nil
	}
	names, err := s.Targets.Get().Names(ctx, tn.AccountID, pids, tids)
	if err != nil {
		return err
	}
	cats, err := s.store.categoryNames(ctx, tn, cids)
	if err != nil {
		return err
	}
	for i := range es {
		e := &es[i]
		if e.ProjectID != nil {
			e.ProjectName = names.Projects[*e.ProjectID]
		}
		if e.TaskID != nil {
			e.TaskTitle = names.Tasks[*e.TaskID]
		}
		if e.CategoryID != nil {
			e.CategoryName = cats[*e.CategoryID]
		}
	}
	return nil
}

// minutesOf reads the duration of an input: minutes, or duration as typed (read by parse),
// not both.
func minutesOf(f *problem.Fields, minutes int, duration string, have bool, parse func(string) (int, error)) int {
	if duration != "" {
		n, err := parse(duration)
		if err != nil {
			f.Add("duration", err.Error())
			return 0
		}
		if minutes != 0 && minutes != n {
			f.Add("duration", "gives another duration than minutes: send one of them")
			return 0
		}
		minutes = n
	}
	switch {
	case !have && minutes == 0:
		f.Add("minutes", "is required (or duration, such as 1:30)")
	case minutes <= 0:
		f.Add("minutes", "must be more than 0")
	case minutes > MaxDayMinutes:
		f.Add("minutes", "must be at most 24 hours (1440 minutes)")
	}
	return minutes
}

// target checks the entry's project, task and project category, or its administrative
// category, for the person, and fills the default billable flag when billable is nil.
func (s *Service) target(ctx context.Context, tn db.Tenant, person *actor.Actor, e *Entry, billable *bool, f *problem.Fields) error {
	switch {
	case e.ProjectID == nil && e.CategoryID == nil:
		f.Add("project_id", "give a project (or a category)")
		return nil
	case e.TaskID != nil && e.ProjectID == nil:
		f.Add("task_id", "needs the task's project_id")
		return nil
	}
	def := true
	if e.ProjectID != nil {
		var task int64
		if e.TaskID != nil {
			task = *e.TaskID
		}
		t, err := s.Targets.Get().Check(ctx, person, *e.ProjectID, task)
		if err != nil {
			return err
		}
		switch t.Refusal {
		case projects.RefusedProject:
			f.Add("project_id", "is not a project this person can log time on")
		case projects.RefusedArchived:
			f.Add("project_id", "is archived: no time can be logged on it")
		case projects.RefusedTask:
			f.Add("task_id", "is not a task of this project")
		}
	}
	if e.CategoryID != nil {
		d, err := s.checkCategory(ctx, tn, *e.CategoryID, e.ProjectID != nil, f)
		if err != nil {
			return err
		}
		if d != nil {
			def = *d
		}
	}
	if billable != nil {
		e.Billable = *billable
	} else {
		e.Billable = def
	}
	return nil
}

func problemStatus(err error) int {
	if p, ok := problem.As(err); ok {
		return p.Status
	}
	return 0
}

func idOrNil(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func checkNote(f *problem.Fields, note string) string {
	f.Check(utf8.RuneCountInString(note) <= 2000, "note", "must be at most 2000 characters")
	return strings.TrimSpace(note)
}

func checkDay(f *problem.Fields, day string) (time.Time, bool) {
	t, ok := ParseDay(day)
	if !ok {
		f.Add("date", "must be a day written YYYY-MM-DD")
	}
	return t, ok
}

// CreateEntry logs time.
func (s *Service) CreateEntry(ctx context.Context, a *actor.Actor, in EntryInput) (*Entry, error) {
	return s.createEntry(ctx, a, in, nil)
}

// createEntry is CreateEntry; also, when not nil, runs in the entry's transaction once it is
// written (a timer's stop removes the timer there, so a stop makes one entry or none).
func (s *Service) createEntry(ctx context.Context, a *actor.Actor, in EntryInput, also func(ctx context.Context, tn db.Tenant, e *Entry) error) (*Entry, error) {
	tn := s.tenant(a.AccountID())
	sh, err := s.reach(ctx, tn, a, in.UserID)
	if err != nil {
		if in.UserID != 0 && problemStatus(err) == 404 {
			return nil, problem.Invalid(problem.FieldError{Field: "user_id", Message: "is not a person whose time you keep"})
		}
		return nil, err
	}
	var f problem.Fields
	now := s.now()
	uid := sh.person.UserID
	e := &Entry{AccountID: a.AccountID(), UserID: &uid, Date: in.Date, ProjectID: idOrNil(in.ProjectID), TaskID: idOrNil(in.TaskID),
		CategoryID: idOrNil(in.CategoryID), Note: checkNote(&f, in.Note), CreatedAt: now, UpdatedAt: now}
	day, _ := checkDay(&f, in.Date)
	e.Minutes = minutesOf(&f, in.Minutes, in.Duration, false, s.durationParser(ctx, tn, uid, in.Date))
	if in.ProjectID < 0 || in.TaskID < 0 || in.CategoryID < 0 {
		f.Add("project_id", "ids are positive numbers")
	} else if err := s.target(ctx, tn, sh.personActor(a), e, in.Billable, &f); err != nil {
		return nil, err
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	if !sh.mayChange(in.ProjectID) {
		return nil, problem.Invalid(problem.FieldError{Field: "project_id", Message: "is not a project you lead: you may not log this person's time on it"})
	}
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if err := s.writable(ctx, tn, uid, now, day); err != nil {
			return err
		}
		if err := s.fitsDay(ctx, tn, uid, e.Date, e.Minutes, 0); err != nil {
			return err
		}
		if err := s.fitsCaps(ctx, tn, uid, e.Date, e.Minutes, 0); err != nil {
			return err
		}
		if err := s.store.insertEntry(ctx, tn, e); err != nil {
			return err
		}
		if also != nil {
			if err := also(ctx, tn, e); err != nil {
				return err
			}
		}
		return s.checkEstimates(ctx, tn, a, e.TaskID)
	})
	if err != nil {
		return nil, err
	}
	es := []Entry{*e}
	return &es[0], s.decorate(ctx, tn, es)
}

// writable locks the person's weeks of the days (in order, so two writers never wait on each
// other crosswise) and refuses a day of a submitted or approved week: 409.
func (s *Service) writable(ctx context.Context, tn db.Tenant, userID int64, now time.Time, days ...time.Time) error {
	var weeks []string
	for _, d := range days {
		if w := WeekOf(d).String(); !slices.Contains(weeks, w) {
			weeks = append(weeks, w)
		}
	}
	slices.Sort(weeks)
	if err := s.periodOpen(ctx, tn, days...); err != nil {
		return err
	}
	for _, w := range weeks {
		row, err := s.store.lockWeek(ctx, tn, userID, w, now)
		if err != nil {
			return err
		}
		if row.State == StateSubmitted || row.State == StateApproved {
			return problem.Conflict("date", "the week "+w+" is "+row.State+": its time cannot change (reopen or reject it first)")
		}
	}
	return nil
}

// fitsDay refuses more than 24 hours on a day for a person (the entry except aside).
func (s *Service) fitsDay(ctx context.Context, tn db.Tenant, userID int64, day string, minutes int, except int64) error {
	had, err := s.store.dayMinutes(ctx, tn, userID, day, except)
	if err != nil {
		return err
	}
	if had+minutes > MaxDayMinutes {
		return problem.Invalid(problem.FieldError{Field: "minutes", Message: "would make more than 24 hours on " + day + " (" + FormatDuration(had) + " logged already)"})
	}
	return nil
}

// entryFor finds an entry the actor may change, with the sheet it belongs to.
func (s *Service) entryFor(ctx context.Context, tn db.Tenant, a *actor.Actor, id int64) (*Entry, *sheet, error) {
	e, err := s.store.entry(ctx, tn, id, false)
	if err != nil {
		return nil, nil, err
	}
	sh, err := s.reach(ctx, tn, a, *e.UserID)
	if err != nil {
		return nil, nil, err
	}
	var pid int64
	if e.ProjectID != nil {
		pid = *e.ProjectID
	}
	if !sh.mayChange(pid) {
		return nil, nil, problem.NotFound()
	}
	return e, sh, nil
}

// UpdateEntry changes an entry (409 when its week, or the week it moves to, is locked).
func (s *Service) UpdateEntry(ctx context.Context, a *actor.Actor, id int64, in EntryPatch) (*Entry, error) {
	tn := s.tenant(a.AccountID())
	old, sh, err := s.entryFor(ctx, tn, a, id)
	if err != nil {
		return nil, err
	}
	e := *old
	var f problem.Fields
	if in.Date != nil {
		e.Date = *in.Date
	}
	day, _ := checkDay(&f, e.Date)
	oldDay, _ := ParseDay(old.Date)
	if in.Minutes != nil || in.Duration != nil {
		m, d := 0, ""
		if in.Minutes != nil {
			m = *in.Minutes
			if m == 0 {
				m = -1 // 0 minutes is no duration
			}
		}
		if in.Duration != nil {
			d = *in.Duration
			if strings.TrimSpace(d) == "" {
				f.Add("duration", "must not be empty")
			}
		}
		e.Minutes = minutesOf(&f, m, d, true, s.durationParser(ctx, tn, *old.UserID, e.Date))
	}
	if in.Note != nil {
		e.Note = checkNote(&f, *in.Note)
	}
	retarget := in.ProjectID != nil || in.TaskID != nil || in.CategoryID != nil || in.Billable != nil
	if in.ProjectID != nil {
		e.ProjectID = idOrNil(*in.ProjectID)
		if in.TaskID == nil {
			e.TaskID = nil
		}
		// A project category stays with the project; an administrative one goes.
		if kind, err := s.categoryKind(ctx, tn, e.CategoryID); err != nil {
			return nil, err
		} else if in.CategoryID == nil && kind != KindProject {
			e.CategoryID = nil
		}
	}
	if in.TaskID != nil {
		e.TaskID = idOrNil(*in.TaskID)
	}
	if in.CategoryID != nil {
		e.CategoryID = idOrNil(*in.CategoryID)
		// An administrative category takes the entry off its project.
		if kind, err := s.categoryKind(ctx, tn, e.CategoryID); err != nil {
			return nil, err
		} else if kind == KindAdministrative && (in.ProjectID == nil || *in.ProjectID == 0) {
			e.ProjectID, e.TaskID = nil, nil
		}
	}
	if retarget {
		billable := in.Billable
		// The flag stays unless the time moves to another project or category (a project
		// category named on the same project keeps it).
		if billable == nil && in.ProjectID == nil && (in.CategoryID == nil || e.ProjectID != nil) {
			billable = &old.Billable
		}
		if err := s.target(ctx, tn, sh.personActor(a), &e, billable, &f); err != nil {
			return nil, err
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var pid int64
	if e.ProjectID != nil {
		pid = *e.ProjectID
	}
	if !sh.mayChange(pid) {
		return nil, problem.Invalid(problem.FieldError{Field: "project_id", Message: "is not a project you lead: you may not log this person's time on it"})
	}
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		now := s.now()
		if err := s.writable(ctx, tn, *old.UserID, now, oldDay, day); err != nil {
			return err
		}
		cur, err := s.store.entry(ctx, tn, id, true)
		if err != nil {
			return err
		}
		// The change was built on the entry as read before the lock: another change since
		// would be overwritten.
		if !cur.UpdatedAt.Equal(old.UpdatedAt) || *cur.UserID != *old.UserID {
			return problem.Conflict("", "the entry changed meanwhile: read it again")
		}
		if err := s.fitsDay(ctx, tn, *cur.UserID, e.Date, e.Minutes, id); err != nil {
			return err
		}
		// Less time on the same day never passes a cap it did not pass before.
		if e.Date != cur.Date || e.Minutes > cur.Minutes {
			if err := s.fitsCaps(ctx, tn, *cur.UserID, e.Date, e.Minutes, id); err != nil {
				return err
			}
		}
		e.UpdatedAt = now
		if err := s.store.saveEntry(ctx, tn, &e); err != nil {
			return err
		}
		return s.checkEstimates(ctx, tn, a, e.TaskID)
	})
	if err != nil {
		return nil, err
	}
	es := []Entry{e}
	return &es[0], s.decorate(ctx, tn, es)
}

// DeleteEntry deletes an entry (409 when its week is locked).
func (s *Service) DeleteEntry(ctx context.Context, a *actor.Actor, id int64) error {
	tn := s.tenant(a.AccountID())
	e, _, err := s.entryFor(ctx, tn, a, id)
	if err != nil {
		return err
	}
	day, _ := ParseDay(e.Date)
	return tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if err := s.writable(ctx, tn, *e.UserID, s.now(), day); err != nil {
			return err
		}
		if _, err := s.store.entry(ctx, tn, id, true); err != nil {
			return err
		}
		return s.store.deleteEntry(ctx, tn, e)
	})
}
