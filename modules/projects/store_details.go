package projects

import (
	"context"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
)

// The queries of the tasks' details — labels, custom statuses, checklists — through the
// account's Tenant (see store.go).

// attachChecklists fills the checklists of tasks the caller may see, with their items, and
// their counts (the answers about one task; pages of tasks read only the counts, with the
// other decorations).
func (store) attachChecklists(ctx context.Context, tn db.Tenant, ts []Task, ids []int64, index map[int64]*Task) error {
	var cs []ChecklistItem
	if err := tn.Select(&cs).Where("ci.task_id IN (?)", bun.List(ids)).
		OrderExpr("ci.task_id, ci.position, ci.id").Scan(ctx); err != nil {
		return err
	}
	for i := range ts {
		ts[i].Checklist = &[]ChecklistItem{}
	}
	for _, c := range cs {
		t := index[c.TaskID]
		*t.Checklist = append(*t.Checklist, c)
		t.ChecklistTotal++
		if c.Done {
			t.ChecklistDone++
		}
	}
	return nil
}

// labelRow is a label of a task, as the decorations read it.
type labelRow struct {
	TaskID int64  `bun:"task_id"`
	ID     int64  `bun:"id"`
	Name   string `bun:"name"`
	Color  string `bun:"color"`
}

func (l labelRow) ref() LabelRef { return LabelRef{ID: l.ID, Name: l.Name, Color: l.Color} }

type checklistCount struct {
	TaskID int64 `bun:"task_id"`
	Total  int   `bun:"total"`
	Done   int   `bun:"done"`
}

// boardDetails fills the labels and checklist counts of a project's tasks for the board: one
// query each over the whole project (through the project's index, not a thousand ids); the
// rows of tasks the reader does not see are skipped.
func (store) boardDetails(ctx context.Context, tn db.Tenant, projectID int64, ts []Task, index map[int64]int) error {
	var ls []labelRow
	if err := tn.SelectFrom("task_labels", "tl").ColumnExpr("tl.task_id, lb.id, lb.name, lb.color").
		Join("JOIN labels AS lb ON lb.account_id = tl.account_id AND lb.id = tl.label_id").
		Where("tl.project_id = ?", projectID).
		OrderExpr("tl.task_id, lower(lb.name), lb.id").Scan(ctx, &ls); err != nil {
		return err
	}
	for _, l := range ls {
		if i, ok := index[l.TaskID]; ok {
			ts[i].Labels = append(ts[i].Labels, l.ref())
		}
	}
	var counts []checklistCount
	if err := tn.SelectFrom("task_checklist_items", "ci").ColumnExpr("ci.task_id, COUNT(*) AS total, SUM(CASE WHEN ci.done THEN 1 ELSE 0 END) AS done").
		Where("ci.project_id = ?", projectID).GroupExpr("ci.task_id").Scan(ctx, &counts); err != nil {
		return err
	}
	for _, c := range counts {
		if i, ok := index[c.TaskID]; ok {
			ts[i].ChecklistTotal, ts[i].ChecklistDone = c.Total, c.Done
		}
	}
	return nil
}

// taskLabels reads the labels of one task by name (none when load is false: the change does
// not touch them).
func (store) taskLabels(ctx context.Context, tn db.Tenant, taskID int64, load bool) ([]LabelRef, error) {
	out := []LabelRef{}
	if !load {
		return out, nil
	}
	var ls []labelRow
	if err := tn.SelectFrom("task_labels", "tl").ColumnExpr("tl.task_id, lb.id, lb.name, lb.color").
		Join("JOIN labels AS lb ON lb.account_id = tl.account_id AND lb.id = tl.label_id").
		Where("tl.task_id = ?", taskID).Scan(ctx, &ls); err != nil {
		return nil, err
	}
	for _, l := range ls {
		out = append(out, l.ref())
	}
	sortLabels(out)
	return out, nil
}

// labels reads the labels of a project the scope sees, by name.
func (store) labels(ctx context.Context, tn db.Tenant, sc scope, projectID int64) ([]Label, error) {
	out := []Label{}
	q := tn.Select(&out).Where("lb.project_id = ?", projectID).OrderExpr("lower(lb.name), lb.id")
	if sc.Client {
		sub := sc.joinTaskLists(tn.SelectFrom("task_labels", "tl").ColumnExpr("1").
			Join("JOIN tasks AS t ON t.account_id = tl.account_id AND t.id = tl.task_id AND t.trashed_at IS NULL").
			Where("tl.project_id = lb.project_id AND tl.label_id = lb.id"))
		q = q.Where("EXISTS (?)", sub)
	}
	return out, q.Scan(ctx)
}

// label returns a label of a project, or 404.
func (store) label(ctx context.Context, tn db.Tenant, projectID, id int64) (*Label, error) {
	l := new(Label)
	if err := tn.Select(l).Where("lb.project_id = ? AND lb.id = ?", projectID, id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return l, nil
}

// lockLabel is label in a change's transaction, its row locked (PostgreSQL).
func (store) lockLabel(ctx context.Context, tn db.Tenant, projectID, id int64) (*Label, error) {
	l := new(Label)
	if err := tn.ForUpdate(tn.Select(l).Where("lb.project_id = ? AND lb.id = ?", projectID, id)).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return l, nil
}

// labelsByID reads the labels of ids that belong to a project.
func (store) labelsByID(ctx context.Context, tn db.Tenant, projectID int64, ids []int64) ([]Label, error) {
	var out []Label
	if len(ids) == 0 {
		return out, nil
	}
	return out, tn.Select(&out).Where("lb.project_id = ? AND lb.id IN (?)", projectID, bun.List(ids)).Scan(ctx)
}

// labelCount counts the labels of a project.
func (store) labelCount(ctx context.Context, tn db.Tenant, projectID int64) (int, error) {
	n, err := tn.Select((*Label)(nil)).Where("lb.project_id = ?", projectID).Count(ctx)
	return int(n), err
}

// labelNameTaken reports whether another label of l's project has its name (ignoring case).
func (store) labelNameTaken(ctx context.Context, tn db.Tenant, l *Label) (bool, error) {
	return tn.Select((*Label)(nil)).Where("lb.project_id = ? AND lower(lb.name) = lower(?) AND lb.id <> ?",
		l.ProjectID, l.Name, l.ID).Exists(ctx)
}

// insertLabel writes a new label.
func (store) insertLabel(ctx context.Context, tn db.Tenant, l *Label) error {
	_, err := tn.Insert(l).Exec(ctx)
	return err
}

// saveLabel writes the name and colour of l where they differ from old.
func (store) saveLabel(ctx context.Context, tn db.Tenant, old, l *Label) error {
	cols := changed(tn, old, l, "name", "color")
	if len(cols) == 0 {
		return nil
	}
	_, err := tn.Update(l).Column(cols...).WherePK().Exec(ctx)
	return err
}

// deleteLabel takes a label off every task and deletes it.
func (store) deleteLabel(ctx context.Context, tn db.Tenant, l *Label) error {
	// The cascade would do it; saying it keeps SQLite without foreign keys right too.
	if _, err := tn.Delete((*taskLabel)(nil)).Where("project_id = ? AND label_id = ?", l.ProjectID, l.ID).Exec(ctx); err != nil {
		return err
	}
	_, err := tn.Delete(l).WherePK().Exec(ctx)
	return err
}

// saveTaskLabels writes the labels of tasks (their Labels), replacing those they had when
// replace is true.
func (store) saveTaskLabels(ctx context.Context, tn db.Tenant, ts []*Task, replace bool) error {
	var rows []taskLabel
	var ids []int64
	for _, t := range ts {
		ids = append(ids, t.ID)
		for _, l := range t.Labels {
			rows = append(rows, taskLabel{AccountID: t.AccountID, ProjectID: t.ProjectID, TaskID: t.ID, LabelID: l.ID})
		}
	}
	if replace && len(ts) > 0 {
		if _, err := tn.Delete((*taskLabel)(nil)).Where("task_id IN (?)", bun.List(ids)).Exec(ctx); err != nil {
			return err
		}
	}
	return insertChunks(ctx, tn, rows)
}

// labelVisible reports whether a label exists in a project (projectID 0: in a project the
// scope sees).
func (store) labelVisible(ctx context.Context, tn db.Tenant, sc scope, projectID, labelID int64) (bool, error) {
	q := tn.Select((*Label)(nil)).Where("lb.id = ?", labelID)
	if projectID != 0 {
		q = q.Where("lb.project_id = ?", projectID)
	} else {
		q = q.Where("EXISTS (?)", sc.whereProject(tn.SelectFrom("projects", "p").ColumnExpr("1").Where("p.id = lb.project_id")))
	}
	return q.Exists(ctx)
}

// statuses reads the custom statuses of a project, in board order.
func (store) statuses(ctx context.Context, tn db.Tenant, projectID int64) ([]TaskStatus, error) {
	out := []TaskStatus{}
	if err := tn.Select(&out).Where("ts.project_id = ?", projectID).Scan(ctx); err != nil {
		return nil, err
	}
	sortStatuses(out)
	return out, nil
}

// status returns a custom status of a project, or 404.
func (store) status(ctx context.Context, tn db.Tenant, projectID, id int64) (*TaskStatus, error) {
	st := new(TaskStatus)
	if err := tn.Select(st).Where("ts.project_id = ? AND ts.id = ?", projectID, id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return st, nil
}

// lockStatus is status in a change's transaction, its row locked (PostgreSQL).
func (store) lockStatus(ctx context.Context, tn db.Tenant, projectID, id int64) (*TaskStatus, error) {
	st := new(TaskStatus)
	if err := tn.ForUpdate(tn.Select(st).Where("ts.project_id = ? AND ts.id = ?", projectID, id)).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return st, nil
}

// insertStatus writes a new custom status.
func (store) insertStatus(ctx context.Context, tn db.Tenant, st *TaskStatus) error {
	_, err := tn.Insert(st).Exec(ctx)
	return err
}

// saveStatusPosition writes the position of a status.
func (store) saveStatusPosition(ctx context.Context, tn db.Tenant, st *TaskStatus) error {
	_, err := tn.Update(st).Column("position").WherePK().Exec(ctx)
	return err
}

// saveStatus writes the name, colour and base of st where they differ from old.
func (store) saveStatus(ctx context.Context, tn db.Tenant, old, st *TaskStatus) error {
	cols := changed(tn, old, st, "name", "color", "base")
	if len(cols) == 0 {
		return nil
	}
	_, err := tn.Update(st).Column(cols...).WherePK().Exec(ctx)
	return err
}

// tasksInStatus counts the tasks of a project in a custom status.
func (store) tasksInStatus(ctx context.Context, tn db.Tenant, projectID int64, key string) (int, error) {
	n, err := tn.Select((*Task)(nil)).Where("t.project_id = ? AND t.custom_status = ? AND t.trashed_at IS NULL", projectID, key).Count(ctx)
	return int(n), err
}

// deleteStatus deletes a custom status; its tasks keep their base status.
func (store) deleteStatus(ctx context.Context, tn db.Tenant, st *TaskStatus, now time.Time) error {
	if _, err := tn.Update((*Task)(nil)).Set("custom_status = ''").Set("updated_at = ?", now).
		Where("project_id = ? AND custom_status = ?", st.ProjectID, st.Key).Exec(ctx); err != nil {
		return err
	}
	_, err := tn.Delete(st).WherePK().Exec(ctx)
	return err
}

// statusUses counts the tasks the scope sees in each custom status of a project.
func (store) statusUses(ctx context.Context, tn db.Tenant, sc scope, projectID int64) (map[string]int, error) {
	var rows []struct {
		Key string `bun:"custom_status"`
		N   int    `bun:"n"`
	}
	q := tn.SelectFrom("tasks", "t").ColumnExpr("t.custom_status, COUNT(*) AS n").
		Where("t.project_id = ? AND t.custom_status <> '' AND t.trashed_at IS NULL", projectID).GroupExpr("t.custom_status")
	if err := sc.joinTaskLists(q).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	out := make(map[string]int, len(rows))
	for _, r := range rows {
		out[r.Key] = r.N
	}
	return out, nil
}

// checklist reads the checklist of a task, in order.
func (store) checklist(ctx context.Context, tn db.Tenant, taskID int64) ([]ChecklistItem, error) {
	out := []ChecklistItem{}
	err := tn.Select(&out).Where("ci.task_id = ?", taskID).OrderExpr("ci.position, ci.id").Scan(ctx)
	return out, err
}

// item returns an item of a task's checklist, or 404.
func (store) item(ctx context.Context, tn db.Tenant, taskID, id int64) (*ChecklistItem, error) {
	it := new(ChecklistItem)
	if err := tn.Select(it).Where("ci.task_id = ? AND ci.id = ?", taskID, id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return it, nil
}

// lockItem is item in a change's transaction, its row locked (PostgreSQL).
func (store) lockItem(ctx context.Context, tn db.Tenant, taskID, id int64) (*ChecklistItem, error) {
	it := new(ChecklistItem)
	if err := tn.ForUpdate(tn.Select(it).Where("ci.task_id = ? AND ci.id = ?", taskID, id)).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return it, nil
}

// insertItem writes a new checklist item.
func (store) insertItem(ctx context.Context, tn db.Tenant, it *ChecklistItem) error {
	_, err := tn.Insert(it).Exec(ctx)
	return err
}

// saveItemPosition writes the position of an item.
func (store) saveItemPosition(ctx context.Context, tn db.Tenant, it *ChecklistItem) error {
	_, err := tn.Update(it).Column("position").WherePK().Exec(ctx)
	return err
}

// saveItem writes the text and tick of it where they differ from old, with updated_at.
func (store) saveItem(ctx context.Context, tn db.Tenant, old, it *ChecklistItem) error {
	cols := changed(tn, old, it, "text", "done")
	_, err := tn.Update(it).Column(append(cols, "updated_at")...).WherePK().Exec(ctx)
	return err
}

// deleteItem deletes a checklist item.
func (store) deleteItem(ctx context.Context, tn db.Tenant, it *ChecklistItem) error {
	_, err := tn.Delete(it).WherePK().Exec(ctx)
	return err
}

// touchTask marks a task changed at now.
func (store) touchTask(ctx context.Context, tn db.Tenant, taskID int64, now time.Time) error {
	_, err := tn.Update((*Task)(nil)).Set("updated_at = ?", now).Where("id = ?", taskID).Exec(ctx)
	return err
}

// insertChunks inserts rows (of the tenant's account: tn.Insert refuses others), insertChunk
// at a time; bun sets their ids (RETURNING), in order.
func insertChunks[T any](ctx context.Context, tn db.Tenant, rows []T) error {
	for chunk := range slices.Chunk(rows, insertChunk) {
		if _, err := tn.Insert(&chunk).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}
