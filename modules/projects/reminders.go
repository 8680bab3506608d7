package projects

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/automation"
	"groupcamp/core/db"
)

// Reminder kinds: before a task starts, before it is due.
const (
	ReminderStart = "start"
	ReminderDue   = "due"
)

// reminder records a reminder sent; its primary key (account_id, task_id, kind, day) is what
// makes each one go out once: of two instances (or a retried run) inserting the same row, one
// inserts it and notifies, the other inserts nothing and sends nothing. The day is part of the
// key so that a task moved to another day is reminded again.
type reminder struct {
	bun.BaseModel `bun:"table:task_reminders"`

	AccountID int64     `bun:"account_id,pk"`
	TaskID    int64     `bun:"task_id,pk"`
	Kind      string    `bun:"kind,pk"`
	Day       Date      `bun:"day,pk"`
	SentAt    time.Time `bun:"sent_at"`
}

// maxReminderBatch bounds one run; a run every 15 minutes goes on with the rest.
const maxReminderBatch = 1000

// SendReminders tells the assignees who have not finished their part of each open task of an
// active project that starts or is due within the next 24 hours (days are days: today's or
// tomorrow's), each reminder once, and returns how many reminders it recorded. Each reminder
// is its own transaction with its notices.
func (s *Service) SendReminders(ctx context.Context, nt automation.Notifier) (int, error) {
	now := s.now()
	today, tomorrow := Date(now.Format(dateLayout)), Date(now.AddDate(0, 0, 1).Format(dateLayout))
	accounts, err := s.store.unscopedAccounts(ctx, s.DB, workReminders, now)
	if err != nil {
		return 0, err
	}
	n, seen := 0, 0
	for _, acc := range accounts {
		if seen >= maxReminderBatch {
			break
		}
		tn := s.tenantOf(acc)
		due, err := s.store.remindableTasks(ctx, tn, today, tomorrow, maxReminderBatch-seen)
		if err != nil {
			return n, err
		}
		seen += len(due)
		ids := make([]int64, len(due))
		for i, t := range due {
			ids[i] = t.ID
		}
		// The people still at work on each task, for all of the account's in one query.
		working, err := s.store.workingAssignees(ctx, tn, ids)
		if err != nil {
			return n, err
		}
		for _, t := range due {
			for _, k := range []struct {
				kind string
				day  Date
				text string
			}{
				{ReminderStart, t.StartsOn, "The task “%s” starts %s."},
				{ReminderDue, t.DueOn, "The task “%s” is due %s."},
			} {
				if k.day < today || k.day > tomorrow {
					continue
				}
				err := tn.RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
					sent, err := s.store.insertReminder(ctx, tx, &reminder{AccountID: acc, TaskID: t.ID, Kind: k.kind, Day: k.day, SentAt: now})
					if err != nil || !sent {
						return err // sent already (by another run or instance)
					}
					n++
					// Within a day: "today" or "tomorrow" reads better than a date, in any language.
					when := "today"
					if k.day > today {
						when = "tomorrow"
					}
					msg := taskNotice(t.ID, "projects.notice."+k.kind+"_"+when, fmt.Sprintf(k.text, "%s", when), t.Title)
					return s.notifyVisible(ctx, tx, nt, t.ProjectID, t.ListID, 0, working[t.ID], "task.reminder", msg)
				})
				if err != nil {
					return n, err
				}
			}
		}
	}
	return n, nil
}
