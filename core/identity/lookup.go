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

// MemberIDs lists the user ids of every person with a membership in the account (invited,
// active or deactivated), for the work that concerns each of them in turn (closing the account).
func (s *Service) MemberIDs(ctx context.Context, accountID int64) ([]int64, error) {
	var ids []int64
	err := s.DB.NewSelect().TableExpr("memberships").Column("user_id").Where("account_id = ?", accountID).
		OrderExpr("user_id").Scan(ctx, &ids)
	return ids, err
}

// AccountIDs lists every account's id, for the platform's scheduled work that visits each
// account in turn (purging connection data with each account's retention).
func (s *Service) AccountIDs(ctx context.Context) ([]int64, error) {
	var ids []int64
	err := s.DB.NewSelect().TableExpr("accounts").Column("id").OrderExpr("id").Scan(ctx, &ids)
	return ids, err
}

// AccountByID returns an account, for the jobs that work on one without a person.
func (s *Service) AccountByID(ctx context.Context, id int64) (*Account, error) {
	acc := new(Account)
	if err := s.DB.NewSelect().Model(acc).Where("id = ?", id).Scan(ctx); err != nil {
		if db.IsNotFound(err) {
			return nil, problem.NotFound()
		}
		return nil, err
	}
	return acc, nil
}
