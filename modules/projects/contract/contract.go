// Package contract is what the projects module publishes for the other modules: its event
// types and their payloads (see the projects package documentation for when each is emitted).
// It is the one package of projects another module may import — to subscribe with
// app.Subscribe and get typed payloads.
package contract

import "groupcamp/core/events"

// TaskEvent is the payload of task.created, task.assigned and task.completed.
type TaskEvent struct {
	TaskID    int64  `json:"task_id"`
	ProjectID int64  `json:"project_id"`
	ListID    int64  `json:"list_id"`
	Title     string `json:"title"`
	// UserIDs: task.created and task.completed — the assignees; task.assigned — the people
	// newly assigned.
	UserIDs []int64 `json:"user_ids"`
}

// RescheduleEvent is the payload of task.rescheduled. Days are "YYYY-MM-DD", or null.
type RescheduleEvent struct {
	TaskID           int64  `json:"task_id"`
	ProjectID        int64  `json:"project_id"`
	ListID           int64  `json:"list_id"`
	Title            string `json:"title"`
	StartsOn         Day    `json:"starts_on"`
	DueOn            Day    `json:"due_on"`
	PreviousStartsOn Day    `json:"previous_starts_on"`
	PreviousDueOn    Day    `json:"previous_due_on"`
	// CauseTaskID is the predecessor whose due date pushed this task.
	CauseTaskID int64 `json:"cause_task_id"`
}

// CommentEvent is the payload of comment.added.
type CommentEvent struct {
	CommentID        int64   `json:"comment_id"`
	TaskID           int64   `json:"task_id"`
	ProjectID        int64   `json:"project_id"`
	ListID           int64   `json:"list_id"`
	AuthorID         int64   `json:"author_id"`
	MentionedUserIDs []int64 `json:"mentioned_user_ids"`
	// Plugin names the partner plugin that posted the comment on the author's behalf ("" when
	// the author wrote it themself).
	Plugin string `json:"plugin,omitempty"`
}

// ProjectEvent is the payload of project.archived.
type ProjectEvent struct {
	ProjectID int64  `json:"project_id"`
	Name      string `json:"name"`
}

// Day is a calendar day "YYYY-MM-DD"; empty is written as null.
type Day string

// MarshalJSON writes the day, or null.
func (d Day) MarshalJSON() ([]byte, error) {
	if d == "" {
		return []byte("null"), nil
	}
	return []byte(`"` + string(d) + `"`), nil
}

// UnmarshalJSON reads a day or null.
func (d *Day) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = ""
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return &dayError{string(b)}
	}
	*d = Day(b[1 : len(b)-1])
	return nil
}

type dayError struct{ s string }

func (e *dayError) Error() string { return "contract: not a day: " + e.s }

// The events of projects.
var (
	TaskCreated     = events.Contract[TaskEvent]{Type: "task.created", Summary: "A task is created"}
	TaskAssigned    = events.Contract[TaskEvent]{Type: "task.assigned", Summary: "A task is assigned to someone", Notify: true}
	TaskCompleted   = events.Contract[TaskEvent]{Type: "task.completed", Summary: "A task is completed", Notify: true}
	TaskRescheduled = events.Contract[RescheduleEvent]{Type: "task.rescheduled", Summary: "A task moves because the task it waits for moved"}
	CommentAdded    = events.Contract[CommentEvent]{Type: "comment.added", Summary: "A comment is added to a task", Notify: true}
	ProjectArchived = events.Contract[ProjectEvent]{Type: "project.archived", Summary: "A project is archived"}
)

// All are the contracts of projects, in the order they are documented.
var All = []events.Declarer{TaskCreated, TaskAssigned, TaskCompleted, TaskRescheduled, CommentAdded, ProjectArchived}

// FilesApp is what the module that keeps files provides for a project's "files" app: where a
// project's files are. Until a module provides it (under FilesAppPort), projects does not offer
// the app.
type FilesApp interface {
	ProjectFilesPath(slug string, projectID int64) string
}

// FilesAppPort is the name of the FilesApp port.
const FilesAppPort = "projects.files_app"
