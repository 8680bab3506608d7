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
// closure does: Erasure.Closure), then ends it as the owner's closure does (closeData): every
// row of the account goes but those of keep and of the providers' Retention; the account's
// row stays when something is kept (the kept rows hang on it), and goes otherwise. Running it again finishes what a crash left: the members
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
	if err := s.closeData(ctx, accountID, keep); err != nil {
		return err
	}
	// The platform's own trail keeps that an account was purged, and nothing of it.
	if err := audit.Record(ctx, s.DB, nil, 0, "account.purged", "", nil); err != nil {
		return err
	}
	return s.compact(ctx)
}

// closeData is the end of every closure of an account, the owner's (runClosure) and the
// purge's: the providers that keep data outside the database close it, the account's files
// go, then every row of the account but those of the tables a legal obligation keeps — keep
// and what the providers' Retention names — and the account's row goes when nothing is kept.
// One function, so that both paths keep the same records.
func (s *Service) closeData(ctx context.Context, accountID int64, keep []string) error {
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
	kept, err := s.retained(ctx, accountID, keep)
	if err != nil {
		return err
	}
	return s.sweepExcept(ctx, accountID, kept)
}

// retained is keep with the tables every provider's Retention keeps of the account.
func (s *Service) retained(ctx context.Context, accountID int64, keep []string) ([]string, error) {
	out := slices.Clone(keep)
	for _, h := range s.Hooks.PersonalData {
		r, ok := h.Hook.(hooks.Retention)
		if !ok {
			continue
		}
		tables, err := r.Retained(ctx, s.DB, accountID)
		if err != nil {
			return nil, err
		}
		for _, t := range tables {
			if !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
	}
	return out, nil
}

// retentionNotices are the message keys of what the providers keep of a closed account.
func (s *Service) retentionNotices() []string {
	var out []string
	for _, h := range s.Hooks.PersonalData {
		if r, ok := h.Hook.(hooks.Retention); ok {
			out = append(out, r.RetentionNotice())
		}
	}
	return out
}

// sweepExcept deletes every row of the account from every table but those of keep, children
// before parents; the account's own row goes when keep is empty (kept rows hang on it).
func (s *Service) sweepExcept(ctx context.Context, accountID int64, keep []string) error {
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
	if len(keep) > 0 {
		return nil
	}
	_, err = s.DB.NewDelete().TableExpr("accounts").Where("id = ?", accountID).Exec(ctx)
	return err
}

var _ hooks.AccountPurger = purger{}
