package capacity

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// The queries of the package: each takes the account's db.Tenant, so every one is scoped to
// the account by construction.

func notFound(err error) error {
	if db.IsNotFound(err) {
		return problem.NotFound()
	}
	return err
}

func profiles(ctx context.Context, tn db.Tenant, archived bool, after int64, limit int) ([]Profile, error) {
	out := []Profile{}
	q := tn.Select(&out).Where("cp.id > ?", after).OrderExpr("cp.id").Limit(int64(limit))
	if !archived {
		q = q.Where("cp.archived_at IS NULL")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, err
	}
	for i := range out {
		out[i].fill()
	}
	return out, nil
}

func profile(ctx context.Context, tn db.Tenant, id int64) (*Profile, error) {
	p := new(Profile)
	if err := tn.Select(p).Where("cp.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	p.fill()
	return p, nil
}

// defaultProfile is the stored default, or nil when the account has none yet.
func defaultProfile(ctx context.Context, tn db.Tenant) (*Profile, error) {
	p := new(Profile)
	return maybe(p, tn.Select(p).Where("cp.is_default").Scan(ctx))
}

// maybe is the profile a query scanned, nil when it found none.
func maybe(p *Profile, err error) (*Profile, error) {
	if db.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p.fill()
	return p, nil
}

// insertDefault writes the default profile unless another writer did first.
func insertDefault(ctx context.Context, tn db.Tenant, p *Profile) error {
	_, err := tn.Insert(p).On("CONFLICT DO NOTHING").Exec(ctx)
	return err
}

func insertProfile(ctx context.Context, tn db.Tenant, p *Profile) error {
	_, err := tn.Insert(p).Exec(ctx)
	return err
}

func saveProfile(ctx context.Context, tn db.Tenant, p *Profile) error {
	_, err := tn.Update(p).WherePK().Exec(ctx)
	return err
}

// assignments are the assignments of the people whose first day is on or before to, each
// person's in order, with their profiles.
func assignments(ctx context.Context, tn db.Tenant, userIDs []int64, to string) ([]Assignment, error) {
	out := []Assignment{}
	q := tn.Select(&out).Where("ca.user_id IN (?)", bun.List(userIDs)).OrderExpr("ca.user_id, ca.starts_on")
	if to != "" {
		q = q.Where("ca.starts_on <= ?", to)
	}
	return out, q.Scan(ctx)
}

func profilesByID(ctx context.Context, tn db.Tenant, ids []int64) (map[int64]*Profile, error) {
	out := map[int64]*Profile{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Profile
	if err := tn.Select(&rows).Where("cp.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	for i := range rows {
		rows[i].fill()
		out[rows[i].ID] = &rows[i]
	}
	return out, nil
}

func upsertAssignment(ctx context.Context, tn db.Tenant, a *Assignment) error {
	_, err := tn.Insert(a).On("CONFLICT (account_id, user_id, starts_on) DO UPDATE").Set("profile_id = EXCLUDED.profile_id").Exec(ctx)
	return err
}

// member reports the role of userID's membership in the account ("" when none).
func memberRole(ctx context.Context, tn db.Tenant, userID int64) (string, error) {
	var role string
	err := tn.SelectFrom("memberships", "m").Column("m.role").Where("m.user_id = ?", userID).Scan(ctx, &role)
	if db.IsNotFound(err) {
		return "", nil
	}
	return role, err
}

func roles(ctx context.Context, tn db.Tenant, archived bool, after int64, limit int) ([]Role, error) {
	out := []Role{}
	q := tn.Select(&out).Where("jr.id > ?", after).OrderExpr("jr.id").Limit(int64(limit))
	if !archived {
		q = q.Where("jr.archived_at IS NULL")
	}
	return out, q.Scan(ctx)
}

func role(ctx context.Context, tn db.Tenant, id int64) (*Role, error) {
	r := new(Role)
	if err := tn.Select(r).Where("jr.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return r, nil
}

func personRate(ctx context.Context, tn db.Tenant, userID int64) (*rate, error) {
	r := new(rate)
	err := tn.Select(r).Where("pr.user_id = ?", userID).Scan(ctx)
	if db.IsNotFound(err) {
		return &rate{AccountID: tn.AccountID, UserID: userID}, nil
	}
	return r, err
}

func saveRate(ctx context.Context, tn db.Tenant, r *rate) error {
	_, err := tn.Insert(r).On("CONFLICT (account_id, user_id) DO UPDATE").
		Set("role_id = EXCLUDED.role_id, cost_rate_minor = EXCLUDED.cost_rate_minor, updated_at = EXCLUDED.updated_at").Exec(ctx)
	return err
}

func currency(ctx context.Context, tn db.Tenant) (string, error) {
	var c string
	err := tn.Unscoped().NewSelect().Table("accounts").Column("currency").Where("id = ?", tn.AccountID).Scan(ctx, &c)
	return c, err
}

// profileOn is the profile userID works under on day in one query: the profile of their
// latest assignment on or before day, else the default (nil when the account has none yet).
// A non-default profile sorts first.
func profileOn(ctx context.Context, tn db.Tenant, userID int64, day string) (*Profile, error) {
	p := new(Profile)
	err := tn.Select(p).
		Where("cp.is_default OR cp.id = (SELECT ca.profile_id FROM capacity_assignments AS ca WHERE ca.account_id = cp.account_id AND ca.user_id = ? AND ca.starts_on <= ? ORDER BY ca.starts_on DESC LIMIT 1)", userID, day).
		OrderExpr("cp.is_default").Limit(1).Scan(ctx)
	return maybe(p, err)
}

// memberEmail is the email of a colleague (what the audit trail names them by).
func memberEmail(ctx context.Context, tn db.Tenant, userID int64) (string, error) {
	var email string
	err := tn.SelectFrom("memberships", "m").Join("JOIN users AS u ON u.id = m.user_id").Column("u.email").Where("m.user_id = ?", userID).Scan(ctx, &email)
	return email, err
}
