package capacity

import (
	"context"
	"sort"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// Cost rates: what an hour of a person costs. A person's own cost rate and a job role's cost
// rate each change from a day on (person_cost_rates, job_role_cost_rates: one row per change,
// history kept), so that time is priced at the rate in force on its own day: a past period
// keeps the rates it had. A person without an own rate in force that day costs their job
// role's rate of that day; a person's change without a rate gives them back their role's.
// Rates set before the history existed, and a role's first rate, hold from Beginning.
// Planning's costs (modules/planning) and project budgets (modules/timesheet) price time with
// a CostBook.

// Beginning is the first day of the rates that hold from the start ("since always").
const Beginning = "0001-01-01"

// CostRate is a change of a person's own cost rate: from StartsOn on, CostRateMinor (nil:
// their role's again).
type CostRate struct {
	bun.BaseModel `bun:"table:person_cost_rates,alias:pcr"`

	ID            int64     `bun:"id,pk,autoincrement" json:"-"`
	AccountID     int64     `bun:"account_id" json:"-"`
	UserID        int64     `bun:"user_id" json:"-"`
	StartsOn      string    `bun:"starts_on" json:"starts_on" format:"date" example:"2027-01-01"`
	CostRateMinor *int64    `bun:"cost_rate_minor" json:"cost_rate_minor" example:"6500"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`
}

// RoleCostRate is a change of a job role's cost rate: from StartsOn on, CostRateMinor.
type RoleCostRate struct {
	bun.BaseModel `bun:"table:job_role_cost_rates,alias:jrc"`

	ID            int64     `bun:"id,pk,autoincrement" json:"-"`
	AccountID     int64     `bun:"account_id" json:"-"`
	RoleID        int64     `bun:"role_id" json:"-"`
	StartsOn      string    `bun:"starts_on" json:"starts_on" format:"date" example:"2027-01-01"`
	CostRateMinor int64     `bun:"cost_rate_minor" json:"cost_rate_minor" example:"6000"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`
}

// CostBook is the cost rates of some people and of the account's job roles over a period,
// read in three queries: Person and Role answer each (person or role, day) from memory. A nil
// CostBook knows no rate.
type CostBook struct {
	own    map[int64][]CostRate     // each person's changes in order of their first day
	roleOf map[int64]int64          // each person's job role (absent: none)
	roles  map[int64][]RoleCostRate // each role's changes in order of their first day
}

// Role is the cost rate of a job role on day ("YYYY-MM-DD"); false when it has none then.
func (cb *CostBook) Role(roleID int64, day string) (int64, bool) {
	if cb == nil {
		return 0, false
	}
	cs := cb.roles[roleID]
	i := sort.Search(len(cs), func(i int) bool { return cs[i].StartsOn > day })
	if i == 0 {
		return 0, false
	}
	return cs[i-1].CostRateMinor, true
}

// own is the person's own cost rate on day (nil: none in force).
func (cb *CostBook) ownOn(userID int64, day string) *int64 {
	cs := cb.own[userID]
	i := sort.Search(len(cs), func(i int) bool { return cs[i].StartsOn > day })
	if i == 0 {
		return nil
	}
	return cs[i-1].CostRateMinor
}

// Person is the cost rate of a person on day: their own in force that day, else their job
// role's of that day; false when neither.
func (cb *CostBook) Person(userID int64, day string) (int64, bool) {
	if cb == nil {
		return 0, false
	}
	if r := cb.ownOn(userID, day); r != nil {
		return *r, true
	}
	if role, ok := cb.roleOf[userID]; ok {
		return cb.Role(role, day)
	}
	return 0, false
}

// RoleOf is the person's job role (0: none).
func (cb *CostBook) RoleOf(userID int64) int64 {
	if cb == nil {
		return 0
	}
	return cb.roleOf[userID]
}

// CostBook reads the cost rates of the people and of every job role of the account on the
// days up to to ("YYYY-MM-DD"; "" all).
func (s *Service) CostBook(ctx context.Context, accountID int64, userIDs []int64, to string) (*CostBook, error) {
	cb := &CostBook{own: map[int64][]CostRate{}, roleOf: map[int64]int64{}, roles: map[int64][]RoleCostRate{}}
	tn := s.tenant(accountID)
	rs, err := roleCostRates(ctx, tn, nil, to)
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		cb.roles[r.RoleID] = append(cb.roles[r.RoleID], r)
	}
	if len(userIDs) == 0 {
		return cb, nil
	}
	cs, err := personCostRates(ctx, tn, userIDs, to)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		cb.own[c.UserID] = append(cb.own[c.UserID], c)
	}
	var roles []struct {
		UserID int64 `bun:"user_id"`
		RoleID int64 `bun:"role_id"`
	}
	err = tn.SelectFrom("person_rates", "pr").ColumnExpr("pr.user_id, pr.role_id").
		Where("pr.user_id IN (?) AND pr.role_id IS NOT NULL", bun.List(userIDs)).Scan(ctx, &roles)
	for _, r := range roles {
		cb.roleOf[r.UserID] = r.RoleID
	}
	return cb, err
}

// personCostRates are the people's changes of own cost rate up to to ("" all), each person's
// in order.
func personCostRates(ctx context.Context, tn db.Tenant, userIDs []int64, to string) ([]CostRate, error) {
	out := []CostRate{}
	q := tn.Select(&out).Where("pcr.user_id IN (?)", bun.List(userIDs)).OrderExpr("pcr.user_id, pcr.starts_on")
	if to != "" {
		q = q.Where("pcr.starts_on <= ?", to)
	}
	return out, q.Scan(ctx)
}

// roleCostRates are the changes of cost rate of the roles (nil: every role) up to to ("" all),
// each role's in order.
func roleCostRates(ctx context.Context, tn db.Tenant, roleIDs []int64, to string) ([]RoleCostRate, error) {
	out := []RoleCostRate{}
	q := tn.Select(&out).OrderExpr("jrc.role_id, jrc.starts_on")
	if roleIDs != nil {
		if len(roleIDs) == 0 {
			return out, nil
		}
		q = q.Where("jrc.role_id IN (?)", bun.List(roleIDs))
	}
	if to != "" {
		q = q.Where("jrc.starts_on <= ?", to)
	}
	return out, q.Scan(ctx)
}

func upsertCostRate(ctx context.Context, tn db.Tenant, r *CostRate) error {
	_, err := tn.Insert(r).On("CONFLICT (account_id, user_id, starts_on) DO UPDATE").Set("cost_rate_minor = EXCLUDED.cost_rate_minor").Exec(ctx)
	return err
}

func upsertRoleCostRate(ctx context.Context, tn db.Tenant, r *RoleCostRate) error {
	_, err := tn.Insert(r).On("CONFLICT (account_id, role_id, starts_on) DO UPDATE").Set("cost_rate_minor = EXCLUDED.cost_rate_minor").Exec(ctx)
	return err
}

// fillRoleRates sets each role's cost rate to the one in force today and its history.
func (s *Service) fillRoleRates(ctx context.Context, tn db.Tenant, rs []Role) error {
	ids := make([]int64, len(rs))
	for i, r := range rs {
		ids[i] = r.ID
	}
	hist, err := roleCostRates(ctx, tn, ids, "")
	if err != nil {
		return err
	}
	by := map[int64][]RoleCostRate{}
	for _, h := range hist {
		by[h.RoleID] = append(by[h.RoleID], h)
	}
	cb := &CostBook{roles: by}
	today := s.now().Format(DayLayout)
	for i := range rs {
		rs[i].CostRates = by[rs[i].ID]
		if rs[i].CostRates == nil {
			rs[i].CostRates = []RoleCostRate{}
		}
		if v, ok := cb.Role(rs[i].ID, today); ok {
			rs[i].CostRateMinor = v
		}
	}
	return nil
}

// rateFrom checks the first day of a rate change (default today) into field.
func (s *Service) rateFrom(f *problem.Fields, field, day string) string {
	if day == "" {
		return s.now().Format(DayLayout)
	}
	if t, err := time.Parse(DayLayout, day); err != nil || t.Year() < 1970 || t.Year() > 9998 || len(day) != 10 {
		f.Add(field, "must be a day written YYYY-MM-DD")
	}
	return day
}
