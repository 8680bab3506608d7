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
	p, err := s.project(ctx, tn, sc, id, false)
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
		Where("t.id IN (?) AND p.state <> ? AND t.trashed_at IS NULL", bun.List(ids), StateTrash).OrderExpr("t.id")
	return out, sc.joinTaskLists(sc.whereProject(q)).Scan(ctx)
}

// listsByID reads the lists of ids that belong to a project.
func (store) listsByID(ctx context.Context, tn db.Tenant, projectID int64, ids []int64) ([]TaskList, error) {
	var out []TaskList
	if len(ids) == 0 {
		return out, nil
	}
	return out, tn.Select(&out).Where("l.trashed_at IS NULL AND l.project_id = ? AND l.id IN (?)", projectID, bun.List(ids)).Scan(ctx)
}

// memberRoles reads the project roles of the people of userIDs who are members of a project.
func (store) memberRoles(ctx context.Context, tn db.Tenant, projectID int64, userIDs []int64) ([]ProjectMember, error) {
	var out []ProjectMember
	if len(userIDs) == 0 {
		return out, nil
	}
	return out, tn.Select(&out).Column("user_id", "role").
		Where("pm.project_id = ? AND pm.user_id IN (?)", projectID, bun.List(userIDs)).Scan(ctx)
}

// lastPosition is the position of the last task of a list (0 when it has none).
func (store) lastPosition(ctx context.Context, tn db.Tenant, projectID, listID int64) (int64, error) {
	var last int64
	err := tn.Select((*Task)(nil)).ColumnExpr("COALESCE(MAX(position), 0)").
		Where("project_id = ? AND list_id = ?", projectID, listID).Scan(ctx, &last)
	return last, err
}

// insertTasks writes new tasks, a chunk at a time; bun sets their ids, in order.
func (store) insertTasks(ctx context.Context, tn db.Tenant, ts []*Task) error {
	return insertChunks(ctx, tn, ts)
}

// insertAssignees writes new assignees, a chunk at a time.
func (store) insertAssignees(ctx context.Context, tn db.Tenant, as []Assignee) error {
	return insertChunks(ctx, tn, as)
}

// deleteTask deletes a task (its assignees, dependencies, comments and details cascade).
func (store) deleteTask(ctx context.Context, tn db.Tenant, id int64) error {
	_, err := tn.Delete((*Task)(nil)).Where("id = ?", id).Exec(ctx)
	return err
}

// dependency reads the link dep names (by its key) into dep, or not found.
func (store) dependency(ctx context.Context, tn db.Tenant, dep *Dependency) error {
	return tn.Select(dep).Where("d.project_id = ? AND d.successor_id = ? AND d.predecessor_id = ?", dep.ProjectID, dep.SuccessorID, dep.PredecessorID).Scan(ctx)

}

// insertDependency writes a new link.
func (store) insertDependency(ctx context.Context, tn db.Tenant, dep *Dependency) error {
	_, err := tn.Insert(dep).Exec(ctx)
	return err
}

// removeDependency deletes the link between two tasks of a project, and reports whether there
// was one.
func (store) removeDependency(ctx context.Context, tn db.Tenant, projectID, successorID, predecessorID int64) (bool, error) {
	res, err := tn.Delete((*Dependency)(nil)).
		Where("project_id = ? AND successor_id = ? AND predecessor_id = ?", projectID, successorID, predecessorID).Exec(ctx)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// projectTasks reads the tasks in use of ids that belong to a project (only columns, when
// named).
func (store) projectTasks(ctx context.Context, tn db.Tenant, projectID int64, ids []int64, columns ...string) ([]Task, error) {
	var out []Task
	if len(ids) == 0 {
		return out, nil
	}
	q := tn.Select(&out).Where("t.project_id = ? AND t.id IN (?) AND t.trashed_at IS NULL", projectID, bun.List(ids))
	if len(columns) > 0 {
		q = q.Column(columns...)
	}
	return out, q.Scan(ctx)
}

// saveSchedule writes the days of a task (and updated_at).
func (store) saveSchedule(ctx context.Context, tn db.Tenant, t *Task) error {
	_, err := tn.Update(t).Column("starts_on", "due_on", "updated_at").WherePK().Exec(ctx)
	return err
}

// sharedCompanies are the companies a list is shared with (none for an internal list).
func (store) sharedCompanies(ctx context.Context, tn db.Tenant, listID int64) ([]int64, error) {
	var out []int64
	return out, tn.SelectFrom("task_list_companies", "lc").ColumnExpr("lc.company_id").
		Join("JOIN task_lists AS l ON l.account_id = lc.account_id AND l.id = lc.list_id").
		Where("lc.list_id = ? AND l.visibility = ?", listID, VisibilityClients).Scan(ctx, &out)
}

// insertComment writes a new comment.
func (store) insertComment(ctx context.Context, tn db.Tenant, c *Comment) error {
	_, err := tn.Insert(c).Exec(ctx)
	return err
}

// lockComment reads a comment (without its author's name) in a change's transaction, its row
// locked (PostgreSQL), or 404.
func (store) lockComment(ctx context.Context, tn db.Tenant, id int64) (*Comment, error) {
	c := new(Comment)
	if err := tn.ForUpdate(tn.Select(c).Where("c.id = ?", id)).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return c, nil
}

// saveComment writes a comment's new body, mentions and edit time.
func (store) saveComment(ctx context.Context, tn db.Tenant, c *Comment) error {
	_, err := tn.Update(c).Column("body", "mentions", "edited_at").WherePK().Exec(ctx)
	return err
}

// deleteComment deletes a comment.
func (store) deleteComment(ctx context.Context, tn db.Tenant, id int64) error {
	_, err := tn.Delete((*Comment)(nil)).Where("id = ?", id).Exec(ctx)
	return err
}

// comment reads a comment with its author's name, or 404.
func (store) comment(ctx context.Context, tn db.Tenant, id int64) (*Comment, error) {
	c := new(Comment)
	if err := withAuthors(tn.Select(c)).Where("c.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return c, nil
}
