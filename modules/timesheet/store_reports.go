package timesheet

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/identity"
)

// The queries of the reports (service_reports.go).

// reportQuery is a period of the account's time to sum, narrowed by the filters and by the
// reader's reach, grouped by the raw columns the groupings need.
type reportQuery struct {
	From, To string // days, inclusive
	// Group names the raw columns grouped by: user_id, project_id, task_id, category_id, day.
	Group []string
	// Filters; 0 and nil are "any".
	UserID, ProjectID, CategoryID int64
	Billable                      *bool
	// Users and Projects, when not nil, keep only the time of these people, and only that on
	// these projects (a team, a client company's projects).
	Users, Projects []int64
	// Reach, when not nil, is what the reader may see: the time of Reach.Users, and the time
	// on Reach.Projects whoever logged it.
	Reach *reportReach
	// Approved keeps only billable time not invoiced yet of weeks approved (invoicing).
	Uninvoiced bool
}

// reportReach is the time a reader who is no administrator sees.
type reportReach struct {
	Users    []int64
	Projects []int64
}

// reportSum is one group of a report query: the raw keys asked for and the sums.
type reportSum struct {
	UserID     *int64 `bun:"user_id"`
	ProjectID  *int64 `bun:"project_id"`
	TaskID     *int64 `bun:"task_id"`
	CategoryID *int64 `bun:"category_id"`
	Day        string `bun:"day"`
	Minutes    int64  `bun:"minutes"`
	Billable   int64  `bun:"billable_minutes"`
	Entries    int64  `bun:"entries"`
}

// where narrows a query of time_entries AS e to the report's period, filters and reach; ok is
// false when nothing can match (an empty list of people or projects).
func (q *reportQuery) where(sq *bun.SelectQuery) (*bun.SelectQuery, bool) {
	sq = sq.Where("e.day >= ? AND e.day <= ?", q.From, q.To)
	if q.UserID != 0 {
		sq = sq.Where("e.user_id = ?", q.UserID)
	}
	if q.ProjectID != 0 {
		sq = sq.Where("e.project_id = ?", q.ProjectID)
	}
	if q.CategoryID != 0 {
		sq = sq.Where("e.category_id = ?", q.CategoryID)
	}
	if q.Billable != nil {
		sq = sq.Where("e.billable = ?", *q.Billable)
	}
	if q.Users != nil {
		if len(q.Users) == 0 {
			return sq, false
		}
		sq = sq.Where("e.user_id IN (?)", bun.List(q.Users))
	}
	if q.Projects != nil {
		if len(q.Projects) == 0 {
			return sq, false
		}
		sq = sq.Where("e.project_id IN (?)", bun.List(q.Projects))
	}
	if r := q.Reach; r != nil {
		switch {
		case len(r.Users) == 0 && len(r.Projects) == 0:
			return sq, false
		case len(r.Projects) == 0:
			sq = sq.Where("e.user_id IN (?)", bun.List(r.Users))
		case len(r.Users) == 0:
			sq = sq.Where("e.project_id IN (?)", bun.List(r.Projects))
		default:
			sq = sq.Where("(e.user_id IN (?) OR e.project_id IN (?))", bun.List(r.Users), bun.List(r.Projects))
		}
	}
	if q.Uninvoiced {
		sq = sq.Where("e.invoice_batch_id IS NULL AND e.billable = ? AND e.project_id IS NOT NULL", true)
	}
	return sq, true
}

// reportSums sums the time of the query by its grouping.
func (store) reportSums(ctx context.Context, tn db.Tenant, q reportQuery) ([]reportSum, error) {
	out := []reportSum{}
	sq, ok := q.where(tn.SelectFrom("time_entries", "e"))
	if !ok {
		return out, nil
	}
	for _, c := range q.Group {
		sq = sq.ColumnExpr("e." + c).GroupExpr("e." + c) // c is one of the fixed column names
	}
	sq = sq.ColumnExpr("SUM(e.minutes) AS minutes, SUM(CASE WHEN e.billable THEN e.minutes ELSE 0 END) AS billable_minutes, COUNT(*) AS entries")
	return out, sq.Scan(ctx, &out)
}

// personNames are the names of the account's people of the given ids.
func (store) personNames(ctx context.Context, tn db.Tenant, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []person
	err := tn.SelectFrom("memberships", "m").Join("JOIN users AS u ON u.id = m.user_id").
		ColumnExpr("m.user_id, "+identity.NameSQL("m", "u")+" AS name").
		Where("m.user_id IN (?)", bun.List(ids)).Scan(ctx, &rows)
	for _, p := range rows {
		out[p.UserID] = p.Name
	}
	return out, err
}

// teamPeople are the people of a team with the actor in it (with is 0 for any team of the
// account); found is false when the account has no such team, or the actor is not in it.
func (store) teamPeople(ctx context.Context, tn db.Tenant, teamID, with int64) (people []int64, found bool, err error) {
	q := tn.SelectFrom("teams", "t").Where("t.id = ?", teamID)
	if with != 0 {
		q = q.Where("EXISTS (SELECT 1 FROM team_members AS o WHERE o.account_id = t.account_id AND o.team_id = t.id AND o.user_id = ?)", with)
	}
	if found, err = q.Exists(ctx); err != nil || !found {
		return nil, found, err
	}
	people = []int64{}
	err = tn.SelectFrom("team_members", "tm").Column("tm.user_id").Where("tm.team_id = ?", teamID).OrderExpr("tm.user_id").Scan(ctx, &people)
	return people, true, err
}

// teammates are the people in a team with the person, the person among them.
func (store) teammates(ctx context.Context, tn db.Tenant, userID int64) ([]int64, error) {
	out := []int64{userID}
	var others []int64
	err := tn.SelectFrom("team_members", "tm").ColumnExpr("DISTINCT o.user_id").
		Join("JOIN team_members AS o ON o.account_id = tm.account_id AND o.team_id = tm.team_id AND o.user_id <> tm.user_id").
		Where("tm.user_id = ?", userID).Scan(ctx, &others)
	return append(out, others...), err
}

// people are the account's colleagues who keep time (owners, admins, managers, members) of
// the given ids (nil: all of them), by name.
func (store) people(ctx context.Context, tn db.Tenant, ids []int64) ([]person, error) {
	out := []person{}
	q := tn.SelectFrom("memberships", "m").Join("JOIN users AS u ON u.id = m.user_id").
		ColumnExpr("m.user_id, "+identity.NameSQL("m", "u")+" AS name, m.role").
		Where("m.role IN (?)", bun.List([]string{"owner", "admin", "manager", "member"})).OrderExpr("2, m.user_id")
	if ids != nil {
		if len(ids) == 0 {
			return out, nil
		}
		q = q.Where("m.user_id IN (?)", bun.List(ids))
	}
	return out, q.Scan(ctx, &out)
}

// named is an id and a name.
type named struct {
	ID   int64  `bun:"id"`
	Name string `bun:"name"`
}

// clientCompanies are the account's client companies, by name.
func (store) clientCompanies(ctx context.Context, tn db.Tenant) ([]named, error) {
	out := []named{}
	err := tn.SelectFrom("companies", "co").Column("co.id", "co.name").Where("co.kind = ?", identity.KindClient).
		OrderExpr("co.name, co.id").Limit(500).Scan(ctx, &out)
	return out, err
}

// teams are the account's teams (with: only those the person is in; 0: all), by name.
func (store) teams(ctx context.Context, tn db.Tenant, with int64) ([]named, error) {
	out := []named{}
	q := tn.SelectFrom("teams", "t").Column("t.id", "t.name").OrderExpr("t.name, t.id").Limit(500)
	if with != 0 {
		q = q.Where("EXISTS (SELECT 1 FROM team_members AS o WHERE o.account_id = t.account_id AND o.team_id = t.id AND o.user_id = ?)", with)
	}
	return out, q.Scan(ctx, &out)
}
