package projects

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
)

// The queries of recurring tasks, reminders and notices, through the account's Tenant (see
// store.go). The jobs find the accounts with work through store.unscopedAccounts.

// setRecurrence sets, changes or (every: none) removes a task's rule; nil leaves it alone. A
// changed rule keeps its claim: a task whose next occurrence exists does not spawn another.
func (store) setRecurrence(ctx context.Context, tn db.Tenant, t *Task, in *RecurrenceInput, now time.Time) error {
	if in == nil {
		return nil
	}
	if in.Every == EveryNone {
		_, err := tn.Delete((*recurrence)(nil)).Where("task_id = ?", t.ID).Exec(ctx)
		return err
	}
	r := &recurrence{AccountID: t.AccountID, TaskID: t.ID, Every: in.Every, Step: max(in.Interval, 1), CreatedAt: now}
	_, err := tn.Insert(r).On("CONFLICT (account_id, task_id) DO UPDATE").
		Set("every = EXCLUDED.every").Set("step = EXCLUDED.step").Exec(ctx)
	return err
}

// recurrenceOf reads the rule of a task, or not found.
func (store) recurrenceOf(ctx context.Context, tn db.Tenant, taskID int64) (*recurrence, error) {
	r := new(recurrence)
	if err := tn.Select(r).Where("r.task_id = ?", taskID).Scan(ctx); err != nil {
		return nil, err
	}
	return r, nil
}

// plainTask reads a task by id, whatever its project (the jobs' and subscribers' read: no
// scope), or not found.
func (store) plainTask(ctx context.Context, tn db.Tenant, id int64) (*Task, error) {
	t := new(Task)
	if err := tn.Select(t).Where("t.id = ?", id).Scan(ctx); err != nil {
		return nil, err
	}
	return t, nil
}

// projectState reads the state of a project, or not found.
func (store) projectState(ctx context.Context, tn db.Tenant, id int64) (string, error) {
	var state string
	err := tn.Select((*Project)(nil)).Column("state").Where("p.id = ?", id).Scan(ctx, &state)
	return state, err
}

// claimRecurrence marks a task's rule spawned at now, and reports whether this call did: of
// two transactions that got this far, one updates the row and the other (waiting on its lock,
// then seeing spawned_at set) updates nothing.
func (store) claimRecurrence(ctx context.Context, tn db.Tenant, taskID int64, now time.Time) (bool, error) {
	res, err := tn.Update((*recurrence)(nil)).Set("spawned_at = ?", now).
		Where("task_id = ? AND spawned_at IS NULL", taskID).Exec(ctx)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// insertRecurrence writes a new rule.
func (store) insertRecurrence(ctx context.Context, tn db.Tenant, r *recurrence) error {
	_, err := tn.Insert(r).Exec(ctx)
	return err
}

// setNextTask links a task's rule to its next occurrence.
func (store) setNextTask(ctx context.Context, tn db.Tenant, taskID, nextID int64) error {
	_, err := tn.Update((*recurrence)(nil)).Set("next_task_id = ?", nextID).Where("task_id = ?", taskID).Exec(ctx)
	return err
}

// overdueRecurrences are the ids of the account's recurring tasks, not done, in active
// projects, whose day (due, else start) is before today and whose next occurrence does not
// exist yet: at most limit, by id.
func (store) overdueRecurrences(ctx context.Context, tn db.Tenant, today Date, limit int) ([]int64, error) {
	var ids []int64
	err := tn.Select((*recurrence)(nil)).ColumnExpr("r.task_id").
		Join("JOIN tasks AS t ON t.account_id = r.account_id AND t.id = r.task_id").
		Join("JOIN projects AS p ON p.account_id = t.account_id AND p.id = t.project_id").
		Where("r.spawned_at IS NULL AND t.status <> ? AND p.state = ? AND t.trashed_at IS NULL", StatusDone, StateActive).
		Where("COALESCE(t.due_on, t.starts_on) < ?", today).
		OrderExpr("r.task_id").Limit(int64(limit)).Scan(ctx, &ids)
	return ids, err
}

// reminderTask is a task that may need a reminder.
type reminderTask struct {
	ID        int64  `bun:"id"`
	ProjectID int64  `bun:"project_id"`
	ListID    int64  `bun:"list_id"`
	Title     string `bun:"title"`
	StartsOn  Date   `bun:"starts_on"`
	DueOn     Date   `bun:"due_on"`
}

// remindable keeps the tasks (AS t) starting or due from today to tomorrow whose reminder of
// that day was not sent yet (tasks reminded of both days are skipped here, not only at the
// insert, so that a run does not walk the same tasks every 15 minutes).
func remindable(q *bun.SelectQuery, today, tomorrow Date) *bun.SelectQuery {
	sent := func(kind, col string) string {
		return fmt.Sprintf("NOT EXISTS (SELECT 1 FROM task_reminders AS rm WHERE rm.account_id = t.account_id AND rm.task_id = t.id AND rm.kind = '%s' AND rm.day = t.%s)", kind, col)
	}
	return q.WhereOr("t.starts_on >= ? AND t.starts_on <= ? AND "+sent(ReminderStart, "starts_on"), today, tomorrow).
		WhereOr("t.due_on >= ? AND t.due_on <= ? AND "+sent(ReminderDue, "due_on"), today, tomorrow)
}

// remindableTasks are the account's open tasks of active projects (not templates) that start
// or are due from today to tomorrow, not reminded yet: at most limit, by id.
func (store) remindableTasks(ctx context.Context, tn db.Tenant, today, tomorrow Date, limit int) ([]reminderTask, error) {
	var out []reminderTask
	err := tn.Select((*Task)(nil)).ColumnExpr("t.id, t.project_id, t.list_id, t.title, t.starts_on, t.due_on").
		Join("JOIN projects AS p ON p.account_id = t.account_id AND p.id = t.project_id").
		Where("t.status <> ? AND p.state = ? AND p.is_template = ? AND t.trashed_at IS NULL", StatusDone, StateActive, false).
		WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery { return remindable(q, today, tomorrow) }).
		OrderExpr("t.id").Limit(int64(limit)).Scan(ctx, &out)
	return out, err
}

// workingAssignees are the assignees of tasks who have not completed their part, by task.
func (store) workingAssignees(ctx context.Context, tn db.Tenant, taskIDs []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	if len(taskIDs) == 0 {
		return out, nil
	}
	var as []Assignee
	if err := tn.Select(&as).Column("ta.task_id", "ta.user_id").
		Where("ta.task_id IN (?) AND ta.completed_at IS NULL", bun.List(taskIDs)).
		OrderExpr("ta.task_id, ta.user_id").Scan(ctx); err != nil {
		return nil, err
	}
	for _, a := range as {
		out[a.TaskID] = append(out[a.TaskID], a.UserID)
	}
	return out, nil
}

// insertReminder records a reminder, and reports whether this call did (false: it was sent
// already, by another run or instance).
func (store) insertReminder(ctx context.Context, tn db.Tenant, r *reminder) (bool, error) {
	res, err := tn.Insert(r).On("CONFLICT DO NOTHING").Exec(ctx)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// taskTitle reads the title of a task, or not found.
func (store) taskTitle(ctx context.Context, tn db.Tenant, id int64) (string, error) {
	var title string
	err := tn.Select((*Task)(nil)).Column("title").Where("t.id = ?", id).Scan(ctx, &title)
	return title, err
}

// projectLeader reads the leader of a project (nil when it has none), or not found.
func (store) projectLeader(ctx context.Context, tn db.Tenant, id int64) (*int64, error) {
	var leader *int64
	err := tn.Select((*Project)(nil)).Column("leader_id").Where("p.id = ?", id).Scan(ctx, &leader)
	return leader, err
}

// visibleTo keeps the people of ids who would see the list through the API now: the same scope
// as their requests (an internal list is never a client's, nor a list shared with another
// company), in an active project. People no longer active in the account are dropped.
//
// One query for all of them: the rules of scope.whereProject and scope.whereList, with the
// person's role, id and company taken from their membership instead of an actor.
func (store) visibleTo(ctx context.Context, tn db.Tenant, projectID, listID int64, ids []int64) ([]int64, error) {
	all := bun.List([]string{actor.RoleOwner, actor.RoleAdmin, actor.PlatformSupport}) // scope.All
	colleagues := bun.List([]string{actor.RoleManager, actor.RoleMember})              // neither All nor Client
	member := "EXISTS (SELECT 1 FROM project_members AS pm WHERE pm.account_id = p.account_id AND pm.project_id = p.id AND pm.user_id = m.user_id"
	q := tn.SelectFrom("memberships", "m").Column("m.user_id").
		Join("JOIN projects AS p ON p.account_id = m.account_id AND p.id = ? AND p.state = ?", projectID, StateActive).
		Where("m.user_id IN (?) AND m.status = ? AND m.deactivated_at IS NULL", bun.List(ids), "active").
		Where("(m.role IN (?) OR m.role IN (?) AND (p.access = ? OR "+member+")) OR m.role NOT IN (?) AND m.role NOT IN (?) AND p.guests_allowed = ? AND "+member+" AND pm.role = ?))",
			all, colleagues, AccessOpen, all, colleagues, true, RoleClient)
	if listID != 0 {
		q = q.Where("EXISTS (SELECT 1 FROM task_lists AS l WHERE l.account_id = p.account_id AND l.project_id = p.id AND l.id = ? AND l.trashed_at IS NULL AND "+
			"(m.role IN (?) OR m.role IN (?) OR l.visibility = ? AND EXISTS (SELECT 1 FROM task_list_companies AS lc WHERE lc.account_id = l.account_id AND lc.list_id = l.id AND lc.company_id = m.company_id)))",
			listID, all, colleagues, VisibilityClients)
	}
	var out []int64
	return out, q.OrderExpr("m.user_id").Scan(ctx, &out)
}
