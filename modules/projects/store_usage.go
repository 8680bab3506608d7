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
