package timesheet

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// reminderData is the reminders' part of a person's GDPR rights: the reminders sent to them
// (timesheet_reminders). They are the person's only: Erase deletes them.
type reminderData struct{ svc *Service }

const catReminders = "timesheet.data.reminders"

func (reminderData) Tables() []string { return []string{"timesheet_reminders"} }

func (p reminderData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	n := int64(-1)
	if s.UserID != 0 {
		var err error
		if n, err = p.svc.store.reminderCount(ctx, p.svc.tenant(s.AccountID), s.UserID); err != nil {
			return nil, err
		}
	}
	return []hooks.DataCategory{personal.Category("timesheet", catReminders, n, personal.FieldTimes)}, nil
}

// Export writes timesheet_reminders.json.
func (p reminderData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	rs, err := p.svc.store.personReminders(ctx, p.svc.tenant(s.AccountID), s.UserID)
	if err != nil {
		return err
	}
	return out.JSON("timesheet_reminders.json", rs)
}

func (p reminderData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, _ hooks.Erasure) error {
	return p.svc.store.eraseReminders(ctx, db.For(tx, s.AccountID), s.UserID)
}

var _ hooks.PersonalData = reminderData{}
