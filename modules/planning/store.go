package planning

import (
	"context"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// store holds the module's queries; each takes the account's db.Tenant, so every one is
// scoped to the account by construction.
type store struct{}

func notFound(err error) error {
	if db.IsNotFound(err) {
		return problem.NotFound()
	}
	return err
}

// syncPeople makes the resource row of every colleague of the account who has none yet, in
// one statement (ON CONFLICT: two readers at once make it once).
func (store) syncPeople(ctx context.Context, tn db.Tenant, now time.Time) error {
	_, err := tn.Exec(ctx, `INSERT INTO planning_resources (account_id, kind, user_id, name, created_at, updated_at)
SELECT m.account_id, 'person', m.user_id, '', ?1, ?1 FROM memberships AS m
WHERE m.account_id = ?0 AND m.role <> 'client' AND m.deactivated_at IS NULL
AND NOT EXISTS (SELECT 1 FROM planning_resources AS r WHERE r.account_id = m.account_id AND r.user_id = m.user_id)
ON CONFLICT DO NOTHING`, now)
	return err
}

// resourceQuery selects resources with their person's name, membership role and job role;
// people who left the account (no active colleague membership) are left out.
func resourceQuery(tn db.Tenant, out any) *bun.SelectQuery {
	return tn.Select(out).
		ColumnExpr("r.*").
		ColumnExpr("COALESCE(u.name, '') AS person_name, COALESCE(u.country, '') AS person_country, COALESCE(m.role, '') AS member_role, pr.role_id AS person_role_id").
		Join("LEFT JOIN users AS u ON u.id = r.user_id").
		Join("LEFT JOIN memberships AS m ON m.account_id = r.account_id AND m.user_id = r.user_id AND m.deactivated_at IS NULL").
		Join("LEFT JOIN person_rates AS pr ON pr.account_id = r.account_id AND pr.user_id = r.user_id").
		Where("r.user_id IS NULL OR (m.role IS NOT NULL AND m.role <> 'client')")
}

// Filter narrows the resources of a workload, availability or timeline.
type Filter struct {
	TeamID   int64
	RoleID   int64
	Archived bool
	Kind     string
	IDs      []int64
	// Users keeps the resources of these people.
	Users []int64
	// Project keeps the allocations of one project only (plan vs actual, the timeline's filter).
	Project int64
	// Client keeps the allocations and tasks of the projects of one client company only.
	Client int64
}

func (store) resources(ctx context.Context, tn db.Tenant, f Filter) ([]Resource, error) {
	out := []Resource{}
	q := resourceQuery(tn, &out)
	if !f.Archived {
		q = q.Where("r.archived_at IS NULL")
	}
	if f.TeamID != 0 {
		q = q.Where("r.user_id IN (SELECT tm.user_id FROM team_members AS tm WHERE tm.account_id = r.account_id AND tm.team_id = ?)", f.TeamID)
	}
	if f.RoleID != 0 {
		q = q.Where("COALESCE(pr.role_id, r.role_id) = ?", f.RoleID)
	}
	if f.Kind != "" {
		q = q.Where("r.kind = ?", f.Kind)
	}
	if f.IDs != nil {
		q = q.Where("r.id IN (?)", bun.List(f.IDs))
	}
	if f.Users != nil {
		q = q.Where("r.user_id IN (?)", bun.List(f.Users))
	}
	// People first by name, then the rest by name: the order of every page and answer.
	err := q.OrderExpr("CASE WHEN r.user_id IS NULL THEN 1 ELSE 0 END, COALESCE(u.name, r.name), r.id").Scan(ctx)
	return out, err
}

func (store) resource(ctx context.Context, tn db.Tenant, id int64) (*Resource, error) {
	r := new(Resource)
	if err := resourceQuery(tn, r).Where("r.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return r, nil
}

func (store) personResource(ctx context.Context, tn db.Tenant, userID int64) (*Resource, error) {
	r := new(Resource)
	if err := resourceQuery(tn, r).Where("r.user_id = ?", userID).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return r, nil
}

// allocations are the allocations meeting [from, to] (their repetitions included), of the
// resources (nil: all), in order of resource then first day: the order the sweep reads.
func (store) allocations(ctx context.Context, tn db.Tenant, from, to string, resources []int64, project int64) ([]Allocation, error) {
	out := []Allocation{}
	q := tn.Select(&out).Where("al.starts_on <= ? AND al.last_on >= ?", to, from)
	if resources != nil {
		q = q.Where("al.resource_id IN (?)", bun.List(resources))
	}
	if project != 0 {
		q = q.Where("al.project_id = ?", project)
	}
	return out, q.OrderExpr("al.resource_id, al.starts_on, al.id").Scan(ctx)
}

func (store) allocation(ctx context.Context, tn db.Tenant, id int64) (*Allocation, error) {
	a := new(Allocation)
	if err := tn.Select(a).Where("al.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return a, nil
}

// approvedAbsences are the approved absences meeting [from, to] of the people (nil: all), in
// order of person then first day.
func (store) approvedAbsences(ctx context.Context, tn db.Tenant, from, to string, users []int64) ([]Absence, error) {
	out := []Absence{}
	q := tn.Select(&out).Where("ab.state = ? AND ab.starts_on <= ? AND ab.ends_on >= ?", StateApproved, to, from)
	if users != nil {
		q = q.Where("ab.user_id IN (?)", bun.List(users))
	}
	return out, q.OrderExpr("ab.user_id, ab.starts_on").Scan(ctx)
}

// option is a choice of a filter: an id and a name.
type option struct {
	ID   int64  `bun:"id"`
	Name string `bun:"name"`
}

// clients are the account's client companies by name (core's table: the client filter).
func (store) clients(ctx context.Context, tn db.Tenant) ([]option, error) {
	out := []option{}
	return out, tn.SelectFrom("companies", "c").Column("c.id", "c.name").Where("c.kind = 'client'").OrderExpr("c.name").Limit(500).Scan(ctx, &out)
}

// teams are the account's teams by name (core's table: the filters of the pages).
func (store) teams(ctx context.Context, tn db.Tenant) ([]option, error) {
	out := []option{}
	return out, tn.SelectFrom("teams", "t").Column("t.id", "t.name").OrderExpr("t.name").Limit(500).Scan(ctx, &out)
}

// booking is what the engine reads of an allocation: its first and last days are offsets
// from the period's first day (unclipped: negative before it).
type booking struct {
	ResourceID    int64
	ProjectID     int64
	TaskID        int64 // 0: none
	First, Last   int
	MinutesPerDay int
	Percent       int
	RepeatWeeks   int
}

// away is what the engine reads of approved leave: days as offsets from the period's first
// day, as a booking's.
type away struct {
	UserID      int64
	First, Last int
	Half        bool // a half day (morning or afternoon)
}

// dayOffset is the SQL of a day column's offset in days from a day given as the parameter:
// days are text in both dialects (the schema's comment), their difference the dialect's.
func dayOffset(tn db.Tenant, column string) string {
	if tn.IsPostgres() {
		return "(CAST(" + column + " AS DATE) - CAST(? AS DATE))"
	}
	return "CAST(julianday(" + column + ") - julianday(?) AS INTEGER)"
}

// bookings are the engine's allocations meeting [from, to], only the columns it reads and in
// no order (the engine groups them). The database answers the days as offsets from from
// (whole numbers: a day as text costs the driver two allocations per column and the engine a
// parse; numbers under 256 cost none). A heatmap reads 10,000 rows this way, the row scan
// most of its cost: the index planning_allocations_range_covering holds every column read.
func (store) bookings(ctx context.Context, tn db.Tenant, from, to string, resources []int64, project int64) ([]booking, error) {
	out := []booking{}
	q := tn.SelectFrom("planning_allocations", "al").Column("al.resource_id").
		ColumnExpr(dayOffset(tn, "al.starts_on"), from).ColumnExpr(dayOffset(tn, "al.ends_on"), from).
		Column("al.minutes_per_day", "al.percent", "al.repeat_weeks").ColumnExpr("COALESCE(al.task_id, 0)").Column("al.project_id").
		Where("al.starts_on <= ? AND al.last_on >= ?", to, from)
	if resources != nil {
		q = q.Where("al.resource_id IN (?)", bun.List(resources))
	}
	if project != 0 {
		q = q.Where("al.project_id = ?", project)
	}
	// Plain rows, not bun's reflective scan, into one set of destinations.
	rows, err := q.Rows(ctx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var b booking
	dst := []any{&b.ResourceID, &b.First, &b.Last, &b.MinutesPerDay, &b.Percent, &b.RepeatWeeks, &b.TaskID, &b.ProjectID}
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// aways are the engine's approved leave meeting [from, to], in no order, the days as offsets
// from from (as bookings': no text to allocate).
func (store) aways(ctx context.Context, tn db.Tenant, from, to string, users []int64) ([]away, error) {
	out := []away{}
	q := tn.SelectFrom("planning_absences", "ab").Column("ab.user_id").
		ColumnExpr(dayOffset(tn, "ab.starts_on"), from).ColumnExpr(dayOffset(tn, "ab.ends_on"), from).ColumnExpr("ab.part <> ''").
		Where("ab.state = ? AND ab.starts_on <= ? AND ab.ends_on >= ?", StateApproved, to, from)
	if users != nil {
		q = q.Where("ab.user_id IN (?)", bun.List(users))
	}
	rows, err := q.Rows(ctx)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var a away
	dst := []any{&a.UserID, &a.First, &a.Last, &a.Half}
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// country is the account's country (its public holidays are everyone's days off by default).
func (store) country(ctx context.Context, tn db.Tenant) (string, error) {
	var c string
	err := tn.Unscoped().NewSelect().Table("accounts").Column("country").Where("id = ?", tn.AccountID).Scan(ctx, &c)
	return strings.ToUpper(c), err
}

// teamOf is a person's membership of a team, with the team's name.
type teamOf struct {
	TeamID int64  `bun:"team_id"`
	Name   string `bun:"name"`
	UserID int64  `bun:"user_id"`
}

// memberships are the account's teams with their people, by team name (the heatmap's totals
// per team, in one query).
func (store) memberships(ctx context.Context, tn db.Tenant) ([]teamOf, error) {
	out := []teamOf{}
	err := tn.SelectFrom("team_members", "tm").Join("JOIN teams AS t ON t.id = tm.team_id").
		ColumnExpr("tm.team_id, t.name, tm.user_id").OrderExpr("t.name, tm.team_id").Limit(100_000).Scan(ctx, &out)
	return out, err
}
