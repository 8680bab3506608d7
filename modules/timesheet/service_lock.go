package timesheet

import (
	"context"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// The period lock: an administrator closes every day before a date at once ("lock before
// 2026-11-30" closes November), whatever the state of each week — no entry is created,
// changed, deleted or made by a timer's stop on such a day (409). It is one row per account;
// each change is audited.

// lockConflict is the 409 of a change on a day before the lock.
func lockConflict(field, lockedBefore string) error {
	return problem.Conflict(field, "time before "+lockedBefore+" is locked: it cannot change (an administrator moves the period lock)")
}

// periodOpen refuses (409) when one of the days is before the account's period lock.
func (s *Service) periodOpen(ctx context.Context, tn db.Tenant, days ...time.Time) error {
	before, err := s.store.lockedBefore(ctx, tn)
	if err != nil || before == "" {
		return err
	}
	for _, d := range days {
		if d.Format(DayLayout) < before {
			return lockConflict("date", before)
		}
	}
	return nil
}

// Lock is the account's period lock (locked_before "" when none).
func (s *Service) Lock(ctx context.Context, a *actor.Actor) (*PeriodLock, error) {
	return s.store.periodLock(ctx, s.tenant(a.AccountID()))
}

// SetLock moves the account's period lock (administrators; audited). "" lifts it.
func (s *Service) SetLock(ctx context.Context, a *actor.Actor, in LockInput) (*PeriodLock, error) {
	if !admin(a) {
		return nil, problem.Forbidden("only an administrator moves the period lock")
	}
	if in.LockedBefore != "" {
		if _, ok := ParseDay(in.LockedBefore); !ok {
			return nil, problem.Invalid(problem.FieldError{Field: "locked_before", Message: "must be a day written YYYY-MM-DD (or empty to lift the lock)"})
		}
	}
	l := &PeriodLock{AccountID: a.AccountID(), LockedBefore: in.LockedBefore, UpdatedAt: s.now()}
	err := s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		old, err := s.store.periodLock(ctx, tn)
		if err != nil {
			return err
		}
		if err := s.store.setPeriodLock(ctx, tn, l); err != nil {
			return err
		}
		return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, "timesheet.period_lock.set", "timesheet_period_lock",
			map[string]string{"locked_before": l.LockedBefore, "was": old.LockedBefore})
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}
