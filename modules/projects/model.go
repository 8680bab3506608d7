package projects

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Project states.
const (
	StateActive   = "active"
	StateArchived = "archived"
	StateTrash    = "trash"
)

// Project access: open to every colleague of the account, or to its members only.
const (
	AccessOpen   = "open"
	AccessInvite = "invite"
)

// Roles inside a project.
const (
	RoleManager = "manager"
	RoleMember  = "member"
	RoleClient  = "client"
)

// List visibility: internal to the account's colleagues, or shared with chosen client
// companies (what their people see in the extranet).
const (
	VisibilityInternal = "internal"
	VisibilityClients  = "clients"
)

// Task statuses; a task is done when every assignee has completed their part, or when someone
// sets it done.
const (
	StatusOpen       = "open"
	StatusInProgress = "in_progress"
	StatusDone       = "done"
)

// Task priorities.
const (
	PriorityLow    = "low"
	PriorityNormal = "normal"
	PriorityHigh   = "high"
	PriorityUrgent = "urgent"
)

// TrashDays is how long a trashed project or task can be restored before it is purged.
const TrashDays = 30

// Project is a project of an account.
type Project struct {
	bun.BaseModel `bun:"table:projects,alias:p"`

	ID                int64      `bun:"id,pk,autoincrement" json:"id"`
	AccountID         int64      `bun:"account_id" json:"-"`
	Name              string     `bun:"name" json:"name"`
	Code              string     `bun:"code" json:"code"`
	ClientCompanyID   *int64     `bun:"client_company_id" json:"client_company_id"`
	Category          string     `bun:"category" json:"category"` // the name of CategoryID (kept in step), "" when none
	CategoryID        *int64     `bun:"category_id" json:"category_id"`
	Tags              []string   `bun:"tags,type:text" json:"tags"`
	StartsOn          Date       `bun:"starts_on" json:"starts_on"`
	EndsOn            Date       `bun:"ends_on" json:"ends_on"`
	LeaderID          *int64     `bun:"leader_id" json:"leader_id"`
	AssistantLeaderID *int64     `bun:"assistant_leader_id" json:"assistant_leader_id"`
	Access            string     `bun:"access" json:"access" enum:"open,invite"`
	GuestsAllowed     bool       `bun:"guests_allowed" json:"guests_allowed"`
	State             string     `bun:"state" json:"state" enum:"active,archived,trash"`
	ArchivedAt        *time.Time `bun:"archived_at" json:"archived_at,omitempty"`
	TrashedAt         *time.Time `bun:"trashed_at" json:"trashed_at,omitempty"`
	CreatedBy         *int64     `bun:"created_by" json:"created_by"`
	CreatedAt         time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt         time.Time  `bun:"updated_at" json:"updated_at"`

	// IsTemplate marks a project others are created from (service_templates.go).
	IsTemplate bool `bun:"is_template" json:"is_template"`
	// Apps are the apps (tabs) the project shows, in the order of AllApps.
	Apps []string `bun:"apps,type:text" json:"apps" enum:"tasks,board,gantt,calendar,files"`
	// TagColors gives each tag its colour (Palette); read back, every tag has one.
	TagColors map[string]string `bun:"tag_colors,type:text" json:"tag_colors"`

	// PurgeAfter is when a trashed project is purged (until then it can be restored).
	PurgeAfter *time.Time `bun:"-" json:"purge_after,omitempty"`
	// Per reader: whether the reader starred it, and what the reader may see of it.
	Starred bool          `bun:"-" json:"starred"`
	Counts  ProjectCounts `bun:"-" json:"counts"`
}

// ProjectCounts are the numbers a reader sees of a project: a client counts only the lists
// shared with their company and the tasks in them.
type ProjectCounts struct {
	Lists     int `json:"lists"`
	Tasks     int `json:"tasks"`
	OpenTasks int `json:"open_tasks"`
}

// ProjectMember is a person's role in a project.
type ProjectMember struct {
	bun.BaseModel `bun:"table:project_members,alias:pm"`

	AccountID int64     `bun:"account_id,pk" json:"-"`
	ProjectID int64     `bun:"project_id,pk" json:"project_id"`
	UserID    int64     `bun:"user_id,pk" json:"user_id"`
	Role      string    `bun:"role" json:"role" enum:"manager,member,client"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`

	// From the person's account membership.
	Name      string `bun:"name,scanonly" json:"name"`
	Email     string `bun:"email,scanonly" json:"email" format:"email"`
	CompanyID int64  `bun:"company_id,scanonly" json:"company_id"`
}

type star struct {
	bun.BaseModel `bun:"table:project_stars"`

	AccountID int64     `bun:"account_id,pk"`
	UserID    int64     `bun:"user_id,pk"`
	ProjectID int64     `bun:"project_id,pk"`
	CreatedAt time.Time `bun:"created_at"`
}

// Milestone is a dated goal of a project; task lists may belong to one.
type Milestone struct {
	bun.BaseModel `bun:"table:milestones,alias:m"`

	ID          int64      `bun:"id,pk,autoincrement" json:"id"`
	AccountID   int64      `bun:"account_id" json:"-"`
	ProjectID   int64      `bun:"project_id" json:"project_id"`
	Name        string     `bun:"name" json:"name"`
	DueOn       Date       `bun:"due_on" json:"due_on"`
	CompletedAt *time.Time `bun:"completed_at" json:"completed_at"`
	CreatedAt   time.Time  `bun:"created_at" json:"created_at"`
}

// TaskList groups tasks; its visibility decides whether clients see it.
type TaskList struct {
	bun.BaseModel `bun:"table:task_lists,alias:l"`

	ID          int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID   int64     `bun:"account_id" json:"-"`
	ProjectID   int64     `bun:"project_id" json:"project_id"`
	MilestoneID *int64    `bun:"milestone_id" json:"milestone_id"`
	Name        string    `bun:"name" json:"name"`
	Visibility  string    `bun:"visibility" json:"visibility" enum:"internal,clients"`
	Position    int64     `bun:"position" json:"position"`
	CreatedAt   time.Time `bun:"created_at" json:"created_at"`
	// TrashedAt is when the list went to the trash with its tasks (service_trash.go); every
	// read but the trash's leaves such a list out.
	TrashedAt *time.Time `bun:"trashed_at" json:"trashed_at,omitempty"`

	// PurgeAfter is when a trashed list goes for good, and TrashedTasks how many tasks went to
	// the trash with it (the trash's answers only).
	PurgeAfter   *time.Time `bun:"-" json:"purge_after,omitempty"`
	TrashedTasks int        `bun:"-" json:"trashed_tasks,omitempty"`

	// CompanyIDs are the client companies the list is shared with. A client reader sees only
	// their own company here: which other clients share the list is not theirs to know.
	CompanyIDs []int64   `bun:"-" json:"company_ids"`
	Counts     ListCount `bun:"-" json:"counts"`
}

// ListCount counts the tasks of a list.
type ListCount struct {
	Tasks int `json:"tasks"`
	Done  int `json:"done"`
}

type listCompany struct {
	bun.BaseModel `bun:"table:task_list_companies"`

	AccountID int64 `bun:"account_id,pk"`
	ListID    int64 `bun:"list_id,pk"`
	CompanyID int64 `bun:"company_id,pk"`
}

// Task is a piece of work in a list, with parallel assignees.
type Task struct {
	bun.BaseModel `bun:"table:tasks,alias:t"`

	ID           int64      `bun:"id,pk,autoincrement" json:"id"`
	AccountID    int64      `bun:"account_id" json:"-"`
	ProjectID    int64      `bun:"project_id" json:"project_id"`
	ListID       int64      `bun:"list_id" json:"list_id"`
	Title        string     `bun:"title" json:"title"`
	Description  string     `bun:"description" json:"description"` // Markdown as written; sanitized when rendered
	StartsOn     Date       `bun:"starts_on" json:"starts_on"`
	DueOn        Date       `bun:"due_on" json:"due_on"`
	Priority     string     `bun:"priority" json:"priority" enum:"low,normal,high,urgent"`
	Status       string     `bun:"status" json:"status" enum:"open,in_progress,done"`
	CustomStatus string     `bun:"custom_status" json:"custom_status"` // the key of a custom status of the project ("" for none); Status is its base
	Position     int64      `bun:"position" json:"position"`
	CompletedAt  *time.Time `bun:"completed_at" json:"completed_at"`
	CreatedBy    *int64     `bun:"created_by" json:"created_by"`
	CreatedAt    time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt    time.Time  `bun:"updated_at" json:"updated_at"`
	// TrashedAt is when the task was deleted to its project's trash (null: in use); a trashed
	// task is shown only by the trash (GET .../projects/{id}/trash) until restored or purged.
	TrashedAt *time.Time `bun:"trashed_at" json:"trashed_at,omitempty"`
	// PurgeAfter is when a trashed task is purged (until then it can be restored).
	PurgeAfter *time.Time `bun:"-" json:"purge_after,omitempty"`

	Assignees      []Assignee  `bun:"-" json:"assignees"`
	Recurrence     *Recurrence `bun:"-" json:"recurrence,omitempty"` // set when the task repeats
	PredecessorIDs []int64     `bun:"-" json:"predecessor_ids"`
	SuccessorIDs   []int64     `bun:"-" json:"successor_ids"`
	// Rescheduled lists the tasks a change of this one moved (successors, in the order they
	// moved); set only on the answer to that change.
	Rescheduled []int64 `bun:"-" json:"rescheduled,omitempty"`
	// Task details (model_taskdetails.go): its labels and its checklist's counts; the items
	// themselves come on the answers about one task, not in lists.
	Labels         []LabelRef       `bun:"-" json:"labels"`
	ChecklistDone  int              `bun:"-" json:"checklist_done"`
	ChecklistTotal int              `bun:"-" json:"checklist_total"`
	Checklist      *[]ChecklistItem `bun:"-" json:"checklist,omitempty"`
}

// Assignee is one person's share of a task: their estimate, progress and completion.
type Assignee struct {
	bun.BaseModel `bun:"table:task_assignees,alias:ta"`

	AccountID       int64      `bun:"account_id,pk" json:"-"`
	TaskID          int64      `bun:"task_id,pk" json:"-"`
	UserID          int64      `bun:"user_id,pk" json:"user_id"`
	EstimateMinutes int64      `bun:"estimate_minutes" json:"estimate_minutes"`
	Progress        int64      `bun:"progress" json:"progress"`
	CompletedAt     *time.Time `bun:"completed_at" json:"completed_at"`
}

// Dependency says that Successor may start only when Predecessor is finished.
type Dependency struct {
	bun.BaseModel `bun:"table:task_dependencies,alias:d"`

	AccountID     int64     `bun:"account_id,pk" json:"-"`
	ProjectID     int64     `bun:"project_id,pk" json:"project_id"`
	SuccessorID   int64     `bun:"successor_id,pk" json:"successor_id"`
	PredecessorID int64     `bun:"predecessor_id,pk" json:"predecessor_id"`
	Kind          string    `bun:"kind" json:"kind" enum:"finish_to_start"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`

	// Rescheduled lists the tasks that moved because of this dependency.
	Rescheduled []int64 `bun:"-" json:"rescheduled"`
}

// KindFinishToStart is the one dependency kind so far.
const KindFinishToStart = "finish_to_start"

// Comment is a message on a task.
type Comment struct {
	bun.BaseModel `bun:"table:comments,alias:c"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64     `bun:"account_id" json:"-"`
	ProjectID int64     `bun:"project_id" json:"project_id"`
	TaskID    int64     `bun:"task_id" json:"task_id"`
	AuthorID  *int64    `bun:"author_id" json:"author_id"`
	Body      string    `bun:"body" json:"body"` // Markdown as written; sanitized when rendered
	Mentions  []int64   `bun:"mentions,type:text" json:"mentioned_user_ids"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
	// EditedAt is when the author last changed the body (null: never edited).
	EditedAt *time.Time `bun:"edited_at" json:"edited_at"`
	// Plugin is the partner plugin that posted the comment through the host API (null: a
	// person wrote it). Its author is then the plugin: author_name is the plugin's name and
	// author_kind "plugin"; author_id is the person the plugin acted for (with their rights),
	// who cannot edit it as their own.
	Plugin *string `bun:"plugin" json:"plugin" example:"status-report"`

	AuthorName string `bun:"author_name,scanonly" json:"author_name"`
	// AuthorKind is "person", or "plugin" when a plugin posted the comment.
	AuthorKind string `bun:"author_kind,scanonly" json:"author_kind" enum:"person,plugin"`
	// BehalfName is, for a plugin's comment, the name of the person it acted for.
	BehalfName string `bun:"behalf_name,scanonly" json:"on_behalf_of_name,omitempty"`
}

// Activity is one line of a project's feed. ListID is the list the line concerns: a client
// sees the line only when that list is shared with their company; lines about the project
// itself (no list) are internal.
type Activity struct {
	bun.BaseModel `bun:"table:activity,alias:act"`

	ID          int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID   int64     `bun:"account_id" json:"-"`
	ProjectID   int64     `bun:"project_id" json:"project_id"`
	ListID      *int64    `bun:"list_id" json:"list_id"`
	ActorID     *int64    `bun:"actor_id" json:"actor_id"`
	Verb        string    `bun:"verb" json:"verb"`
	TargetType  string    `bun:"target_type" json:"target_type"`
	TargetID    int64     `bun:"target_id" json:"target_id"`
	TargetTitle string    `bun:"target_title" json:"target_title"`
	CreatedAt   time.Time `bun:"created_at" json:"created_at"`
	// Plugin names the partner plugin that did it on the actor's behalf (a comment it posted);
	// nil when the actor did it themself.
	Plugin *string `bun:"plugin" json:"plugin"`

	ActorName string `bun:"actor_name,scanonly" json:"actor_name"`
}

// Date is a calendar day as "YYYY-MM-DD", or "" for none. It is a string so that the API, the
// OpenAPI document and comparisons in either database all see the same text; it is stored in a
// DATE column (NULL for none) and read back from a date (PostgreSQL) or text (SQLite).
type Date string

const dateLayout = "2006-01-02"

// ParseDate reads "YYYY-MM-DD" (a real day of the Gregorian calendar).
func ParseDate(s string) (Date, bool) {
	t, err := time.Parse(dateLayout, s)
	if err != nil || len(s) != len(dateLayout) {
		return "", false
	}
	return Date(t.Format(dateLayout)), true
}

// DateOf is the calendar day of t in UTC.
func DateOf(t time.Time) Date { return Date(t.UTC().Format(dateLayout)) }

// DateIn is the calendar day of instant t in the time zone loc.
func DateIn(t time.Time, loc *time.Location) Date { return Date(t.In(loc).Format(dateLayout)) }

// Time is the day at midnight UTC (the zero time for no day).
func (d Date) Time() time.Time {
	t, _ := time.Parse(dateLayout, string(d))
	return t
}

// Value stores the day, or NULL.
func (d Date) Value() (driver.Value, error) {
	if d == "" {
		return nil, nil
	}
	return string(d), nil
}

// Scan reads a date (PostgreSQL), a time or text (SQLite), or NULL.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = ""
	case time.Time:
		*d = DateOf(v)
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	default:
		return fmt.Errorf("projects: cannot read a date from %T", src)
	}
	return nil
}

func (d *Date) scanText(s string) error {
	if len(s) < len(dateLayout) {
		return fmt.Errorf("projects: %q is not a date", s)
	}
	day, ok := ParseDate(s[:len(dateLayout)])
	if !ok {
		return fmt.Errorf("projects: %q is not a date", s)
	}
	*d = day
	return nil
}

// OpenAPISchema describes a Date in the OpenAPI document: a YYYY-MM-DD day, or null.
func (Date) OpenAPISchema() map[string]any {
	return map[string]any{"type": []any{"string", "null"}, "format": "date", "example": "2026-03-02"}
}

// MarshalJSON writes the day, or null.
func (d Date) MarshalJSON() ([]byte, error) {
	if d == "" {
		return []byte("null"), nil
	}
	return json.Marshal(string(d))
}

// UnmarshalJSON reads a day or null (for API clients written in Go).
func (d *Date) UnmarshalJSON(b []byte) error {
	var s *string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if s == nil || *s == "" {
		*d = ""
		return nil
	}
	day, ok := ParseDate(*s)
	if !ok {
		return fmt.Errorf("projects: %q is not a YYYY-MM-DD date", *s)
	}
	*d = day
	return nil
}

// weekend reports whether t falls on a Saturday or a Sunday: work is scheduled Monday to
// Friday (per-person work capacity profiles come with resource planning).
func weekend(t time.Time) bool { return t.Weekday() == time.Saturday || t.Weekday() == time.Sunday }

// AddWorkdays returns the n-th working day after d (n >= 1) — Friday + 1 and Saturday + 1
// are both Monday; AddWorkdays(0) is d itself, or the Monday after when d falls on a weekend.
// It costs the same for any n (no day-by-day walk).
func (d Date) AddWorkdays(n int) Date {
	t := d.Time()
	if n > 0 {
		t, n = t.AddDate(0, 0, 1), n-1
	}
	for weekend(t) {
		t = t.AddDate(0, 0, 1)
	}
	// t is the first working day; whole weeks keep the weekday, the rest is walked.
	t = t.AddDate(0, 0, n/5*7)
	for n %= 5; n > 0; {
		t = t.AddDate(0, 0, 1)
		if !weekend(t) {
			n--
		}
	}
	return DateOf(t)
}

// Workdays counts the working days after d up to and including to (0 when to is not later).
func (d Date) Workdays(to Date) int {
	return max(0, workdaysSinceEpoch(to.Time())-workdaysSinceEpoch(d.Time()))
}

// epoch is a Sunday: the days after it come in weeks that start on a Monday.
var epoch = time.Date(1969, time.December, 28, 0, 0, 0, 0, time.UTC)

// workdaysSinceEpoch counts the working days after epoch up to and including t.
func workdaysSinceEpoch(t time.Time) int {
	days := int((t.Unix() - epoch.Unix()) / 86400)
	weeks, rest := days/7, days%7
	if rest < 0 { // floor division for days before the epoch
		weeks, rest = weeks-1, rest+7
	}
	return weeks*5 + min(rest, 5)
}
