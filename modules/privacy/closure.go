package privacy

import (
	"context"
	"strconv"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
)

// CloseAccount is the owner's closure of the account, confirmed by their password: after the
// grace period (or at once when asked), every member is erased, then every row and file of the
// account goes but the records the law keeps (hooks.Retention). Asking again while a closure is open returns it.
func (s *Service) CloseAccount(ctx context.Context, a *actor.Actor, in ClosureInput) (*Request, error) {
	if a.Role != actor.RoleOwner {
		return nil, problem.Forbidden("only the owner closes the account")
	}
	if err := s.Auth.ConfirmPassword(ctx, a.UserID, in.Password); err != nil {
		return nil, err
	}
	var r *Request
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := s.store(tx, a.AccountID())
		now := s.clock()
		if open, err := st.open(ctx, KindClosure, 0); err == nil {
			r = open
			if in.Immediately && r.State == StateScheduled {
				if _, err := st.move(ctx, r.ID, StateQueued, now, StateScheduled); err != nil {
					return err
				}
				r.State = StateQueued
			}
			return nil
		} else if !db.IsNotFound(err) {
			return err
		}
		by := a.UserID
		r = &Request{AccountID: a.AccountID(), Kind: KindClosure, RequestedBy: &by, State: StateQueued, CreatedAt: now, UpdatedAt: now}
		if !in.Immediately {
			due := now.Add(Grace)
			r.State, r.DueAt = StateScheduled, &due
		}
		if err := st.insert(ctx, r); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, a.AccountID(), "privacy.closure_requested", "", map[string]any{"immediately": in.Immediately})
	})
	if err != nil {
		return nil, err
	}
	if r.State == StateQueued {
		return r, s.enqueue(ctx, r)
	}
	return r, nil
}

// Closure returns the account's open closure, or one in state "none".
func (s *Service) Closure(ctx context.Context, a *actor.Actor) (*Request, error) {
	return s.openOf(ctx, a, KindClosure, 0)
}

// CancelClosure cancels the closure during its grace period ("none" when there is none).
func (s *Service) CancelClosure(ctx context.Context, a *actor.Actor) (*Request, error) {
	return s.cancelOpen(ctx, a, KindClosure, 0)
}

// runClosure is the closure job: each member is erased through every provider (as an erasure
// would, told that the account goes too), then closeData ends the account as the purge does:
// the providers that keep data outside the database close theirs, the account's files go,
// then every row of the account but the records a legal obligation keeps (the providers'
// Retention: billing's invoices), then the account's row unless something was kept. A crash resumes: the members already erased are recorded as steps, and the
// sweep deletes only what is left.
func (s *Service) runClosure(ctx context.Context, accountID, id int64) error {
	st := s.store(s.DB, accountID)
	r, err := st.request(ctx, id)
	switch {
	case db.IsNotFound(err):
		// The sweep took the request with the rest: finish the sweep if the account is still there.
		if _, err := s.People.AccountByID(ctx, accountID); err != nil {
			return nil
		}
		return s.closeData(ctx, accountID, nil)
	case err != nil:
		return err
	case r.State != StateQueued && r.State != StateRunning:
		return nil
	}
	if _, err := st.move(ctx, id, StateRunning, s.clock(), StateQueued, StateRunning); err != nil {
		return err
	}
	members, err := s.People.MemberIDs(ctx, accountID)
	if err != nil {
		return err
	}
	for _, uid := range members {
		step := "u" + strconv.FormatInt(uid, 10)
		if r.Done(step) {
			continue
		}
		subj, _, err := s.subject(ctx, accountID, uid)
		if err != nil {
			return err
		}
		// Each member's providers run without steps of their own (they are idempotent): the
		// member is recorded once all of them are done.
		if err := s.eraseSubject(ctx, r, subj, hooks.Erasure{Closure: true}, false); err != nil {
			return err
		}
		if err := st.step(ctx, r, step, 0, s.clock()); err != nil {
			return err
		}
	}
	if err := s.closeData(ctx, accountID, nil); err != nil {
		return err
	}
	// The platform's own trail keeps that an account was closed, and nothing of it.
	if err := audit.Record(ctx, s.DB, nil, 0, "account.closed", "", nil); err != nil {
		return err
	}
	return s.compact(ctx)
}
