package files

import (
	"context"
	"io"
	"slices"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	"groupcamp/modules/files/storage"
	projects "groupcamp/modules/projects/contract"
)

// Attachments of tasks and comments. The projects module owns tasks and comments, this module
// the bytes: an attachment is an ordinary file of the task's project, kept in the project's
// top folder "Attachments" (made on first use, internal), so it counts in the storage quota,
// has versions and goes to the trash like any other; the row files_attachments ties it to the
// task (and comment). Who may read it is the task's rule, asked of the projects module through
// its TasksSeen port: whoever sees the task downloads its attachments — a client only when the
// task's list is shared with their company — even though the folder itself is internal.
// Removing an attachment (its uploader or a files manager) moves the file to the trash.

// AttachmentsFolder is the name of a project's folder of attachments.
const AttachmentsFolder = "Attachments"

// maxAttachments bounds the attachments one task lists.
const maxAttachments = 500

// attachmentRow is a file attached to a task (and to one of its comments).
type attachmentRow struct {
	bun.BaseModel `bun:"table:files_attachments,alias:fa"`

	ID        int64     `bun:"id,pk,autoincrement"`
	AccountID int64     `bun:"account_id"`
	TaskID    int64     `bun:"task_id"`
	CommentID *int64    `bun:"comment_id"`
	FileID    int64     `bun:"file_id"`
	CreatedBy *int64    `bun:"created_by"`
	CreatedAt time.Time `bun:"created_at"`
}

// AttachmentList is a task's attachments.
type AttachmentList struct {
	Items []projects.Attachment `json:"items"`
}

// task is the task id the actor sees (404 otherwise), or a comment's task when commentID is set
// (422 when the comment is not the task's).
func (s *Service) task(ctx context.Context, a *actor.Actor, taskID, commentID int64) (projects.TaskRef, error) {
	if !s.Tasks.Has() {
		return projects.TaskRef{}, problem.NotFound()
	}
	t, err := s.Tasks.Get().Task(ctx, a, taskID)
	if err != nil {
		return t, err
	}
	if commentID != 0 {
		ct, err := s.Tasks.Get().Comment(ctx, a, commentID)
		if pr, ok := problem.As(err); (ok && pr.Status == 404) || (err == nil && ct.ID != t.ID) {
			return t, problem.Invalid(problem.FieldError{Field: "comment_id", Message: "must be a comment of this task"})
		} else if err != nil {
			return t, err
		}
	}
	return t, nil
}

// attachmentsFolder is the project's folder of attachments, made when missing.
func (s *Service) attachmentsFolder(ctx context.Context, a *actor.Actor, projectID int64) (int64, error) {
	tn := s.tenant(a.AccountID())
	key := nameKey(AttachmentsFolder)
	for range 2 {
		id, err := s.store.topFolderNamed(ctx, tn, projectID, key)
		if err != nil || id != 0 {
			return id, err
		}
		now := s.now()
		fo := &Folder{AccountID: a.AccountID(), ProjectID: &projectID, Name: AttachmentsFolder, NameKey: key,
			Visibility: VisibilityInternal, CreatedAt: now, UpdatedAt: now}
		err = s.store.insertFolder(ctx, tn, fo)
		if err == nil {
			return fo.ID, nil
		}
		if !db.IsUniqueViolation(err) {
			return 0, err
		}
		// Another upload made it meanwhile: read it.
	}
	return 0, problem.Conflict("file", "the project's attachments folder could not be made; please try again")
}

// Attach stores an upload (streamed, of size bytes, -1 when unknown) as an attachment of a
// task the actor sees (of one of its comments with commentID): 201; 404 for a task they do not
// see; 413 past the size limit or the storage quota; a taken name becomes "name (2).ext".
func (s *Service) Attach(ctx context.Context, a *actor.Actor, slug string, taskID, commentID int64, name string, r io.Reader, size int64) (*projects.Attachment, error) {
	t, err := s.task(ctx, a, taskID, commentID)
	if err != nil {
		return nil, err
	}
	var f problem.Fields
	checkName(&f, "file", name)
	if err := f.Err(); err != nil {
		return nil, err
	}
	folder, err := s.attachmentsFolder(ctx, a, t.ProjectID)
	if err != nil {
		return nil, err
	}
	row := &attachmentRow{AccountID: a.AccountID(), TaskID: t.ID, CreatedAt: s.now()}
	if commentID != 0 {
		row.CommentID = &commentID
	}
	if a.UserID != 0 {
		uid := a.UserID
		row.CreatedBy = &uid
	}
	var fi File
	_, err = s.uploadInto(ctx, a, folder, name, r, size, true, func(ctx context.Context, tn db.Tenant, f *File) error {
		row.FileID, fi = f.ID, *f
		return s.store.insertAttachment(ctx, tn, row)
	})
	if err != nil {
		return nil, err
	}
	out := s.attachmentOf(a, slug, *row, fi)
	return &out, nil
}

// attachmentOf is the row with its file as the API shows it, its paths in the account slug.
func (s *Service) attachmentOf(a *actor.Actor, slug string, r attachmentRow, fi File) projects.Attachment {
	base := "/api/v1/" + slug + "/tasks/" + strconv.FormatInt(r.TaskID, 10) + "/attachments/" + strconv.FormatInt(r.ID, 10)
	out := projects.Attachment{ID: r.ID, FileID: fi.ID, CommentID: r.CommentID, Name: fi.Name, Size: fi.Size, MIME: fi.MIME,
		DownloadURL: base + "/download", CreatedBy: r.CreatedBy, Removable: manager(a) || owns(a, r.CreatedBy)}
	if slices.Contains(thumbTypes, fi.MIME) {
		out.ThumbnailURL = base + "/thumbnail"
	}
	return out
}

// Attachments lists the attachments of a task the actor sees, oldest first (their files in
// the trash left out).
func (s *Service) Attachments(ctx context.Context, a *actor.Actor, slug string, taskID int64) ([]projects.Attachment, error) {
	t, err := s.task(ctx, a, taskID, 0)
	if err != nil {
		return nil, err
	}
	rows, fs, err := s.store.attachments(ctx, s.tenant(a.AccountID()), t.ID, maxAttachments)
	if err != nil {
		return nil, err
	}
	out := make([]projects.Attachment, 0, len(rows))
	for i := range rows {
		out = append(out, s.attachmentOf(a, slug, rows[i], fs[i]))
	}
	return out, nil
}

// attachment loads an attachment of a task the actor sees, with its file (not in the trash).
func (s *Service) attachment(ctx context.Context, a *actor.Actor, taskID, id int64) (*attachmentRow, *File, error) {
	t, err := s.task(ctx, a, taskID, 0)
	if err != nil {
		return nil, nil, err
	}
	return s.store.attachment(ctx, s.tenant(a.AccountID()), t.ID, id)
}

// Detach removes an attachment from its task and moves its file to the trash (its uploader or
// a files manager; 403 for others who see it).
func (s *Service) Detach(ctx context.Context, a *actor.Actor, taskID, id int64) error {
	row, fi, err := s.attachment(ctx, a, taskID, id)
	if err != nil {
		return err
	}
	if !manager(a) && !owns(a, row.CreatedBy) {
		return problem.Forbidden("only who attached a file, or a files manager, may remove it")
	}
	return s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if err := s.store.deleteAttachment(ctx, tn, row.ID); err != nil {
			return err
		}
		now, uid := s.now(), a.UserID
		fi.TrashedAt, fi.TrashedBy = &now, &uid
		return s.store.saveFile(ctx, tn, fi)
	})
}

// OpenAttachment finds the current version of an attachment for a download: the task's rule,
// not the folder's.
func (s *Service) OpenAttachment(ctx context.Context, a *actor.Actor, taskID, id int64) (*Content, error) {
	_, fi, err := s.attachment(ctx, a, taskID, id)
	if err != nil {
		return nil, err
	}
	v, err := s.store.version(ctx, s.tenant(a.AccountID()), fi.ID, fi.Version)
	if err != nil {
		return nil, err
	}
	return &Content{File: fi, Version: v, Key: storage.Key(a.AccountID(), v.SHA256, v.BlobID)}, nil
}

// taskAttachments is the files side of the projects module's TaskAttachments port.
type taskAttachments struct{ svc *Service }

var _ projects.TaskAttachments = taskAttachments{}

func (p taskAttachments) Attachments(ctx context.Context, a *actor.Actor, slug string, taskID int64) ([]projects.Attachment, error) {
	return p.svc.Attachments(ctx, a, slug, taskID)
}

func (p taskAttachments) Attach(ctx context.Context, a *actor.Actor, slug string, taskID int64, name string, r io.Reader, size int64) (projects.Attachment, error) {
	at, err := p.svc.Attach(ctx, a, slug, taskID, 0, name, r, size)
	if err != nil {
		return projects.Attachment{}, err
	}
	return *at, nil
}
