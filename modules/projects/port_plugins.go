package projects

import (
	"context"
	"time"

	"groupcamp/modules/projects/contract"
)

// pluginReads is the projects side of the plugin host's port (contract.PluginReads): the
// account's projects, milestones and tasks in use, for the host API a plugin calls. The host
// has already checked that the plugin may read them for this account.
type pluginReads struct{ svc *Service }

var _ contract.PluginReads = pluginReads{}

func (p pluginReads) Projects(ctx context.Context, accountID int64, limit int) ([]contract.PlanningProject, error) {
	out := []contract.PlanningProject{}
	if accountID <= 0 {
		return out, nil
	}
	var rows []struct {
		ID    int64  `bun:"id"`
		Name  string `bun:"name"`
		State string `bun:"state"`
	}
	err := p.svc.tenantOf(accountID).SelectFrom("projects", "p").Column("p.id", "p.name", "p.state").
		Where("p.trashed_at IS NULL AND NOT p.is_template").OrderExpr("p.name, p.id").Limit(int64(limit)).Scan(ctx, &rows)
	for _, r := range rows {
		out = append(out, contract.PlanningProject{ID: r.ID, Name: r.Name, Active: r.State == StateActive})
	}
	return out, err
}

func (p pluginReads) Milestones(ctx context.Context, accountID, projectID int64, limit int) ([]contract.PluginMilestone, error) {
	out := []contract.PluginMilestone{}
	if accountID <= 0 {
		return out, nil
	}
	var rows []struct {
		ID          int64      `bun:"id"`
		Name        string     `bun:"name"`
		DueOn       Date       `bun:"due_on"`
		CompletedAt *time.Time `bun:"completed_at"`
	}
	err := p.svc.tenantOf(accountID).SelectFrom("milestones", "m").Column("m.id", "m.name", "m.due_on", "m.completed_at").
		Where("m.project_id = ?", projectID).OrderExpr("m.due_on, m.id").Limit(int64(limit)).Scan(ctx, &rows)
	for _, r := range rows {
		out = append(out, contract.PluginMilestone{ID: r.ID, ProjectID: projectID, Name: r.Name, DueOn: string(r.DueOn), Completed: r.CompletedAt != nil})
	}
	return out, err
}

func (p pluginReads) Tasks(ctx context.Context, accountID, projectID, clientCompanyID int64, limit int) ([]contract.PluginTask, error) {
	out := []contract.PluginTask{}
	if accountID <= 0 {
		return out, nil
	}
	var rows []struct {
		ID          int64  `bun:"id"`
		Title       string `bun:"title"`
		Status      string `bun:"status"`
		List        string `bun:"list_name"`
		MilestoneID *int64 `bun:"milestone_id"`
		DueOn       Date   `bun:"due_on"`
	}
	q := p.svc.tenantOf(accountID).SelectFrom("tasks", "t").Column("t.id", "t.title", "t.status", "t.due_on").
		ColumnExpr("l.name AS list_name, l.milestone_id").
		Join("JOIN task_lists AS l ON l.account_id = t.account_id AND l.id = t.list_id").
		Where("t.project_id = ? AND t.trashed_at IS NULL AND l.trashed_at IS NULL", projectID)
	if clientCompanyID != 0 {
		q = q.Where("l.visibility = ?", VisibilityClients).
			Where("EXISTS (SELECT 1 FROM task_list_companies AS lc WHERE lc.account_id = l.account_id AND lc.list_id = l.id AND lc.company_id = ?)", clientCompanyID)
	}
	err := q.OrderExpr("l.position, t.position, t.id").Limit(int64(limit)).Scan(ctx, &rows)
	for _, r := range rows {
		t := contract.PluginTask{ID: r.ID, ProjectID: projectID, Title: r.Title, Status: r.Status, List: r.List, DueOn: string(r.DueOn)}
		if r.MilestoneID != nil {
			t.MilestoneID = *r.MilestoneID
		}
		out = append(out, t)
	}
	return out, err
}
