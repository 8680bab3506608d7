package timesheet

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/modules/timesheet/contract"
)

// The queries of the timers, the period lock, the team view, the estimate alerts and the time
// spent port (service_timers.go and its neighbours).

// timer is the person's running timer, nil when none runs.
func (store) timer(ctx context.Context, tn db.Tenant, userID int64) (*Timer, error) {
	t := new(Timer)
	err := tn.Select(t).Where("tt.user_id = ?", userID).Scan(ctx)
	if db.IsNotFound(err) {
		return nil, nil
	}
	return t, err
}

func (store) insertTimer(ctx context.Context, tn db.Tenant, t *Timer) error {
	_, err := tn.Insert(t).Exec(ctx)
	return err
}

// deleteTimer removes a timer, reporting whether it was still there (a concurrent stop or
// discard took it otherwise).
func (store) deleteTimer(ctx context.Context, tn db.Tenant, id int64) (bool, error) {
	res, err := tn.Delete((*Timer)(nil)).Where("tt.id = ?", id).Exec(ctx)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// lockedBefore is the account's period lock: the first day time may still change on ("" for
// no lock).
func (store) lockedBefore(ctx context.Context, tn db.Tenant) (string, error) {
	var out []string
	err := tn.SelectFrom("timesheet_period_locks", "pl").Column("pl.locked_before").Scan(ctx, &out)
	if err != nil || len(out) == 0 {
		return "", err
	}
	return out[0], nil
}

func (store) periodLock(ctx context.Context, tn db.Tenant) (*PeriodLock, error) {
	l := new(PeriodLock)
	err := tn.Select(l).Scan(ctx)
	if db.IsNotFound(err) {
		return &PeriodLock{}, nil
	}
	return l, err
}

// setPeriodLock writes the account's lock (one row per account).
func (store) setPeriodLock(ctx context.Context, tn db.Tenant, l *PeriodLock) error {
	_, err := tn.Insert(l).On("CONFLICT (account_id) DO UPDATE").Set("locked_before = EXCLUDED.locked_before, updated_at = EXCLUDED.updated_at").Exec(ctx)
	return err
}

// teamViewPeople are the active colleagues (no clients) of the team view: everyone for an
// administrator (all), else those in a team with the manager; only team's when team is not 0.
// They come by name (lowercased), then id, a page at a time: those after (p.Key, p.After), at
// most p.Limit + 1 (the one more says a next page exists).
func (store) teamViewPeople(ctx context.Context, tn db.Tenant, managerID, team int64, all bool, p api.KeyPage) ([]person, error) {
	out := []person{}
	key := "LOWER(" + identity.NameSQL("m", "u") + ")"
	q := tn.SelectFrom("memberships", "m").Join("JOIN users AS u ON u.id = m.user_id").
		ColumnExpr("m.user_id, "+identity.NameSQL("m", "u")+" AS name, m.role, m.company_id, "+key+" AS sort_key").
		Where("m.role IN (?) AND m.deactivated_at IS NULL", bun.List([]string{actor.RoleOwner, actor.RoleAdmin, actor.RoleManager, actor.RoleMember}))
	if team != 0 {
		q = q.Where("EXISTS (SELECT 1 FROM team_members AS tm WHERE tm.account_id = m.account_id AND tm.user_id = m.user_id AND tm.team_id = ?)", team)
	}
	if !all {
		q = q.Where("EXISTS (SELECT 1 FROM team_members AS tm JOIN team_members AS mine ON mine.account_id = tm.account_id AND mine.team_id = tm.team_id "+
			"WHERE tm.account_id = m.account_id AND tm.user_id = m.user_id AND mine.user_id = ?)", managerID)
	}
	if p.After != 0 {
		q = q.Where("("+key+" > ? OR ("+key+" = ? AND m.user_id > ?))", p.Key, p.Key, p.After)
	}
	return out, q.OrderExpr(key+", m.user_id").Limit(int64(p.Limit+1)).Scan(ctx, &out)
}

// dayTotals are the minutes per person and day between two days (inclusive), for the people.
type dayTotal struct {
	UserID  int64  `bun:"user_id"`
	Day     string `bun:"day"`
	Minutes int    `bun:"minutes"`
}

func (store) dayTotals(ctx context.Context, tn db.Tenant, userIDs []int64, from, to string) ([]dayTotal, error) {
	out := []dayTotal{}
	if len(userIDs) == 0 {
		return out, nil
	}
	err := tn.SelectFrom("time_entries", "e").ColumnExpr("e.user_id, e.day, SUM(e.minutes) AS minutes").
		Where("e.user_id IN (?) AND e.day >= ? AND e.day <= ?", bun.List(userIDs), from, to).GroupExpr("e.user_id, e.day").Scan(ctx, &out)
	return out, err
}

// weekStates are the states of the people's week.
func (store) weekStates(ctx context.Context, tn db.Tenant, userIDs []int64, week string) (map[int64]string, error) {
	out := map[int64]string{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []WeekRow
	if err := tn.Select(&rows).Column("user_id", "state").Where("w.user_id IN (?) AND w.week = ?", bun.List(userIDs), week).Scan(ctx); err != nil {
		return nil, err
	}
	for _, w := range rows {
		if w.UserID != nil {
			out[*w.UserID] = w.State
		}
	}
	return out, nil
}

// taskMinutes is the time logged on each task of the ids.
func (store) taskMinutes(ctx context.Context, tn db.Tenant, taskIDs []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(taskIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		TaskID  int64 `bun:"task_id"`
		Minutes int   `bun:"minutes"`
	}
	err := tn.SelectFrom("time_entries", "e").ColumnExpr("e.task_id, SUM(e.minutes) AS minutes").
		Where("e.task_id IN (?)", bun.List(taskIDs)).GroupExpr("e.task_id").Scan(ctx, &rows)
	for _, r := range rows {
		out[r.TaskID] = r.Minutes
	}
	return out, err
}

// projectMinutes is the time logged on each project of the ids: in all, billable, and from
// monthStart to before monthEnd.
func (store) projectMinutes(ctx context.Context, tn db.Tenant, projectIDs []int64, monthStart, monthEnd string) (map[int64]contract.Spent, error) {
	out := map[int64]contract.Spent{}
	if len(projectIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		ProjectID int64 `bun:"project_id"`
		Minutes   int   `bun:"minutes"`
		Billable  int   `bun:"billable"`
		Month     int   `bun:"month"`
	}
	err := tn.SelectFrom("time_entries", "e").ColumnExpr("e.project_id, SUM(e.minutes) AS minutes").
		ColumnExpr("SUM(CASE WHEN e.billable THEN e.minutes ELSE 0 END) AS billable").
		ColumnExpr("SUM(CASE WHEN e.day >= ? AND e.day < ? THEN e.minutes ELSE 0 END) AS month", monthStart, monthEnd).
		Where("e.project_id IN (?)", bun.List(projectIDs)).GroupExpr("e.project_id").Scan(ctx, &rows)
	for _, r := range rows {
		out[r.ProjectID] = contract.Spent{Minutes: r.Minutes, BillableMinutes: r.Billable, MonthMinutes: r.Month}
	}
	return out, err
}

// alerted reports whether the task's passing of this estimate was told already, and records
// it otherwise (true then means: tell it now).
func (store) recordAlert(ctx context.Context, tn db.Tenant, a *EstimateAlert) (bool, error) {
	res, err := tn.Insert(a).On("CONFLICT (account_id, task_id, estimate_minutes) DO NOTHING").Exec(ctx)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// personTimers are the person's timers (privacy.go: at most one).
func (store) personTimers(ctx context.Context, tn db.Tenant, userID int64) ([]Timer, error) {
	out := []Timer{}
	return out, tn.Select(&out).Where("tt.user_id = ?", userID).Scan(ctx)
}

func (store) deletePersonTimers(ctx context.Context, tn db.Tenant, userID int64) error {
	_, err := tn.Delete((*Timer)(nil)).Where("tt.user_id = ?", userID).Exec(ctx)
	return err
}
