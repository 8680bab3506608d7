package timesheet

import (
	"context"
	"errors"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// timerData is the timers' part of a person's GDPR rights (hooks.PersonalData): their running
// timer (timesheet_timers), if any. It is theirs alone and not yet time of the account's, so
// an erasure deletes it.
type timerData struct{ svc *Service }

const catTimers = "timesheet.data.timers"

// Tables are the tables that hold a person's id.
func (timerData) Tables() []string { return []string{"timesheet_timers"} }

// Describe counts the person's running timers (0 or 1).
func (p timerData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	n := int64(-1)
	if s.UserID != 0 {
		ts, err := p.svc.store.personTimers(ctx, p.svc.tenant(s.AccountID), s.UserID)
		if err != nil {
			return nil, err
		}
		n = int64(len(ts))
	}
	return []hooks.DataCategory{personal.Category("timesheet", catTimers, n, personal.FieldTimes, personal.FieldText, personal.FieldLinks)}, nil
}

// Export writes timesheet_timers.json.
func (p timerData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	ts, err := p.svc.store.personTimers(ctx, p.svc.tenant(s.AccountID), s.UserID)
	if err != nil {
		return err
	}
	return out.JSON("timesheet_timers.json", ts)
}

// Erase deletes the person's timer in tx.
func (p timerData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, _ hooks.Erasure) error {
	if s.AccountID <= 0 || s.UserID <= 0 {
		return errors.New("timesheet: erase timers: no account or no person")
	}
	return p.svc.store.deletePersonTimers(ctx, db.For(tx, s.AccountID), s.UserID)
}

var _ hooks.PersonalData = timerData{}
