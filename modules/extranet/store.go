package extranet

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/api"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// store holds the module's queries; every one goes through a db.Tenant (scoped to the account).
type store struct{}

func notFound(err error) error {
	if db.IsNotFound(err) {
		return problem.NotFound()
	}
	return err
}

// named selects deliverables with the names people read.
func named(tn db.Tenant, out any) *bun.SelectQuery {
	return tn.Select(out).ColumnExpr("d.*").
		ColumnExpr("(SELECT p.name FROM projects AS p WHERE p.id = d.project_id) AS project_name").
		ColumnExpr("(SELECT o.name FROM companies AS o WHERE o.id = d.company_id) AS company_name").
		ColumnExpr("(SELECT u.name FROM users AS u WHERE u.id = d.submitted_by) AS submitter_name")
}

func (store) deliverable(ctx context.Context, tn db.Tenant, id int64) (*Deliverable, error) {
	d := new(Deliverable)
	if err := named(tn, d).Where("d.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return d, nil
}

// scope says which deliverables a reader may list: a client company's, or those of some
// projects (nil: every project, for those who see the whole account).
type scope struct {
	CompanyID  int64
	ProjectIDs []int64
}

// list is a page of deliverables, newest first (the cursor is the last id).
func (store) list(ctx context.Context, tn db.Tenant, sc scope, f Filter, p api.Page) ([]Deliverable, error) {
	out := []Deliverable{}
	if sc.ProjectIDs != nil && len(sc.ProjectIDs) == 0 {
		return out, nil
	}
	q := named(tn, &out).OrderExpr("d.id DESC").Limit(int64(p.Limit + 1))
	if sc.CompanyID != 0 {
		q = q.Where("d.company_id = ?", sc.CompanyID)
	}
	if sc.ProjectIDs != nil {
		q = q.Where("d.project_id IN (?)", bun.List(sc.ProjectIDs))
	}
	if f.State != "" {
		q = q.Where("d.state = ?", f.State)
	}
	if f.ProjectID != 0 {
		q = q.Where("d.project_id = ?", f.ProjectID)
	}
	if p.After != 0 {
		q = q.Where("d.id < ?", p.After)
	}
	return out, q.Scan(ctx)
}

// counts are the deliverables of a company by state.
func (store) counts(ctx context.Context, tn db.Tenant, companyID int64) (map[string]int, error) {
	var rows []struct {
		State string
		N     int
	}
	err := tn.SelectFrom("extranet_deliverables", "d").ColumnExpr("d.state AS state, COUNT(*) AS n").
		Where("d.company_id = ?", companyID).GroupExpr("d.state").Scan(ctx, &rows)
	out := map[string]int{}
	for _, r := range rows {
		out[r.State] = r.N
	}
	return out, err
}

func (store) rounds(ctx context.Context, tn db.Tenant, id int64) ([]Round, error) {
	out := []Round{}
	err := tn.Select(&out).ColumnExpr("r.*").
		ColumnExpr("(SELECT u.name FROM users AS u WHERE u.id = r.submitted_by) AS submitter_name").
		ColumnExpr("(SELECT u.name FROM users AS u WHERE u.id = r.decided_by) AS decider_name").
		Where("r.deliverable_id = ?", id).OrderExpr("r.n DESC").Scan(ctx)
	if err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]int64, len(out))
	at := map[int64]int{}
	for i := range out {
		ids[i], at[out[i].ID] = out[i].ID, i
		out[i].Files = []RoundFile{}
	}
	var fs []RoundFile
	if err := tn.Select(&fs).Where("rf.round_id IN (?)", bun.List(ids)).OrderExpr("rf.round_id, rf.position").Scan(ctx); err != nil {
		return nil, err
	}
	for _, f := range fs {
		out[at[f.RoundID]].Files = append(out[at[f.RoundID]].Files, f)
	}
	return out, nil
}

func (store) latest(ctx context.Context, tn db.Tenant, id int64) (*Round, error) {
	r := new(Round)
	if err := tn.Select(r).Where("r.deliverable_id = ?", id).OrderExpr("r.n DESC").Limit(1).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return r, nil
}

// isClientCompany reports whether the company is a client company of the account.
func (store) isClientCompany(ctx context.Context, tn db.Tenant, id int64) (bool, error) {
	return tn.SelectFrom("companies", "o").Where("o.id = ? AND o.kind = ?", id, "client").Exists(ctx)
}

// clientUsers are the active client people of a company, for notices.
func (store) clientUsers(ctx context.Context, tn db.Tenant, companyID int64) ([]int64, error) {
	var ids []int64
	err := tn.SelectFrom("memberships", "m").Column("m.user_id").
		Where("m.company_id = ? AND m.role = ? AND m.status = ? AND m.deactivated_at IS NULL", companyID, "client", "active").
		OrderExpr("m.user_id").Scan(ctx, &ids)
	return ids, err
}

// company is a client company, for choosing whom a deliverable goes to.
type company struct {
	ID   int64
	Name string
}

func (store) clientCompanies(ctx context.Context, tn db.Tenant) ([]company, error) {
	out := []company{}
	err := tn.SelectFrom("companies", "o").Column("o.id", "o.name").Where("o.kind = ?", "client").
		OrderExpr("LOWER(o.name), o.id").Limit(1000).Scan(ctx, &out)
	return out, err
}

func (store) companyName(ctx context.Context, tn db.Tenant, id int64) (string, error) {
	var name string
	err := tn.SelectFrom("companies", "o").Column("o.name").Where("o.id = ?", id).Scan(ctx, &name)
	if db.IsNotFound(err) {
		return "", nil
	}
	return name, err
}

// accountBySlug is the id and name of the account of slug (0 when none): the sign-in page's
// banner is shown before anyone signs in, so it reads the core's accounts table by slug.
func (store) accountBySlug(ctx context.Context, idb bun.IDB, slug string) (int64, string, error) {
	var row struct {
		ID   int64
		Name string
	}
	err := idb.NewSelect().TableExpr("accounts AS a").Column("a.id", "a.name").Where("a.slug = ?", slug).Scan(ctx, &row)
	if db.IsNotFound(err) {
		return 0, "", nil
	}
	return row.ID, row.Name, err
}

func (store) userName(ctx context.Context, tn db.Tenant, userID int64) (string, error) {
	var name string
	err := tn.Unscoped().NewSelect().TableExpr("users AS u").Column("u.name").Where("u.id = ?", userID).Scan(ctx, &name)
	return name, err
}
