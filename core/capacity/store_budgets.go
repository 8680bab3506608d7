package capacity

import (
	"context"

	"github.com/uptrace/bun"
)

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
