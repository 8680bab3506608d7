package projects

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/modules/projects/contract"
)

// The queries of the timesheet's read port (port_time.go).

// timeTargets lists the active projects the scope sees (no templates), then the open tasks in
// use assigned to the scope's person in them, ordered by project name then task title.
func (store) timeTargets(ctx context.Context, tn db.Tenant, sc scope, limit int) ([]contract.TimeTarget, error) {
	if limit <= 0 {
		limit = 500
	}
	var projs []struct {
		ID       int64  `bun:"id"`
		Name     string `bun:"name"`
		LeaderID *int64 `bun:"leader_id"`
	}
	q := sc.whereProject(tn.SelectFrom("projects", "p").Column("p.id", "p.name", "p.leader_id")).
		Where("p.state = ? AND p.is_template = ?", StateActive, false).
		OrderExpr("LOWER(p.name), p.id").Limit(int64(limit))
	if err := q.Scan(ctx, &projs); err != nil {
		return nil, err
	}
	if len(projs) == 0 {
		return []contract.TimeTarget{}, nil
	}
	ids := make([]int64, len(projs))
	for i, p := range projs {
		ids[i] = p.ID
	}
	var tasks []struct {
		ID        int64  `bun:"id"`
		ProjectID int64  `bun:"project_id"`
		Title     string `bun:"title"`
	}
	tq := tn.SelectFrom("tasks", "t").Column("t.id", "t.project_id", "t.title").
		Join("JOIN task_assignees AS ta ON ta.account_id = t.account_id AND ta.task_id = t.id AND ta.user_id = ?", sc.UserID).
		Where("t.project_id IN (?) AND t.trashed_at IS NULL AND t.status <> ?", bun.List(ids), StatusDone).
		OrderExpr("LOWER(t.title), t.id").Limit(int64(limit))
	if err := sc.joinTaskLists(tq).Scan(ctx, &tasks); err != nil {
		return nil, err
	}
	byProject := map[int64][]contract.TimeTarget{}
	for _, t := range tasks {
		byProject[t.ProjectID] = append(byProject[t.ProjectID], contract.TimeTarget{ProjectID: t.ProjectID, TaskID: t.ID, TaskTitle: t.Title})
	}
	out := make([]contract.TimeTarget, 0, len(projs)+len(tasks))
	for _, p := range projs {
		row := contract.TimeTarget{ProjectID: p.ID, ProjectName: p.Name}
		if p.LeaderID != nil {
			row.LeaderID = *p.LeaderID
		}
		out = append(out, row)
		for _, t := range byProject[p.ID] {
			t.ProjectName, t.LeaderID = p.Name, row.LeaderID
			out = append(out, t)
		}
		if len(out) >= limit {
			return out[:limit], nil
		}
	}
	return out, nil
}

// timeNames reads the names of projects and tasks of the account, and the projects' leaders.
func (store) timeNames(ctx context.Context, tn db.Tenant, projectIDs, taskIDs []int64) (contract.TimeNames, error) {
	out := contract.TimeNames{Projects: map[int64]string{}, Tasks: map[int64]string{}, Leaders: map[int64]int64{}}
	if len(projectIDs) > 0 {
		var rows []struct {
			ID       int64  `bun:"id"`
			Name     string `bun:"name"`
			LeaderID *int64 `bun:"leader_id"`
		}
		if err := tn.SelectFrom("projects", "p").Column("p.id", "p.name", "p.leader_id").
			Where("p.id IN (?)", bun.List(projectIDs)).Scan(ctx, &rows); err != nil {
			return out, err
		}
		for _, r := range rows {
			out.Projects[r.ID] = r.Name
			if r.LeaderID != nil {
				out.Leaders[r.ID] = *r.LeaderID
			}
		}
	}
	if len(taskIDs) > 0 {
		var rows []struct {
			ID    int64  `bun:"id"`
			Title string `bun:"title"`
		}
		if err := tn.SelectFrom("tasks", "t").Column("t.id", "t.title").
			Where("t.id IN (?)", bun.List(taskIDs)).Scan(ctx, &rows); err != nil {
			return out, err
		}
		for _, r := range rows {
			out.Tasks[r.ID] = r.Title
		}
	}
	return out, nil
}

// timeFacts reads the projects' client companies and the estimates of their tasks (the sum of
// the assignees' estimates; tasks in the trash count for nothing).
func (store) timeFacts(ctx context.Context, tn db.Tenant, projectIDs []int64) (contract.TimeFacts, error) {
	out := contract.TimeFacts{Projects: map[int64]contract.ProjectFacts{}, Tasks: map[int64]contract.TaskFacts{}}
	if len(projectIDs) == 0 {
		return out, nil
	}
	var projs []struct {
		ID          int64   `bun:"id"`
		Name        string  `bun:"name"`
		LeaderID    *int64  `bun:"leader_id"`
		CompanyID   *int64  `bun:"client_company_id"`
		CompanyName *string `bun:"company_name"`
	}
	if err := tn.SelectFrom("projects", "p").Column("p.id", "p.name", "p.leader_id", "p.client_company_id").
		ColumnExpr("co.name AS company_name").
		Join("LEFT JOIN companies AS co ON co.account_id = p.account_id AND co.id = p.client_company_id").
		Where("p.id IN (?)", bun.List(projectIDs)).Scan(ctx, &projs); err != nil {
		return out, err
	}
	for _, p := range projs {
		f := contract.ProjectFacts{Name: p.Name}
		if p.LeaderID != nil {
			f.LeaderID = *p.LeaderID
		}
		if p.CompanyID != nil && p.CompanyName != nil {
			f.CompanyID, f.CompanyName = *p.CompanyID, *p.CompanyName
		}
		out.Projects[p.ID] = f
	}
	var tasks []struct {
		ID        int64  `bun:"id"`
		ProjectID int64  `bun:"project_id"`
		Title     string `bun:"title"`
		Estimate  int64  `bun:"estimate"`
	}
	if err := tn.SelectFrom("tasks", "t").Column("t.id", "t.project_id", "t.title").
		ColumnExpr("COALESCE((SELECT SUM(ta.estimate_minutes) FROM task_assignees AS ta WHERE ta.account_id = t.account_id AND ta.task_id = t.id), 0) AS estimate").
		Where("t.project_id IN (?) AND t.trashed_at IS NULL", bun.List(projectIDs)).Scan(ctx, &tasks); err != nil {
		return out, err
	}
	for _, t := range tasks {
		out.Tasks[t.ID] = contract.TaskFacts{ProjectID: t.ProjectID, Title: t.Title, EstimateMinutes: t.Estimate}
		if p, ok := out.Projects[t.ProjectID]; ok {
			p.EstimateMinutes += t.Estimate
			out.Projects[t.ProjectID] = p
		}
	}
	return out, nil
}

// timeCompanyProjects are the ids of the projects whose client is the company.
func (store) timeCompanyProjects(ctx context.Context, tn db.Tenant, companyID int64) ([]int64, error) {
	out := []int64{}
	err := tn.SelectFrom("projects", "p").Column("p.id").Where("p.client_company_id = ?", companyID).OrderExpr("p.id").Scan(ctx, &out)
	return out, err
}
