package planning

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/automation"
	"groupcamp/core/capacity"
	"groupcamp/core/db"
	"groupcamp/core/holidays"
	"groupcamp/core/problem"
	"groupcamp/core/validate"
	"groupcamp/core/workflow"
)

// Leave requests go through core/workflow ("planning.absence": requested -> approved or
// rejected), which records who decided when, with the comment, and emits the events; the row
// keeps the state for the range queries.
const (
	WorkflowName = "planning.absence"
	Approve      = "approve"
	Reject       = "reject"
)

// AbsenceWorkflow is the definition of a leave request.
func AbsenceWorkflow() *workflow.Definition {
	return &workflow.Definition{
		Name: WorkflowName, Initial: StateRequested,
		States: []string{StateRequested, StateApproved, StateRejected},
		Transitions: []workflow.Transition{
			{Name: Approve, From: []string{StateRequested}, To: StateApproved, Object: "planning.absences", Action: "approve"},
			{Name: Reject, From: []string{StateRequested}, To: StateRejected, Object: "planning.absences", Action: "approve"},
		},
	}
}

// defaultTypes are the kinds of leave an account starts with (admins change them).
var defaultTypes = []AbsenceType{
	{Name: "Holiday", Paid: true, AllowanceDays: 25, CarryOverDays: 5},
	{Name: "Sick", Paid: true},
	{Name: "Training", Paid: true},
	{Name: "Other", Paid: false},
}

// AbsenceTypes lists the account's kinds of leave (the defaults are written on first read).
func (s *Service) AbsenceTypes(ctx context.Context, a *actor.Actor) ([]AbsenceType, error) {
	tn := s.tenant(a.AccountID())
	out := []AbsenceType{}
	if err := tn.Select(&out).OrderExpr("at.id").Scan(ctx); err != nil {
		return nil, err
	}
	if len(out) > 0 {
		return out, nil
	}
	now := s.now()
	rows := make([]AbsenceType, len(defaultTypes))
	for i, t := range defaultTypes {
		t.AccountID, t.CreatedAt, t.UpdatedAt = tn.AccountID, now, now
		rows[i] = t
	}
	if _, err := tn.Insert(&rows).On("CONFLICT DO NOTHING").Exec(ctx); err != nil {
		return nil, err
	}
	return out, tn.Select(&out).OrderExpr("at.id").Scan(ctx)
}

// CreateAbsenceType adds a kind of leave (administrators).
func (s *Service) CreateAbsenceType(ctx context.Context, a *actor.Actor, in AbsenceTypeInput) (*AbsenceType, error) {
	var f problem.Fields
	name := strings.TrimSpace(in.Name)
	if m := validate.Name(name, MaxName); m != "" {
		f.Add("name", m)
	}
	f.Check(in.AllowanceDays >= 0 && in.AllowanceDays <= 366, "allowance_days", "must be from 0 to 366 days")
	f.Check(in.CarryOverDays >= 0 && in.CarryOverDays <= 366, "carry_over_days", "must be from 0 to 366 days")
	if err := f.Err(); err != nil {
		return nil, err
	}
	if _, err := s.AbsenceTypes(ctx, a); err != nil {
		return nil, err
	}
	now := s.now()
	t := &AbsenceType{AccountID: a.AccountID(), Name: name, Paid: in.Paid, AllowanceDays: in.AllowanceDays, CarryOverDays: in.CarryOverDays, CreatedAt: now, UpdatedAt: now}
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if _, err := tn.Insert(t).Exec(ctx); err != nil {
			if db.IsUniqueViolation(err) {
				return problem.Conflict("name", "a kind of leave of this name exists")
			}
			return err
		}
		return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "planning.absence_type_created", t.Name, map[string]any{"paid": t.Paid, "allowance_days": t.AllowanceDays, "carry_over_days": t.CarryOverDays})
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// UpdateAbsenceType changes, archives or restores a kind of leave (administrators).
func (s *Service) UpdateAbsenceType(ctx context.Context, a *actor.Actor, id int64, in AbsenceTypePatch) (*AbsenceType, error) {
	out := new(AbsenceType)
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if err := tn.ForUpdate(tn.Select(out).Where("at.id = ?", id)).Scan(ctx); err != nil {
			return notFound(err)
		}
		var f problem.Fields
		if in.Name != nil {
			name := strings.TrimSpace(*in.Name)
			if m := validate.Name(name, MaxName); m != "" {
				f.Add("name", m)
			}
			out.Name = name
		}
		if in.Paid != nil {
			out.Paid = *in.Paid
		}
		if in.AllowanceDays != nil {
			out.AllowanceDays = *in.AllowanceDays
			f.Check(out.AllowanceDays >= 0 && out.AllowanceDays <= 366, "allowance_days", "must be from 0 to 366 days")
		}
		if in.CarryOverDays != nil {
			out.CarryOverDays = *in.CarryOverDays
			f.Check(out.CarryOverDays >= 0 && out.CarryOverDays <= 366, "carry_over_days", "must be from 0 to 366 days")
		}
		if err := f.Err(); err != nil {
			return err
		}
		now := s.now()
		switch {
		case in.Archived == nil:
		case *in.Archived && out.ArchivedAt == nil:
			out.ArchivedAt = &now
		case !*in.Archived:
			out.ArchivedAt = nil
		}
		out.UpdatedAt = now
		if _, err := tn.Update(out).WherePK().Exec(ctx); err != nil {
			if db.IsUniqueViolation(err) {
				return problem.Conflict("name", "a kind of leave of this name exists")
			}
			return err
		}
		return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "planning.absence_type_changed", out.Name,
			map[string]any{"paid": out.Paid, "allowance_days": out.AllowanceDays, "carry_over_days": out.CarryOverDays, "archived": out.ArchivedAt != nil})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// decides reports whether the actor decides on userID's leave: an administrator, or a
// manager sharing a team with them — never on their own.
func (s *Service) decides(ctx context.Context, tn db.Tenant, a *actor.Actor, userID int64) (bool, error) {
	if userID == a.UserID || !a.May("planning.absences", "approve") {
		return false, nil
	}
	if admin(a) {
		return true, nil
	}
	return tn.SelectFrom("team_members", "tm").
		Where("tm.user_id = ? AND EXISTS (SELECT 1 FROM team_members AS o WHERE o.account_id = tm.account_id AND o.team_id = tm.team_id AND o.user_id = ?)", userID, a.UserID).
		Exists(ctx)
}

func absenceQuery(tn db.Tenant, out any) *bun.SelectQuery {
	return tn.Select(out).ColumnExpr("ab.*, at.name AS type_name, u.name AS person_name").
		Join("JOIN planning_absence_types AS at ON at.account_id = ab.account_id AND at.id = ab.type_id").
		Join("JOIN users AS u ON u.id = ab.user_id")
}

// Absences lists the leave meeting [from, to] (of one person with userID): colleagues see
// who is away when; the kind of leave (sick...) only the person and who decides on it.
func (s *Service) Absences(ctx context.Context, a *actor.Actor, from, to string, userID int64, state string) ([]Absence, error) {
	var f problem.Fields
	parseRange(&f, "from", "to", from, to)
	if state != "" {
		if m := validate.OneOf(state, StateRequested, StateApproved, StateRejected); m != "" {
			f.Add("state", m)
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	tn := s.tenant(a.AccountID())
	out := []Absence{}
	q := absenceQuery(tn, &out).Where("ab.starts_on <= ? AND ab.ends_on >= ?", to, from)
	if userID != 0 {
		q = q.Where("ab.user_id = ?", userID)
	}
	if state != "" {
		q = q.Where("ab.state = ?", state)
	}
	if err := q.OrderExpr("ab.starts_on, ab.id").Limit(5000).Scan(ctx); err != nil {
		return nil, err
	}
	return out, s.finish(ctx, tn, a, out)
}

// finish counts each absence's working days and hides the kind from who may not see it.
func (s *Service) finish(ctx context.Context, tn db.Tenant, a *actor.Actor, as []Absence) error {
	var users []int64
	for _, ab := range as {
		users = append(users, ab.UserID)
	}
	sc, err := s.Capacity.ProfilesOn(ctx, tn.AccountID, users, "")
	if err != nil {
		return err
	}
	country, err := s.store.country(ctx, tn)
	if err != nil {
		return err
	}
	cache := map[int64]bool{}
	for i := range as {
		ab := &as[i]
		ab.Days = workingDays(sc, country, ab.UserID, ab.StartsOn, ab.EndsOn, ab.Part, 0)
		if ab.UserID == a.UserID || admin(a) {
			continue
		}
		may, ok := cache[ab.UserID]
		if !ok {
			if may, err = s.decides(ctx, tn, a, ab.UserID); err != nil {
				return err
			}
			cache[ab.UserID] = may
		}
		if !may {
			ab.Type, ab.TypeID, ab.Note = "", 0, ""
		}
	}
	return nil
}

// Absence is one absence of the account.
func (s *Service) Absence(ctx context.Context, a *actor.Actor, id int64) (*Absence, error) {
	tn := s.tenant(a.AccountID())
	ab := new(Absence)
	if err := absenceQuery(tn, ab).Where("ab.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	one := []Absence{*ab}
	return &one[0], s.finish(ctx, tn, a, one)
}

// RequestAbsence asks for leave: for oneself, or (a manager or administrator) for someone
// they decide for. An absence overlapping an approved one of the person is refused (422).
func (s *Service) RequestAbsence(ctx context.Context, a *actor.Actor, in AbsenceInput) (*Absence, error) {
	if in.UserID == 0 {
		in.UserID = a.UserID
	}
	var f problem.Fields
	_, _, okRange := parseRange(&f, "starts_on", "ends_on", in.StartsOn, in.EndsOn)
	if m := validate.Text(in.Note, MaxNote, false); m != "" {
		f.Add("note", m)
	}
	if in.Part != "" {
		if m := validate.OneOf(in.Part, PartMorning, PartAfternoon); m != "" {
			f.Add("part", m+" (or empty for whole days)")
		} else if in.StartsOn != in.EndsOn {
			f.Add("part", "half a day is one day: starts_on and ends_on the same")
		}
	}
	tn := s.tenant(a.AccountID())
	types, err := s.AbsenceTypes(ctx, a)
	if err != nil {
		return nil, err
	}
	found := false
	for _, t := range types {
		found = found || (t.ID == in.TypeID && t.ArchivedAt == nil)
	}
	f.Check(found, "type", "is not a kind of leave of this account")
	if in.UserID != a.UserID {
		may, err := s.decides(ctx, tn, a, in.UserID)
		if err != nil {
			return nil, err
		}
		f.Check(may, "user_id", "is not a person whose leave you decide on")
	}
	if okRange {
		overlap, err := overlapping(tn.SelectFrom("planning_absences", "o"), in.UserID, in.StartsOn, in.EndsOn, in.Part).Exists(ctx)
		if err != nil {
			return nil, err
		}
		f.Check(!overlap, "starts_on", "overlaps approved leave of this person")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	ab := &Absence{AccountID: a.AccountID(), UserID: in.UserID, TypeID: in.TypeID, StartsOn: in.StartsOn, EndsOn: in.EndsOn, Part: in.Part, State: StateRequested, Note: in.Note, CreatedAt: now, UpdatedAt: now}
	err = tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if _, err := tn.Insert(ab).Exec(ctx); err != nil {
			return err
		}
		if _, err := s.Workflows.Start(ctx, tn.Unscoped(), tn.AccountID, WorkflowName, WorkflowName, ab.ID); err != nil {
			return err
		}
		// The person's managers hear of it (those sharing a team with them who approve leave).
		return s.Notifier.Notify(ctx, tn.Unscoped(), automation.Notice{AccountID: tn.AccountID, Roles: []string{actor.RoleManager, actor.RoleAdmin},
			EventType: "planning.absence_requested", Text: a.Name + " requests leave " + ab.StartsOn + " – " + ab.EndsOn,
			Key: "planning.notice.requested", Args: []any{"Name", a.Name, "From", ab.StartsOn, "To", ab.EndsOn}, Path: "/planning/absences"})
	})
	if err != nil {
		return nil, err
	}
	return s.Absence(ctx, a, ab.ID)
}

// Decide approves or rejects a request (a manager of the person, an administrator): through
// the workflow, audited, the person notified, in one transaction.
func (s *Service) Decide(ctx context.Context, a *actor.Actor, id int64, name string, in DecisionInput) (*Absence, error) {
	if m := validate.Text(in.Comment, MaxNote, false); m != "" {
		return nil, problem.Invalid(problem.FieldError{Field: "comment", Message: m})
	}
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		ab := new(Absence)
		if err := tn.ForUpdate(tn.Select(ab).Where("ab.id = ?", id)).Scan(ctx); err != nil {
			return notFound(err)
		}
		may, err := s.decides(ctx, tn, a, ab.UserID)
		if err != nil {
			return err
		}
		if !may {
			if ab.UserID == a.UserID {
				return problem.Forbidden("no one decides on their own leave")
			}
			return problem.Forbidden("only a manager of this person decides on their leave")
		}
		if name == Approve {
			if err := s.approvable(ctx, tn, a, ab); err != nil {
				return err
			}
		}
		idb := tn.Unscoped()
		inst, err := s.Workflows.Find(ctx, idb, tn.AccountID, WorkflowName, WorkflowName, ab.ID)
		if err != nil {
			return err
		}
		if err := s.Workflows.Fire(ctx, idb, inst, name, a, in.Comment); err != nil {
			return err
		}
		now, by := s.now(), a.UserID
		ab.State, ab.DecidedBy, ab.DecidedAt, ab.Comment, ab.UpdatedAt = inst.State, &by, &now, in.Comment, now
		if _, err := tn.Update(ab).Column("state", "decided_by", "decided_at", "comment", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		if err := audit.Record(ctx, idb, a, tn.AccountID, "planning.absence_"+inst.State, ab.StartsOn+" – "+ab.EndsOn, map[string]any{"user_id": ab.UserID, "comment": in.Comment}); err != nil {
			return err
		}
		return s.Notifier.Notify(ctx, idb, automation.Notice{AccountID: tn.AccountID, UserIDs: []int64{ab.UserID}, EventType: "planning.absence_" + inst.State,
			Text: "Your leave " + ab.StartsOn + " – " + ab.EndsOn + ": " + inst.State, Key: "planning.notice." + inst.State,
			Args: []any{"From", ab.StartsOn, "To", ab.EndsOn}, Path: "/planning/absences"})
	})
	if err != nil {
		return nil, err
	}
	return s.Absence(ctx, a, id)
}

// Balances are the person's allowances of the year per kind of leave: the allowance, what
// carries over from last year (at most the kind's carry-over), the approved days taken.
func (s *Service) Balances(ctx context.Context, a *actor.Actor, userID int64, year int) ([]Balance, error) {
	if userID == 0 {
		userID = a.UserID
	}
	tn := s.tenant(a.AccountID())
	if userID != a.UserID && !admin(a) {
		may, err := s.decides(ctx, tn, a, userID)
		if err != nil {
			return nil, err
		}
		if !may {
			return nil, problem.NotFound()
		}
	}
	if year < 2000 || year > 2100 {
		return nil, problem.Invalid(problem.FieldError{Field: "year", Message: "must be from 2000 to 2100"})
	}
	types, err := s.AbsenceTypes(ctx, a)
	if err != nil {
		return nil, err
	}
	return s.balances(ctx, tn, types, userID, year)
}

// balances are userID's balances of year for the kinds of leave (in tn's transaction when
// there is one: the approval reads them under the person's lock).
func (s *Service) balances(ctx context.Context, tn db.Tenant, types []AbsenceType, userID int64, year int) ([]Balance, error) {
	as := []Absence{}
	if err := tn.Select(&as).Where("ab.user_id = ? AND ab.state = ? AND ab.starts_on <= ? AND ab.ends_on >= ?", userID, StateApproved,
		time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC).Format(capacity.DayLayout), time.Date(year-1, 1, 1, 0, 0, 0, 0, time.UTC).Format(capacity.DayLayout)).Scan(ctx); err != nil {
		return nil, err
	}
	sc, err := s.Capacity.ProfilesOn(ctx, tn.AccountID, []int64{userID}, "")
	if err != nil {
		return nil, err
	}
	country, err := s.store.country(ctx, tn)
	if err != nil {
		return nil, err
	}
	// taken[type] are the working days of approved leave in the year before and the year.
	taken := map[int64][2]float64{}
	for _, ab := range as {
		t := taken[ab.TypeID]
		t[0] += workingDays(sc, country, userID, ab.StartsOn, ab.EndsOn, ab.Part, year-1)
		t[1] += workingDays(sc, country, userID, ab.StartsOn, ab.EndsOn, ab.Part, year)
		taken[ab.TypeID] = t
	}
	out := []Balance{}
	for _, t := range types {
		tk := taken[t.ID]
		b := Balance{TypeID: t.ID, Type: t.Name, Year: year, Allowance: t.AllowanceDays, TakenDays: tk[1]}
		if t.AllowanceDays > 0 {
			b.CarriedIn = min(max(float64(t.AllowanceDays)-tk[0], 0), float64(t.CarryOverDays))
		}
		b.Remaining = float64(b.Allowance) + b.CarriedIn - b.TakenDays
		out = append(out, b)
	}
	return out, nil
}

// approvable checks, in the approval's transaction, that ab may be approved: it overlaps no
// approved leave of the person, and it fits in what is left of its kind's allowance of each
// year it touches (kinds with no allowance count nothing). The person's resource row is
// locked first (FOR UPDATE on PostgreSQL; SQLite's write lock from BEGIN does the same), so
// two managers approving two requests of one person at once are served one after the other:
// the second sees the first's days taken and cannot spend the same balance twice.
func (s *Service) approvable(ctx context.Context, tn db.Tenant, a *actor.Actor, ab *Absence) error {
	if err := s.store.syncPeople(ctx, tn, s.now()); err != nil {
		return err
	}
	var rid int64
	if err := tn.ForUpdate(tn.SelectFrom("planning_resources", "r").Column("r.id").Where("r.user_id = ?", ab.UserID)).Scan(ctx, &rid); err != nil && !db.IsNotFound(err) {
		return err
	}
	overlap, err := overlapping(tn.SelectFrom("planning_absences", "o").Where("o.id <> ?", ab.ID), ab.UserID, ab.StartsOn, ab.EndsOn, ab.Part).Exists(ctx)
	if err != nil {
		return err
	}
	if overlap {
		return problem.Invalid(problem.FieldError{Field: "starts_on", Message: "overlaps approved leave of this person"})
	}
	t := new(AbsenceType)
	if err := tn.Select(t).Where("at.id = ?", ab.TypeID).Scan(ctx); err != nil {
		return notFound(err)
	}
	if t.AllowanceDays == 0 {
		return nil
	}
	first, _ := time.Parse(capacity.DayLayout, ab.StartsOn)
	last, _ := time.Parse(capacity.DayLayout, ab.EndsOn)
	sc, err := s.Capacity.ProfilesOn(ctx, tn.AccountID, []int64{ab.UserID}, "")
	if err != nil {
		return err
	}
	country, err := s.store.country(ctx, tn)
	if err != nil {
		return err
	}
	for y := first.Year(); y <= last.Year(); y++ {
		need := workingDays(sc, country, ab.UserID, ab.StartsOn, ab.EndsOn, ab.Part, y)
		if need == 0 {
			continue
		}
		bs, err := s.balances(ctx, tn, []AbsenceType{*t}, ab.UserID, y)
		if err != nil {
			return err
		}
		if left := bs[0].Remaining; need > left {
			return problem.Invalid(problem.FieldError{Field: "type", Message: fmt.Sprintf("takes %s days of %s in %d, %s are left", days(need), t.Name, y, days(max(left, 0)))})
		}
	}
	return nil
}

// days writes a number of days counted in halves: "2", "0.5".
func days(d float64) string { return strconv.FormatFloat(d, 'f', -1, 64) }

// overlapping narrows q (over planning_absences AS o) to the approved leave of the person
// meeting [from, to]; two half days of one day overlap only when they are the same half.
func overlapping(q *bun.SelectQuery, userID int64, from, to, part string) *bun.SelectQuery {
	q = q.Where("o.user_id = ? AND o.state = ? AND o.starts_on <= ? AND o.ends_on >= ?", userID, StateApproved, to, from)
	if part != "" {
		q = q.Where("(o.part = '' OR o.part = ?)", part)
	}
	return q
}

// workingDays counts the days of [from, to] (of year only, when not 0) the person works under
// their capacity profile and that are no public holiday of the country: what leave takes.
// Half a day (part set) counts 0.5.
func workingDays(sc *capacity.Schedule, country string, userID int64, from, to, part string, year int) float64 {
	a, err1 := time.Parse(capacity.DayLayout, from)
	b, err2 := time.Parse(capacity.DayLayout, to)
	if err1 != nil || err2 != nil {
		return 0
	}
	off := map[time.Time]bool{}
	for _, h := range holidays.Between(country, a, b) {
		off[h.Date] = true
	}
	n := 0
	for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
		if (year == 0 || d.Year() == year) && !off[d] && sc.On(userID, d.Format(capacity.DayLayout)).Minutes(d) > 0 {
			n++
		}
	}
	if part != "" {
		return float64(n) / 2
	}
	return float64(n)
}
