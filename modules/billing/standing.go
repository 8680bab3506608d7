package billing

import (
	"context"
	"encoding/json"
	"time"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
)

// standing is what every module request asks billing (is the module on? may it write?): the
// account's state and offerings. Reading billing_subscriptions on each request added a query
// to every request of every module, so the answer is kept per account for standingTTL, and
// every write to billing_subscriptions in this process drops the lot (db.Cache). Another
// instance's change (a payment handled by another server) shows within standingTTL.
type standing struct {
	Found     bool
	State     string
	Offerings []string
}

const (
	standingTTL = 5 * time.Second
	maxStanding = 10000
)

// standing returns the account's standing, from the cache or read afresh.
func (s *Service) standing(ctx context.Context, accountID int64) (standing, error) {
	return s.cache.Get(ctx, accountID, func(ctx context.Context) (standing, error) {
		var row struct {
			State     string `bun:"state"`
			Offerings string `bun:"offerings"`
		}
		var st standing
		err := s.DB.NewSelect().TableExpr("billing_subscriptions AS s").Column("s.state", "s.offerings").
			Where("s.account_id = ?", accountID).Limit(1).Scan(ctx, &row)
		switch {
		case db.IsNotFound(err):
		case err != nil:
			return st, err
		default:
			st = standing{Found: true, State: row.State}
			if err := json.Unmarshal([]byte(row.Offerings), &st.Offerings); err != nil {
				return st, err
			}
		}
		return st, nil
	})
}

// planInfo is the account's subscription as the platform console shows it to the account's
// partner (hooks.AccountPlan): nil when the account has none.
func (s *Service) planInfo(ctx context.Context, accountID int64) (*hooks.PlanInfo, error) {
	var row struct {
		State     string `bun:"state"`
		Plan      string `bun:"plan"`
		Offerings string `bun:"offerings"`
		Seats     int64  `bun:"seats"`
	}
	err := s.DB.NewSelect().TableExpr("billing_subscriptions AS s").Column("s.state", "s.plan", "s.offerings", "s.seats").
		Where("s.account_id = ?", accountID).Limit(1).Scan(ctx, &row)
	if db.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	out := &hooks.PlanInfo{Plan: row.Plan, State: row.State, Seats: row.Seats, Offerings: []string{}}
	if err := json.Unmarshal([]byte(row.Offerings), &out.Offerings); err != nil {
		return nil, err
	}
	return out, nil
}
