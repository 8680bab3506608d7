package projects

// How tasks carry their details: the custom status and the labels of TaskInput and TaskPatch
// are checked against the project's (loaded once per create, import or change), and the
// answers about tasks come with their labels and checklist counts, read for a whole page of
// tasks in one query each (the task list and the task are load-tested).

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/problem"
)

// loadDetails reads what checking the details of tasks needs: the project's custom statuses
// (when one is named or a task has one) and the labels named.
func (s *Service) loadDetails(ctx context.Context, tc *taskContext, statuses bool, labelIDs []int64) error {
	tc.statuses, tc.labels = map[string]TaskStatus{}, map[int64]Label{}
	if statuses {
		ss, err := s.store.statuses(ctx, tc.idb, tc.p.AccountID, tc.p.ID)
		if err != nil {
			return err
		}
		tc.statuses = statusByKey(ss)
	}
	if len(labelIDs) > 0 {
		var ls []Label
		if err := tc.idb.NewSelect().Model(&ls).Where("lb.account_id = ? AND lb.project_id = ? AND lb.id IN (?)", tc.p.AccountID, tc.p.ID, bun.List(labelIDs)).Scan(ctx); err != nil {
			return err
		}
		for _, l := range ls {
			tc.labels[l.ID] = l
		}
	}
	return nil
}

// loadInputDetails is loadDetails for new tasks.
func (s *Service) loadInputDetails(ctx context.Context, tc *taskContext, in []TaskInput) error {
	statuses := false
	var labelIDs []int64
	for _, x := range in {
		statuses = statuses || x.CustomStatus != ""
		if len(x.Labels) <= MaxTaskLabels {
			labelIDs = append(labelIDs, x.Labels...)
		}
	}
	return s.loadDetails(ctx, tc, statuses, dedupe(labelIDs))
}

// loadPatchDetails is loadDetails for a change of task t.
func (s *Service) loadPatchDetails(ctx context.Context, tc *taskContext, t *Task, in TaskPatch) error {
	var labelIDs []int64
	if in.Labels != nil && len(*in.Labels) <= MaxTaskLabels {
		labelIDs = *in.Labels
	}
	return s.loadDetails(ctx, tc, in.CustomStatus != nil || t.CustomStatus != "", dedupe(labelIDs))
}

// checkDetails validates the custom status and the labels of a new task: a custom status
// sets the task's status to its base. A new task is not done: completing is a change of its
// own (assignees' parts complete, task.completed is emitted), so a done column is refused.
func (tc *taskContext) checkDetails(f *problem.Fields, prefix string, in TaskInput, t *Task, _ time.Time) {
	t.Labels = tc.checkLabels(f, prefix+"labels", in.Labels)
	if key := strings.TrimSpace(in.CustomStatus); key != "" {
		st, ok := tc.statuses[key]
		switch {
		case !ok:
			f.Add(prefix+"custom_status", "no such status in this project")
		case st.Base == StatusDone:
			f.Add(prefix+"custom_status", "a new task cannot start done; create it, then complete it")
		default:
			t.CustomStatus, t.Status = key, st.Base
		}
	}
}

// patchDetails applies the custom status and the labels of a change to t, and returns the
// status to apply: the custom status's base when one is set, else the status asked for
// (which clears the custom status).
func (tc *taskContext) patchDetails(f *problem.Fields, t *Task, in TaskPatch) *string {
	status := in.Status
	if in.Status != nil {
		t.CustomStatus = ""
	}
	if in.CustomStatus != nil {
		key := strings.TrimSpace(*in.CustomStatus)
		st, ok := tc.statuses[key]
		switch {
		case key == "":
			t.CustomStatus = ""
		case !ok:
			f.Add("custom_status", "no such status in this project")
		case in.Status != nil && *in.Status != st.Base:
			f.Add("status", "must be "+st.Base+" (the base of custom_status "+key+"), or left out")
		default:
			t.CustomStatus = key
			base := st.Base
			status = &base
		}
	}
	if in.Labels != nil {
		t.Labels = tc.checkLabels(f, "labels", *in.Labels)
	}
	return status
}

// fitCustom clears a task's custom status when its status moved away from the custom
// status's base (the last part completed, progress reported on an open task).
func (tc *taskContext) fitCustom(t *Task) {
	if st, ok := tc.statuses[t.CustomStatus]; t.CustomStatus != "" && (!ok || st.Base != t.Status) {
		t.CustomStatus = ""
	}
}

// sameLabels reports whether two label sets (sorted the same way) hold the same labels.
func sameLabels(a, b []LabelRef) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].ID != b[i].ID {
			return false
		}
	}
	return true
}

// decorateDetails fills the labels and checklist counts of tasks the caller may see, one
// query each; with items, the checklists' items too (instead of the counts query).
func (store) decorateDetails(ctx context.Context, idb bun.IDB, sc scope, ts []Task, ids []int64, index map[int64]*Task, items bool) error {
	for i := range ts {
		ts[i].Labels = []LabelRef{}
		ts[i].ChecklistDone, ts[i].ChecklistTotal = 0, 0
	}
	var ls []labelRow
	if err := idb.NewSelect().TableExpr("task_labels AS tl").ColumnExpr("tl.task_id, lb.id, lb.name, lb.color").
		Join("JOIN labels AS lb ON lb.account_id = tl.account_id AND lb.id = tl.label_id").
		Where("tl.account_id = ? AND tl.task_id IN (?)", sc.AccountID, bun.List(ids)).
		OrderExpr("tl.task_id, lower(lb.name), lb.id").Scan(ctx, &ls); err != nil {
		return err
	}
	for _, l := range ls {
		t := index[l.TaskID]
		t.Labels = append(t.Labels, l.ref())
	}
	if items {
		var cs []ChecklistItem
		if err := idb.NewSelect().Model(&cs).Where("ci.account_id = ? AND ci.task_id IN (?)", sc.AccountID, bun.List(ids)).
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
	var counts []checklistCount
	if err := idb.NewSelect().TableExpr("task_checklist_items AS ci").ColumnExpr("ci.task_id, COUNT(*) AS total, SUM(CASE WHEN ci.done THEN 1 ELSE 0 END) AS done").
		Where("ci.account_id = ? AND ci.task_id IN (?)", sc.AccountID, bun.List(ids)).GroupExpr("ci.task_id").Scan(ctx, &counts); err != nil {
		return err
	}
	for _, c := range counts {
		t := index[c.TaskID]
		t.ChecklistTotal, t.ChecklistDone = c.Total, c.Done
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
func (store) boardDetails(ctx context.Context, idb bun.IDB, sc scope, projectID int64, ts []Task, index map[int64]int) error {
	var ls []labelRow
	if err := idb.NewSelect().TableExpr("task_labels AS tl").ColumnExpr("tl.task_id, lb.id, lb.name, lb.color").
		Join("JOIN labels AS lb ON lb.account_id = tl.account_id AND lb.id = tl.label_id").
		Where("tl.account_id = ? AND tl.project_id = ?", sc.AccountID, projectID).
		OrderExpr("tl.task_id, lower(lb.name), lb.id").Scan(ctx, &ls); err != nil {
		return err
	}
	for _, l := range ls {
		if i, ok := index[l.TaskID]; ok {
			ts[i].Labels = append(ts[i].Labels, l.ref())
		}
	}
	var counts []checklistCount
	if err := idb.NewSelect().TableExpr("task_checklist_items AS ci").ColumnExpr("ci.task_id, COUNT(*) AS total, SUM(CASE WHEN ci.done THEN 1 ELSE 0 END) AS done").
		Where("ci.account_id = ? AND ci.project_id = ?", sc.AccountID, projectID).GroupExpr("ci.task_id").Scan(ctx, &counts); err != nil {
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
func (store) taskLabels(ctx context.Context, idb bun.IDB, t *Task, load bool) ([]LabelRef, error) {
	out := []LabelRef{}
	if !load {
		return out, nil
	}
	var ls []labelRow
	if err := idb.NewSelect().TableExpr("task_labels AS tl").ColumnExpr("tl.task_id, lb.id, lb.name, lb.color").
		Join("JOIN labels AS lb ON lb.account_id = tl.account_id AND lb.id = tl.label_id").
		Where("tl.account_id = ? AND tl.task_id = ?", t.AccountID, t.ID).Scan(ctx, &ls); err != nil {
		return nil, err
	}
	for _, l := range ls {
		out = append(out, l.ref())
	}
	sortLabels(out)
	return out, nil
}
