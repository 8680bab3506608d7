package capacity

import (
	"context"
	"sort"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
)

// Bill rates: what an hour of a person is billed at. A person's own bill rate changes from a
// day on (person_bill_rates, one row per change, so time is priced at the rate of its own day
// and the history stays); a change without a rate gives them back their job role's. Without an
// own rate in force, their job role's bill rate applies (the role's current one: roles keep no
// history), else none (0). Invoicing (modules/timesheet) asks BillRates for the people of a period.

// Where a bill rate comes from.
const (
	SourcePerson = "person" // the person's own rate in force that day
	SourceRole   = "role"   // their job role's
)

// BillRate is a change of a person's own bill rate: from StartsOn on, BillRateMinor (nil:
// their role's again).
type BillRate struct {
	bun.BaseModel `bun:"table:person_bill_rates,alias:pbr"`

	ID            int64     `bun:"id,pk,autoincrement" json:"-"`
	AccountID     int64     `bun:"account_id" json:"-"`
	UserID        int64     `bun:"user_id" json:"-"`
	StartsOn      string    `bun:"starts_on" json:"starts_on" format:"date" example:"2027-01-01"`
	BillRateMinor *int64    `bun:"bill_rate_minor" json:"bill_rate_minor" example:"13000"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`
}

// RateBook is the bill rates of some people over a period, read in two queries: Bill answers
// each (person, day) from memory.
type RateBook struct {
	changes map[int64][]BillRate // each person's changes in order of their first day
	roles   map[int64]int64      // each person's role's bill rate (absent: no role)
}

// Bill is the bill rate of userID on day ("YYYY-MM-DD") and where it comes from (SourcePerson,
// SourceRole; "" and 0 when the person has neither).
func (rb *RateBook) Bill(userID int64, day string) (int64, string) {
	cs := rb.changes[userID]
	i := sort.Search(len(cs), func(i int) bool { return cs[i].StartsOn > day })
	if i > 0 && cs[i-1].BillRateMinor != nil {
		return *cs[i-1].BillRateMinor, SourcePerson
	}
	if r, ok := rb.roles[userID]; ok {
		return r, SourceRole
	}
	return 0, ""
}

// BillRates are the bill rates of the people on the days up to to ("YYYY-MM-DD"; "" all).
func (s *Service) BillRates(ctx context.Context, accountID int64, userIDs []int64, to string) (*RateBook, error) {
	rb := &RateBook{changes: map[int64][]BillRate{}, roles: map[int64]int64{}}
	if len(userIDs) == 0 {
		return rb, nil
	}
	tn := s.tenant(accountID)
	cs, err := billRates(ctx, tn, userIDs, to)
	if err != nil {
		return nil, err
	}
	for _, c := range cs {
		rb.changes[c.UserID] = append(rb.changes[c.UserID], c)
	}
	var roles []struct {
		UserID int64 `bun:"user_id"`
		Rate   int64 `bun:"bill_rate_minor"`
	}
	err = tn.SelectFrom("person_rates", "pr").Join("JOIN job_roles AS jr ON jr.account_id = pr.account_id AND jr.id = pr.role_id").
		ColumnExpr("pr.user_id, jr.bill_rate_minor").Where("pr.user_id IN (?)", bun.List(userIDs)).Scan(ctx, &roles)
	for _, r := range roles {
		rb.roles[r.UserID] = r.Rate
	}
	return rb, err
}

// billRates are the people's changes of bill rate up to to ("" all), each person's in order.
func billRates(ctx context.Context, tn db.Tenant, userIDs []int64, to string) ([]BillRate, error) {
	out := []BillRate{}
	q := tn.Select(&out).Where("pbr.user_id IN (?)", bun.List(userIDs)).OrderExpr("pbr.user_id, pbr.starts_on")
	if to != "" {
		q = q.Where("pbr.starts_on <= ?", to)
	}
	return out, q.Scan(ctx)
}

func upsertBillRate(ctx context.Context, tn db.Tenant, r *BillRate) error {
	_, err := tn.Insert(r).On("CONFLICT (account_id, user_id, starts_on) DO UPDATE").Set("bill_rate_minor = EXCLUDED.bill_rate_minor").Exec(ctx)
	return err
}
