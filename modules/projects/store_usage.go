package projects

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
)

// projectCount is how many projects the account keeps — active, archived and templates; not
// the trash, which empties itself — what a plan's "projects" quota counts.
func (store) projectCount(ctx context.Context, tn db.Tenant) (int64, error) {
	n, err := tn.Select((*Project)(nil)).Where("p.state <> ?", StateTrash).Count(ctx)
	return int64(n), err
}

// usageTenant is the Tenant a quota counter runs in (the caller's database or transaction).
func usageTenant(idb bun.IDB, accountID int64) db.Tenant { return db.For(idb, accountID) }

// allowProject asks the plan's "projects" quota (billing's limiter) in tx, the creation's
// transaction: a 402 problem when the account has no room for one more.
func (store) allowProject(ctx context.Context, hs *hooks.Set, tx db.Tenant) error {
	return hs.Allow(ctx, tx.Unscoped(), tx.AccountID, "projects", 1)
}

// allowAssignees asks the plan's "assignees" quota (parallel assignees of one task, billing's
// limiter) in tx: a 402 problem when a task would have n people assigned at once past it.
func (store) allowAssignees(ctx context.Context, hs *hooks.Set, tx db.Tenant, n int) error {
	if n == 0 {
		return nil
	}
	return hs.AllowEach(ctx, tx.Unscoped(), tx.AccountID, "assignees", int64(n))
}

// roomForAssignees is how many of n assignees a copy made without a person (a recurring
// task's next occurrence) may keep under the plan's "assignees" quota, asked in tx.
func (store) roomForAssignees(ctx context.Context, hs *hooks.Set, tx db.Tenant, n int) (int, error) {
	if n == 0 {
		return 0, nil
	}
	room, err := hs.RoomEach(ctx, tx.Unscoped(), tx.AccountID, "assignees", int64(n))
	return int(room), err
}

// shortNoticeTo are the people told that a task of the project had its next occurrence made
// short of assignees, besides its author: the project's leader and the account's owner
// (nobody when the project is not the account's).
func (s store) shortNoticeTo(ctx context.Context, tn db.Tenant, projectID int64) ([]int64, error) {
	var out []int64
	if err := tn.SelectFrom("memberships", "m").Column("m.user_id").Where("m.role = ?", "owner").
		Where("EXISTS (SELECT 1 FROM projects AS p WHERE p.account_id = m.account_id AND p.id = ?)", projectID).Scan(ctx, &out); err != nil {
		return nil, err
	}
	leader, err := s.projectLeader(ctx, tn, projectID)
	if err != nil && !db.IsNotFound(err) {
		return nil, err
	}
	if leader != nil {
		out = append(out, *leader)
	}
	return out, nil
}

// userNames are the names of the account's people of ids, in the order of ids.
func (store) userNames(ctx context.Context, tn db.Tenant, ids []int64) ([]string, error) {
	var rows []struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
	}
	if len(ids) == 0 {
		return nil, nil
	}
	if err := tn.SelectFrom("memberships", "m").Join("JOIN users AS u ON u.id = m.user_id").ColumnExpr("u.id, u.name").
		Where("m.user_id IN (?)", bun.In(ids)).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		for _, r := range rows {
			if r.ID == id {
				out = append(out, r.Name)
			}
		}
	}
	return out, nil
}
