package projects

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
)

// The reads of the pages that show many tasks at once — the calendars, the board, the Gantt
// chart — with only the columns they draw, and of the import's people, through the account's
// Tenant (see store.go).

// tasksBetween are the tasks of a project the scope sees with a day in from..to, matching f,
// at most limit (by id), with only calendarColumns.
func (store) tasksBetween(ctx context.Context, tn db.Tenant, sc scope, projectID int64, from, to Date, f TaskFilter, limit int) ([]Task, error) {
	var out []Task
	q := tn.Select(&out).Column(calendarColumns...).Where("t.project_id = ? AND t.trashed_at IS NULL", projectID).
		OrderExpr("t.id").Limit(int64(limit))
	return out, sc.joinTaskLists(f.apply(overlaps(q, from, to))).Scan(ctx)
}

// myTasksBetween are the tasks assigned to the scope's person in the active projects they see
// with a day in from..to, matching f, at most limit (by id), with only calendarColumns.
func (store) myTasksBetween(ctx context.Context, tn db.Tenant, sc scope, from, to Date, f TaskFilter, limit int) ([]Task, error) {
	var out []Task
	q := tn.Select(&out).Column(calendarColumns...).
		Join("JOIN task_assignees AS ta ON ta.account_id = t.account_id AND ta.task_id = t.id AND ta.user_id = ?", sc.UserID).
		Join("JOIN projects AS p ON p.account_id = t.account_id AND p.id = t.project_id").
		Where("p.state = ? AND t.trashed_at IS NULL", StateActive).
		OrderExpr("t.id").Limit(int64(limit))
	q = sc.whereProject(overlaps(q, from, to))
	return out, sc.joinTaskLists(f.apply(q)).Scan(ctx)
}

// boardTasks are the tasks of a project the scope sees, at most limit (by id), with only the
// columns the board shows.
func (store) boardTasks(ctx context.Context, tn db.Tenant, sc scope, projectID int64, limit int) ([]Task, error) {
	var out []Task
	q := tn.Select(&out).Column("t.id", "t.list_id", "t.title", "t.status", "t.custom_status", "t.due_on").
		Where("t.project_id = ? AND t.trashed_at IS NULL", projectID).OrderExpr("t.id").Limit(int64(limit))
	return out, sc.joinTaskLists(q).Scan(ctx)
}

// boardAssignees are who is assigned to tasks (task and person only), by task and person.
func (store) boardAssignees(ctx context.Context, tn db.Tenant, taskIDs []int64) ([]Assignee, error) {
	var out []Assignee
	return out, tn.Select(&out).Column("ta.task_id", "ta.user_id").
		Where("ta.task_id IN (?)", bun.List(taskIDs)).OrderExpr("ta.task_id, ta.user_id").Scan(ctx)
}

// ganttTasks are the tasks of a project the scope sees, at most limit (by id), with only the
// columns the Gantt chart draws.
func (store) ganttTasks(ctx context.Context, tn db.Tenant, sc scope, projectID int64, limit int) ([]Task, error) {
	var out []Task
	q := tn.Select(&out).Column("t.id", "t.list_id", "t.title", "t.status", "t.starts_on", "t.due_on").
		Where("t.project_id = ? AND t.trashed_at IS NULL", projectID).OrderExpr("t.id").Limit(int64(limit))
	return out, sc.joinTaskLists(q).Scan(ctx)
}

// ganttAssignees are the assignees of every task of a project with their progress, by task
// and person (the caller keeps those of the tasks it shows).
func (store) ganttAssignees(ctx context.Context, tn db.Tenant, projectID int64) ([]Assignee, error) {
	var out []Assignee
	return out, tn.Select(&out).Column("ta.task_id", "ta.user_id", "ta.progress").
		Where("ta.task_id IN (?)", liveTaskIDs(tn, projectID)).
		OrderExpr("ta.task_id, ta.user_id").Scan(ctx)
}

// ganttLinks are the links between tasks in use of a project (successor and predecessor
// only), by successor and predecessor.
func (store) ganttLinks(ctx context.Context, tn db.Tenant, projectID int64) ([]Dependency, error) {
	var out []Dependency
	return out, tn.Select(&out).Column("d.successor_id", "d.predecessor_id").
		Where("d.project_id = ?", projectID).Where(liveLink).OrderExpr("d.successor_id, d.predecessor_id").Scan(ctx)
}

// liveTaskIDs keeps, of ids, those of tasks of the project that are not in the trash: an
// import's "id" column matches them (the same file imported again updates, never duplicates).
func (store) liveTaskIDs(ctx context.Context, tn db.Tenant, projectID int64, ids []int64) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	var found []int64
	if err := tn.Select((*Task)(nil)).Column("t.id").Where("t.project_id = ? AND t.trashed_at IS NULL", projectID).
		Where("t.id IN (?)", bun.List(ids)).Scan(ctx, &found); err != nil {
		return nil, err
	}
	for _, id := range found {
		out[id] = true
	}
	return out, nil
}

// peopleByEmail are the ids of the account's people with the (lower-case) emails, by email.
func (store) peopleByEmail(ctx context.Context, tn db.Tenant, emails []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(emails) == 0 {
		return out, nil
	}
	var found []struct {
		ID    int64  `bun:"id"`
		Email string `bun:"email"`
	}
	if err := tn.SelectFrom("memberships", "m").Join("JOIN users AS u ON u.id = m.user_id").
		ColumnExpr("u.id, LOWER(u.email) AS email").Where("LOWER(u.email) IN (?)", bun.List(emails)).
		Scan(ctx, &found); err != nil {
		return nil, err
	}
	for _, f := range found {
		out[f.Email] = f.ID
	}
	return out, nil
}
