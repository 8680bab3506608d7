package timesheet

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/app"
	"groupcamp/core/automation"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	"groupcamp/jobs"
	"groupcamp/modules/timesheet/contract"
)

// Reminders: a scheduled job reminds the people whose current week holds less time than their
// capacity profiles expect of it, and is not submitted, at the account's weekday and hour in
// each person's own time zone (Settings; by default Friday 16:00), once per person and week.

// taskRemind is the reminder round over every account.
const taskRemind = "timesheet:remind"

// Settings are an account's timesheet settings: when reminders go.
type Settings struct {
	bun.BaseModel `bun:"table:timesheet_settings,alias:ts"`

	ID        int64 `bun:"id,pk,autoincrement" json:"-"`
	AccountID int64 `bun:"account_id" json:"-"`
	// Reminders: people whose week is incomplete are reminded.
	Reminders bool `bun:"reminders" json:"reminders" example:"true"`
	// Weekday is the day of the reminder, 1 Monday to 7 Sunday, and Hour its hour, both in
	// each person's own time zone.
	Weekday   int       `bun:"reminder_weekday" json:"reminder_weekday" example:"5"`
	Hour      int       `bun:"reminder_hour" json:"reminder_hour" example:"16"`
	UpdatedAt time.Time `bun:"updated_at" json:"updated_at"`
}

// SettingsPatch changes the settings: only what it names.
type SettingsPatch struct {
	Reminders *bool `json:"reminders" example:"true"`
	Weekday   *int  `json:"reminder_weekday" example:"5"`
	Hour      *int  `json:"reminder_hour" example:"16"`
}

// Reminder is a reminder sent: the person, their week, what was logged and expected.
type Reminder struct {
	bun.BaseModel `bun:"table:timesheet_reminders,alias:r"`

	ID        int64     `bun:"id,pk,autoincrement" json:"-"`
	AccountID int64     `bun:"account_id" json:"-"`
	UserID    int64     `bun:"user_id" json:"-"`
	Week      string    `bun:"week" json:"week"`
	Logged    int       `bun:"logged_minutes" json:"logged_minutes"`
	Expected  int       `bun:"expected_minutes" json:"expected_minutes"`
	SentAt    time.Time `bun:"sent_at" json:"sent_at"`
}

// reminders registers the reminder job: every quarter of an hour (time zones are offset by
// quarters), each person is reminded once their own weekday and hour have come.
func (m *Module) reminders(r *app.Registry) {
	r.Publish(contract.Reminded)
	r.Task(taskRemind, func(ctx context.Context, _ []byte) error {
		_, err := m.svc.Remind(ctx, m.svc.now())
		return err
	})
	r.Every("*/15 * * * *", taskRemind, nil, jobs.Low)
}

// Settings are the account's timesheet settings.
func (s *Service) Settings(ctx context.Context, a *actor.Actor) (*Settings, error) {
	return s.store.settings(ctx, s.tenant(a.AccountID()))
}

// SetSettings changes the account's timesheet settings (administrators).
func (s *Service) SetSettings(ctx context.Context, a *actor.Actor, in SettingsPatch) (*Settings, error) {
	tn := s.tenant(a.AccountID())
	st, err := s.store.settings(ctx, tn)
	if err != nil {
		return nil, err
	}
	var f problem.Fields
	if in.Reminders != nil {
		st.Reminders = *in.Reminders
	}
	if in.Weekday != nil {
		st.Weekday = *in.Weekday
		f.Check(st.Weekday >= 1 && st.Weekday <= 7, "reminder_weekday", "must be a weekday from 1 (Monday) to 7 (Sunday)")
	}
	if in.Hour != nil {
		st.Hour = *in.Hour
		f.Check(st.Hour >= 0 && st.Hour <= 23, "reminder_hour", "must be an hour from 0 to 23")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	st.UpdatedAt = s.now()
	return st, s.store.saveSettings(ctx, tn, st)
}

// Remind runs the reminder round of every account at now; it returns how many people were
// reminded. An account's failure does not stop the others'.
func (s *Service) Remind(ctx context.Context, now time.Time) (int, error) {
	accs, err := s.store.reminderAccounts(ctx, s.DB)
	if err != nil {
		return 0, err
	}
	total := 0
	var first error
	for _, acc := range accs {
		if !acc.Reminders {
			continue
		}
		n, err := s.RemindAccount(ctx, acc.ID, now, acc.Weekday, acc.Hour)
		total += n
		if err != nil && first == nil {
			first = fmt.Errorf("timesheet: reminders of account %d: %w", acc.ID, err)
		}
	}
	return total, first
}

// due reports whether the reminder moment (ISO weekday, hour) of the week has come at local.
func due(local time.Time, weekday, hour int) bool {
	wd := int(local.Weekday())
	if wd == 0 {
		wd = 7
	}
	return wd > weekday || (wd == weekday && local.Hour() >= hour)
}

// RemindAccount reminds the people of an account whose reminder moment of their current week
// has come at now (weekday 1–7 and hour of their own time zone), whose week is neither
// submitted nor approved, holds less than their profiles expect and was not reminded yet.
func (s *Service) RemindAccount(ctx context.Context, accountID int64, now time.Time, weekday, hour int) (int, error) {
	tn := s.tenant(accountID)
	people, err := s.store.timekeepers(ctx, tn)
	if err != nil {
		return 0, err
	}
	// The people by their current week (a round at a week's turn sees two).
	byWeek := map[Week][]int64{}
	zones := map[string]*time.Location{}
	for _, p := range people {
		loc, ok := zones[p.TimeZone]
		if !ok {
			if loc, err = time.LoadLocation(p.TimeZone); err != nil || p.TimeZone == "" {
				loc = time.UTC
			}
			zones[p.TimeZone] = loc
		}
		local := now.In(loc)
		if !due(local, weekday, hour) {
			continue
		}
		w := WeekOf(time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC))
		byWeek[w] = append(byWeek[w], p.UserID)
	}
	sent := 0
	for w, ids := range byWeek {
		n, err := s.remindWeek(ctx, tn, w, ids, now)
		sent += n
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// remindWeek reminds those of the people whose week w is incomplete.
func (s *Service) remindWeek(ctx context.Context, tn db.Tenant, w Week, ids []int64, now time.Time) (int, error) {
	days := w.Days()
	logged, err := s.store.weekTotals(ctx, tn, ids, days[0], days[6])
	if err != nil {
		return 0, err
	}
	states, err := s.store.weekStates(ctx, tn, ids, w.String())
	if err != nil {
		return 0, err
	}
	done, err := s.store.reminded(ctx, tn, ids, w.String())
	if err != nil {
		return 0, err
	}
	sc, err := s.Capacity.ProfilesOn(ctx, tn.AccountID, ids, days[6])
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, uid := range ids {
		if st := states[uid]; st == StateSubmitted || st == StateApproved || done[uid] {
			continue
		}
		expected := sc.Expected(uid, w.Monday(), w.Monday().AddDate(0, 0, 6))
		if expected == 0 || logged[uid] >= expected {
			continue
		}
		r := &Reminder{AccountID: tn.AccountID, UserID: uid, Week: w.String(), Logged: logged[uid], Expected: expected, SentAt: now}
		err := tn.RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
			fresh, err := s.store.remember(ctx, tx, r)
			if err != nil || !fresh {
				return err
			}
			sent++
			if _, err := contract.Reminded.Emit(ctx, tx.Unscoped(), tx.AccountID, 0, contract.ReminderEvent{UserID: uid, Week: r.Week, LoggedMinutes: r.Logged, ExpectedMinutes: r.Expected}); err != nil {
				return err
			}
			if s.Notifier == nil {
				return nil
			}
			return s.Notifier.Notify(ctx, tx.Unscoped(), automation.Notice{AccountID: tx.AccountID, UserIDs: []int64{uid}, EventType: contract.Reminded.Type,
				Key: "timesheet.notice.reminder", Args: []any{"Week", r.Week, "Logged", HoursText(r.Logged), "Expected", HoursText(r.Expected)},
				Text: fmt.Sprintf("Your week %s holds %s of the %s expected: complete and submit it.", r.Week, HoursText(r.Logged), HoursText(r.Expected)),
				Path: fmt.Sprintf("/timesheet/%d/%s", uid, r.Week)})
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}
