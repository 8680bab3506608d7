package admin

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/audit"
)

// auditActions lists the distinct actions recorded in the account, for the audit filter.
func auditActions(ctx context.Context, db bun.IDB, accountID int64) ([]string, error) {
	var out []string
	err := db.NewSelect().Model((*audit.Event)(nil)).Distinct().Column("action").
		Where("account_id = ?", accountID).OrderExpr("action").Scan(ctx, &out)
	return out, err
}
