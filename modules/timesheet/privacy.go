package timesheet

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// personalData is the module's part of a person's GDPR rights (hooks.PersonalData): the time
// they logged (time_entries) and their weeks with the decisions on them (timesheet_weeks).
//
// Time entries are business records — the account's totals, what its clients were billed —
// so Erase keeps them but detaches them from the person: user_id becomes NULL, and the notes
// they wrote go unless the erasure keeps text. Their weeks are detached too, and where the
// person decided on someone else's week, the decision loses its decider (and its comment,
// unless text is kept). Their name and email then leave every note and comment of the
// module. The workflow's record of the transitions is core's to erase. The projects' bill
// rates for the person (project_person_rates) go; the rate their invoiceable time was to be
// billed at is frozen on it first (service_invoicing.go), so it is still invoiced right.
type personalData struct{ svc *Service }

// Category keys (locales).
const (
	catEntries = "timesheet.data.entries"
	catWeeks   = "timesheet.data.weeks"
)

// Tables are the module's tables that hold a person's id.
func (personalData) Tables() []string {
	return []string{"time_entries", "timesheet_weeks", "project_person_rates"}
}

// Describe counts the person's entries and weeks.
func (p personalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	entries, weeks := int64(-1), int64(-1)
	if s.UserID != 0 {
		var err error
		if entries, weeks, err = p.svc.store.personCounts(ctx, p.svc.tenant(s.AccountID), s.UserID); err != nil {
			return nil, err
		}
	}
	return []hooks.DataCategory{
		personal.Category("timesheet", catEntries, entries, personal.FieldTimes, personal.FieldText, personal.FieldLinks),
		personal.Category("timesheet", catWeeks, weeks, personal.FieldActions, personal.FieldTimes, personal.FieldText),
	}, nil
}

// exportedWeek is a week as exported.
type exportedWeek struct {
	Week        string `json:"week"`
	State       string `json:"state"`
	Comment     string `json:"comment"`
	SubmittedAt any    `json:"submitted_at"`
	DecidedAt   any    `json:"decided_at"`
}

// Export writes time_entries.json (with the names of projects, tasks and categories) and
// timesheet_weeks.json.
func (p personalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	tn := p.svc.tenant(s.AccountID)
	es, ws, err := p.svc.store.personEntries(ctx, tn, s.UserID)
	if err != nil {
		return err
	}
	if err := p.svc.decorate(ctx, tn, es); err != nil {
		return err
	}
	weeks := make([]exportedWeek, len(ws))
	for i, w := range ws {
		weeks[i] = exportedWeek{Week: w.Week, State: w.State, Comment: w.Comment, SubmittedAt: w.SubmittedAt, DecidedAt: w.DecidedAt}
	}
	if err := out.JSON("time_entries.json", es); err != nil {
		return err
	}
	var rates []PersonRate
	if err := tn.Select(&rates).Where("ppr.user_id = ?", s.UserID).OrderExpr("ppr.project_id").Scan(ctx); err != nil {
		return err
	}
	if err := out.JSON("project_bill_rates.json", rates); err != nil {
		return err
	}
	return out.JSON("timesheet_weeks.json", weeks)
}

// Erase detaches the person's time and weeks in tx (see personalData).
func (p personalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, e hooks.Erasure) error {
	if s.AccountID <= 0 || s.UserID <= 0 {
		return errors.New("timesheet: erase: no account or no person")
	}
	tn := db.For(tx, s.AccountID)
	if err := p.svc.freezeFormerRates(ctx, tn, s.UserID); err != nil {
		return err
	}
	if err := p.svc.store.deletePersonRates(ctx, tn, s.UserID); err != nil {
		return err
	}
	if err := p.svc.store.erasePerson(ctx, tn, s.UserID, e.KeepText, p.svc.now()); err != nil {
		return err
	}
	n, err := personal.Of(ctx, tx, s)
	if err != nil {
		return err
	}
	return p.svc.store.scrubPerson(ctx, tn, n)
}

var _ hooks.PersonalData = personalData{}
