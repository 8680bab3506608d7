package capacity

import (
	"context"
	"embed"
	"io/fs"

	"github.com/uptrace/bun"

	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

//go:embed locales
var localeFiles embed.FS

// Catalogs are capacity's message catalogs: the categories of its personal data.
func Catalogs() fs.FS {
	sub, _ := fs.Sub(localeFiles, "locales")
	return sub
}

// PersonalData is capacity's part of a person's GDPR rights: which capacity profile they
// worked under from which day (capacity_assignments), their job role and own cost rate
// (person_rates), their own cost and bill rates from which day (person_cost_rates,
// person_bill_rates). All of it is the person's: Erase deletes it. The profiles and roles
// themselves name no one.
type PersonalData struct {
	DB *bun.DB
}

const (
	catAssignments = "capacity.data.assignments"
	catRates       = "capacity.data.rates"
)

// Tables are capacity's tables that name a person.
func (PersonalData) Tables() []string {
	return []string{"capacity_assignments", "person_rates", "person_bill_rates", "person_cost_rates"}
}

// Describe counts the person's assignments and rate.
func (p PersonalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	models := []any{(*Assignment)(nil), (*rate)(nil), (*BillRate)(nil), (*CostRate)(nil)}
	counts := make([]int64, len(models))
	for i, m := range models {
		var err error
		if counts[i], err = personal.Count(ctx, s, func() *bun.SelectQuery {
			return p.DB.NewSelect().Model(m).Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID)
		}); err != nil {
			return nil, err
		}
	}
	return []hooks.DataCategory{
		personal.Category("core", catAssignments, counts[0], personal.FieldSettings, personal.FieldTimes),
		personal.Category("core", catRates, sumCounts(counts[1], counts[2]), personal.FieldRole, personal.FieldSettings),
	}, nil
}

// sumCounts adds counts, -1 (unknown: no person) when one is.
func sumCounts(a, b int64) int64 {
	if a < 0 || b < 0 {
		return -1
	}
	return a + b
}

// AssignmentExport is one of the person's profile assignments, as exported.
type AssignmentExport struct {
	Profile  string `json:"profile"`
	StartsOn string `json:"starts_on"`
}

// RateExport is the person's job role and own cost rate, as exported.
type RateExport struct {
	Role          string `json:"role"`
	CostRateMinor *int64 `json:"cost_rate_minor"`
}

// Export writes capacity/assignments.json and capacity/rate.json.
func (p PersonalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	as := []AssignmentExport{}
	if err := p.DB.NewSelect().TableExpr("capacity_assignments AS ca").Join("JOIN capacity_profiles AS cp ON cp.account_id = ca.account_id AND cp.id = ca.profile_id").
		ColumnExpr("cp.name AS profile, ca.starts_on").Where("ca.account_id = ? AND ca.user_id = ?", s.AccountID, s.UserID).
		OrderExpr("ca.starts_on").Scan(ctx, &as); err != nil {
		return err
	}
	rates := []RateExport{}
	if err := p.DB.NewSelect().TableExpr("person_rates AS pr").Join("LEFT JOIN job_roles AS jr ON jr.account_id = pr.account_id AND jr.id = pr.role_id").
		ColumnExpr("COALESCE(jr.name, '') AS role, pr.cost_rate_minor").Where("pr.account_id = ? AND pr.user_id = ?", s.AccountID, s.UserID).
		Scan(ctx, &rates); err != nil {
		return err
	}
	bills := []BillRate{}
	if err := p.DB.NewSelect().Model(&bills).Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID).OrderExpr("starts_on").Scan(ctx); err != nil {
		return err
	}
	if err := out.JSON("capacity/assignments.json", as); err != nil {
		return err
	}
	if err := out.JSON("capacity/bill_rates.json", bills); err != nil {
		return err
	}
	costs := []CostRate{}
	if err := p.DB.NewSelect().Model(&costs).Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID).OrderExpr("starts_on").Scan(ctx); err != nil {
		return err
	}
	if err := out.JSON("capacity/cost_rates.json", costs); err != nil {
		return err
	}
	return out.JSON("capacity/rate.json", rates)
}

// Erase deletes the person's assignments and rate in the account.
func (PersonalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, _ hooks.Erasure) error {
	for _, m := range []any{(*Assignment)(nil), (*rate)(nil), (*BillRate)(nil), (*CostRate)(nil)} {
		if _, err := tx.NewDelete().Model(m).Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

var _ hooks.PersonalData = PersonalData{}
