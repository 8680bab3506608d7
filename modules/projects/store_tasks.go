package projects

import (
	"context"
	"reflect"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
)

// The writes of a task's change, through the account's Tenant (see store.go).

// lockTask reads a task again, its row locked until the end of the transaction (PostgreSQL;
// on SQLite the transaction holds the write lock already). The caller has checked that the
// scope sees it.
func (store) lockTask(ctx context.Context, tn db.Tenant, id int64) (*Task, error) {
	t := new(Task)
	if err := tn.ForUpdate(tn.Select(t).Where("t.id = ?", id)).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return t, nil
}

// assignees are the assignees of a task, by person.
func (store) assignees(ctx context.Context, tn db.Tenant, taskID int64) ([]Assignee, error) {
	var out []Assignee
	return out, tn.Select(&out).Where("ta.task_id = ?", taskID).OrderExpr("ta.user_id").Scan(ctx)
}

// setAssignees replaces the assignees of a task.
func (store) setAssignees(ctx context.Context, tn db.Tenant, taskID int64, as []Assignee) error {
	if _, err := tn.Delete((*Assignee)(nil)).Where("task_id = ?", taskID).Exec(ctx); err != nil {
		return err
	}
	if len(as) == 0 {
		return nil
	}
	_, err := tn.Insert(&as).Exec(ctx)
	return err
}

// saveTask writes the columns of t that differ from old (and updated_at): a change writes
// what it changes, never a stale copy of the rest.
func (store) saveTask(ctx context.Context, tn db.Tenant, old, t *Task) error {
	cols := changed(tn, old, t, "list_id", "title", "description", "starts_on", "due_on", "priority", "status",
		"custom_status", "position", "completed_at")
	_, err := tn.Update(t).Column(append(cols, "updated_at")...).WherePK().Exec(ctx)
	return err
}

// changed are the columns among cols whose values differ between two rows of one model.
func changed[M any](tn db.Tenant, old, cur *M, cols ...string) []string {
	table := tn.Dialect().Tables().Get(reflect.TypeFor[M]())
	ov, cv := reflect.ValueOf(old).Elem(), reflect.ValueOf(cur).Elem()
	var out []string
	for _, c := range cols {
		f := table.FieldMap[c]
		if f == nil {
			panic("projects: no column " + c + " in " + table.Name)
		}
		if !reflect.DeepEqual(f.Value(ov).Interface(), f.Value(cv).Interface()) {
			out = append(out, c)
		}
	}
	return out
}

// projectForUpdate is store.project (not trashed) in a change's transaction: on PostgreSQL it
// reads the project again with its row locked, once the scope has found it.
func (s store) projectForUpdate(ctx context.Context, tn db.Tenant, sc scope, id int64) (*Project, error) {
	p, err := s.project(ctx, tn.Unscoped(), sc, id, false)
	if err != nil || !tn.IsPostgres() {
		return p, err
	}
	p = new(Project)
	if err := tn.ForUpdate(tn.Select(p).Where("p.id = ?", id)).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return p, nil
}

// tasksByID are the tasks of ids that the scope sees, by id: in projects it sees and not
// trashed, and for a client in lists shared with their company — as store.task, in one query.
func (store) tasksByID(ctx context.Context, tn db.Tenant, sc scope, ids []int64) ([]Task, error) {
	var out []Task
	if len(ids) == 0 {
		return out, nil
	}
	q := tn.Select(&out).Join("JOIN projects AS p ON p.account_id = t.account_id AND p.id = t.project_id").
		Where("t.id IN (?) AND p.state <> ?", bun.List(ids), StateTrash).OrderExpr("t.id")
	return out, sc.joinTaskLists(sc.whereProject(q)).Scan(ctx)
}
