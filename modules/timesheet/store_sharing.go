package timesheet

import (
	"context"

	"groupcamp/core/db"
)

// The queries of the shared time reports (service_sharing.go).

// share is a project's share, nil when none.
func (store) share(ctx context.Context, tn db.Tenant, projectID int64) (*TimeShare, error) {
	sh := new(TimeShare)
	err := tn.Select(sh).Where("trs.project_id = ?", projectID).Scan(ctx)
	if db.IsNotFound(err) {
		return nil, nil
	}
	return sh, err
}

func (store) putShare(ctx context.Context, tn db.Tenant, sh *TimeShare) error {
	_, err := tn.Insert(sh).On("CONFLICT (account_id, project_id) DO UPDATE").
		Set("company_id = EXCLUDED.company_id, show_names = EXCLUDED.show_names, updated_at = EXCLUDED.updated_at").Exec(ctx)
	return err
}

func (store) deleteShare(ctx context.Context, tn db.Tenant, projectID int64) error {
	_, err := tn.Delete((*TimeShare)(nil)).Where("trs.project_id = ?", projectID).Exec(ctx)
	return err
}

// companyShares are the shares with a company (at most 500 projects).
func (store) companyShares(ctx context.Context, tn db.Tenant, companyID int64) ([]TimeShare, error) {
	out := []TimeShare{}
	err := tn.Select(&out).Where("trs.company_id = ?", companyID).OrderExpr("trs.project_id").Limit(500).Scan(ctx)
	return out, err
}

// shareTotal is a person's billable minutes of a day on a project (user 0: people since
// erased, whose time counts when it was approved: invoiced, or frozen for invoicing).
type shareTotal struct {
	UserID  int64  `bun:"user_id"`
	Day     string `bun:"day"`
	Minutes int64  `bun:"minutes"`
}

func (store) shareTotals(ctx context.Context, tn db.Tenant, projectID int64, from, to string) ([]shareTotal, error) {
	out := []shareTotal{}
	err := tn.SelectFrom("time_entries", "e").ColumnExpr("COALESCE(e.user_id, 0) AS user_id, e.day, SUM(e.minutes) AS minutes").
		Where("e.project_id = ? AND e.day >= ? AND e.day <= ? AND e.billable = ?", projectID, from, to, true).
		Where("(e.user_id IS NOT NULL OR e.former_rate_cents IS NOT NULL OR e.invoice_batch_id IS NOT NULL)").
		GroupExpr("e.user_id, e.day").Scan(ctx, &out)
	return out, err
}
