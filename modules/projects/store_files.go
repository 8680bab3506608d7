package projects

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/modules/projects/contract"
)

// seenProjects lists the projects the scope sees that are neither in the trash nor templates,
// by name (ids: only those; nil: all), at most limit — for the files module's port
// (port_files.go).
func (store) seenProjects(ctx context.Context, tn db.Tenant, sc scope, ids []int64, limit int) ([]contract.ProjectRef, error) {
	out := []contract.ProjectRef{}
	q := sc.whereProject(tn.SelectFrom("projects", "p").Column("p.id", "p.name")).
		Where("p.state <> ? AND p.is_template = ?", StateTrash, false).
		OrderExpr("LOWER(p.name), p.id").Limit(int64(limit))
	if ids != nil {
		q = q.Where("p.id IN (?)", bun.List(ids))
	}
	return out, q.Scan(ctx, &out)
}

// tenantIn is the scope's tenant on idb (a caller's transaction: the files module's port).
func tenantIn(idb bun.IDB, sc scope) db.Tenant { return db.For(idb, sc.AccountID) }

// existingIDs lists which of ids have a row in table ("tasks" or "comments") of the tenant's
// account — for the files module's attachment collector (port_attachments.go).
func (store) existingIDs(ctx context.Context, tn db.Tenant, table string, ids []int64) ([]int64, error) {
	var there []int64
	err := tn.SelectFrom(table, "x").Column("x.id").Where("x.id IN (?)", bun.List(ids)).Scan(ctx, &there)
	return there, err
}
