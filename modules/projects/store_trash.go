package projects

import (
	"context"

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
