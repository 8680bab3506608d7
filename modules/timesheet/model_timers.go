package timesheet

import (
	"time"

	"github.com/uptrace/bun"
)

// Timer is a person's running timer: on a project (and optionally a task of it) or a category,
// since StartedAt. Stopping it makes a time entry of the elapsed minutes on the day it started
// (in the person's time zone); a person has at most one.
type Timer struct {
	bun.BaseModel `bun:"table:timesheet_timers,alias:tt"`

	ID         int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID  int64     `bun:"account_id" json:"-"`
	UserID     int64     `bun:"user_id" json:"user_id"`
	ProjectID  *int64    `bun:"project_id" json:"project_id"`
	TaskID     *int64    `bun:"task_id" json:"task_id"`
	CategoryID *int64    `bun:"category_id" json:"category_id"`
	Note       string    `bun:"note" json:"note"`
	StartedAt  time.Time `bun:"started_at" json:"started_at"`
	CreatedAt  time.Time `bun:"created_at" json:"-"`

	// Label is what it runs on: "Project › Task" or the category's name.
	Label string `bun:"-" json:"label"`
	// Date is the day it started on, in the person's time zone: the day of its entry.
	Date string `bun:"-" json:"date" format:"date"`
	// ElapsedMinutes is how long it has run, rounded to the minute.
	ElapsedMinutes int `bun:"-" json:"elapsed_minutes"`
	// PastMidnight: it started on an earlier day than today (person's time zone); a stop then
	// needs stopped_at, so that a forgotten timer never makes a 20-hour entry.
	PastMidnight bool `bun:"-" json:"past_midnight"`
}

// TimerStart starts a timer: on a task (its project is found), a project, or a category.
type TimerStart struct {
	ProjectID  int64  `json:"project_id" example:"3"`
	TaskID     int64  `json:"task_id" example:"12"`
	CategoryID int64  `json:"category_id" example:"0"`
	Note       string `json:"note" example:"Fixing the login page"`
}

// TimerStop stops the running timer. stopped_at is required when the timer has run past
// midnight: it must be on the day the timer started, not before its start nor in the future.
type TimerStop struct {
	StoppedAt *time.Time `json:"stopped_at" example:"2026-12-07T17:45:00Z"`
	Note      *string    `json:"note" example:"Fixed the login page"`
}

// CurrentTimer is the running timer of the reader, null when none runs.
type CurrentTimer struct {
	Timer *Timer `json:"timer"`
}

// TimerStarted is the timer started, and the entry made by stopping the one that ran before.
type TimerStarted struct {
	Timer   *Timer `json:"timer"`
	Stopped *Entry `json:"stopped"`
}

// PeriodLock is the account's period lock: no time changes on a day before LockedBefore
// ("" for no lock), whatever the state of its week.
type PeriodLock struct {
	bun.BaseModel `bun:"table:timesheet_period_locks,alias:pl"`

	ID           int64     `bun:"id,pk,autoincrement" json:"-"`
	AccountID    int64     `bun:"account_id" json:"-"`
	LockedBefore string    `bun:"locked_before" json:"locked_before" format:"date"`
	UpdatedAt    time.Time `bun:"updated_at" json:"updated_at"`
}

// LockInput sets the period lock; "" lifts it.
type LockInput struct {
	LockedBefore string `json:"locked_before" openapi:"required" format:"date" example:"2026-11-30"`
}

// TeamWeek is a week of the people a manager oversees: one row per person.
type TeamWeek struct {
	Week  string    `json:"week" example:"2026-W49"`
	Days  []string  `json:"days"`
	Items []TeamRow `json:"items"`
	// Teams are the teams one may filter by.
	Teams []TeamRef `json:"teams"`
	// NextCursor reads the next page of people (?cursor=), "" on the last.
	NextCursor string `json:"next_cursor"`
}

// TeamRow is one person's week in the team view.
type TeamRow struct {
	UserID       int64    `json:"user_id"`
	Name         string   `json:"name"`
	DayMinutes   []int    `json:"day_minutes"`
	TotalMinutes int      `json:"total_minutes"`
	State        string   `json:"state" enum:"open,submitted,approved,rejected"`
	Allowed      []string `json:"allowed"`
}

// TeamRef names a team.
type TeamRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// EstimateAlert remembers that a task's logged time passed an estimate, so that its project's
// leader hears of it once per estimate (a raised estimate can be passed again).
type EstimateAlert struct {
	bun.BaseModel `bun:"table:timesheet_estimate_alerts,alias:ea"`

	ID              int64     `bun:"id,pk,autoincrement"`
	AccountID       int64     `bun:"account_id"`
	TaskID          int64     `bun:"task_id"`
	ProjectID       int64     `bun:"project_id"`
	EstimateMinutes int       `bun:"estimate_minutes"`
	LoggedMinutes   int       `bun:"logged_minutes"`
	CreatedAt       time.Time `bun:"created_at"`
}
