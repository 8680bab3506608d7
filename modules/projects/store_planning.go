package projects

import (
	"context"

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

func (store) planningAssignments(ctx context.Context, tn db.Tenant, from, to string, limit int) ([]contract.TaskAssignment, error) {
	out := []contract.TaskAssignment{}
	// Dates scan through Date: PostgreSQL answers DATE columns as times.
	var rows []struct {
		TaskID          int64  `bun:"task_id"`
		ProjectID       int64  `bun:"project_id"`
		Title           string `bun:"title"`
		UserID          int64  `bun:"user_id"`
		EstimateMinutes int64  `bun:"estimate_minutes"`
		StartsOn        Date   `bun:"starts_on"`
		DueOn           Date   `bun:"due_on"`
	}
	err := tn.SelectFrom("task_assignees", "ta").
		Join("JOIN tasks AS t ON t.account_id = ta.account_id AND t.id = ta.task_id").
		Join("JOIN projects AS p ON p.account_id = t.account_id AND p.id = t.project_id").
		ColumnExpr("t.id AS task_id, t.project_id, t.title, ta.user_id, ta.estimate_minutes").
		ColumnExpr("COALESCE(t.starts_on, t.due_on) AS starts_on, COALESCE(t.due_on, t.starts_on) AS due_on").
		Where("t.status <> ? AND t.trashed_at IS NULL AND p.state = ? AND p.trashed_at IS NULL AND NOT p.is_template", StatusDone, StateActive).
		Where("(t.starts_on IS NOT NULL OR t.due_on IS NOT NULL)").
		Where("COALESCE(t.starts_on, t.due_on) <= ? AND COALESCE(t.due_on, t.starts_on) >= ?", to, from).
		OrderExpr("ta.user_id, t.id").Limit(int64(limit)).Scan(ctx, &rows)
	for _, r := range rows {
		out = append(out, contract.TaskAssignment{TaskID: r.TaskID, ProjectID: r.ProjectID, Title: r.Title, UserID: r.UserID,
			StartsOn: string(r.StartsOn), DueOn: string(r.DueOn), EstimateMinutes: r.EstimateMinutes})
	}
	return out, err
}
