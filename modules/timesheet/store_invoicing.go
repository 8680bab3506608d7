package timesheet

import (
	"context"
	"database/sql"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/api"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// The queries of the invoicing handoff (service_invoicing.go).

// billable is an entry as invoicing reads it: who, when, how long, on what, and once
// invoiced the batch and the rate it was billed at.
type billable struct {
	ID        int64  `bun:"id"`
	UserID    int64  `bun:"user_id"`
	Day       string `bun:"day"`
	Minutes   int64  `bun:"minutes"`
	ProjectID int64  `bun:"project_id"`
	TaskID    *int64 `bun:"task_id"`
	RateCents *int64 `bun:"invoice_rate_cents"`
	// CategoryID is the entry's project time category; FormerRate the rate frozen on the
	// entry of a person when they were erased.
	CategoryID *int64 `bun:"category_id"`
	FormerRate *int64 `bun:"former_rate_cents"`

	Rate   int64  `bun:"-"` // the bill rate the entry is priced at
	Source string `bun:"-"` // where Rate comes from (RateProject...)
}

const billableColumns = "e.id, COALESCE(e.user_id, 0) AS user_id, e.day, e.minutes, e.project_id, e.task_id, e.invoice_rate_cents, e.category_id, e.former_rate_cents"

// uninvoiced are the billable entries of a period on the projects not invoiced yet: of people
// still in the account's records, and of people since erased whose time was invoiceable then
// (a frozen rate on it).
func (store) uninvoiced(ctx context.Context, tn db.Tenant, projects []int64, from, to string) ([]billable, error) {
	out := []billable{}
	if len(projects) == 0 {
		return out, nil
	}
	err := tn.SelectFrom("time_entries", "e").ColumnExpr(billableColumns).
		Where("e.project_id IN (?) AND e.day >= ? AND e.day <= ? AND e.billable = ? AND e.invoice_batch_id IS NULL AND (e.user_id IS NOT NULL OR e.former_rate_cents IS NOT NULL)", bun.List(projects), from, to, true).
		OrderExpr("e.id").Scan(ctx, &out)
	return out, err
}

// approvedWeeks are the people's approved weeks between two weeks (inclusive), as "user week".
func (store) approvedWeeks(ctx context.Context, tn db.Tenant, users []int64, from, to string) (map[weekOf]bool, error) {
	out := map[weekOf]bool{}
	if len(users) == 0 {
		return out, nil
	}
	var rows []WeekRow
	err := tn.Select(&rows).Column("user_id", "week").
		Where("w.user_id IN (?) AND w.week >= ? AND w.week <= ? AND w.state = ?", bun.List(users), from, to, StateApproved).Scan(ctx)
	for _, w := range rows {
		out[weekOf{*w.UserID, w.Week}] = true
	}
	return out, err
}

// weekOf is a person's week.
type weekOf struct {
	UserID int64
	Week   string
}

// ProjectRate is the bill rate of a project, in cents of the account's currency per hour.
type ProjectRate struct {
	bun.BaseModel `bun:"table:project_rates,alias:pr"`

	AccountID   int64     `bun:"account_id,pk" json:"-"`
	ProjectID   int64     `bun:"project_id,pk" json:"project_id" example:"3"`
	RateCents   int64     `bun:"rate_cents" json:"rate_cents" example:"12000"`
	UpdatedAt   time.Time `bun:"updated_at" json:"updated_at"`
	ProjectName string    `bun:"-" json:"project_name" example:"Website"`
}

func (store) rates(ctx context.Context, tn db.Tenant, projects []int64) (map[int64]int64, error) {
	out := map[int64]int64{}
	if len(projects) == 0 {
		return out, nil
	}
	var rows []ProjectRate
	err := tn.Select(&rows).Where("pr.project_id IN (?)", bun.List(projects)).Scan(ctx)
	for _, r := range rows {
		out[r.ProjectID] = r.RateCents
	}
	return out, err
}

func (store) rateList(ctx context.Context, tn db.Tenant, p api.Page) ([]ProjectRate, error) {
	out := []ProjectRate{}
	err := tn.Select(&out).Where("pr.project_id > ?", p.After).OrderExpr("pr.project_id").Limit(int64(p.Limit + 1)).Scan(ctx)
	return out, err
}

func (store) putRate(ctx context.Context, tn db.Tenant, r *ProjectRate) error {
	_, err := tn.Insert(r).On("CONFLICT (account_id, project_id) DO UPDATE").Set("rate_cents = EXCLUDED.rate_cents, updated_at = EXCLUDED.updated_at").Exec(ctx)
	return err
}

// InvoiceBatch is an export of draft invoice lines: its entries are invoiced (locked, never
// in a draft again) until an administrator undoes it.
type InvoiceBatch struct {
	bun.BaseModel `bun:"table:invoice_batches,alias:ib"`

	ID          int64         `bun:"id,pk,autoincrement" json:"id" example:"7"`
	AccountID   int64         `bun:"account_id" json:"-"`
	CompanyID   *int64        `bun:"company_id" json:"company_id" example:"4"`
	CompanyName string        `bun:"company_name" json:"company_name" example:"Acme"`
	From        string        `bun:"period_from" json:"from" format:"date" example:"2026-11-01"`
	To          string        `bun:"period_to" json:"to" format:"date" example:"2026-11-30"`
	Currency    string        `bun:"currency" json:"currency" example:"EUR"`
	Lines       int64         `bun:"lines" json:"lines" example:"3"`
	Entries     int64         `bun:"entries" json:"entries" example:"12"`
	Minutes     int64         `bun:"minutes" json:"minutes" example:"1440"`
	AmountCents int64         `bun:"amount_cents" json:"amount_cents" example:"288000"`
	CreatedAt   time.Time     `bun:"created_at" json:"created_at"`
	UndoneAt    *time.Time    `bun:"undone_at" json:"undone_at"`
	SplitBy     string        `bun:"line_split" json:"split_by" example:"category"`
	Items       []InvoiceLine `bun:"-" json:"items,omitempty"`
}

func (store) insertBatch(ctx context.Context, tn db.Tenant, b *InvoiceBatch) error {
	_, err := tn.Insert(b).Exec(ctx)
	return err
}

// markInvoiced puts entries in the batch at the rate; each must still be uninvoiced, or the
// whole export is refused (another export took one meanwhile).
func (store) markInvoiced(ctx context.Context, tn db.Tenant, batchID, rate int64, ids []int64) error {
	res, err := tn.Update((*Entry)(nil)).Set("invoice_batch_id = ?", batchID).Set("invoice_rate_cents = ?", rate).
		Where("e.id IN (?) AND e.invoice_batch_id IS NULL", bun.List(ids)).Exec(ctx)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(ids)) {
		return problem.Conflict("client_id", "some of this time was invoiced meanwhile: read the draft again")
	}
	return nil
}

func (store) batch(ctx context.Context, tn db.Tenant, id int64, lock bool) (*InvoiceBatch, error) {
	b := new(InvoiceBatch)
	q := tn.Select(b).Where("ib.id = ?", id)
	if lock {
		q = tn.ForUpdate(q)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return b, nil
}

func (store) batches(ctx context.Context, tn db.Tenant, p api.Page) ([]InvoiceBatch, error) {
	out := []InvoiceBatch{}
	q := tn.Select(&out).OrderExpr("ib.id DESC").Limit(int64(p.Limit + 1))
	if p.After > 0 {
		q = q.Where("ib.id < ?", p.After)
	}
	return out, q.Scan(ctx)
}

// batchEntries are the entries a batch invoiced.
func (store) batchEntries(ctx context.Context, tn db.Tenant, batchID int64) ([]billable, error) {
	out := []billable{}
	err := tn.SelectFrom("time_entries", "e").ColumnExpr(billableColumns).
		Where("e.invoice_batch_id = ?", batchID).OrderExpr("e.id").Scan(ctx, &out)
	return out, err
}

// undoBatch frees the batch's entries and marks it undone.
func (store) undoBatch(ctx context.Context, tn db.Tenant, b *InvoiceBatch, now time.Time) error {
	if _, err := tn.Update((*Entry)(nil)).Set("invoice_batch_id = NULL").Set("invoice_rate_cents = NULL").Where("e.invoice_batch_id = ?", b.ID).Exec(ctx); err != nil {
		return err
	}
	b.UndoneAt = &now
	_, err := tn.Update(b).Column("undone_at").WherePK().Exec(ctx)
	return err
}

// companyName is the name of a client company of the account ("" when none).
func (store) companyName(ctx context.Context, tn db.Tenant, id int64) (string, error) {
	var name string
	err := tn.SelectFrom("companies", "co").Column("co.name").Where("co.id = ?", id).Scan(ctx, &name)
	if db.IsNotFound(err) {
		return "", nil
	}
	return name, err
}

// currency is the account's currency.
func (store) currency(ctx context.Context, tn db.Tenant) (string, error) {
	var c string
	err := tn.Unscoped().NewSelect().Table("accounts").Column("currency").Where("id = ?", tn.AccountID).Scan(ctx, &c)
	return c, err
}

// uninvoiced turns the result of a change of one entry kept to uninvoiced rows into a 409
// when it changed none: the entry is invoiced, as locked as an approved week.
func uninvoiced(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return problem.Conflict("", "this time is invoiced: it cannot change (an administrator can undo its invoicing export)")
	}
	return err
}

// PersonRate is a project's bill rate for one person (cents per hour): it comes before the
// project's own rate and the person's.
type PersonRate struct {
	bun.BaseModel `bun:"table:project_person_rates,alias:ppr"`

	AccountID int64     `bun:"account_id,pk" json:"-"`
	ProjectID int64     `bun:"project_id,pk" json:"project_id" example:"3"`
	UserID    int64     `bun:"user_id,pk" json:"user_id" example:"5"`
	RateCents int64     `bun:"rate_cents" json:"rate_cents" example:"15000"`
	UpdatedAt time.Time `bun:"updated_at" json:"updated_at"`
	UserName  string    `bun:"-" json:"user_name" example:"Ada Lovelace"`
}

// personRates are the projects' rates for the people, by (project, person).
func (store) personRates(ctx context.Context, tn db.Tenant, projects, users []int64) (map[[2]int64]int64, error) {
	out := map[[2]int64]int64{}
	if len(projects) == 0 || len(users) == 0 {
		return out, nil
	}
	var rows []PersonRate
	err := tn.Select(&rows).Where("ppr.project_id IN (?) AND ppr.user_id IN (?)", bun.List(projects), bun.List(users)).Scan(ctx)
	for _, r := range rows {
		out[[2]int64{r.ProjectID, r.UserID}] = r.RateCents
	}
	return out, err
}

// projectPersonRates are a project's rates for people, at most limit.
func (store) projectPersonRates(ctx context.Context, tn db.Tenant, projectID int64, limit int) ([]PersonRate, error) {
	out := []PersonRate{}
	err := tn.Select(&out).Where("ppr.project_id = ?", projectID).OrderExpr("ppr.user_id").Limit(int64(limit)).Scan(ctx)
	return out, err
}

func (store) putPersonRate(ctx context.Context, tn db.Tenant, r *PersonRate) error {
	_, err := tn.Insert(r).On("CONFLICT (account_id, project_id, user_id) DO UPDATE").Set("rate_cents = EXCLUDED.rate_cents, updated_at = EXCLUDED.updated_at").Exec(ctx)
	return err
}

func (store) deletePersonRate(ctx context.Context, tn db.Tenant, projectID, userID int64) (bool, error) {
	res, err := tn.Delete((*PersonRate)(nil)).Where("ppr.project_id = ? AND ppr.user_id = ?", projectID, userID).Exec(ctx)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// personBillable are a person's billable project entries not invoiced yet (all their days).
func (store) personBillable(ctx context.Context, tn db.Tenant, userID int64) ([]billable, error) {
	out := []billable{}
	err := tn.SelectFrom("time_entries", "e").ColumnExpr(billableColumns).
		Where("e.user_id = ? AND e.project_id IS NOT NULL AND e.billable = ? AND e.invoice_batch_id IS NULL", userID, true).
		OrderExpr("e.id").Scan(ctx, &out)
	return out, err
}

// freezeRate sets the rate a person's entries are to be billed at once the person is erased.
func (store) freezeRate(ctx context.Context, tn db.Tenant, rate int64, ids []int64) error {
	_, err := tn.Update((*Entry)(nil)).Set("former_rate_cents = ?", rate).Where("e.id IN (?)", bun.List(ids)).Exec(ctx)
	return err
}

// deletePersonRates removes the projects' rates for a person.
func (store) deletePersonRates(ctx context.Context, tn db.Tenant, userID int64) error {
	_, err := tn.Delete((*PersonRate)(nil)).Where("ppr.user_id = ?", userID).Exec(ctx)
	return err
}

// allPersonRates are the account's rates of projects for people, at most limit.
func (store) allPersonRates(ctx context.Context, tn db.Tenant, limit int) ([]PersonRate, error) {
	out := []PersonRate{}
	err := tn.Select(&out).OrderExpr("ppr.project_id, ppr.user_id").Limit(int64(limit)).Scan(ctx)
	return out, err
}
