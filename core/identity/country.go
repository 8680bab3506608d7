package identity

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
)

// HolidayCountries are the countries whose public holidays (core/holidays) apply to people
// of the actor's account, by user id: the person's own country (their profile) when they set
// one, the account's otherwise. People outside the account are absent from the answer.
func (s *Service) HolidayCountries(ctx context.Context, a *actor.Actor, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []struct {
		ID      int64  `bun:"id"`
		Country string `bun:"country"`
	}
	if err := s.DB.NewSelect().TableExpr("memberships AS m").Join("JOIN users AS u ON u.id = m.user_id").
		Join("JOIN accounts AS a ON a.id = m.account_id").
		ColumnExpr("u.id, CASE WHEN u.country <> '' THEN u.country ELSE a.country END AS country").
		Where("m.account_id = ? AND u.id IN (?)", a.AccountID(), bun.List(ids)).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ID] = r.Country
	}
	return out, nil
}
