package timesheet

import (
	"context"

	"groupcamp/core/actor"
	"groupcamp/modules/timesheet/contract"
)

// gcapiTimeLogs is the timesheet side of the GroupCamp-compatible API (contract.TimeLogs).
type gcapiTimeLogs struct{ svc *Service }

var _ contract.TimeLogs = gcapiTimeLogs{}

// Entries are the account's entries of q, by id (at most 1,000 a call).
func (p gcapiTimeLogs) Entries(ctx context.Context, accountID int64, q contract.TimeLogQuery) ([]contract.TimeLog, error) {
	if accountID <= 0 {
		return []contract.TimeLog{}, nil
	}
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 1000
	}
	return p.svc.store.gcapiEntries(ctx, p.svc.tenant(accountID), q)
}

// Budget is the project's budget as a reads it (the module's own scope: 404 otherwise).
func (p gcapiTimeLogs) Budget(ctx context.Context, a *actor.Actor, projectID int64) (*contract.BudgetView, error) {
	b, err := p.svc.Budget(ctx, a, projectID)
	if err != nil {
		return nil, err
	}
	out := &contract.BudgetView{Currency: b.Currency, Lines: []contract.BudgetViewLine{}}
	lined := 0
	for _, u := range b.Lines {
		l := u.Line
		out.Lines = append(out.Lines, contract.BudgetViewLine{Kind: l.Kind, Name: u.Label, Minutes: l.Minutes, AmountMinor: l.AmountMinor,
			SpentMinutes: u.SpentMinutes, SpentAmountMinor: u.SpentAmountMinor})
		lined += u.SpentMinutes
		if l.StartsOn != nil && (out.StartsOn == "" || *l.StartsOn < out.StartsOn) {
			out.StartsOn = *l.StartsOn
		}
		if l.EndsOn != nil && *l.EndsOn > out.EndsOn {
			out.EndsOn = *l.EndsOn
		}
	}
	if off := b.Totals.SpentMinutes - lined; off > 0 {
		out.SpentMinutes = off
	}
	return out, nil
}
