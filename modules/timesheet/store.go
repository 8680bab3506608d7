package timesheet

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/api"
	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/core/personal"
	"groupcamp/core/problem"
)

// store holds every query of the module. Each method takes the account's db.Tenant, so every
// query is scoped to the account by construction; who sees which rows inside the account is
// the service's (service.go: the person, their managers).
type store struct{}

func notFound(err error) error {
	if db.IsNotFound(err) {
		return problem.NotFound()
	}
	return err
}

// person is someone with a membership in the account.
type person struct {
	UserID    int64  `bun:"user_id"`
	Name      string `bun:"name"`
	Role      string `bun:"role"`
	CompanyID int64  `bun:"company_id"`
	SortKey   string `bun:"sort_key"` // the team view's order: the name as the database lowercases it
}

// person returns the membership of userID in the account, or 404.
func (store) person(ctx context.Context, tn db.Tenant, userID int64) (*person, error) {
	p := new(person)
	err := tn.SelectFrom("memberships", "m").Join("JOIN users AS u ON u.id = m.user_id").
		ColumnExpr("m.user_id, "+identity.NameSQL("m", "u")+" AS name, m.role, m.company_id").
		Where("m.user_id = ?", userID).Scan(ctx, p)
	if err != nil {
		return nil, notFound(err)
	}
	return p, nil
}

// sharesTeam reports whether the two people are in a team together.
func (store) sharesTeam(ctx context.Context, tn db.Tenant, a, b int64) (bool, error) {
	return tn.SelectFrom("team_members", "tm").
		Where("tm.user_id = ? AND EXISTS (SELECT 1 FROM team_members AS o WHERE o.account_id = tm.account_id AND o.team_id = tm.team_id AND o.user_id = ?)", a, b).
		Exists(ctx)
}

func (store) categories(ctx context.Context, tn db.Tenant, archived bool, kind string, p api.Page) ([]Category, error) {
	out := []Category{}
	q := tn.Select(&out).Where("c.id > ?", p.After).OrderExpr("c.id").Limit(int64(p.Limit + 1))
	if kind != "" {
		q = q.Where("c.kind = ?", kind)
	}
	if !archived {
		q = q.Where("c.archived_at IS NULL")
	}
	return out, q.Scan(ctx)
}

func (store) category(ctx context.Context, tn db.Tenant, id int64) (*Category, error) {
	c := new(Category)
	if err := tn.Select(c).Where("c.id = ?", id).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return c, nil
}

func (store) categoryNames(ctx context.Context, tn db.Tenant, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Category
	if err := tn.Select(&rows).Column("id", "name").Where("c.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, err
	}
	for _, c := range rows {
		out[c.ID] = c.Name
	}
	return out, nil
}

func (store) insertCategory(ctx context.Context, tn db.Tenant, c *Category) error {
	_, err := tn.Insert(c).Exec(ctx)
	return err
}

func (store) saveCategory(ctx context.Context, tn db.Tenant, c *Category) error {
	_, err := tn.Update(c).Column("name", "kind", "billable", "archived_at", "updated_at").WherePK().Exec(ctx)
	return err
}

// EntryFilter narrows the entries listed.
type EntryFilter struct {
	UserID    int64
	From, To  string // days, inclusive
	ProjectID int64
	// Projects, when not nil, keeps only the entries on these projects (a project leader
	// reading a person they do not otherwise manage).
	Projects []int64
}

func (store) entries(ctx context.Context, tn db.Tenant, f EntryFilter, p api.Page) ([]Entry, error) {
	out := []Entry{}
	q := tn.Select(&out).Where("e.user_id = ? AND e.id > ?", f.UserID, p.After).OrderExpr("e.id").Limit(int64(p.Limit + 1))
	if f.From != "" {
		q = q.Where("e.day >= ?", f.From)
	}
	if f.To != "" {
		q = q.Where("e.day <= ?", f.To)
	}
	if f.ProjectID != 0 {
		q = q.Where("e.project_id = ?", f.ProjectID)
	}
	if f.Projects != nil {
		if len(f.Projects) == 0 {
			return out, nil
		}
		q = q.Where("e.project_id IN (?)", bun.List(f.Projects))
	}
	return out, q.Scan(ctx)
}

// entry returns an entry of the account, locked on PostgreSQL when lock is set, or 404.
func (store) entry(ctx context.Context, tn db.Tenant, id int64, lock bool) (*Entry, error) {
	e := new(Entry)
	q := tn.Select(e).Where("e.id = ? AND e.user_id IS NOT NULL", id)
	if lock {
		q = tn.ForUpdate(q)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return e, nil
}

func (store) insertEntry(ctx context.Context, tn db.Tenant, e *Entry) error {
	_, err := tn.Insert(e).Exec(ctx)
	return err
}

func (store) saveEntry(ctx context.Context, tn db.Tenant, e *Entry) error {
	res, err := tn.Update(e).Column("day", "minutes", "project_id", "task_id", "category_id", "billable", "note", "updated_at").WherePK().Where("e.invoice_batch_id IS NULL").Exec(ctx)
	return uninvoiced(res, err) // store_invoicing.go
}

func (store) deleteEntry(ctx context.Context, tn db.Tenant, e *Entry) error {
	res, err := tn.Delete(e).WherePK().Where("e.invoice_batch_id IS NULL").Exec(ctx)
	return uninvoiced(res, err)
}

// dayMinutes is the time a person logged on a day, but for the entry except (0: none).
func (store) dayMinutes(ctx context.Context, tn db.Tenant, userID int64, day string, except int64) (int, error) {
	var n int
	err := tn.SelectFrom("time_entries", "e").ColumnExpr("COALESCE(SUM(e.minutes), 0)").
		Where("e.user_id = ? AND e.day = ? AND e.id <> ?", userID, day, except).Scan(ctx, &n)
	return n, err
}

// weekEntries are a person's entries between two days (inclusive), by day then id.
func (store) weekEntries(ctx context.Context, tn db.Tenant, userID int64, from, to string) ([]Entry, error) {
	out := []Entry{}
	err := tn.Select(&out).Where("e.user_id = ? AND e.day >= ? AND e.day <= ?", userID, from, to).OrderExpr("e.day, e.id").Scan(ctx)
	return out, err
}

// week returns a person's week, nil when none was kept yet.
func (store) week(ctx context.Context, tn db.Tenant, userID int64, week string) (*WeekRow, error) {
	w := new(WeekRow)
	err := tn.Select(w).Where("w.user_id = ? AND w.week = ?", userID, week).Scan(ctx)
	if db.IsNotFound(err) {
		return nil, nil
	}
	return w, err
}

// lockWeek returns a person's week, kept (open) if it was not yet, and locked until the end
// of the transaction on PostgreSQL: the writes of one person's week queue behind each other,
// so a submission and an entry added at the same moment cannot both pass.
func (store) lockWeek(ctx context.Context, tn db.Tenant, userID int64, week string, now time.Time) (*WeekRow, error) {
	w := &WeekRow{UserID: &userID, Week: week, State: StateOpen, CreatedAt: now, UpdatedAt: now}
	if _, err := tn.Insert(w).On("CONFLICT (account_id, user_id, week) DO NOTHING").Returning("NULL").Exec(ctx); err != nil {
		return nil, err
	}
	w = new(WeekRow)
	if err := tn.ForUpdate(tn.Select(w).Where("w.user_id = ? AND w.week = ?", userID, week)).Scan(ctx); err != nil {
		return nil, err
	}
	return w, nil
}

func (store) saveWeek(ctx context.Context, tn db.Tenant, w *WeekRow) error {
	_, err := tn.Update(w).Column("state", "comment", "decided_by", "decided_at", "submitted_at", "updated_at").WherePK().Exec(ctx)
	return err
}

// lockedWeeks lists which of a person's weeks are submitted or approved.
func (store) lockedWeeks(ctx context.Context, tn db.Tenant, userID int64, weeks []string) (map[string]bool, error) {
	out := map[string]bool{}
	var rows []WeekRow
	if err := tn.Select(&rows).Column("week").Where("w.user_id = ? AND w.week IN (?) AND w.state IN (?)", userID, bun.List(weeks), bun.List([]string{StateSubmitted, StateApproved})).Scan(ctx); err != nil {
		return nil, err
	}
	for _, w := range rows {
		out[w.Week] = true
	}
	return out, nil
}

// The person's data (privacy.go).

func (store) personCounts(ctx context.Context, tn db.Tenant, userID int64) (entries, weeks int64, err error) {
	if entries, err = tn.SelectFrom("time_entries", "e").Where("e.user_id = ?", userID).Count(ctx); err != nil {
		return
	}
	weeks, err = tn.SelectFrom("timesheet_weeks", "w").Where("w.user_id = ?", userID).Count(ctx)
	return
}

func (store) personEntries(ctx context.Context, tn db.Tenant, userID int64) ([]Entry, []WeekRow, error) {
	es := []Entry{}
	if err := tn.Select(&es).Where("e.user_id = ?", userID).OrderExpr("e.day, e.id").Scan(ctx); err != nil {
		return nil, nil, err
	}
	ws := []WeekRow{}
	err := tn.Select(&ws).Where("w.user_id = ?", userID).OrderExpr("w.week").Scan(ctx)
	return es, ws, err
}

// erasePerson detaches the person's entries and weeks (they stay for the account's totals),
// clearing the notes of their entries unless keepText, and forgets them as a decider.
func (store) erasePerson(ctx context.Context, tn db.Tenant, userID int64, keepText bool, now time.Time) error {
	q := tn.Update((*Entry)(nil)).Set("user_id = NULL").Set("updated_at = ?", now).Where("e.user_id = ?", userID)
	if !keepText {
		q = q.Set("note = ''")
	}
	if _, err := q.Exec(ctx); err != nil {
		return err
	}
	if _, err := tn.Update((*WeekRow)(nil)).Set("user_id = NULL").Set("updated_at = ?", now).Where("w.user_id = ?", userID).Exec(ctx); err != nil {
		return err
	}
	q = tn.Update((*WeekRow)(nil)).Set("decided_by = NULL").Where("w.decided_by = ?", userID)
	if !keepText {
		q = q.Set("comment = ''")
	}
	_, err := q.Exec(ctx)
	return err
}

// teamManagers are the managers (and administrators) in a team with the person.
func (store) teamManagers(ctx context.Context, tn db.Tenant, userID int64) ([]int64, error) {
	var out []int64
	err := tn.SelectFrom("team_members", "tm").ColumnExpr("DISTINCT o.user_id").
		Join("JOIN team_members AS o ON o.account_id = tm.account_id AND o.team_id = tm.team_id AND o.user_id <> tm.user_id").
		Join("JOIN memberships AS m ON m.account_id = o.account_id AND m.user_id = o.user_id").
		Where("tm.user_id = ? AND m.role IN (?) AND m.deactivated_at IS NULL", userID, bun.List([]string{"owner", "admin", "manager"})).
		Scan(ctx, &out)
	return out, err
}

// scrubPerson removes a person's name and email from every note and comment of the account.
func (store) scrubPerson(ctx context.Context, tn db.Tenant, n personal.Needles) error {
	if n.Empty() {
		return nil
	}
	if _, err := personal.ScrubTenant(ctx, tn, "time_entries", n, "note"); err != nil {
		return err
	}
	_, err := personal.ScrubTenant(ctx, tn, "timesheet_weeks", n, "comment")
	return err
}

// pageAll is a page of every category (an account has a few dozen at most).
var pageAll = api.Page{Limit: 999}
