package projects

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/automation"
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
	Every    string `json:"every" openapi:"required" enum:"day,week,month,none" example:"week"` // day, week, month (none in a PATCH: stop recurring)
	Interval int    `json:"interval,omitempty" example:"1"`                                     // 1-12 (default 1)
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
	Every      string `json:"every" enum:"day,week,month"`
	Interval   int    `json:"interval"`
	NextTaskID *int64 `json:"next_task_id,omitempty"`
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
func (s *Service) saveRecurrences(ctx context.Context, tx db.Tenant, tasks []*Task, in []TaskInput, now time.Time) error {
	for i, t := range tasks {
		if err := s.store.setRecurrence(ctx, tx, t, in[i].Recurrence, now); err != nil {
			return err
		}
	}
	return nil
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
func (s *Service) spawnNext(ctx context.Context, tx db.Tenant, taskID, actorID int64) (int64, error) {
	accountID := tx.AccountID
	r, err := s.store.recurrenceOf(ctx, tx, taskID)
	if err != nil || r.SpawnedAt != nil {
		return 0, ignoreNotFound(err)
	}
	t, err := s.store.plainTask(ctx, tx, taskID)
	if err != nil {
		return 0, ignoreNotFound(err)
	}
	state, err := s.store.projectState(ctx, tx, t.ProjectID)
	if err != nil {
		return 0, ignoreNotFound(err)
	}
	if state != StateActive {
		return 0, nil
	}
	now := s.now()
	// The claim: of two transactions that got this far, one updates the row and the other
	// (waiting on its lock, then seeing spawned_at set) updates nothing and stops.
	if claimed, err := s.store.claimRecurrence(ctx, tx, taskID, now); err != nil || !claimed {
		return 0, err
	}
	as, err := s.store.assignees(ctx, tx, taskID)
	if err != nil {
		return 0, err
	}
	today := Date(now.Format(dateLayout))
	next := &Task{AccountID: accountID, ProjectID: t.ProjectID, ListID: t.ListID, Title: t.Title, Description: t.Description,
		Priority: t.Priority, Status: StatusOpen, CreatedBy: t.CreatedBy, CreatedAt: now, UpdatedAt: now}
	next.StartsOn, next.DueOn = nextDates(t.StartsOn, t.DueOn, r.Every, r.Step, today)
	last, err := s.store.lastPosition(ctx, tx, t.ProjectID, t.ListID)
	if err != nil {
		return 0, err
	}
	next.Position = last + 1
	if err := s.store.insertTasks(ctx, tx, []*Task{next}); err != nil {
		return 0, err
	}
	// The copy asks the plan's "assignees" quota like a creation: when the plan now allows
	// fewer people per task (a downgrade since), it keeps the first ones that fit rather than
	// fail — nobody is there to be refused — and the people who look after the task are told.
	room, err := s.store.roomForAssignees(ctx, s.Hooks, tx, len(as))
	if err != nil {
		return 0, err
	}
	dropped := as[room:]
	as = as[:room]
	for i := range as {
		// The next occurrence starts from scratch: same people and estimates, no progress.
		as[i] = Assignee{AccountID: accountID, TaskID: next.ID, UserID: as[i].UserID, EstimateMinutes: as[i].EstimateMinutes}
	}
	if err := s.store.insertAssignees(ctx, tx, as); err != nil {
		return 0, err
	}
	if err := s.store.insertRecurrence(ctx, tx, &recurrence{AccountID: accountID, TaskID: next.ID, Every: r.Every, Step: r.Step, CreatedAt: now}); err != nil {
		return 0, err
	}
	if err := s.store.setNextTask(ctx, tx, taskID, next.ID); err != nil {
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
	if len(dropped) > 0 {
		if err := s.tellShort(ctx, tx, t, next, room, userIDsOf(dropped)); err != nil {
			return 0, err
		}
	}
	return next.ID, s.feed(ctx, tx, by, next.ProjectID, next.ListID, "task.recurred", "task", next.ID, next.Title)
}

// tellShort tells the task's author, the project's leader and the account's owner (those of
// them who see the task) that its next occurrence was made with only the first room of its
// assignees — the plan's "assignees" quota — and who was left out, in tx.
func (s *Service) tellShort(ctx context.Context, tx db.Tenant, prev, next *Task, room int, left []int64) error {
	if s.notifier == nil {
		return nil
	}
	to, err := s.store.shortNoticeTo(ctx, tx, prev.ProjectID)
	if err != nil {
		return err
	}
	if prev.CreatedBy != nil {
		to = append(to, *prev.CreatedBy)
	}
	slices.Sort(to)
	to = slices.Compact(to)
	names, err := s.store.userNames(ctx, tx, left)
	if err != nil {
		return err
	}
	who := strings.Join(names, ", ")
	msg := automation.Notice{Key: "projects.notice.recurred_short", Args: []any{"Title", next.Title, "Limit", room, "Names", who},
		Text: fmt.Sprintf("The next occurrence of the task “%s” was created without %s: the plan allows %d assignees per task.", next.Title, who, room),
		Path: fmt.Sprintf("/tasks/%d", next.ID)}
	// Nobody is left out as the actor: whoever completed the task is told too.
	return s.notifyVisible(ctx, tx, s.notifier, next.ProjectID, next.ListID, 0, to, noticeShort, msg)
}

// ignoreNotFound treats a row deleted meanwhile (the task, its rule) as nothing to do.
func ignoreNotFound(err error) error {
	if db.IsNotFound(err) {
		return nil
	}
	// The store answers some lookups as the 404 a page would show (a comment deleted since).
	if p, ok := problem.As(err); ok && p.Status == http.StatusNotFound {
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
	_, err := s.spawnNext(ctx, eventTenant(tx, ev), p.TaskID, by)
	return err
}

// maxSpawnBatch bounds the occurrences one run of the schedule creates; the next run goes on.
const maxSpawnBatch = 500

// SpawnOverdueRecurrences creates the next occurrence of every recurring task whose day
// (due, else start) is over without it being done, and returns how many it created. Each task
// is its own transaction, so one failure does not hold back the others; running it twice, or
// on two instances at once, creates nothing twice.
func (s *Service) SpawnOverdueRecurrences(ctx context.Context) (int, error) {
	now := s.now()
	today := Date(now.Format(dateLayout))
	accounts, err := s.store.unscopedAccounts(ctx, s.DB, workRecur, now)
	if err != nil {
		return 0, err
	}
	n, seen := 0, 0
	for _, acc := range accounts {
		if seen >= maxSpawnBatch {
			break
		}
		tn := s.tenantOf(acc)
		due, err := s.store.overdueRecurrences(ctx, tn, today, maxSpawnBatch-seen)
		if err != nil {
			return n, err
		}
		seen += len(due)
		for _, taskID := range due {
			err := tn.RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
				id, err := s.spawnNext(ctx, tx, taskID, 0)
				if id != 0 {
					n++
				}
				return err
			})
			if err != nil {
				return n, err
			}
		}
	}
	return n, nil
}
