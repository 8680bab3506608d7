package projects

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/problem"
)

// Recurrence rules.
const (
	EveryDay   = "day"
	EveryWeek  = "week"
	EveryMonth = "month"
	// EveryNone in a PATCH stops a task from recurring.
	EveryNone = "none"
	// MaxRecurrenceInterval bounds "every N days/weeks/months".
	MaxRecurrenceInterval = 12
)

// RecurrenceInput is the "recurrence" of a task body: the task repeats every Interval days,
// weeks or months. When it is done — or when its date passes without it being done — the next
// occurrence is created once: same list, title, description, priority and assignees with
// their estimates, dates moved by the rule with the same duration.
type RecurrenceInput struct {
	Every    string `json:"every"`              // day, week, month (none in a PATCH: stop recurring)
	Interval int    `json:"interval,omitempty"` // 1-12 (default 1)
}

// recurrence is the rule of a recurring task. SpawnedAt is set, in the transaction that creates
// the next occurrence, by a conditional UPDATE: that claim is what makes the next occurrence
// exist exactly once, whether completion and the periodic job race or an event is redelivered.
type recurrence struct {
	bun.BaseModel `bun:"table:task_recurrences,alias:r"`

	AccountID  int64      `bun:"account_id,pk"`
	TaskID     int64      `bun:"task_id,pk"`
	Every      string     `bun:"every"`
	Step       int        `bun:"step"`
	SpawnedAt  *time.Time `bun:"spawned_at"`
	NextTaskID *int64     `bun:"next_task_id"`
	CreatedAt  time.Time  `bun:"created_at"`
}

// Recurrence is how a task repeats, in task responses: every Interval days, weeks or months;
// NextTaskID is the next occurrence once it exists.
type Recurrence struct {
	Every      string `json:"every"`
	Interval   int    `json:"interval"`
	NextTaskID *int64 `json:"next_task_id,omitempty"`
}

// attachRecurrences sets the Recurrence of the tasks of ids that repeat: one query per page.
func attachRecurrences(ctx context.Context, idb bun.IDB, accountID int64, ids []int64, index map[int64]*Task) error {
	var rs []recurrence
	if err := idb.NewSelect().Model(&rs).Column("task_id", "every", "step", "next_task_id").
		Where("r.account_id = ? AND r.task_id IN (?)", accountID, bun.List(ids)).Scan(ctx); err != nil {
		return err
	}
	for _, r := range rs {
		if t := index[r.TaskID]; t != nil {
			t.Recurrence = &Recurrence{Every: r.Every, Interval: r.Step, NextTaskID: r.NextTaskID}
		}
	}
	return nil
}

// checkRecurrence validates a recurrence against the task's days (a rule needs a day to move).
func checkRecurrence(f *problem.Fields, field string, in *RecurrenceInput, starts, due Date, patch bool) {
	if in == nil {
		return
	}
	if patch && in.Every == EveryNone {
		return
	}
	switch in.Every {
	case EveryDay, EveryWeek, EveryMonth:
	default:
		if patch {
			f.Add(field+".every", "must be day, week, month or none")
		} else {
			f.Add(field+".every", "must be day, week or month")
		}
		return
	}
	if in.Interval < 0 || in.Interval > MaxRecurrenceInterval {
		f.Add(field+".interval", fmt.Sprintf("must be from 1 to %d", MaxRecurrenceInterval))
	}
	if starts == "" && due == "" && !f.Has("starts_on") && !f.Has("due_on") {
		f.Add(field, "needs a start or due day to repeat from")
	}
}

// saveRecurrences writes the rules of newly created tasks (in[i] made tasks[i]).
func saveRecurrences(ctx context.Context, tx bun.IDB, tasks []*Task, in []TaskInput, now time.Time) error {
	for i, t := range tasks {
		if err := setRecurrence(ctx, tx, t, in[i].Recurrence, now); err != nil {
			return err
		}
	}
	return nil
}

// setRecurrence sets, changes or (every: none) removes a task's rule; nil leaves it alone. A
// changed rule keeps its claim: a task whose next occurrence exists does not spawn another.
func setRecurrence(ctx context.Context, tx bun.IDB, t *Task, in *RecurrenceInput, now time.Time) error {
	if in == nil {
		return nil
	}
	if in.Every == EveryNone {
		_, err := tx.NewDelete().Model((*recurrence)(nil)).Where("account_id = ? AND task_id = ?", t.AccountID, t.ID).Exec(ctx)
		return err
	}
	r := &recurrence{AccountID: t.AccountID, TaskID: t.ID, Every: in.Every, Step: max(in.Interval, 1), CreatedAt: now}
	_, err := tx.NewInsert().Model(r).On("CONFLICT (account_id, task_id) DO UPDATE").
		Set("every = EXCLUDED.every").Set("step = EXCLUDED.step").Exec(ctx)
	return err
}

// shiftDate moves d by n steps of the rule; a month keeps its day, or the month's last day
// when it has fewer (Jan 31 + 1 month = Feb 28).
func shiftDate(d Date, every string, n int) Date {
	if d == "" {
		return ""
	}
	t := d.Time()
	switch every {
	case EveryDay:
		t = t.AddDate(0, 0, n)
	case EveryWeek:
		t = t.AddDate(0, 0, 7*n)
	default:
		y, m, day := t.Date()
		first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
		last := first.AddDate(0, 1, -1).Day()
		t = first.AddDate(0, 0, min(day, last)-1)
	}
	return Date(t.Format(dateLayout))
}

// nextDates are the days of the next occurrence: at least one step on, and as many more as
// needed for it not to be over already (a daily task left for a week spawns today's, not seven
// stale ones). The duration (due - start, in calendar days) is kept.
func nextDates(starts, due Date, every string, step int, today Date) (Date, Date) {
	anchor := due
	if anchor == "" {
		anchor = starts
	}
	n := step
	for i := 0; i < 10000 && shiftDate(anchor, every, n) < today; i++ {
		n += step
	}
	ns := shiftDate(starts, every, n)
	switch {
	case starts != "" && due != "":
		days := int(due.Time().Sub(starts.Time()).Hours() / 24)
		return ns, Date(ns.Time().AddDate(0, 0, days).Format(dateLayout))
	default:
		return ns, shiftDate(due, every, n)
	}
}

// spawnNext creates the next occurrence of a recurring task inside tx, unless it exists
// already (or the task does not recur, or its project is not active). actorID is who caused
// it (0: the schedule); it returns the new task's id, or 0.
func (s *Service) spawnNext(ctx context.Context, tx bun.Tx, accountID, taskID, actorID int64) (int64, error) {
	var r recurrence
	err := tx.NewSelect().Model(&r).Where("r.account_id = ? AND r.task_id = ?", accountID, taskID).Scan(ctx)
	if err != nil || r.SpawnedAt != nil {
		return 0, ignoreNotFound(err)
	}
	t := new(Task)
	if err := tx.NewSelect().Model(t).Where("t.account_id = ? AND t.id = ?", accountID, taskID).Scan(ctx); err != nil {
		return 0, ignoreNotFound(err)
	}
	var state string
	if err := tx.NewSelect().Model((*Project)(nil)).Column("state").Where("account_id = ? AND id = ?", accountID, t.ProjectID).Scan(ctx, &state); err != nil {
		return 0, ignoreNotFound(err)
	}
	if state != StateActive {
		return 0, nil
	}
	now := s.now()
	// The claim: of two transactions that got this far, one updates the row and the other
	// (waiting on its lock, then seeing spawned_at set) updates nothing and stops.
	res, err := tx.NewUpdate().Model((*recurrence)(nil)).Set("spawned_at = ?", now).
		Where("account_id = ? AND task_id = ? AND spawned_at IS NULL", accountID, taskID).Exec(ctx)
	if err != nil {
		return 0, err
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return 0, err
	}
	var as []Assignee
	if err := tx.NewSelect().Model(&as).Where("ta.account_id = ? AND ta.task_id = ?", accountID, taskID).OrderExpr("ta.user_id").Scan(ctx); err != nil {
		return 0, err
	}
	today := Date(now.Format(dateLayout))
	next := &Task{AccountID: accountID, ProjectID: t.ProjectID, ListID: t.ListID, Title: t.Title, Description: t.Description,
		Priority: t.Priority, Status: StatusOpen, CreatedBy: t.CreatedBy, CreatedAt: now, UpdatedAt: now}
	next.StartsOn, next.DueOn = nextDates(t.StartsOn, t.DueOn, r.Every, r.Step, today)
	if err := tx.NewSelect().Model((*Task)(nil)).ColumnExpr("COALESCE(MAX(position), 0) + 1").
		Where("account_id = ? AND project_id = ? AND list_id = ?", accountID, t.ProjectID, t.ListID).Scan(ctx, &next.Position); err != nil {
		return 0, err
	}
	if _, err := tx.NewInsert().Model(next).Exec(ctx); err != nil {
		return 0, err
	}
	for i := range as {
		// The next occurrence starts from scratch: same people and estimates, no progress.
		as[i] = Assignee{AccountID: accountID, TaskID: next.ID, UserID: as[i].UserID, EstimateMinutes: as[i].EstimateMinutes}
	}
	if len(as) > 0 {
		if _, err := tx.NewInsert().Model(&as).Exec(ctx); err != nil {
			return 0, err
		}
	}
	if _, err := tx.NewInsert().Model(&recurrence{AccountID: accountID, TaskID: next.ID, Every: r.Every, Step: r.Step, CreatedAt: now}).Exec(ctx); err != nil {
		return 0, err
	}
	if _, err := tx.NewUpdate().Model((*recurrence)(nil)).Set("next_task_id = ?", next.ID).
		Where("account_id = ? AND task_id = ?", accountID, taskID).Exec(ctx); err != nil {
		return 0, err
	}
	// The new task is announced like any other, on behalf of whoever completed the previous
	// one (so that they are not told about the task they just caused).
	by := &actor.Actor{UserID: actorID, Account: &actor.Account{ID: accountID}}
	ev := TaskEvent{TaskID: next.ID, ProjectID: next.ProjectID, ListID: next.ListID, Title: next.Title, UserIDs: userIDsOf(as)}
	if err := emit(ctx, tx, by, "task.created", ev); err != nil {
		return 0, err
	}
	if len(ev.UserIDs) > 0 {
		if err := emit(ctx, tx, by, "task.assigned", ev); err != nil {
			return 0, err
		}
	}
	return next.ID, s.feed(ctx, tx, by, next.ProjectID, next.ListID, "task.recurred", "task", next.ID, next.Title)
}

// ignoreNotFound treats a row deleted meanwhile (the task, its rule) as nothing to do.
func ignoreNotFound(err error) error {
	if db.IsNotFound(err) {
		return nil
	}
	return err
}

// onCompletedRecur creates the next occurrence when a recurring task is done. The event's
// receipt makes a redelivery a no-op, and the claim in spawnNext makes a second completion
// (after a reopen) or a race with the schedule one as well.
func (s *Service) onCompletedRecur(ctx context.Context, tx bun.Tx, ev *events.Event) error {
	var p TaskEvent
	if err := ev.Decode(&p); err != nil {
		return err
	}
	var by int64
	if ev.ActorID != nil {
		by = *ev.ActorID
	}
	_, err := s.spawnNext(ctx, tx, ev.AccountID, p.TaskID, by)
	return err
}

// maxSpawnBatch bounds the occurrences one run of the schedule creates; the next run goes on.
const maxSpawnBatch = 500

// SpawnOverdueRecurrences creates the next occurrence of every recurring task whose day
// (due, else start) is over without it being done, and returns how many it created. Each task
// is its own transaction, so one failure does not hold back the others; running it twice, or
// on two instances at once, creates nothing twice.
func (s *Service) SpawnOverdueRecurrences(ctx context.Context) (int, error) {
	today := Date(s.now().Format(dateLayout))
	var due []struct {
		AccountID int64 `bun:"account_id"`
		TaskID    int64 `bun:"task_id"`
	}
	if err := s.DB.NewSelect().Model((*recurrence)(nil)).ColumnExpr("r.account_id, r.task_id").
		Join("JOIN tasks AS t ON t.account_id = r.account_id AND t.id = r.task_id").
		Join("JOIN projects AS p ON p.account_id = t.account_id AND p.id = t.project_id").
		Where("r.spawned_at IS NULL AND t.status <> ? AND p.state = ?", StatusDone, StateActive).
		Where("COALESCE(t.due_on, t.starts_on) < ?", today).
		OrderExpr("r.account_id, r.task_id").Limit(maxSpawnBatch).Scan(ctx, &due); err != nil {
		return 0, err
	}
	n := 0
	for _, d := range due {
		err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			id, err := s.spawnNext(ctx, tx, d.AccountID, d.TaskID, 0)
			if id != 0 {
				n++
			}
			return err
		})
		if err != nil {
			return n, err
		}
	}
	return n, nil
}
