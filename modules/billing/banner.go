package billing

import (
	"context"

	"groupcamp/core/actor"
	"groupcamp/core/web"
)

// banner is billing's notice across the top of every page of an account (hooks.Banner,
// shown by core/shell): a read-only or closed account says so to everyone, and a past-due one
// to the owner alone (the others can do nothing about it). The owner's banner links to the
// Billing page, where paying lifts it. It reads the cached standing: no query on most pages.
func (s *Service) banner(ctx context.Context, a *actor.Actor) ([]web.Banner, error) {
	if a == nil || a.Account == nil {
		return nil, nil
	}
	st, err := s.standing(ctx, a.AccountID())
	if err != nil || !st.Found {
		return nil, err
	}
	payer := a.May("billing", "manage")
	b := web.Banner{Kind: "error"}
	switch st.State {
	case StateReadOnly:
		b.ID, b.Key = "read-only-banner", "billing.banner.read_only_all"
		if payer {
			b.Key = "billing.banner.read_only"
		}
	case StateClosed:
		b.ID, b.Key = "closed-banner", "billing.banner.closed"
	case StatePastDue:
		if !payer {
			return nil, nil
		}
		b.ID, b.Key = "past-due-banner", "billing.banner.past_due"
	default:
		return nil, nil
	}
	if payer {
		b.Href, b.Link = "/"+a.Account.Slug+"/admin/billing", "billing.banner.pay"
	}
	return []web.Banner{b}, nil
}
