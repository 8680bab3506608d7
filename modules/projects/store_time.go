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
