package privacy

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
	"groupcamp/core/mail"
	"groupcamp/core/problem"
)

// RequestErasure is the person's own request to be erased from the account. It is confirmed
// twice: by their password now, and by the link emailed to them (so that a stolen session
// alone cannot erase anyone). Asking again while a request is open returns that request.
func (s *Service) RequestErasure(ctx context.Context, a *actor.Actor, in ErasureInput) (*Request, error) {
	if a.Role == actor.RoleOwner {
		return nil, problem.Conflict("owner", "the owner cannot be erased; transfer the ownership to another person first, or close the account")
	}
	if err := s.Auth.ConfirmPassword(ctx, a.UserID, in.Password); err != nil {
		return nil, err
	}
	m, err := s.People.Member(ctx, a, a.UserID)
	if err != nil {
		return nil, err
	}
	var r *Request
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := s.store(tx, a.AccountID())
		if open, err := st.open(ctx, KindErasure, a.UserID); err == nil {
			r = open
			return nil
		} else if !db.IsNotFound(err) {
			return err
		}
		now := s.clock()
		uid := a.UserID
		expires := now.Add(LinkLife)
		r = &Request{AccountID: a.AccountID(), Kind: KindErasure, UserID: &uid, Subject: s.subjectOf(a.AccountID(), uid), RequestedBy: &uid, State: StateUnconfirmed,
			KeepText: s.keepText(ctx, tx, a.AccountID()), ExpiresAt: &expires, CreatedAt: now, UpdatedAt: now}
		if err := st.insert(ctx, r); err != nil {
			return err
		}
		link := s.BaseURL + "/" + a.Account.Slug + "/me/privacy/erasure/" + strconv.FormatInt(r.ID, 10) + "?token=" + s.token(r)
		if err := s.link(ctx, tx, a.AccountID(), m, map[string]string{"subject": "privacy.mail.confirm.subject", "body": "privacy.mail.confirm.body",
			"button": "privacy.mail.confirm.button", "expiry": "privacy.mail.confirm.expiry"}, link); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, a.AccountID(), "privacy.erasure_requested", "", nil)
	})
	return r, err
}

// keepText is the account's choice for the text a person wrote in kept records.
func (s *Service) keepText(ctx context.Context, idb bun.IDB, accountID int64) bool {
	st, err := s.store(idb, accountID).settings(ctx)
	return err == nil && st.KeepText
}

// ConfirmErasure is the person following the emailed link: the erasure is scheduled at the end
// of the grace period. A link of another person's request is 404; an expired or cancelled one 410.
func (s *Service) ConfirmErasure(ctx context.Context, a *actor.Actor, id int64, token string) (*Request, error) {
	r, err := s.ownErasure(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !s.validToken(r, token) {
		return nil, problem.NotFound()
	}
	switch {
	case r.State == StateScheduled || r.State == StateQueued || r.State == StateRunning:
		return r, nil // confirmed already
	case r.State != StateUnconfirmed || (r.ExpiresAt != nil && !r.ExpiresAt.After(s.clock())):
		return nil, problem.Gone("this confirmation link is no longer valid; ask again from your privacy page")
	}
	now := s.clock()
	due := now.Add(Grace)
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		ok, err := s.store(tx, a.AccountID()).schedule(ctx, id, due, now)
		if err != nil {
			return err
		}
		if !ok {
			return problem.Gone("this confirmation link is no longer valid; ask again from your privacy page")
		}
		return audit.Record(ctx, tx, a, a.AccountID(), "privacy.erasure_confirmed", "", map[string]string{"due": due.Format("2006-01-02")})
	})
	if err != nil {
		return nil, err
	}
	r.State, r.DueAt = StateScheduled, &due
	return r, nil
}

func (s *Service) ownErasure(ctx context.Context, a *actor.Actor, id int64) (*Request, error) {
	r, err := s.store(s.DB, a.AccountID()).request(ctx, id)
	if db.IsNotFound(err) || (err == nil && (r.Kind != KindErasure || r.UserID == nil || *r.UserID != a.UserID)) {
		return nil, problem.NotFound()
	}
	return r, err
}

// MyErasure returns the person's open erasure request, or one in state "none".
func (s *Service) MyErasure(ctx context.Context, a *actor.Actor) (*Request, error) {
	return s.openOf(ctx, a, KindErasure, a.UserID)
}

// CancelMyErasure cancels the person's erasure during the grace period (nothing to cancel
// is no error: the answer is in state "none").
func (s *Service) CancelMyErasure(ctx context.Context, a *actor.Actor) (*Request, error) {
	return s.cancelOpen(ctx, a, KindErasure, a.UserID)
}

// openOf returns the open request of kind (of userID, or of the account with 0), or one in
// state "none" when there is none: "is there one?" is a question with an answer, not a 404.
func (s *Service) openOf(ctx context.Context, a *actor.Actor, kind string, userID int64) (*Request, error) {
	r, err := s.store(s.DB, a.AccountID()).open(ctx, kind, userID)
	if db.IsNotFound(err) {
		return &Request{Kind: kind, State: StateNone}, nil
	}
	return r, err
}

// cancelOpen cancels the open request of kind, if there is one.
func (s *Service) cancelOpen(ctx context.Context, a *actor.Actor, kind string, userID int64) (*Request, error) {
	r, err := s.openOf(ctx, a, kind, userID)
	if err != nil || r.State == StateNone {
		return r, err
	}
	return r, s.cancel(ctx, a, r)
}

// start takes a queued (or crashed while running) request for its job: nil when there is
// nothing to do (gone, cancelled, finished).
func (s *Service) start(ctx context.Context, st store, id int64) (*Request, error) {
	r, err := st.request(ctx, id)
	if db.IsNotFound(err) {
		return nil, nil
	}
	if err != nil || (r.State != StateQueued && r.State != StateRunning) {
		return nil, err
	}
	if _, err := st.move(ctx, id, StateRunning, s.clock(), StateQueued, StateRunning); err != nil {
		return nil, err
	}
	r.State = StateRunning
	return r, nil
}

// cancel ends an erasure or a closure that has not started.
func (s *Service) cancel(ctx context.Context, a *actor.Actor, r *Request) error {
	if r.State == StateCancelled {
		return nil // cancelling twice is no error
	}
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		ok, err := s.store(tx, a.AccountID()).move(ctx, r.ID, StateCancelled, s.clock(), StateUnconfirmed, StateScheduled)
		if err != nil {
			return err
		}
		if !ok {
			return problem.Conflict("state", "the erasure has started and can no longer be cancelled")
		}
		r.State = StateCancelled
		return audit.Record(ctx, tx, a, a.AccountID(), "privacy."+r.Kind+"_cancelled", "", nil)
	})
}

// EraseMember is an admin's erasure of a person of the account: after the grace period, or at
// once for a deactivated person when asked. The owner is never erased this way.
func (s *Service) EraseMember(ctx context.Context, a *actor.Actor, userID int64, in MemberErasureInput) (*Request, error) {
	m, err := s.People.Member(ctx, a, userID)
	if p, ok := problem.As(err); ok && p.Status == 404 {
		// Erased already? Then the answer is that erasure (idempotent), else a 404.
		if done, derr := s.store(s.DB, a.AccountID()).erasedAs(ctx, s.subjectOf(a.AccountID(), userID)); derr == nil {
			return done, nil
		}
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	switch {
	case m.Role == actor.RoleOwner:
		return nil, problem.Conflict("owner", "the owner cannot be erased; the owner transfers the ownership first, or closes the account")
	case userID == a.UserID:
		return nil, problem.Conflict("user", "to erase your own data, use your privacy page")
	case in.Immediately && m.DeactivatedAt == nil:
		return nil, problem.Invalid(problem.FieldError{Field: "immediately", Message: "only a deactivated person can be erased without the grace period; deactivate them first"})
	}
	var r *Request
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := s.store(tx, a.AccountID())
		now := s.clock()
		if open, err := st.open(ctx, KindErasure, userID); err == nil {
			r = open
			if in.Immediately && (r.State == StateScheduled || r.State == StateUnconfirmed) {
				if _, err := st.move(ctx, r.ID, StateQueued, now, r.State); err != nil {
					return err
				}
				r.State = StateQueued
				return audit.Record(ctx, tx, a, a.AccountID(), "privacy.erasure_hastened", "person #"+strconv.FormatInt(userID, 10), nil)
			}
			return nil
		} else if !db.IsNotFound(err) {
			return err
		}
		uid, by := userID, a.UserID
		r = &Request{AccountID: a.AccountID(), Kind: KindErasure, UserID: &uid, Subject: s.subjectOf(a.AccountID(), uid), RequestedBy: &by, State: StateScheduled,
			KeepText: s.keepText(ctx, tx, a.AccountID()), CreatedAt: now, UpdatedAt: now}
		if in.Immediately {
			r.State = StateQueued
		} else {
			due := now.Add(Grace)
			r.DueAt = &due
		}
		if err := st.insert(ctx, r); err != nil {
			return err
		}
		if r.DueAt != nil {
			link := s.BaseURL + "/" + a.Account.Slug + "/me/privacy"
			if err := s.Mail.Enqueue(ctx, tx, mailOf(a.AccountID(), m, map[string]string{"subject": "privacy.mail.scheduled.subject",
				"body": "privacy.mail.scheduled.body", "button": "privacy.mail.scheduled.button", "date": r.DueAt.Format("2006-01-02"), "link": link}), nil); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, a, a.AccountID(), "privacy.erasure_requested", "person #"+strconv.FormatInt(userID, 10),
			map[string]any{"immediately": in.Immediately})
	})
	if err != nil {
		return nil, err
	}
	if r.State == StateQueued {
		return r, s.enqueue(ctx, r)
	}
	return r, nil
}

// Erasure returns an erasure or closure request of the account, for its admins.
func (s *Service) Erasure(ctx context.Context, a *actor.Actor, id int64) (*Request, error) {
	r, err := s.store(s.DB, a.AccountID()).request(ctx, id)
	if db.IsNotFound(err) || (err == nil && r.Kind == KindExport) {
		return nil, problem.NotFound()
	}
	return r, err
}

// CancelErasure is an admin cancelling an erasure (or the owner a closure) before it starts.
func (s *Service) CancelErasure(ctx context.Context, a *actor.Actor, id int64) (*Request, error) {
	r, err := s.Erasure(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if r.Kind == KindClosure && a.Role != actor.RoleOwner {
		return nil, problem.Forbidden("only the owner cancels the closure of the account")
	}
	return r, s.cancel(ctx, a, r)
}

// Erasures lists the account's erasure and closure requests for its admins.
func (s *Service) Erasures(ctx context.Context, a *actor.Actor) ([]Request, error) {
	return s.store(s.DB, a.AccountID()).erasures(ctx, 100)
}

// runErasure is the erasure job: every provider erases the person, modules first and the
// login last, each in its own transaction that also records the step, so that a crash resumes
// at the step it stopped in. Running it again after the end does nothing.
func (s *Service) runErasure(ctx context.Context, accountID, id int64) error {
	st := s.store(s.DB, accountID)
	r, err := s.start(ctx, st, id)
	if err != nil || r == nil {
		return err
	}
	if r.UserID == nil { // the person was erased; only the end was left to record
		return s.endErasure(ctx, r, 0)
	}
	userID := *r.UserID
	subj, _, err := s.subject(ctx, accountID, userID)
	if err != nil {
		if p, ok := problem.As(err); ok && p.Status == 404 {
			return s.endErasure(ctx, r, userID) // identity's step ran: nothing of them is left
		}
		return err
	}
	if err := s.cancelExports(ctx, accountID, userID); err != nil {
		return err
	}
	if err := s.eraseSubject(ctx, r, subj, hooks.Erasure{KeepText: r.KeepText}, true); err != nil {
		if ctx.Err() != nil {
			return err
		}
		return s.fail(ctx, st, r, err)
	}
	return s.endErasure(ctx, r, userID)
}

// eraseSubject runs every provider's Erase for subj, in reverse order of registration: the
// modules, then the core, the login last. With steps, each provider's step is recorded in r
// with its work (and skipped when it is recorded already).
func (s *Service) eraseSubject(ctx context.Context, r *Request, subj hooks.Subject, e hooks.Erasure, steps bool) error {
	providers := s.Hooks.PersonalData
	for i := len(providers) - 1; i >= 0; i-- {
		p := providers[i]
		step := p.Module + "." + strconv.Itoa(i)
		if steps && r.Done(step) {
			continue
		}
		pct := 100 * (len(providers) - i) / (len(providers) + 1)
		err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := p.Hook.Erase(ctx, tx, subj, e); err != nil {
				return fmt.Errorf("%s: %w", p.Module, err)
			}
			if !steps {
				return nil
			}
			return s.store(tx, r.AccountID).step(ctx, r, step, pct, s.clock())
		})
		if err != nil {
			return err
		}
	}
	s.Auth.Forget(subj.UserID)
	return nil
}

// endErasure records the end: the audit trail says a person was erased on that day, by
// request of whom, and nothing of the person.
func (s *Service) endErasure(ctx context.Context, r *Request, userID int64) error {
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := s.store(tx, r.AccountID)
		if userID != 0 {
			if _, err := st.forget(ctx, userID, true); err != nil {
				return err
			}
		}
		if err := st.finish(ctx, r.ID, StateDone, "", nil, s.clock()); err != nil {
			return err
		}
		by := "the person"
		var who *actor.Actor
		if r.RequestedBy != nil && (userID == 0 || *r.RequestedBy != userID) {
			if m, err := s.People.Member(ctx, system(r.AccountID), *r.RequestedBy); err == nil {
				who = &actor.Actor{UserID: m.ID, Name: m.Name}
				by = "an administrator"
			}
		}
		return audit.Record(ctx, tx, who, r.AccountID, "privacy.person_erased", "request #"+strconv.FormatInt(r.ID, 10), map[string]string{"requested_by": by})
	})
	if err != nil {
		return err
	}
	return s.compact(ctx)
}

// cancelExports stops the person's exports and removes their archives.
func (s *Service) cancelExports(ctx context.Context, accountID, userID int64) error {
	ids, err := s.store(s.DB, accountID).cancelExports(ctx, userID, s.clock())
	for _, id := range ids {
		_ = os.Remove(s.exportPath(accountID, id))
		_ = os.Remove(s.exportPath(accountID, id) + ".part")
	}
	return err
}

// compact makes erased data unrecoverable from the database files too: on SQLite deleted rows
// are zeroed as they go (secure_delete, core/db), and the write-ahead log, which still holds
// the pages as they were, is checkpointed into the database and truncated.
func (s *Service) compact(ctx context.Context) error {
	if db.IsPostgres(s.DB) {
		return nil
	}
	_, err := s.DB.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)")
	return err
}

// mailOf is an email with a plain link (nothing secret in it).
func mailOf(accountID int64, to *identity.Member, data map[string]string) mail.Queued {
	data["name"] = to.Name
	return mail.Queued{Kind: mail.KindLink, AccountID: accountID, UserID: to.ID, To: to.Email, Data: data, Transactional: true}
}
