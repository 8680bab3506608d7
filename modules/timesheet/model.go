package timesheet

import (
	"time"

	"github.com/uptrace/bun"
)

// Week states (the timesheet_week workflow, service_weeks.go).
const (
	StateOpen      = "open"
	StateSubmitted = "submitted"
	StateApproved  = "approved"
	StateRejected  = "rejected"
)

// Category is a time category of the account: administrative (holiday, training, internal:
// time on no project) or project (a kind of work on projects: design, meetings).
type Category struct {
	bun.BaseModel `bun:"table:time_categories,alias:c"`

	ID         int64      `bun:"id,pk,autoincrement" json:"id"`
	AccountID  int64      `bun:"account_id" json:"-"`
	Name       string     `bun:"name" json:"name"`
	Kind       string     `bun:"kind" json:"kind" enum:"administrative,project"`
	Billable   bool       `bun:"billable" json:"billable"`
	ArchivedAt *time.Time `bun:"archived_at" json:"archived_at"`
	CreatedAt  time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt  time.Time  `bun:"updated_at" json:"updated_at"`
}

// CategoryInput creates a category.
type CategoryInput struct {
	Name     string `json:"name" openapi:"required" example:"Training"`
	Billable bool   `json:"billable" example:"false"`
	// Kind is administrative (the default) or project.
	Kind string `json:"kind" enum:"administrative,project" example:"administrative"`
}

// CategoryPatch changes a category; archived false brings an archived one back.
type CategoryPatch struct {
	Name     *string `json:"name" example:"Internal training"`
	Billable *bool   `json:"billable" example:"false"`
	Archived *bool   `json:"archived" example:"false"`
	// Kind changes only while no time is logged on the category (409 otherwise).
	Kind *string `json:"kind" enum:"administrative,project" example:"project"`
}

// Entry is time a person logged on a day: on a project (and optionally a task of it, and a
// project category) or on an administrative category. UserID is nil once the person is erased: the time stays in the account's totals.
type Entry struct {
	bun.BaseModel `bun:"table:time_entries,alias:e"`

	ID         int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID  int64     `bun:"account_id" json:"-"`
	UserID     *int64    `bun:"user_id" json:"user_id"`
	Date       string    `bun:"day" json:"date" format:"date"`
	Minutes    int       `bun:"minutes" json:"minutes"`
	ProjectID  *int64    `bun:"project_id" json:"project_id"`
	TaskID     *int64    `bun:"task_id" json:"task_id"`
	CategoryID *int64    `bun:"category_id" json:"category_id"`
	Billable   bool      `bun:"billable" json:"billable"`
	Note       string    `bun:"note" json:"note"`
	CreatedAt  time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt  time.Time `bun:"updated_at" json:"updated_at"`
	// InvoiceBatchID is the invoicing export that billed the entry (service_invoicing.go): it is locked.
	InvoiceBatchID *int64 `bun:"invoice_batch_id" json:"invoice_batch_id"`

	// Names, for people: the project's, the task's or the category's.
	ProjectName  string `bun:"-" json:"project_name,omitempty"`
	TaskTitle    string `bun:"-" json:"task_title,omitempty"`
	CategoryName string `bun:"-" json:"category_name,omitempty"`
}

// EntryInput logs time. The duration is minutes, or duration as people type it ("1:30",
// "1h30", "1.5h", "90m", "2h"); one of them. Either project_id (and optionally task_id and a
// project category_id) or an administrative category_id. user_id logs time on a colleague's sheet (their manager); default: yours.
type EntryInput struct {
	UserID     int64  `json:"user_id" example:"0"`
	Date       string `json:"date" openapi:"required" format:"date" example:"2026-12-07"`
	Minutes    int    `json:"minutes" example:"90"`
	Duration   string `json:"duration" example:"1h30"`
	ProjectID  int64  `json:"project_id" example:"3"`
	TaskID     int64  `json:"task_id" example:"0"`
	CategoryID int64  `json:"category_id" example:"0"`
	Billable   *bool  `json:"billable" example:"true"`
	Note       string `json:"note" example:"Workshop with the client"`
}

// EntryPatch changes an entry: only what it names. Setting project_id clears an administrative
// category (a project one stays), setting an administrative category clears the project;
// task_id 0 clears the task, category_id 0 the category.
type EntryPatch struct {
	Date       *string `json:"date" format:"date" example:"2026-12-08"`
	Minutes    *int    `json:"minutes" example:"60"`
	Duration   *string `json:"duration" example:"1:00"`
	ProjectID  *int64  `json:"project_id" example:"3"`
	TaskID     *int64  `json:"task_id" example:"0"`
	CategoryID *int64  `json:"category_id" example:"0"`
	Billable   *bool   `json:"billable" example:"false"`
	Note       *string `json:"note" example:"Preparation"`
}

// WeekRow is a person's week, kept once time is logged in it or it changes state.
type WeekRow struct {
	bun.BaseModel `bun:"table:timesheet_weeks,alias:w"`

	ID          int64      `bun:"id,pk,autoincrement"`
	AccountID   int64      `bun:"account_id"`
	UserID      *int64     `bun:"user_id"`
	Week        string     `bun:"week"`
	State       string     `bun:"state"`
	Comment     string     `bun:"comment"`
	DecidedBy   *int64     `bun:"decided_by"`
	DecidedAt   *time.Time `bun:"decided_at"`
	SubmittedAt *time.Time `bun:"submitted_at"`
	CreatedAt   time.Time  `bun:"created_at"`
	UpdatedAt   time.Time  `bun:"updated_at"`
}

// Timesheet is a person's week: its state, its days and their entries, the totals.
type Timesheet struct {
	UserID       int64      `json:"user_id"`
	UserName     string     `json:"user_name"`
	Week         string     `json:"week" example:"2026-W49"`
	State        string     `json:"state" enum:"open,submitted,approved,rejected"`
	Comment      string     `json:"comment"`
	SubmittedAt  *time.Time `json:"submitted_at"`
	DecidedAt    *time.Time `json:"decided_at"`
	Days         []Day      `json:"days"`
	TotalMinutes int        `json:"total_minutes"`
	// Allowed are the transitions the reader may fire now (submit, approve, reject, reopen).
	Allowed []string `json:"allowed"`
	// Locked: entries of the week cannot change (submitted or approved).
	Locked bool `json:"locked"`
}

// Day is one day of a week.
type Day struct {
	Date    string  `json:"date" format:"date"`
	Minutes int     `json:"minutes"`
	Entries []Entry `json:"entries"`
}

// DecisionInput comes with an approval, a rejection (comment required) or a reopening.
type DecisionInput struct {
	Comment string `json:"comment" example:"Please split the workshop between the two projects."`
}
