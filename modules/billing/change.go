package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// change applies a new plan, offerings or seats to an active subscription, in tx. What costs
// more a month is an upgrade: it takes effect now, and the days left of the period are
// invoiced at once — the new plan's days less the old plan's unused days (prorated lines),
// charged to the card after the commit (the returned payment). What costs the same or less
// is a downgrade: it is scheduled for the period's end (the monthly run applies it), shown on
// the page, and cancellable until then; the usage was checked against it already.
func (s *Service) change(ctx context.Context, tx db.Tenant, a *actor.Actor, sub *Subscription, plan Plan, in SubscriptionInput, key string) (*Payment, error) {
	now := s.now()
	old, _, err := s.planOf(ctx, sub.Plan)
	if err != nil {
		return nil, err
	}
	// Both plans in the account's currency: the comparison and the prorated lines are in it.
	old, plan = old.In(sub.Currency), plan.In(sub.Currency)
	start, end, ok := period(sub)
	if !ok {
		return nil, problem.Conflict("plan", "the subscription has no period to change")
	}
	meta := map[string]string{"offerings": strings.Join(in.Offerings, ","), "seats": fmt.Sprint(in.Seats)}
	if plan.MonthlyMinor(in.Offerings, in.Seats) <= old.MonthlyMinor(sub.Offerings, sub.Seats) {
		offs, _ := json.Marshal(in.Offerings)
		sub.PendingPlan, sub.PendingOfferings, sub.PendingSeats, sub.UpdatedAt = plan.Key, string(offs), in.Seats, now
		if _, err := tx.Update(sub).Column("pending_plan", "pending_offerings", "pending_seats", "updated_at").WherePK().Exec(ctx); err != nil {
			return nil, err
		}
		meta["from"] = day(end)
		return nil, audit.Record(ctx, tx.Unscoped(), a, a.AccountID(), "billing.downgrade_scheduled", plan.Key, meta)
	}
	today, _ := civil(day(now))
	left, days := daysBetween(today, end), daysBetween(start, end)
	lines := prorated(old, sub.Offerings, sub.Seats, plan, in.Offerings, in.Seats, min(max(left, 0), days), days)
	oldOffs, oldSeats := sub.Offerings, sub.Seats
	sub.Plan, sub.Offerings, sub.Seats, sub.UpdatedAt = plan.Key, in.Offerings, in.Seats, now
	sub.PendingPlan, sub.PendingOfferings, sub.PendingSeats = "", "", 0 // an upgrade replaces a scheduled downgrade
	sub.PeriodStart, sub.PeriodEnd = day(start), day(end)
	if _, err := tx.Update(sub).Column("plan", "offerings", "seats", "period_start", "period_end", "pending_plan", "pending_offerings", "pending_seats", "updated_at").WherePK().Exec(ctx); err != nil {
		return nil, err
	}
	meta["from_plan"], meta["from_offerings"], meta["from_seats"] = old.Key, strings.Join(oldOffs, ","), fmt.Sprint(oldSeats)
	if err := audit.Record(ctx, tx.Unscoped(), a, a.AccountID(), "billing.upgraded", plan.Key, meta); err != nil {
		return nil, err
	}
	if left <= 0 {
		return nil, nil // the period ends today: the monthly run invoices the new plan
	}
	inv, err := s.issue(ctx, tx, sub, lines, KindInvoice, nil)
	if err != nil {
		return nil, err
	}
	pay := due(sub, inv, key, now)
	if pay != nil {
		_, err = tx.Insert(pay).Exec(ctx)
	}
	return pay, err
}

// CancelPending cancels the downgrade scheduled for the next period: 404 when none.
func (s *Service) CancelPending(ctx context.Context, a *actor.Actor) (*Overview, error) {
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		sub, err := s.enrolled(ctx, tx)
		if err != nil {
			return err
		}
		if sub.PendingPlan == "" {
			return problem.NotFound()
		}
		plan := sub.PendingPlan
		sub.PendingPlan, sub.PendingOfferings, sub.PendingSeats, sub.UpdatedAt = "", "", 0, s.now()
		if _, err := tx.Update(sub).Column("pending_plan", "pending_offerings", "pending_seats", "updated_at").WherePK().Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx.Unscoped(), a, a.AccountID(), "billing.downgrade_cancelled", plan, nil)
	})
	if err != nil {
		return nil, err
	}
	return s.Overview(ctx, a)
}
