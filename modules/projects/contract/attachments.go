package contract

import (
	"context"
	"io"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
)

// TasksSeenPort is the name of the TasksSeen port, which projects provides for the module that
// keeps files: a task's (or a comment's) attachments are seen by those who see the task.
const TasksSeenPort = "projects.tasks_seen"

// TaskRef is a task as another module names it.
type TaskRef struct {
	ID        int64  `json:"id"`
	ProjectID int64  `json:"project_id"`
	Title     string `json:"title"`
}

// TasksSeen answers whether a person sees a task or a comment, with the projects module's own
// scope (the project's members; a client only for a task of a list shared with their
// company; nothing in the trash), without the asking module importing projects.
type TasksSeen interface {
	// Task is the task of the person's account they see, or a 404 problem.
	Task(ctx context.Context, person *actor.Actor, id int64) (TaskRef, error)
	// Comment is the task of a comment the person sees, or a 404 problem.
	Comment(ctx context.Context, person *actor.Actor, id int64) (TaskRef, error)
}

// TaskAttachmentsPort is the name of the TaskAttachments port, which the files module
// provides: the task page lists a task's attachments and takes new ones.
const TaskAttachmentsPort = "files.task_attachments"

// Attachment is a file attached to a task or to one of its comments.
type Attachment struct {
	ID        int64  `json:"id"`
	FileID    int64  `json:"file_id"`
	CommentID *int64 `json:"comment_id"`
	Name      string `json:"name"`
	Size      int64  `json:"size"`
	MIME      string `json:"mime"`
	// DownloadURL and ThumbnailURL (empty when the file has none yet) are the paths that serve
	// the file to those who see the task.
	DownloadURL  string `json:"download_url"`
	ThumbnailURL string `json:"thumbnail_url,omitempty"`
	CreatedBy    *int64 `json:"created_by"`
	// Removable: the reader may remove it from the task (its uploader, a files manager).
	Removable bool `json:"removable"`
}

// TaskAttachments lists what is attached to a task, for the task page.
type TaskAttachments interface {
	// Attachments lists the attachments of a task the person sees (oldest first).
	Attachments(ctx context.Context, person *actor.Actor, slug string, taskID int64) ([]Attachment, error)
	// Attach stores a file of size bytes as an attachment of a task the person sees (a task
	// made from an email keeps the email's attachments).
	Attach(ctx context.Context, person *actor.Actor, slug string, taskID int64, name string, r io.Reader, size int64) (Attachment, error)
}

// TasksGonePort is the name of the TasksGone port, which projects provides for the module that
// keeps files: it removes the attachments of tasks purged and comments deleted.
const TasksGonePort = "projects.tasks_gone"

// TasksGone says which of some tasks and comments of an account no longer exist (a task
// purged, with its list or project or alone; a comment deleted). A task in the trash still
// exists: its attachments come back with it.
type TasksGone interface {
	// Gone returns the ids among tasks and comments that are gone, read through idb.
	Gone(ctx context.Context, idb bun.IDB, accountID int64, tasks, comments []int64) (goneTasks, goneComments []int64, err error)
}

// ProjectFilesPort is the name of the ProjectFiles port, which the module that keeps files
// provides: a project's overview lists the project's latest files.
const ProjectFilesPort = "files.project_files"

// ProjectFile is a file of a project's folders, as the project's overview lists it.
type ProjectFile struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Size int64  `json:"size"`
	MIME string `json:"mime"`
	// UpdatedByName is who uploaded its current version ("" when unknown, or erased), at
	// UpdatedAt.
	UpdatedByName string    `json:"updated_by_name"`
	UpdatedAt     time.Time `json:"updated_at"`
	// URL is the file's page (the folder's rules apply there).
	URL string `json:"url"`
}

// ProjectFiles lists a project's files for its overview, with the files module's own scope:
// the folders of the project the person sees (a client: only those shared with their
// company), nothing in the trash.
type ProjectFiles interface {
	// Recent lists the files of project projectID the person sees, the last changed first, at
	// most limit.
	Recent(ctx context.Context, person *actor.Actor, slug string, projectID int64, limit int) ([]ProjectFile, error)
}
