package projects

// Task details: a project's custom statuses (its Kanban columns), its labels, and each
// task's checklist. They add to tasks without changing what the rest of the module reads: a
// custom status counts as one of the three base statuses, which tasks.status keeps, so
// progress, "done", completion events, filters and counts work as before.

import (
	"regexp"
	"time"

	"github.com/uptrace/bun"
)

// Limits of the task details.
const (
	MaxStatuses      = 20  // custom statuses of a project
	MaxStatusName    = 50  // a custom status's name
	MaxLabels        = 100 // labels of a project
	MaxLabelName     = 50  // a label's name
	MaxTaskLabels    = 20  // labels on one task
	MaxChecklist     = 100 // checklist items of one task
	MaxChecklistText = 500 // one checklist item
)

// Colors is the palette of statuses and labels. A colour is a name, not a CSS value: the
// pages draw it with a class (chip-red, col-red), since the CSP forbids style attributes,
// and the API stays free of presentation.
var Colors = []string{"gray", "red", "orange", "yellow", "green", "teal", "blue", "purple", "pink"}

// baseStatuses are the statuses every project has, in board order.
var baseStatuses = []string{StatusOpen, StatusInProgress, StatusDone}

// statusKey is what a custom status's key looks like: it goes in URLs, form values and
// HTML ids as it is.
var statusKey = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)

// TaskStatus is a custom status of a project: a Kanban column of its own that counts as one
// of the base statuses (Base). Tasks name it by Key, which never changes.
type TaskStatus struct {
	bun.BaseModel `bun:"table:task_statuses,alias:ts"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64     `bun:"account_id" json:"-"`
	ProjectID int64     `bun:"project_id" json:"project_id"`
	Key       string    `bun:"key" json:"key"`
	Name      string    `bun:"name" json:"name"`
	Color     string    `bun:"color" json:"color" enum:"gray,red,orange,yellow,green,teal,blue,purple,pink"`
	Base      string    `bun:"base" json:"base" enum:"open,in_progress,done"` // open, in_progress or done
	Position  int64     `bun:"position" json:"position"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
}

// Label is a coloured tag of a project that its tasks may carry.
type Label struct {
	bun.BaseModel `bun:"table:labels,alias:lb"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64     `bun:"account_id" json:"-"`
	ProjectID int64     `bun:"project_id" json:"project_id"`
	Name      string    `bun:"name" json:"name"`
	Color     string    `bun:"color" json:"color" enum:"gray,red,orange,yellow,green,teal,blue,purple,pink"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
}

// LabelRef is a label as a task shows it.
type LabelRef struct {
	ID    int64  `bun:"id" json:"id"`
	Name  string `bun:"name" json:"name"`
	Color string `bun:"color" json:"color" enum:"gray,red,orange,yellow,green,teal,blue,purple,pink"`
}

// taskLabel says that a task carries a label.
type taskLabel struct {
	bun.BaseModel `bun:"table:task_labels,alias:tl"`

	AccountID int64 `bun:"account_id,pk"`
	ProjectID int64 `bun:"project_id"`
	TaskID    int64 `bun:"task_id,pk"`
	LabelID   int64 `bun:"label_id,pk"`
}

// ChecklistItem is one line of a task's checklist.
type ChecklistItem struct {
	bun.BaseModel `bun:"table:task_checklist_items,alias:ci"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64     `bun:"account_id" json:"-"`
	ProjectID int64     `bun:"project_id" json:"-"`
	TaskID    int64     `bun:"task_id" json:"task_id"`
	Text      string    `bun:"text" json:"text"`
	Done      bool      `bun:"done" json:"done"`
	Position  int64     `bun:"position" json:"position"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt time.Time `bun:"updated_at" json:"updated_at"`
}

// Checklist is a task's whole checklist (at most MaxChecklist items: no pages).
type Checklist struct {
	Items []ChecklistItem `json:"items"`
	Done  int             `json:"done"`
	Total int             `json:"total"`
}
