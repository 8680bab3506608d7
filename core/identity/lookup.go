package identity

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// The lookups of this file let modules check ids that arrive in a request body (a company a
// list is shared with, the people assigned to a task) against the actor's account, so that
// no module links rows across accounts or writes its own queries on identity's tables.

// Company returns one company of the actor's account, or 404.
func (s *Service) Company(ctx context.Context, a *actor.Actor, companyID int64) (*Company, error) {
	co := new(Company)
	err := s.DB.NewSelect().Model(co).Where("account_id = ? AND id = ?", a.AccountID(), companyID).Scan(ctx)
	if db.IsNotFound(err) {
		return nil, problem.NotFound()
	}
	return co, err
}

// MembersByID returns the people of the actor's account among ids, by user id; ids of
// people outside the account are simply absent from the answer.
func (s *Service) MembersByID(ctx context.Context, a *actor.Actor, ids []int64) (map[int64]Member, error) {
	out := make(map[int64]Member, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Member
	if err := s.members(a).Where("u.id IN (?)", bun.List(ids)).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	for _, m := range rows {
		m.Active = m.Status == StatusActive && m.DeactivatedAt == nil
		out[m.ID] = m
	}
	return out, nil
}
