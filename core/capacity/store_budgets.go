package capacity

import (
	"context"

	"github.com/uptrace/bun"
)

// Rate is what prices a person's time for budgets: their job role (0 for none) and their cost
// rate per hour in minor units (their own, else their role's; 0 and Known false when neither).
type Rate struct {
	RoleID int64
	Cost   int64
	Known  bool
}

// Rates are the job role and cost rate of each of the people (project budgets count time per
// role and price it at cost); a person with neither role nor rate is absent.
func (s *Service) Rates(ctx context.Context, accountID int64, userIDs []int64) (map[int64]Rate, error) {
	out := map[int64]Rate{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		UserID int64  `bun:"user_id"`
		RoleID *int64 `bun:"role_id"`
		Own    *int64 `bun:"own"`
		Role   *int64 `bun:"role_rate"`
	}
	err := s.tenant(accountID).SelectFrom("person_rates", "pr").
		Join("LEFT JOIN job_roles AS jr ON jr.account_id = pr.account_id AND jr.id = pr.role_id").
		ColumnExpr("pr.user_id, pr.role_id, pr.cost_rate_minor AS own, jr.cost_rate_minor AS role_rate").
		Where("pr.user_id IN (?)", bun.List(userIDs)).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		var rt Rate
		if r.RoleID != nil {
			rt.RoleID = *r.RoleID
		}
		switch {
		case r.Own != nil:
			rt.Cost, rt.Known = *r.Own, true
		case r.Role != nil:
			rt.Cost, rt.Known = *r.Role, true
		}
		out[r.UserID] = rt
	}
	return out, nil
}

// Currency is the account's currency (ISO 4217), what cost rates and budgets are in.
func (s *Service) Currency(ctx context.Context, accountID int64) (string, error) {
	return currency(ctx, s.tenant(accountID))
}

// RoleNames are the names of the account's job roles of the given ids, archived ones too.
func (s *Service) RoleNames(ctx context.Context, accountID int64, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Role
	if err := s.tenant(accountID).Select(&rows).Column("id", "name").Where("jr.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, nil
}
