package privacy

import (
	"context"
	"os"
	"slices"

	"github.com/uptrace/bun"

	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
)

// purger is the module's hooks.AccountPurger: the closure's erasure, started by another
// module (billing, for an account closed for non-payment) rather than by the owner, and
// keeping the tables a legal obligation keeps.
type purger struct{ svc *Service }

// PurgeAccount erases every member of the account through every personal-data provider (as a
// closure does: Erasure.Closure), lets the providers that keep data outside the database
// close it, removes the account's files, then deletes every row of every table of the
// account but those of keep; the account's row stays when something is kept (the kept rows
// hang on it), and goes otherwise. Running it again finishes what a crash left: the members
// erased are gone from the memberships, and the sweep deletes only what is left.
func (p purger) PurgeAccount(ctx context.Context, accountID int64, keep []string) error {
	s := p.svc
	if there, err := s.DB.NewSelect().TableExpr("accounts").Where("id = ?", accountID).Exists(ctx); err != nil || !there {
		return err // gone already: nothing to purge
	}
	members, err := s.People.MemberIDs(ctx, accountID)
	if err != nil {
		return err
	}
	r := &Request{AccountID: accountID, Kind: KindClosure} // no steps recorded: each provider is idempotent
	for _, uid := range members {
		subj, _, err := s.subject(ctx, accountID, uid)
		if err != nil {
			return err
		}
		if err := s.eraseSubject(ctx, r, subj, hooks.Erasure{Closure: true}, false); err != nil {
			return err
		}
	}
	for _, h := range s.Hooks.PersonalData {
		if c, ok := h.Hook.(hooks.AccountData); ok {
			if err := c.CloseAccount(ctx, accountID); err != nil {
				return err
			}
		}
	}
	if err := os.RemoveAll(s.accountDir(accountID)); err != nil {
		return err
	}
	if err := s.sweepExcept(ctx, accountID, keep); err != nil {
		return err
	}
	// The platform's own trail keeps that an account was purged, and nothing of it.
	if err := audit.Record(ctx, s.DB, nil, 0, "account.purged", "", nil); err != nil {
		return err
	}
	return s.compact(ctx)
}

// sweepExcept is sweepAccount keeping the tables of keep, and the account's row with them.
func (s *Service) sweepExcept(ctx context.Context, accountID int64, keep []string) error {
	if len(keep) == 0 {
		return s.sweepAccount(ctx, accountID)
	}
	tables, err := db.AccountTables(ctx, s.DB)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if slices.Contains(keep, t) {
			continue
		}
		if _, err := s.DB.NewDelete().TableExpr("?", bun.Ident(t)).Where("account_id = ?", accountID).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

var _ hooks.AccountPurger = purger{}
