package timesheet

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/identity"
)

// rangeMinutes is the time a person logged from one day to another (inclusive), but for the
// entry except (0: none).
func (store) rangeMinutes(ctx context.Context, tn db.Tenant, userID int64, from, to string, except int64) (int, error) {
	var n int
	err := tn.SelectFrom("time_entries", "e").ColumnExpr("COALESCE(SUM(e.minutes), 0)").
		Where("e.user_id = ? AND e.day >= ? AND e.day <= ? AND e.id <> ?", userID, from, to, except).Scan(ctx, &n)
	return n, err
}

// timeUnit is the account's unit of time ("hours" or "days").
func (store) timeUnit(ctx context.Context, tn db.Tenant) (string, error) {
	var u string
	err := tn.Unscoped().NewSelect().Table("accounts").Column("time_unit").Where("id = ?", tn.AccountID).Scan(ctx, &u)
	return u, err
}

// reminderAccount is an account with its reminder setting (defaults where it has none).
type reminderAccount struct {
	ID        int64 `bun:"id"`
	Reminders bool  `bun:"reminders"`
	Weekday   int   `bun:"weekday"`
	Hour      int   `bun:"hour"`
}

// reminderAccounts are the accounts not closed with their reminder settings. It crosses
// accounts (the job's round), hence Unscoped.
func (store) reminderAccounts(ctx context.Context, idb bun.IDB) ([]reminderAccount, error) {
	var out []reminderAccount
	err := idb.NewSelect().TableExpr("accounts AS a").Join("LEFT JOIN timesheet_settings AS ts ON ts.account_id = a.id").
		ColumnExpr("a.id, COALESCE(ts.reminders, TRUE) AS reminders, COALESCE(ts.reminder_weekday, 5) AS weekday, COALESCE(ts.reminder_hour, 16) AS hour").
		Where("a.state <> ?", identity.StateClosed).OrderExpr("a.id").Scan(ctx, &out)
	return out, err
}

// colleague is a person who keeps time, with their time zone.
type colleague struct {
	UserID   int64  `bun:"user_id"`
	TimeZone string `bun:"time_zone"`
}

// timekeepers are the active colleagues of the account (no clients, no one invited or
// deactivated).
func (store) timekeepers(ctx context.Context, tn db.Tenant) ([]colleague, error) {
	var out []colleague
	err := tn.SelectFrom("memberships", "m").Join("JOIN users AS u ON u.id = m.user_id").ColumnExpr("m.user_id, u.time_zone").
		Where("m.role <> ? AND m.status = ? AND m.deactivated_at IS NULL", actor.RoleClient, identity.StatusActive).OrderExpr("m.user_id").Scan(ctx, &out)
	return out, err
}

// weekTotals are the minutes the people logged from one day to another, by person.
func (store) weekTotals(ctx context.Context, tn db.Tenant, userIDs []int64, from, to string) (map[int64]int, error) {
	var rows []struct {
		UserID  int64 `bun:"user_id"`
		Minutes int   `bun:"minutes"`
	}
	err := tn.SelectFrom("time_entries", "e").ColumnExpr("e.user_id, SUM(e.minutes) AS minutes").
		Where("e.user_id IN (?) AND e.day >= ? AND e.day <= ?", bun.List(userIDs), from, to).GroupExpr("e.user_id").Scan(ctx, &rows)
	out := make(map[int64]int, len(rows))
	for _, r := range rows {
		out[r.UserID] = r.Minutes
	}
	return out, err
}

// reminded are the people already reminded of the week.
func (store) reminded(ctx context.Context, tn db.Tenant, userIDs []int64, week string) (map[int64]bool, error) {
	var ids []int64
	err := tn.SelectFrom("timesheet_reminders", "r").Column("r.user_id").Where("r.user_id IN (?) AND r.week = ?", bun.List(userIDs), week).Scan(ctx, &ids)
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// remember records a reminder; false when one of the person's week was recorded already.
func (store) remember(ctx context.Context, tn db.Tenant, r *Reminder) (bool, error) {
	res, err := tn.Insert(r).On("CONFLICT DO NOTHING").Exec(ctx)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (store) settings(ctx context.Context, tn db.Tenant) (*Settings, error) {
	s := &Settings{AccountID: tn.AccountID, Reminders: true, Weekday: 5, Hour: 16}
	err := tn.Select(s).Scan(ctx)
	if db.IsNotFound(err) {
		return s, nil
	}
	return s, err
}

func (store) saveSettings(ctx context.Context, tn db.Tenant, s *Settings) error {
	_, err := tn.Insert(s).On("CONFLICT (account_id) DO UPDATE").
		Set("reminders = EXCLUDED.reminders, reminder_weekday = EXCLUDED.reminder_weekday, reminder_hour = EXCLUDED.reminder_hour, updated_at = EXCLUDED.updated_at").Exec(ctx)
	return err
}

func (store) reminderCount(ctx context.Context, tn db.Tenant, userID int64) (int64, error) {
	n, err := tn.SelectFrom("timesheet_reminders", "r").Where("r.user_id = ?", userID).Count(ctx)
	return int64(n), err
}

func (store) personReminders(ctx context.Context, tn db.Tenant, userID int64) ([]Reminder, error) {
	out := []Reminder{}
	return out, tn.Select(&out).Where("r.user_id = ?", userID).OrderExpr("r.week").Scan(ctx)
}

func (store) eraseReminders(ctx context.Context, tn db.Tenant, userID int64) error {
	_, err := tn.Delete((*Reminder)(nil)).Where("r.user_id = ?", userID).Exec(ctx)
	return err
}
