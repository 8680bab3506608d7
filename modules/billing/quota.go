package billing

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
)

// limiter is the module's hooks.Limiter: an account with a row is held to its plan's quotas;
// an account without one (not enrolled yet) is not limited.
type limiter struct{ svc *Service }

// Check refuses add more of quota past the plan's limit, naming the plan that lifts it. It
// reads in tx, the creation's transaction, so the count includes what tx wrote.
func (l limiter) Check(ctx context.Context, tx bun.IDB, accountID int64, quota string, add int64) error {
	cat, limit, err := l.limit(ctx, tx, accountID, quota)
	if err != nil || limit == Unlimited {
		return err
	}
	var used int64
	for _, c := range l.svc.Hooks.Counters {
		if c.Hook.Quota == quota {
			n, err := c.Hook.Usage(ctx, tx, accountID)
			if err != nil {
				return err
			}
			used += n
		}
	}
	if within(limit, used, add) {
		return nil
	}
	return &hooks.QuotaError{Quota: quota, Limit: limit, Usage: used, Plan: cat.Lifting(quota, used, add)}
}

// CheckEach refuses a thing that would have n of quota (a task's assignees: QuotaAssignees)
// past the plan's limit for each, naming the plan that lifts it (hooks.EachLimiter).
func (l limiter) CheckEach(ctx context.Context, tx bun.IDB, accountID int64, quota string, n int64) error {
	cat, limit, err := l.limit(ctx, tx, accountID, quota)
	if err != nil || limit == Unlimited || n <= limit {
		return err
	}
	return &hooks.QuotaError{Quota: quota, Limit: limit, Usage: n, Plan: cat.Lifting(quota, n, 0), Each: true}
}

// limit is the account's plan's limit of quota, read in tx (Unlimited for an account without
// a row, or a quota the plan does not set), with the catalogue in force.
func (l limiter) limit(ctx context.Context, tx bun.IDB, accountID int64, quota string) (Catalog, int64, error) {
	var plan string
	err := tx.NewSelect().TableExpr("billing_subscriptions AS s").Column("s.plan").Where("s.account_id = ?", accountID).Limit(1).Scan(ctx, &plan)
	if db.IsNotFound(err) {
		return nil, Unlimited, nil
	}
	if err != nil {
		return nil, 0, err
	}
	cat, err := l.svc.plans(ctx)
	if err != nil {
		return nil, 0, err
	}
	p, _ := cat.Of(plan)
	limit, ok := p.Quotas[quota]
	if !ok {
		return cat, Unlimited, nil
	}
	return cat, limit, nil
}

// enablement is the module's hooks.Enablement: an offering's module is on when the account
// subscribed to it (every one in the trial, or without a row); other modules are always on.
type enablement struct{ svc *Service }

func (e enablement) Enabled(ctx context.Context, accountID int64, module string) (bool, error) {
	if !isOffering(module) {
		return true, nil
	}
	st, err := e.svc.standing(ctx, accountID)
	if err != nil || !st.Found {
		return err == nil, err
	}
	if st.State == StateTrial {
		return true, nil
	}
	return slices.Contains(st.Offerings, module), nil
}

// usersCounter is the "users" quota: the account's colleagues, active or invited (clients
// take no seat).
func usersCounter() hooks.Counter {
	return hooks.Counter{Quota: QuotaUsers, Unit: "count", Usage: func(ctx context.Context, idb bun.IDB, accountID int64) (int64, error) {
		n, err := idb.NewSelect().TableExpr("memberships AS m").
			Where("m.account_id = ? AND m.role <> ? AND m.status IN (?, ?) AND m.deactivated_at IS NULL", accountID, "client", identity.StatusActive, identity.StatusInvited).Count(ctx)
		return int64(n), err
	}}
}

// assigneesCounter is the "assignees" quota's usage: the most people assigned at once to one
// open task of the account (the quota bounds each task, so its usage is the busiest task's).
// It reads the projects module's task_assignees, as usersCounter reads core's memberships:
// the counters page shows it, and a downgrade below it is refused. The projects module asks
// the limiter for each task it assigns (hooks.Set.AllowEach, CheckEach), not through this.
func assigneesCounter() hooks.Counter {
	return hooks.Counter{Quota: QuotaAssignees, Unit: "count", Usage: func(ctx context.Context, idb bun.IDB, accountID int64) (int64, error) {
		var n int64
		err := idb.NewSelect().TableExpr("(?) AS t", idb.NewSelect().TableExpr("task_assignees AS ta").Join("JOIN tasks AS k ON k.account_id = ta.account_id AND k.id = ta.task_id").
			ColumnExpr("COUNT(*) AS n").Where("ta.account_id = ? AND k.completed_at IS NULL", accountID).GroupExpr("ta.task_id")).
			ColumnExpr("COALESCE(MAX(t.n), 0)").Scan(ctx, &n)
		return n, err
	}}
}

// pluginsCounter is the "plugins" quota's usage: the plugins the account's admins turned on
// (plugins/host's plugin_enablements).
func pluginsCounter() hooks.Counter {
	return hooks.Counter{Quota: QuotaPlugins, Unit: "count", Usage: func(ctx context.Context, idb bun.IDB, accountID int64) (int64, error) {
		n, err := idb.NewSelect().TableExpr("plugin_enablements AS p").Where("p.account_id = ? AND p.enabled", accountID).Count(ctx)
		return int64(n), err
	}}
}
