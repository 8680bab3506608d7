package projects

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
)

// The writes of projects, their members, stars, milestones, lists and feed, through the
// account's Tenant (see store.go).

// insertProject writes a new project.
func (store) insertProject(ctx context.Context, tn db.Tenant, p *Project) error {
	_, err := tn.Insert(p).Exec(ctx)
	return err
}

// saveProject writes the settings of p that differ from old (and updated_at).
func (store) saveProject(ctx context.Context, tn db.Tenant, old, p *Project) error {
	cols := changed(tn, old, p, "name", "code", "client_company_id", "category", "category_id", "tags", "starts_on", "ends_on",
		"access", "guests_allowed", "leader_id", "assistant_leader_id", "is_template", "apps", "tag_colors")
	_, err := tn.Update(p).Column(append(cols, "updated_at")...).WherePK().Exec(ctx)
	return err
}

// saveProjectState writes the state of a project and its dates.
func (store) saveProjectState(ctx context.Context, tn db.Tenant, p *Project) error {
	_, err := tn.Update(p).Column("state", "archived_at", "trashed_at", "updated_at").WherePK().Exec(ctx)
	return err
}

// lockProject serializes the changes to one project's schedule on PostgreSQL (two
// dependencies added at once could otherwise close a cycle that neither saw). SQLite
// transactions take the write lock at BEGIN, which serializes them already.
func (store) lockProject(ctx context.Context, tn db.Tenant, projectID int64) error {
	if !tn.IsPostgres() {
		return nil
	}
	_, err := tn.ForUpdate(tn.Select((*Project)(nil)).Column("id").Where("p.id = ?", projectID)).Exec(ctx)
	return err
}

// purgeTrash deletes, with everything in them (the foreign keys cascade), the account's
// projects trashed before cutoff, and returns how many.
func (store) purgeTrash(ctx context.Context, tn db.Tenant, cutoff time.Time) (int, error) {
	res, err := tn.Delete((*Project)(nil)).Where("p.state = ? AND p.trashed_at < ?", StateTrash, cutoff).Exec(ctx)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// purgeTaskTrash deletes, with everything in them (the foreign keys cascade), the account's
// tasks trashed before cutoff, and returns how many.
func (store) purgeTaskTrash(ctx context.Context, tn db.Tenant, cutoff time.Time) (int, error) {
	res, err := tn.Delete((*Task)(nil)).Where("trashed_at IS NOT NULL AND trashed_at < ?", cutoff).Exec(ctx)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// Work of the jobs that cross accounts (see unscopedAccounts).
const (
	workPurge     = "purge"      // projects trashed before the time given
	workReminders = "reminders"  // open tasks starting or due from the day given to the next
	workRecur     = "recur"      // recurring tasks whose day is over before the day given
	workTaskTrash = "task-trash" // tasks trashed before the time given
)

// unscopedAccounts is the one query of the module that crosses accounts: the ids of the
// accounts that have some work for a job (workPurge, workTaskTrash, workReminders, workRecur) at time at, in
// order. The job then does the work account by account, through each one's Tenant.
func (store) unscopedAccounts(ctx context.Context, idb bun.IDB, work string, at time.Time) ([]int64, error) {
	var q *bun.SelectQuery
	today := DateOf(at)
	switch work {
	case workPurge:
		q = idb.NewSelect().TableExpr("projects AS p").ColumnExpr("DISTINCT p.account_id").
			Where("p.state = ? AND p.trashed_at < ?", StateTrash, at)
	case workReminders:
		tomorrow := DateOf(at.AddDate(0, 0, 1))
		q = idb.NewSelect().TableExpr("tasks AS t").ColumnExpr("DISTINCT t.account_id").
			Join("JOIN projects AS p ON p.account_id = t.account_id AND p.id = t.project_id").
			Where("t.status <> ? AND p.state = ? AND p.is_template = ? AND t.trashed_at IS NULL", StatusDone, StateActive, false).
			WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery { return remindable(q, today, tomorrow) })
	case workRecur:
		q = idb.NewSelect().TableExpr("task_recurrences AS r").ColumnExpr("DISTINCT r.account_id").
			Join("JOIN tasks AS t ON t.account_id = r.account_id AND t.id = r.task_id").
			Join("JOIN projects AS p ON p.account_id = t.account_id AND p.id = t.project_id").
			Where("r.spawned_at IS NULL AND t.status <> ? AND p.state = ? AND t.trashed_at IS NULL", StatusDone, StateActive).
			Where("COALESCE(t.due_on, t.starts_on) < ?", today)
	case workTaskTrash:
		// The partial index tasks_trash holds only trashed tasks: a small scan.
		// The partial index task_lists_trash likewise (a list trashed empty has no task there).
		tasks := idb.NewSelect().TableExpr("tasks AS t").ColumnExpr("t.account_id").
			Where("t.trashed_at IS NOT NULL AND t.trashed_at < ?", at)
		lists := idb.NewSelect().TableExpr("task_lists AS l").ColumnExpr("l.account_id").
			Where("l.trashed_at IS NOT NULL AND l.trashed_at < ?", at)
		q = idb.NewSelect().TableExpr("(?) AS x", tasks.Union(lists)).ColumnExpr("DISTINCT x.account_id")
	default:
		panic("projects: no work " + work)
	}
	var ids []int64
	return ids, q.OrderExpr("1").Scan(ctx, &ids)
}

// putMember makes m's person a member with m's role, or changes their role.
func (store) putMember(ctx context.Context, tn db.Tenant, m *ProjectMember) error {
	_, err := tn.Insert(m).On("CONFLICT (account_id, project_id, user_id) DO UPDATE").Set("role = EXCLUDED.role").Exec(ctx)
	return err
}

// removeMember takes a person out of a project.
func (store) removeMember(ctx context.Context, tn db.Tenant, projectID, userID int64) error {
	_, err := tn.Delete((*ProjectMember)(nil)).Where("project_id = ? AND user_id = ?", projectID, userID).Exec(ctx)
	return err
}

// setStar stars (on) or unstars a project for a person.
func (store) setStar(ctx context.Context, tn db.Tenant, st *star, on bool) error {
	if !on {
		_, err := tn.Delete((*star)(nil)).Where("user_id = ? AND project_id = ?", st.UserID, st.ProjectID).Exec(ctx)
		return err
	}
	_, err := tn.Insert(st).On("CONFLICT DO NOTHING").Exec(ctx)
	return err
}

// insertMilestone writes a new milestone.
func (store) insertMilestone(ctx context.Context, tn db.Tenant, m *Milestone) error {
	_, err := tn.Insert(m).Exec(ctx)
	return err
}

// lockMilestone reads a milestone of a project in a change's transaction, its row locked
// (PostgreSQL), or 404.
func (store) lockMilestone(ctx context.Context, tn db.Tenant, projectID, id int64) (*Milestone, error) {
	m := new(Milestone)
	if err := tn.ForUpdate(tn.Select(m).Where("m.project_id = ? AND m.id = ?", projectID, id)).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return m, nil
}

// saveMilestone writes the columns of m that differ from old, and reports whether any did.
func (store) saveMilestone(ctx context.Context, tn db.Tenant, old, m *Milestone) (bool, error) {
	cols := changed(tn, old, m, "name", "due_on", "completed_at")
	if len(cols) == 0 {
		return false, nil
	}
	_, err := tn.Update(m).Column(cols...).WherePK().Exec(ctx)
	return err == nil, err
}

// deleteMilestone deletes a milestone; its lists stay, in no milestone.
func (store) deleteMilestone(ctx context.Context, tn db.Tenant, m *Milestone) error {
	if _, err := tn.Update((*TaskList)(nil)).Set("milestone_id = NULL").
		Where("project_id = ? AND milestone_id = ?", m.ProjectID, m.ID).Exec(ctx); err != nil {
		return err
	}
	_, err := tn.Delete(m).WherePK().Exec(ctx)
	return err
}

// insertList writes a new list at the end of its project, with the companies it is shared
// with (l.CompanyIDs).
func (store) insertList(ctx context.Context, tn db.Tenant, l *TaskList) error {
	if err := tn.Select((*TaskList)(nil)).ColumnExpr("COALESCE(MAX(position), 0) + 1").
		Where("project_id = ?", l.ProjectID).Scan(ctx, &l.Position); err != nil {
		return err
	}
	if _, err := tn.Insert(l).Exec(ctx); err != nil {
		return err
	}
	for _, id := range l.CompanyIDs {
		if _, err := tn.Insert(&listCompany{ListID: l.ID, CompanyID: id}).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// insertActivity writes a line of a project's feed.
func (store) insertActivity(ctx context.Context, tn db.Tenant, row *Activity) error {
	_, err := tn.Insert(row).Exec(ctx)
	return err
}

// lockList reads a list of a project that the scope sees, in a change's transaction, its row
// locked (PostgreSQL), or 404.
func (store) lockList(ctx context.Context, tn db.Tenant, sc scope, projectID, id int64) (*TaskList, error) {
	l := new(TaskList)
	q := sc.whereList(tn.Select(l).Where("l.project_id = ? AND l.id = ?", projectID, id), "l")
	if err := tn.ForUpdate(q).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return l, nil
}

// listCompanyIDs returns the companies a list is shared with, sorted.
func (store) listCompanyIDs(ctx context.Context, tn db.Tenant, listID int64) ([]int64, error) {
	ids := []int64{}
	err := tn.Select((*listCompany)(nil)).Column("company_id").Where("list_id = ?", listID).
		OrderExpr("company_id").Scan(ctx, &ids)
	return ids, err
}

// saveList writes the columns of l that differ from old and, when share is true, replaces the
// companies the list is shared with by l.CompanyIDs. It reports whether anything changed.
func (store) saveList(ctx context.Context, tn db.Tenant, old, l *TaskList, share bool) (bool, error) {
	cols := changed(tn, old, l, "name", "milestone_id", "visibility")
	if len(cols) > 0 {
		if _, err := tn.Update(l).Column(cols...).WherePK().Exec(ctx); err != nil {
			return false, err
		}
	}
	if !share {
		return len(cols) > 0, nil
	}
	if _, err := tn.Delete((*listCompany)(nil)).Where("list_id = ?", l.ID).Exec(ctx); err != nil {
		return false, err
	}
	for _, id := range l.CompanyIDs {
		if _, err := tn.Insert(&listCompany{ListID: l.ID, CompanyID: id}).Exec(ctx); err != nil {
			return false, err
		}
	}
	return true, nil
}

// listTasks returns the id and title of every task in use of a list (those in the trash go
// with the list when it is deleted).
func (store) listTasks(ctx context.Context, tn db.Tenant, listID int64) ([]Task, error) {
	var out []Task
	err := tn.Select(&out).Column("t.id", "t.title", "t.list_id", "t.project_id").
		Where("t.list_id = ? AND t.trashed_at IS NULL", listID).OrderExpr("t.id").Scan(ctx)
	return out, err
}

// deleteList deletes a list (its sharing cascades; its tasks must be gone).
func (store) deleteList(ctx context.Context, tn db.Tenant, l *TaskList) error {
	_, err := tn.Delete(l).WherePK().Exec(ctx)
	return err
}
