package projects_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
)

// An assignment's copy of its task's last day (migration 20261221100000, kept by triggers),
// which resource planning reads its dated tasks by, follows every change of the task: new
// dates, completion, reopening, the trash and back, a new assignee, a template's copy
// (modules/planning's TestTasksInWorkload checks what the workload makes of it).
func TestAssigneeLastDayFollowsTheTask(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		pid := w.project(w.manager, map[string]any{"name": "Rollout"})
		list := w.taskList(pid, "Work")
		dated := w.task(w.manager, pid, list, "Dated", map[string]any{"starts_on": "2031-03-03", "due_on": "2031-03-07",
			"assignees": []map[string]any{{"user_id": w.member.ID, "estimate_minutes": 120}}})
		startOnly := w.task(w.manager, pid, list, "Start only", map[string]any{"starts_on": "2031-04-01",
			"assignees": []map[string]any{{"user_id": w.member.ID}}})
		w.task(w.manager, pid, list, "Undated", map[string]any{"assignees": []map[string]any{{"user_id": w.member2.ID}}})
		wantLastDays(t, w)

		steps := []map[string]any{
			{"due_on": "2031-03-20"},
			{"status": "done"},
			{"status": "in_progress"},
			{"starts_on": nil, "due_on": nil},
			{"starts_on": "2031-03-02", "due_on": "2031-03-12"},
			{"assignees": []map[string]any{{"user_id": w.member.ID}, {"user_id": w.member2.ID}}},
		}
		for _, body := range steps {
			w.want(w.as(w.manager).Patch(w.path("/tasks/%d", dated), body), http.StatusOK)
			wantLastDays(t, w)
		}
		w.want(w.as(w.manager).Delete(w.path("/tasks/%d", startOnly)), http.StatusNoContent)
		wantLastDays(t, w)
		w.want(w.as(w.manager).Post(w.path("/tasks/%d/restore", startOnly), nil), http.StatusOK)
		wantLastDays(t, w)
		w.project(w.manager, map[string]any{"name": "Copy", "template_id": pid})
		wantLastDays(t, w)
	})
}

// wantLastDays compares every assignment's last_day in the account with its task's.
func wantLastDays(t *testing.T, w *world) {
	t.Helper()
	var rows []struct {
		TaskID int64   `bun:"task_id"`
		UserID int64   `bun:"user_id"`
		Kept   *string `bun:"kept"`
		Want   *string `bun:"want"`
	}
	day := "substr(%s, 1, 10)"
	if w.e.App.DB.Dialect().Name().String() == "pg" {
		day = "to_char(%s, 'YYYY-MM-DD')"
	}
	err := w.e.App.DB.NewSelect().TableExpr("task_assignees AS ta").
		Join("JOIN tasks AS t ON t.account_id = ta.account_id AND t.id = ta.task_id").
		ColumnExpr("ta.task_id, ta.user_id").
		ColumnExpr(fmt.Sprintf(day, "ta.last_day")+" AS kept").
		ColumnExpr(fmt.Sprintf(day, "CASE WHEN t.status <> 'done' AND t.trashed_at IS NULL THEN COALESCE(t.due_on, t.starts_on) END")+" AS want").
		Where("ta.account_id = ?", w.acc.ID).Scan(context.Background(), &rows)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) == 0 {
		t.Fatal("the account has no assignments")
	}
	for _, r := range rows {
		if (r.Kept == nil) != (r.Want == nil) || (r.Kept != nil && *r.Kept != *r.Want) {
			t.Errorf("task %d, user %d: last_day %v, want %v", r.TaskID, r.UserID, deref(r.Kept), deref(r.Want))
		}
	}
}

func deref(s *string) string {
	if s == nil {
		return "NULL"
	}
	return *s
}
