package projects

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/automation"
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
	var due []struct {
		AccountID int64  `bun:"account_id"`
		ID        int64  `bun:"id"`
		ProjectID int64  `bun:"project_id"`
		ListID    int64  `bun:"list_id"`
		Title     string `bun:"title"`
		StartsOn  Date   `bun:"starts_on"`
		DueOn     Date   `bun:"due_on"`
	}
	// Tasks already reminded of both days are skipped here, not only at the insert, so that a
	// run does not walk the same tasks every 15 minutes.
	sent := func(kind, col string) string {
		return fmt.Sprintf("NOT EXISTS (SELECT 1 FROM task_reminders AS rm WHERE rm.account_id = t.account_id AND rm.task_id = t.id AND rm.kind = '%s' AND rm.day = t.%s)", kind, col)
	}
	if err := s.DB.NewSelect().Model((*Task)(nil)).ColumnExpr("t.account_id, t.id, t.project_id, t.list_id, t.title, t.starts_on, t.due_on").
		Join("JOIN projects AS p ON p.account_id = t.account_id AND p.id = t.project_id").
		Where("t.status <> ? AND p.state = ? AND p.is_template = ?", StatusDone, StateActive, false).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.WhereOr("t.starts_on >= ? AND t.starts_on <= ? AND "+sent(ReminderStart, "starts_on"), today, tomorrow).
				WhereOr("t.due_on >= ? AND t.due_on <= ? AND "+sent(ReminderDue, "due_on"), today, tomorrow)
		}).OrderExpr("t.account_id, t.id").Limit(maxReminderBatch).Scan(ctx, &due); err != nil {
		return 0, err
	}
	// The people still at work on each task, for all of them in one query.
	working := map[int64][]int64{}
	if len(due) > 0 {
		accounts, tasks := make([]int64, 0, len(due)), make([]int64, len(due))
		for i, t := range due {
			tasks[i] = t.ID
			if !slices.Contains(accounts, t.AccountID) {
				accounts = append(accounts, t.AccountID)
			}
		}
		var as []Assignee
		if err := s.DB.NewSelect().Model(&as).Column("ta.task_id", "ta.user_id").
			Where("ta.account_id IN (?) AND ta.task_id IN (?) AND ta.completed_at IS NULL", bun.List(accounts), bun.List(tasks)).
			OrderExpr("ta.task_id, ta.user_id").Scan(ctx); err != nil {
			return 0, err
		}
		for _, a := range as {
			working[a.TaskID] = append(working[a.TaskID], a.UserID)
		}
	}
	n := 0
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
			err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
				res, err := tx.NewInsert().Model(&reminder{AccountID: t.AccountID, TaskID: t.ID, Kind: k.kind, Day: k.day, SentAt: now}).
					On("CONFLICT DO NOTHING").Exec(ctx)
				if err != nil {
					return err
				}
				if c, err := res.RowsAffected(); err != nil || c != 1 {
					return err // sent already (by another run or instance)
				}
				n++
				ids := working[t.ID]
				// Within a day: "today" or "tomorrow" reads better than a date, in any language.
				when := "today"
				if k.day > today {
					when = "tomorrow"
				}
				msg := taskNotice(t.ID, "projects.notice."+k.kind+"_"+when, fmt.Sprintf(k.text, "%s", when), t.Title)
				return notifyVisible(ctx, tx, nt, t.AccountID, t.ProjectID, t.ListID, 0, ids, "task.reminder", msg)
			})
			if err != nil {
				return n, err
			}
		}
	}
	return n, nil
}
