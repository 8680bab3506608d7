package projects

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
)

// decoration is one of the small facts a task's answer carries besides its row — an
// assignee, its recurrence rule, a label, its checklist's counts — read for a whole page of
// tasks in one UNION ALL query rather than one query each. Reading one task spent most of its
// time in the per-query cost (building, preparing and scanning a statement), not in the rows:
// issue 12's profile of GET /tasks/{id}. kind says which of the four a row is:
//
//	a  assignee: n1 user, n2 estimate minutes, n3 progress, at completed
//	r  recurrence: t1 every, n1 step, n2 next task
//	l  label: n1 id, t1 name, t2 color
//	c  checklist counts: n1 total, n2 done
type decoration struct {
	Kind   string     `bun:"kind"`
	TaskID int64      `bun:"task_id"`
	N1     int64      `bun:"n1"`
	N2     *int64     `bun:"n2"`
	N3     int64      `bun:"n3"`
	T1     string     `bun:"t1"`
	T2     string     `bun:"t2"`
	At     *time.Time `bun:"at"`
	SortBy string     `bun:"sk"` // labels: lower(name), as the label lists sort them
}

// decorations reads the decorations of the tasks ids, the checklists' counts only when counts
// is true, ordered by task, then kind, then (assignees) user or (labels) name and id.
func (store) decorations(ctx context.Context, tn db.Tenant, ids []int64, counts bool) ([]decoration, error) {
	in := bun.List(ids)
	u := tn.SelectFrom("task_assignees", "ta").
		ColumnExpr("'a' AS kind, ta.task_id, ta.user_id AS n1, ta.estimate_minutes AS n2, ta.progress AS n3").
		ColumnExpr("'' AS t1, '' AS t2, ta.completed_at AS at, '' AS sk").
		Where("ta.task_id IN (?)", in).
		UnionAll(tn.SelectFrom("task_recurrences", "r").
			ColumnExpr("'r', r.task_id, r.step, r.next_task_id, 0, r.every, '', NULL, ''").
			Where("r.task_id IN (?)", in)).
		UnionAll(tn.SelectFrom("task_labels", "tl").
			ColumnExpr("'l', tl.task_id, lb.id, NULL, 0, lb.name, lb.color, NULL, lower(lb.name)").
			Join("JOIN labels AS lb ON lb.account_id = tl.account_id AND lb.id = tl.label_id").
			Where("tl.task_id IN (?)", in))
	if counts {
		u = u.UnionAll(tn.SelectFrom("task_checklist_items", "ci").
			ColumnExpr("'c', ci.task_id, COUNT(*), SUM(CASE WHEN ci.done THEN 1 ELSE 0 END), 0, '', '', NULL, ''").
			Where("ci.task_id IN (?)", in).GroupExpr("ci.task_id"))
	}
	var out []decoration
	err := tn.Unscoped().NewSelect().TableExpr("(?) AS d", u).ColumnExpr("d.*").
		OrderExpr("d.task_id, d.kind, d.sk, d.n1").Scan(ctx, &out)
	return out, err
}

// decorate fills the assignees, recurrence rules, labels and (with counts) checklist counts
// of the tasks in index from their decorations.
func decorate(index map[int64]*Task, ds []decoration) {
	for _, d := range ds {
		t := index[d.TaskID]
		if t == nil {
			continue
		}
		switch d.Kind {
		case "a":
			t.Assignees = append(t.Assignees, Assignee{AccountID: t.AccountID, TaskID: t.ID, UserID: d.N1,
				EstimateMinutes: deref(d.N2), Progress: d.N3, CompletedAt: d.At})
		case "r":
			t.Recurrence = &Recurrence{Every: d.T1, Interval: int(d.N1), NextTaskID: d.N2}
		case "l":
			t.Labels = append(t.Labels, LabelRef{ID: d.N1, Name: d.T1, Color: d.T2})
		case "c":
			t.ChecklistTotal, t.ChecklistDone = int(d.N1), int(deref(d.N2))
		}
	}
}
