package projects

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
)

// The queries of the account's companies as projects use them (companies.go): the projects
// that name a company, and letting go of a company that is deleted, through the account's
// Tenant (see store.go).

// companyProject is a project that names a company: as its client, or through lists shared
// with it.
type companyProject struct {
	ID     int64  `bun:"id"`
	Name   string `bun:"name"`
	State  string `bun:"state"`
	Client int    `bun:"client"` // 1 when the company is the project's client
	Lists  int    `bun:"lists"`  // its lists shared with the company
}

// sharedWith is the subquery of a project's (AS p) lists shared with a company.
const sharedWith = "FROM task_lists AS l JOIN task_list_companies AS lc ON lc.account_id = l.account_id AND lc.list_id = l.id " +
	"WHERE l.account_id = p.account_id AND l.project_id = p.id AND l.trashed_at IS NULL AND l.visibility = ? AND lc.company_id = ?"

// companyProjects are the projects the scope sees, not in the trash, whose client a company is
// or that share lists with it, by name: at most limit.
func (store) companyProjects(ctx context.Context, tn db.Tenant, sc scope, companyID int64, limit int) ([]companyProject, error) {
	var out []companyProject
	q := tn.Select((*Project)(nil)).ColumnExpr("p.id, p.name, p.state").
		ColumnExpr("CASE WHEN p.client_company_id = ? THEN 1 ELSE 0 END AS client", companyID).
		ColumnExpr("(SELECT COUNT(*) "+sharedWith+") AS lists", VisibilityClients, companyID).
		Where("p.state <> ?", StateTrash).
		Where("(p.client_company_id = ? OR EXISTS (SELECT 1 "+sharedWith+"))", companyID, VisibilityClients, companyID).
		OrderExpr("p.name, p.id").Limit(int64(limit))
	return out, sc.whereProject(q).Scan(ctx, &out)
}

// forgetCompany lets go of a company that is being deleted, in every project of the account
// (the trash included): projects whose client it was have none, lists shared with it alone
// become internal, and no list is shared with it any more.
func (store) forgetCompany(ctx context.Context, tn db.Tenant, companyID int64) error {
	if _, err := tn.Update((*Project)(nil)).Set("client_company_id = NULL").Where("client_company_id = ?", companyID).Exec(ctx); err != nil {
		return err
	}
	alone := tn.SelectFrom("task_list_companies", "lc").Column("lc.list_id").Where("lc.company_id = ?", companyID).
		Where("NOT EXISTS (SELECT 1 FROM task_list_companies AS o WHERE o.account_id = lc.account_id AND o.list_id = lc.list_id AND o.company_id <> ?)", companyID)
	if _, err := tn.Update((*TaskList)(nil)).Set("visibility = ?", VisibilityInternal).Where("id IN (?)", alone).Exec(ctx); err != nil {
		return err
	}
	_, err := tn.Delete((*listCompany)(nil)).Where("company_id = ?", companyID).Exec(ctx)
	return err
}

// companyTenant is the Tenant of the account whose company is deleted, in the deletion's
// transaction.
func companyTenant(tx bun.IDB, accountID int64) db.Tenant { return db.For(tx, accountID) }
