package projects

import (
	"context"
	"time"

	"groupcamp/core/api"
	"groupcamp/core/db"
)

// The queries of the tasks' trash (service_trash.go), through the account's Tenant (see
// store.go). Every other read of tasks leaves trashed ones out (t.trashed_at IS NULL).

// anyTask returns a task the scope sees, in use or in the trash, with its project (not
// trashed), or 404 — what a restore looks for. A client must see the task's list.
func (s store) anyTask(ctx context.Context, tn db.Tenant, sc scope, id int64) (*Task, *Project, error) {
	t := new(Task)
	if err := tn.ForUpdate(tn.Select(t).Where("t.id = ?", id)).Scan(ctx); err != nil {
		return nil, nil, notFound(err)
	}
	p, err := s.project(ctx, tn, sc, t.ProjectID, false)
	if err != nil {
		return nil, nil, err
	}
	if sc.Client {
		if _, err := s.list(ctx, tn, sc, t.ProjectID, t.ListID); err != nil {
			return nil, nil, err
		}
	}
	return t, p, nil
}

// trashedTasks pages through the tasks in a project's trash, the newest first (by id), for a
// scope that has checked the project; a client would see those of the lists shared with them.
func (store) trashedTasks(ctx context.Context, tn db.Tenant, sc scope, projectID int64, p api.Page) ([]Task, error) {
	var out []Task
	q := tn.Select(&out).Where("t.project_id = ? AND t.trashed_at IS NOT NULL", projectID).
		OrderExpr("t.id DESC").Limit(int64(p.Limit + 1))
	if p.After > 0 {
		q = q.Where("t.id < ?", p.After)
	}
	return out, sc.joinTaskLists(q).Scan(ctx)
}

// setTrashed writes when a task went to the trash (nil: it is back in use), its custom status
// (which a restore may clear) and updated_at.
func (store) setTrashed(ctx context.Context, tn db.Tenant, t *Task) error {
	_, err := tn.Update(t).Column("trashed_at", "custom_status", "updated_at").WherePK().Exec(ctx)
	return err
}

// predecessors are the tasks in use that a task waits for.
func (store) predecessors(ctx context.Context, tn db.Tenant, projectID, taskID int64) ([]Task, error) {
	var out []Task
	err := tn.Select(&out).
		Join("JOIN task_dependencies AS d ON d.account_id = t.account_id AND d.predecessor_id = t.id").
		Where("d.project_id = ? AND d.successor_id = ? AND t.trashed_at IS NULL", projectID, taskID).
		OrderExpr("t.id").Scan(ctx)
	return out, err
}

// statusByKey reads a custom status of a project by its key, or not found.
func (store) statusByKey(ctx context.Context, tn db.Tenant, projectID int64, key string) (*TaskStatus, error) {
	st := new(TaskStatus)
	if err := tn.Select(st).Where("ts.project_id = ? AND ts.key = ?", projectID, key).Scan(ctx); err != nil {
		return nil, err
	}
	return st, nil
}

// trashedLists are the lists in a project's trash, the newest first, each with the number of
// tasks that went to the trash with it (at its trashed_at) — for colleagues: a client does not
// see the trash of lists.
func (store) trashedLists(ctx context.Context, tn db.Tenant, sc scope, projectID int64) ([]TaskList, error) {
	out := []TaskList{}
	if sc.Client {
		return out, nil
	}
	if err := tn.Select(&out).Where("l.project_id = ? AND l.trashed_at IS NOT NULL", projectID).
		OrderExpr("l.trashed_at DESC, l.id DESC").Limit(maxTrashedLists).Scan(ctx); err != nil || len(out) == 0 {
		return out, err
	}
	var counts []struct {
		ListID int64 `bun:"list_id"`
		N      int   `bun:"n"`
	}
	if err := tn.SelectFrom("tasks", "t").ColumnExpr("t.list_id, COUNT(*) AS n").
		Join("JOIN task_lists AS l ON l.account_id = t.account_id AND l.id = t.list_id AND l.trashed_at = t.trashed_at").
		Where("l.project_id = ?", projectID).GroupExpr("t.list_id").Scan(ctx, &counts); err != nil {
		return nil, err
	}
	for _, c := range counts {
		for i := range out {
			if out[i].ID == c.ListID {
				out[i].TrashedTasks = c.N
			}
		}
	}
	return out, nil
}

// anyList returns a list of a project, in use or in the trash, its row locked (PostgreSQL), or
// 404 — what a restore looks for. A client finds none in the trash.
func (store) anyList(ctx context.Context, tn db.Tenant, sc scope, projectID, id int64) (*TaskList, error) {
	l := new(TaskList)
	q := tn.Select(l).Where("l.project_id = ? AND l.id = ?", projectID, id)
	if sc.Client {
		q = sc.whereList(q, "l")
	}
	if err := tn.ForUpdate(q).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return l, nil
}

// setListTrashed moves a list to the trash at at (nil: back in use).
func (store) setListTrashed(ctx context.Context, tn db.Tenant, l *TaskList) error {
	_, err := tn.Update(l).Column("trashed_at").WherePK().Exec(ctx)
	return err
}

// maxTrashedLists bounds the lists a trash shows (the newest).
const maxTrashedLists = 200

// trashListTasks moves the tasks in use of a list to the trash at at.
func (store) trashListTasks(ctx context.Context, tn db.Tenant, listID int64, at time.Time) error {
	_, err := tn.Update((*Task)(nil)).Set("trashed_at = ?, updated_at = ?", at, at).
		Where("list_id = ? AND trashed_at IS NULL", listID).Exec(ctx)
	return err
}

// restoreListTasks brings back the tasks that went to the trash with a list (at trashedAt),
// and returns how many.
func (store) restoreListTasks(ctx context.Context, tn db.Tenant, listID int64, trashedAt, now time.Time) (int, error) {
	res, err := tn.Update((*Task)(nil)).Set("trashed_at = NULL, updated_at = ?", now).
		Where("list_id = ? AND trashed_at = ?", listID, trashedAt).Exec(ctx)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// purgeListTrash deletes the lists trashed before cutoff that no task holds any more (their
// tasks, trashed with them or before, went first).
func (store) purgeListTrash(ctx context.Context, tn db.Tenant, cutoff time.Time) (int, error) {
	res, err := tn.Delete((*TaskList)(nil)).Where("trashed_at IS NOT NULL AND trashed_at < ?", cutoff).
		Where("NOT EXISTS (SELECT 1 FROM tasks AS t WHERE t.account_id = l.account_id AND t.list_id = l.id)").Exec(ctx)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
