package timesheet

import (
	"context"

	"groupcamp/core/db"
)

// MaxBudgetLines is the most lines a project's budget holds.
const MaxBudgetLines = 100

func (store) budgetLines(ctx context.Context, tn db.Tenant, projectID int64) ([]BudgetLine, error) {
	out := []BudgetLine{}
	return out, tn.Select(&out).Where("bl.project_id = ?", projectID).OrderExpr("bl.id").Limit(MaxBudgetLines).Scan(ctx)
}

// budgetLine is a line of the project's budget, or 404 (also a line of another project).
func (store) budgetLine(ctx context.Context, tn db.Tenant, projectID, id int64) (*BudgetLine, error) {
	l := new(BudgetLine)
	if err := tn.Select(l).Where("bl.id = ? AND bl.project_id = ?", id, projectID).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return l, nil
}

func (store) countBudgetLines(ctx context.Context, tn db.Tenant, projectID int64) (int, error) {
	n, err := tn.Select((*BudgetLine)(nil)).Where("bl.project_id = ?", projectID).Count(ctx)
	return int(n), err
}

func (store) insertBudgetLine(ctx context.Context, tn db.Tenant, l *BudgetLine) error {
	_, err := tn.Insert(l).Exec(ctx)
	return err
}

func (store) saveBudgetLine(ctx context.Context, tn db.Tenant, l *BudgetLine) error {
	_, err := tn.Update(l).Column("kind", "name", "role_id", "category_id", "minutes", "amount_minor", "starts_on", "ends_on", "alerted", "updated_at").WherePK().Exec(ctx)
	return err
}

func (store) setAlerted(ctx context.Context, tn db.Tenant, id int64, level int) error {
	_, err := tn.Update((*BudgetLine)(nil)).Set("alerted = ?", level).Where("bl.id = ?", id).Exec(ctx)
	return err
}

func (store) deleteBudgetLine(ctx context.Context, tn db.Tenant, id int64) error {
	_, err := tn.Delete((*BudgetLine)(nil)).Where("bl.id = ?", id).Exec(ctx)
	return err
}

// budgetProjects are the projects of the account that have a budget, with their number of
// lines (at most limit projects).
func (store) budgetProjects(ctx context.Context, tn db.Tenant, limit int) ([]int64, error) {
	var ids []int64
	err := tn.SelectFrom("budget_lines", "bl").ColumnExpr("DISTINCT bl.project_id").OrderExpr("bl.project_id").Limit(int64(limit)).Scan(ctx, &ids)
	return ids, err
}

// projectTime is the time logged on a project, summed per person, day, billable flag
// and category (budgets price it per person, place it in weeks, split the billable time and
// count a category line's part).
type projectTime struct {
	UserID   int64  `bun:"user_id"` // 0: an erased person
	Day      string `bun:"day"`
	Billable bool   `bun:"billable"`
	Minutes  int    `bun:"minutes"`
	// CategoryID is the time's project category (0: none), for the category lines.
	CategoryID int64 `bun:"category_id"`
}

func (store) projectTime(ctx context.Context, tn db.Tenant, projectID int64) ([]projectTime, error) {
	var out []projectTime
	err := tn.SelectFrom("time_entries", "e").ColumnExpr("COALESCE(e.user_id, 0) AS user_id, e.day, e.billable, SUM(e.minutes) AS minutes, COALESCE(e.category_id, 0) AS category_id").
		Where("e.project_id = ?", projectID).GroupExpr("e.user_id, e.day, e.billable, e.category_id").OrderExpr("e.day").Scan(ctx, &out)
	return out, err
}
