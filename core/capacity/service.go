package capacity

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// DayLayout is how days are written ("2026-12-07").
const DayLayout = "2006-01-02"

// Service holds the use cases of capacity: the API's (actor in) and the reads other parts
// of GroupCamp make (account in).
type Service struct {
	DB bun.IDB
	// Now is the clock (tests move it); nil is the real one.
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return db.Now()
}

func (s *Service) tenant(accountID int64) db.Tenant { return db.For(s.DB, accountID) }

// In is the service on tx (a transaction begun by the caller), so that its reads see what the
// transaction wrote and take no second connection.
func (s *Service) In(tx bun.IDB) *Service { return &Service{DB: tx, Now: s.Now} }

// ---- Profiles ----

// ensureDefault returns the account's default profile, writing it first when needed.
func (s *Service) ensureDefault(ctx context.Context, tn db.Tenant) (*Profile, error) {
	p, err := defaultProfile(ctx, tn)
	if err != nil || p != nil {
		return p, err
	}
	now := s.now()
	p = FullTime()
	p.AccountID, p.CreatedAt, p.UpdatedAt = tn.AccountID, now, now
	if err := insertDefault(ctx, tn, p); err != nil {
		return nil, err
	}
	return defaultProfile(ctx, tn)
}

// Profiles lists the account's profiles, the default first (archived ones too with archived).
func (s *Service) Profiles(ctx context.Context, a *actor.Actor, archived bool, p api.Page) (api.List[Profile], error) {
	tn := s.tenant(a.AccountID())
	if _, err := s.ensureDefault(ctx, tn); err != nil {
		return api.List[Profile]{}, err
	}
	out, err := profiles(ctx, tn, archived, p.After, p.Limit+1)
	if err != nil {
		return api.List[Profile]{}, err
	}
	return api.MakeList(out, p, func(p Profile) int64 { return p.ID }), nil
}

// Profile is one profile of the account.
func (s *Service) Profile(ctx context.Context, a *actor.Actor, id int64) (*Profile, error) {
	return profile(ctx, s.tenant(a.AccountID()), id)
}

func checkProfileName(f *problem.Fields, name string) string {
	name = strings.TrimSpace(name)
	f.Check(name != "", "name", "must not be empty")
	f.Check(utf8.RuneCountInString(name) <= MaxNameLength, "name", fmt.Sprintf("must be at most %d characters", MaxNameLength))
	f.Check(!strings.ContainsAny(name, "\r\n\t"), "name", "must be one line")
	return name
}

func checkDays(f *problem.Fields, days []int, p *Profile) {
	if len(days) != 7 {
		f.Add("day_minutes", "must be seven numbers of minutes, Monday to Sunday")
		return
	}
	for i, d := range days {
		if d < 0 || d > DayMinutes {
			f.Add(fmt.Sprintf("day_minutes[%d]", i), "must be from 0 to 1440 minutes")
			continue
		}
		*p.days()[i] = d
	}
}

func checkCaps(f *problem.Fields, p *Profile) {
	f.Check(p.MaxDayMinutes >= 0 && p.MaxDayMinutes <= DayMinutes, "max_day_minutes", "must be from 0 (no cap) to 1440 minutes")
	f.Check(p.MaxWeekMinutes >= 0 && p.MaxWeekMinutes <= WeekMinutes, "max_week_minutes", "must be from 0 (no cap) to 10080 minutes")
}

// CreateProfile adds a profile (administrators).
func (s *Service) CreateProfile(ctx context.Context, a *actor.Actor, in ProfileInput) (*Profile, error) {
	var f problem.Fields
	now := s.now()
	p := &Profile{AccountID: a.AccountID(), Name: checkProfileName(&f, in.Name), MaxDayMinutes: in.MaxDayMinutes, MaxWeekMinutes: in.MaxWeekMinutes, CreatedAt: now, UpdatedAt: now}
	checkDays(&f, in.DayMinutes, p)
	checkCaps(&f, p)
	if err := f.Err(); err != nil {
		return nil, err
	}
	p.fill()
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if _, err := s.ensureDefault(ctx, tn); err != nil {
			return err
		}
		if err := insertProfile(ctx, tn, p); err != nil {
			if db.IsUniqueViolation(err) {
				return problem.Conflict("name", "a capacity profile of this name exists")
			}
			return err
		}
		return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "capacity.profile_created", p.Name, profileDetails(p))
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// UpdateProfile changes, archives or restores a profile. The default cannot be archived.
func (s *Service) UpdateProfile(ctx context.Context, a *actor.Actor, id int64, in ProfilePatch) (*Profile, error) {
	var out *Profile
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		p, err := profile(ctx, tn, id)
		if err != nil {
			return err
		}
		var f problem.Fields
		if in.Name != nil {
			p.Name = checkProfileName(&f, *in.Name)
		}
		if in.DayMinutes != nil {
			checkDays(&f, in.DayMinutes, p)
		}
		if in.MaxDayMinutes != nil {
			p.MaxDayMinutes = *in.MaxDayMinutes
		}
		if in.MaxWeekMinutes != nil {
			p.MaxWeekMinutes = *in.MaxWeekMinutes
		}
		checkCaps(&f, p)
		if err := f.Err(); err != nil {
			return err
		}
		if in.Archived != nil && *in.Archived && p.Default {
			return problem.Conflict("archived", "the default profile cannot be archived")
		}
		action := "capacity.profile_changed"
		switch {
		case in.Archived != nil && *in.Archived && p.ArchivedAt == nil:
			action = "capacity.profile_archived"
		case in.Archived != nil && !*in.Archived && p.ArchivedAt != nil:
			action = "capacity.profile_restored"
		}
		now := s.now()
		setArchived(&p.ArchivedAt, in.Archived, now)
		p.UpdatedAt = now
		if err := saveProfile(ctx, tn, p); err != nil {
			if db.IsUniqueViolation(err) {
				return problem.Conflict("name", "a capacity profile of this name exists")
			}
			return err
		}
		p.fill()
		out = p
		return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, action, p.Name, profileDetails(p))
	})
	return out, err
}

// ArchiveProfile archives a profile: no one is assigned it any more; who works under it
// keeps it.
func (s *Service) ArchiveProfile(ctx context.Context, a *actor.Actor, id int64) (*Profile, error) {
	yes := true
	return s.UpdateProfile(ctx, a, id, ProfilePatch{Archived: &yes})
}

// ---- Whose profile, on which day ----

// Schedule answers which profile each of some people works under on each day of a period,
// from two queries whatever the number of people (ProfilesOn).
type Schedule struct {
	def *Profile
	// spans are each person's assignments in order of their first day.
	spans    map[int64][]span
	profiles map[int64]*Profile
}

type span struct {
	from    string
	start   time.Time // from, parsed
	profile int64
}

// On is the profile of userID on day ("YYYY-MM-DD"): the assignment in force, else the
// default.
func (sc *Schedule) On(userID int64, day string) *Profile {
	ss := sc.spans[userID]
	i := sort.Search(len(ss), func(i int) bool { return ss[i].from > day })
	if i == 0 {
		return sc.def
	}
	return sc.profile(ss[i-1])
}

// profile is the profile of a span (the default when the profile is gone).
func (sc *Schedule) profile(sp span) *Profile {
	if p := sc.profiles[sp.profile]; p != nil {
		return p
	}
	return sc.def
}

// Expected is the work of userID from from to to (UTC midnights, inclusive): the sum of the
// minutes of each day under the profile in force that day. It walks the days and the
// person's changes of profile together, without a lookup per day.
func (sc *Schedule) Expected(userID int64, from, to time.Time) int {
	ss := sc.spans[userID]
	i := sort.Search(len(ss), func(i int) bool { return ss[i].start.After(from) })
	cur := sc.def
	if i > 0 {
		cur = sc.profile(ss[i-1])
	}
	n := 0
	for d := from; !d.After(to); d = d.AddDate(0, 0, 1) {
		for i < len(ss) && !ss[i].start.After(d) {
			cur = sc.profile(ss[i])
			i++
		}
		n += cur.Minutes(d)
	}
	return n
}

// ProfilesOn is the schedule of the people over the days up to to ("YYYY-MM-DD"; "" all).
func (s *Service) ProfilesOn(ctx context.Context, accountID int64, userIDs []int64, to string) (*Schedule, error) {
	tn := s.tenant(accountID)
	def, err := defaultProfile(ctx, tn)
	if err != nil {
		return nil, err
	}
	if def == nil {
		def = FullTime()
	}
	sc := &Schedule{def: def, spans: map[int64][]span{}}
	if len(userIDs) == 0 {
		sc.profiles = map[int64]*Profile{}
		return sc, nil
	}
	as, err := assignments(ctx, tn, userIDs, to)
	if err != nil {
		return nil, err
	}
	var ids []int64
	for _, a := range as {
		start, _ := time.Parse(DayLayout, a.StartsOn)
		sc.spans[a.UserID] = append(sc.spans[a.UserID], span{a.StartsOn, start, a.ProfileID})
		if !slices.Contains(ids, a.ProfileID) {
			ids = append(ids, a.ProfileID)
		}
	}
	sc.profiles, err = profilesByID(ctx, tn, ids)
	return sc, err
}

// ProfilesByID are the account's profiles of ids (resource planning's placeholders, equipment
// and rooms work under a profile of their own).
func (s *Service) ProfilesByID(ctx context.Context, accountID int64, ids []int64) (map[int64]*Profile, error) {
	return profilesByID(ctx, s.tenant(accountID), ids)
}

// ProfileOn is the profile userID works under on day (one query: the write path of every
// time entry asks it).
func (s *Service) ProfileOn(ctx context.Context, accountID, userID int64, day time.Time) (*Profile, error) {
	p, err := profileOn(ctx, s.tenant(accountID), userID, day.Format(DayLayout))
	if p == nil && err == nil {
		p = FullTime()
	}
	return p, err
}

// Expected is the work of userID from from to to (inclusive) under their profiles.
func (s *Service) Expected(ctx context.Context, accountID, userID int64, from, to time.Time) (int, error) {
	sc, err := s.ProfilesOn(ctx, accountID, []int64{userID}, to.Format(DayLayout))
	if err != nil {
		return 0, err
	}
	return sc.Expected(userID, from, to), nil
}

// ---- People ----

// person checks that userID is a colleague of the account who may keep time (no client).
func person(ctx context.Context, tn db.Tenant, userID int64) error {
	role, err := memberRole(ctx, tn, userID)
	if err != nil {
		return err
	}
	if role == "" || role == actor.RoleClient {
		return problem.NotFound()
	}
	return nil
}

// Person is the capacity of a colleague (any colleague of the account reads it: capacity is
// not secret among staff; clients have none). A person's cost rate is theirs and the
// administrators' to read: others get none.
func (s *Service) Person(ctx context.Context, a *actor.Actor, userID int64) (*Person, error) {
	tn := s.tenant(a.AccountID())
	if err := person(ctx, tn, userID); err != nil {
		return nil, err
	}
	out, err := s.personOf(ctx, tn, userID)
	if err == nil && userID != a.UserID && a.Role != actor.RoleOwner && a.Role != actor.RoleAdmin {
		out.OwnCostRateMinor, out.CostRateMinor, out.CostRates = nil, 0, []CostRate{}
		out.OwnBillRateMinor, out.BillRateMinor, out.BillRates = nil, 0, []BillRate{}
	}
	return out, err
}

func (s *Service) personOf(ctx context.Context, tn db.Tenant, userID int64) (*Person, error) {
	out := &Person{UserID: userID, History: []Assignment{}}
	sc, err := s.In(tn.Unscoped()).ProfilesOn(ctx, tn.AccountID, []int64{userID}, "")
	if err != nil {
		return nil, err
	}
	today := s.now().Format(DayLayout)
	out.Profile = sc.On(userID, today)
	as, err := assignments(ctx, tn, []int64{userID}, "")
	if err != nil {
		return nil, err
	}
	for _, a := range as {
		if p := sc.profiles[a.ProfileID]; p != nil {
			a.ProfileName = p.Name
		}
		out.History = append(out.History, a)
	}
	r, err := personRate(ctx, tn, userID)
	if err != nil {
		return nil, err
	}
	out.RoleID = r.RoleID
	if r.RoleID != nil {
		role, err := role(ctx, tn, *r.RoleID)
		if err != nil {
			return nil, err
		}
		out.Role = role.Name
	}
	if out.CostRates, err = personCostRates(ctx, tn, []int64{userID}, ""); err != nil {
		return nil, err
	}
	cb, err := s.In(tn.Unscoped()).CostBook(ctx, tn.AccountID, []int64{userID}, today)
	if err != nil {
		return nil, err
	}
	out.CostRateMinor, _ = cb.Person(userID, today)
	if own := cb.ownOn(userID, today); own != nil {
		v := *own
		out.OwnCostRateMinor = &v
	}
	if out.BillRates, err = billRates(ctx, tn, []int64{userID}, ""); err != nil {
		return nil, err
	}
	rb, err := s.In(tn.Unscoped()).BillRates(ctx, tn.AccountID, []int64{userID}, today)
	if err != nil {
		return nil, err
	}
	var src string
	if out.BillRateMinor, src = rb.Bill(userID, today); src == SourcePerson {
		own := out.BillRateMinor
		out.OwnBillRateMinor = &own
	}
	if out.Currency, err = currency(ctx, tn); err != nil {
		return nil, err
	}
	return out, nil
}

// SetPerson assigns a person a profile from a day on (the same day again replaces that day's
// assignment), and sets their role and own cost rate (administrators).
func (s *Service) SetPerson(ctx context.Context, a *actor.Actor, userID int64, in PersonInput) (*Person, error) {
	var out *Person
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if err := person(ctx, tn, userID); err != nil {
			return err
		}
		var f problem.Fields
		var as *Assignment
		switch {
		case in.ProfileID == 0 && in.StartsOn != "":
			f.Add("profile_id", "is required with starts_on")
		case in.ProfileID != 0:
			if in.StartsOn == "" {
				in.StartsOn = s.now().Format(DayLayout)
			}
			if t, err := time.Parse(DayLayout, in.StartsOn); err != nil || t.Year() < 1970 || t.Year() > 9998 || len(in.StartsOn) != 10 {
				f.Add("starts_on", "must be a day written YYYY-MM-DD")
			}
			p, err := profile(ctx, tn, in.ProfileID)
			switch {
			case problemStatus(err) == 404:
				f.Add("profile_id", "is not a capacity profile of this account")
			case err != nil:
				return err
			case p.ArchivedAt != nil:
				f.Add("profile_id", "is archived: choose a profile in use")
			}
			as = &Assignment{AccountID: tn.AccountID, UserID: userID, ProfileID: in.ProfileID, StartsOn: in.StartsOn, CreatedAt: s.now()}
		}
		r, err := personRate(ctx, tn, userID)
		if err != nil {
			return err
		}
		changed := false
		if in.RoleID != nil {
			changed = true
			switch id := *in.RoleID; {
			case id == 0:
				r.RoleID = nil
			case id < 0:
				f.Add("role_id", "is not a job role of this account")
			default:
				ro, err := role(ctx, tn, id)
				switch {
				case problemStatus(err) == 404:
					f.Add("role_id", "is not a job role of this account")
				case err != nil:
					return err
				case ro.ArchivedAt != nil && (r.RoleID == nil || *r.RoleID != id):
					f.Add("role_id", "is archived: choose a role in use")
				default:
					r.RoleID = &id
				}
			}
		}
		var cr *CostRate
		if in.CostRateMinor != nil {
			changed = true
			cr = &CostRate{AccountID: tn.AccountID, UserID: userID, StartsOn: s.rateFrom(&f, "cost_rate_from", in.CostRateFrom), CreatedAt: s.now()}
			if in.CostRateFrom == "" {
				// A person's first own rate holds since always (there is no earlier one to
				// keep), as a new role's does; later ones from today.
				hist, err := personCostRates(ctx, tn, []int64{userID}, "")
				if err != nil {
					return err
				}
				if len(hist) == 0 {
					cr.StartsOn = Beginning
				}
			}
			switch v := *in.CostRateMinor; {
			case v == -1:
			case v < 0 || v > MaxRateMinor:
				f.Add("cost_rate_minor", "must be from 0 to 1000000000 minor units per hour (-1 gives the role's)")
			default:
				cr.CostRateMinor = &v
			}
		} else if in.CostRateFrom != "" {
			f.Add("cost_rate_minor", "is required with cost_rate_from")
		}
		var br *BillRate
		if in.BillRateMinor != nil {
			br = &BillRate{AccountID: tn.AccountID, UserID: userID, StartsOn: in.BillRateFrom, CreatedAt: s.now()}
			if br.StartsOn == "" {
				br.StartsOn = s.now().Format(DayLayout)
			}
			if t, err := time.Parse(DayLayout, br.StartsOn); err != nil || t.Year() < 1970 || t.Year() > 9998 || len(br.StartsOn) != 10 {
				f.Add("bill_rate_from", "must be a day written YYYY-MM-DD")
			}
			switch v := *in.BillRateMinor; {
			case v == -1:
			case v < 0 || v > MaxRateMinor:
				f.Add("bill_rate_minor", "must be from 0 to 1000000000 minor units per hour (-1 gives the role's)")
			default:
				br.BillRateMinor = &v
			}
		} else if in.BillRateFrom != "" {
			f.Add("bill_rate_minor", "is required with bill_rate_from")
		}
		if err := f.Err(); err != nil {
			return err
		}
		if br != nil {
			if err := upsertBillRate(ctx, tn, br); err != nil {
				return err
			}
		}
		if as != nil {
			if err := upsertAssignment(ctx, tn, as); err != nil {
				return err
			}
		}
		if cr != nil {
			if err := upsertCostRate(ctx, tn, cr); err != nil {
				return err
			}
			// person_rates keeps the own rate in force today (the history prices the days).
			cb, err := s.In(tn.Unscoped()).CostBook(ctx, tn.AccountID, []int64{userID}, "")
			if err != nil {
				return err
			}
			r.CostRateMinor = cb.ownOn(userID, s.now().Format(DayLayout))
		}
		if changed {
			r.UpdatedAt = s.now()
			if err := saveRate(ctx, tn, r); err != nil {
				return err
			}
		}
		if out, err = s.personOf(ctx, tn, userID); err != nil {
			return err
		}
		if as == nil && !changed && br == nil {
			return nil
		}
		details := map[string]any{"role": out.Role, "cost_rate_minor": out.CostRateMinor}
		if cr != nil {
			details["cost_rate_from"], details["own_cost_rate_minor"] = cr.StartsOn, cr.CostRateMinor
		}
		if br != nil {
			details["bill_rate_minor"], details["bill_rate_from"] = br.BillRateMinor, br.StartsOn
		}
		if as != nil {
			p, err := profile(ctx, tn, as.ProfileID)
			if err != nil {
				return err
			}
			details["profile"], details["starts_on"] = p.Name, as.StartsOn
		}
		email, err := memberEmail(ctx, tn, userID)
		if err != nil {
			return err
		}
		return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "capacity.person_changed", email, details)
	})
	return out, err
}

// setArchived archives (keeping the first date) or restores as archived asks (nil: no change).
func setArchived(at **time.Time, archived *bool, now time.Time) {
	switch {
	case archived == nil:
	case *archived && *at == nil:
		*at = &now
	case !*archived:
		*at = nil
	}
}

func problemStatus(err error) int {
	if p, ok := problem.As(err); ok {
		return p.Status
	}
	return 0
}

// ---- Job roles and rates ----

// Roles lists the account's job roles.
func (s *Service) Roles(ctx context.Context, a *actor.Actor, archived bool, p api.Page) (api.List[Role], error) {
	tn := s.tenant(a.AccountID())
	out, err := roles(ctx, tn, archived, p.After, p.Limit+1)
	if err != nil {
		return api.List[Role]{}, err
	}
	if err := s.fillRoleRates(ctx, tn, out); err != nil {
		return api.List[Role]{}, err
	}
	return api.MakeList(out, p, func(r Role) int64 { return r.ID }), nil
}

func checkRate(f *problem.Fields, field string, v int64) {
	f.Check(v >= 0 && v <= MaxRateMinor, field, "must be from 0 to 1000000000 minor units per hour")
}

// CreateRole adds a job role (administrators).
func (s *Service) CreateRole(ctx context.Context, a *actor.Actor, in RoleInput) (*Role, error) {
	var f problem.Fields
	now := s.now()
	r := &Role{AccountID: a.AccountID(), Name: checkProfileName(&f, in.Name), CostRateMinor: in.CostRateMinor, BillRateMinor: in.BillRateMinor, CreatedAt: now, UpdatedAt: now}
	checkRate(&f, "cost_rate_minor", r.CostRateMinor)
	checkRate(&f, "bill_rate_minor", r.BillRateMinor)
	if err := f.Err(); err != nil {
		return nil, err
	}
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if _, err := tn.Insert(r).Exec(ctx); err != nil {
			if db.IsUniqueViolation(err) {
				return problem.Conflict("name", "a job role of this name exists")
			}
			return err
		}
		// A new role's rate holds from the beginning: it prices any day.
		first := RoleCostRate{AccountID: tn.AccountID, RoleID: r.ID, StartsOn: Beginning, CostRateMinor: r.CostRateMinor, CreatedAt: now}
		if err := upsertRoleCostRate(ctx, tn, &first); err != nil {
			return err
		}
		r.CostRates = []RoleCostRate{first}
		return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "capacity.role_created", r.Name, roleDetails(r))
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// UpdateRole changes, archives or restores a job role.
func (s *Service) UpdateRole(ctx context.Context, a *actor.Actor, id int64, in RolePatch) (*Role, error) {
	var out *Role
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		r, err := role(ctx, tn, id)
		if err != nil {
			return err
		}
		var f problem.Fields
		if in.Name != nil {
			r.Name = checkProfileName(&f, *in.Name)
		}
		var cr *RoleCostRate
		if in.CostRateMinor != nil {
			cr = &RoleCostRate{AccountID: tn.AccountID, RoleID: r.ID, StartsOn: s.rateFrom(&f, "cost_rate_from", in.CostRateFrom), CostRateMinor: *in.CostRateMinor, CreatedAt: s.now()}
			checkRate(&f, "cost_rate_minor", cr.CostRateMinor)
		} else if in.CostRateFrom != "" {
			f.Add("cost_rate_minor", "is required with cost_rate_from")
		}
		if in.BillRateMinor != nil {
			r.BillRateMinor = *in.BillRateMinor
			checkRate(&f, "bill_rate_minor", r.BillRateMinor)
		}
		if err := f.Err(); err != nil {
			return err
		}
		now := s.now()
		if cr != nil {
			if err := upsertRoleCostRate(ctx, tn, cr); err != nil {
				return err
			}
		}
		// job_roles keeps the rate in force today (the history prices the days).
		rs := []Role{*r}
		if err := s.fillRoleRates(ctx, tn, rs); err != nil {
			return err
		}
		r.CostRateMinor, r.CostRates = rs[0].CostRateMinor, rs[0].CostRates
		setArchived(&r.ArchivedAt, in.Archived, now)
		r.UpdatedAt = now
		if _, err := tn.Update(r).WherePK().Exec(ctx); err != nil {
			if db.IsUniqueViolation(err) {
				return problem.Conflict("name", "a job role of this name exists")
			}
			return err
		}
		out = r
		details := roleDetails(r)
		if cr != nil {
			details["cost_rate_from"], details["new_cost_rate_minor"] = cr.StartsOn, cr.CostRateMinor
		}
		return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "capacity.role_changed", r.Name, details)
	})
	return out, err
}

// profileDetails are what the audit trail keeps of a profile.
func profileDetails(p *Profile) map[string]any {
	return map[string]any{"day_minutes": p.DayMinutes, "max_day_minutes": p.MaxDayMinutes, "max_week_minutes": p.MaxWeekMinutes}
}

// roleDetails are what the audit trail keeps of a job role.
func roleDetails(r *Role) map[string]any {
	return map[string]any{"cost_rate_minor": r.CostRateMinor, "bill_rate_minor": r.BillRateMinor, "archived": r.ArchivedAt != nil}
}
