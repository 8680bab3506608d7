package projects

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/modules/projects/contract"
)

// taskEstimates is the projects side of the timesheet's estimates port (contract.TaskEstimates):
// a task's project and estimate, for the timer started on a task alone and for the alert when
// the time logged on a task passes its estimate.
type taskEstimates struct{ svc *Service }

var _ contract.TaskEstimates = taskEstimates{}

// Estimates reads the tasks of the ids, with their assignees' estimates summed, in one query.
func (p taskEstimates) Estimates(ctx context.Context, accountID int64, taskIDs []int64) (map[int64]contract.TaskEstimate, error) {
	out := map[int64]contract.TaskEstimate{}
	if len(taskIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		ID          int64  `bun:"id"`
		ProjectID   int64  `bun:"project_id"`
		ProjectName string `bun:"project_name"`
		Title       string `bun:"title"`
		Estimate    int    `bun:"estimate"`
		LeaderID    *int64 `bun:"leader_id"`
		StartsOn    Date   `bun:"starts_on"`
		DueOn       Date   `bun:"due_on"`
	}
	err := p.svc.tenantOf(accountID).SelectFrom("tasks", "t").
		Join("JOIN projects AS p ON p.account_id = t.account_id AND p.id = t.project_id").
		ColumnExpr("t.id, t.project_id, p.name AS project_name, t.title, p.leader_id, t.starts_on, t.due_on").
		ColumnExpr("(SELECT COALESCE(SUM(ta.estimate_minutes), 0) FROM task_assignees AS ta WHERE ta.account_id = t.account_id AND ta.task_id = t.id) AS estimate").
		Where("t.id IN (?) AND t.trashed_at IS NULL", bun.List(taskIDs)).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		e := contract.TaskEstimate{TaskID: r.ID, ProjectID: r.ProjectID, ProjectName: r.ProjectName, Title: r.Title, EstimateMinutes: r.Estimate, StartsOn: string(r.StartsOn), DueOn: string(r.DueOn)}
		if r.LeaderID != nil {
			e.LeaderID = *r.LeaderID
		}
		out[r.ID] = e
	}
	return out, nil
}
