package projects

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/modules/projects/contract"
)

// The queries of resource planning's port (port_planning.go).

func (store) planningProjects(ctx context.Context, tn db.Tenant, ids []int64) (map[int64]contract.PlanningProject, error) {
	out := map[int64]contract.PlanningProject{}
	var rows []struct {
		ID          int64   `bun:"id"`
		Name        string  `bun:"name"`
		State       string  `bun:"state"`
		Trashed     bool    `bun:"trashed"`
		CompanyID   *int64  `bun:"client_company_id"`
		CompanyName *string `bun:"company_name"`
	}
	if err := tn.SelectFrom("projects", "p").Column("p.id", "p.name", "p.state", "p.client_company_id").
		ColumnExpr("(p.trashed_at IS NOT NULL OR p.is_template) AS trashed, co.name AS company_name").
		Join("LEFT JOIN companies AS co ON co.account_id = p.account_id AND co.id = p.client_company_id").
		Where("p.id IN (?)", bun.List(ids)).Scan(ctx, &rows); err != nil {
		return nil, err
	}
	for _, r := range rows {
		pp := contract.PlanningProject{ID: r.ID, Name: r.Name, Active: r.State == StateActive && !r.Trashed}
		if r.CompanyID != nil && r.CompanyName != nil {
			pp.CompanyID, pp.CompanyName = *r.CompanyID, *r.CompanyName
		}
		out[r.ID] = pp
	}
	return out, nil
}

func (store) planningTaskProject(ctx context.Context, tn db.Tenant, taskID int64) (int64, error) {
	var project int64
	err := tn.SelectFrom("tasks", "t").Column("t.project_id").Where("t.id = ? AND t.trashed_at IS NULL", taskID).Scan(ctx, &project)
	if db.IsNotFound(err) {
		return 0, nil
	}
	return project, err
}

// planningAssignments reads plain rows, not bun's reflective scan, with the days as text made
// by the database: the planning's heatmap reads a thousand of them per request, and a DATE
// scanned as a time and formatted back cost four allocations a row (the most of the planning's
// reads, measured in modules/planning's BenchmarkWorkload).
func (store) planningAssignments(ctx context.Context, tn db.Tenant, from, to string, users []int64, limit int) ([]contract.TaskAssignment, error) {
	out := []contract.TaskAssignment{}
	// SQLite holds the days as "YYYY-MM-DD" text (perhaps with a time after); PostgreSQL as dates.
	day := "substr(%s, 1, 10)"
	if tn.IsPostgres() {
		day = "to_char(%s, 'YYYY-MM-DD')"
	}
	q := tn.SelectFrom("task_assignees", "ta").
		Join("JOIN tasks AS t ON t.account_id = ta.account_id AND t.id = ta.task_id").
		Join("JOIN projects AS p ON p.account_id = t.account_id AND p.id = t.project_id").
		ColumnExpr("t.id, t.project_id, t.title, ta.user_id, COALESCE(ta.estimate_minutes, 0)").
		ColumnExpr(fmt.Sprintf(day, "COALESCE(t.starts_on, t.due_on)")).ColumnExpr(fmt.Sprintf(day, "COALESCE(t.due_on, t.starts_on)")).
		Where("t.status <> ? AND t.trashed_at IS NULL AND p.state = ? AND p.trashed_at IS NULL AND NOT p.is_template", StatusDone, StateActive).
		Where("(t.starts_on IS NOT NULL OR t.due_on IS NOT NULL)").
		Where("COALESCE(t.starts_on, t.due_on) <= ? AND COALESCE(t.due_on, t.starts_on) >= ?", to, from).
		// The assignment's copy of its task's last day (NULL once done, trashed or undated; see
		// migration 20261221100000) picks from the index the assignments still running on the
		// window's first day before any task is looked up: most of a person's are long over.
		Where("ta.last_day >= ?", from).
		OrderExpr("ta.user_id, t.id").Limit(int64(limit))
	if users != nil {
		q = q.Where("ta.user_id IN (?)", bun.List(users))
	}
	rows, err := q.Rows(ctx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var a contract.TaskAssignment
	dst := []any{&a.TaskID, &a.ProjectID, &a.Title, &a.UserID, &a.EstimateMinutes, &a.StartsOn, &a.DueOn}
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
