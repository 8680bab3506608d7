package files

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// attachRoutes registers the attachments of tasks (attach.go): the task's rule decides who
// sees them; files.write uploads and removes, files.read lists and downloads.
func (h *handlers) attachRoutes(r routes) {
	const tag = "Files"
	read, write := api.Can("files", "read"), api.Can("files", "write")
	const base = "/api/v1/:slug/tasks/:id/attachments"
	r.Get(base, read, h.attachments, api.Doc{Summary: "The files attached to a task you see and to its comments, oldest first: name, size, download and thumbnail paths", Tag: tag, Response: AttachmentList{}})
	r.Post(base, write, h.attach, api.Doc{Summary: "Attach a file to a task (?comment_id= to one of its comments): multipart/form-data with the part `file` (streamed), or JSON {name, content}; stored in the project's Attachments folder and counted in the storage quota (413 past it); a taken name becomes \"name (2).ext\"", Tag: tag,
		Request: FileInput{}, Response: AttachmentOut{}, Status: 201, MaxBody: h.svc.MaxUpload, Upload: "file",
		Query: []api.Param{{Name: "comment_id", Type: "integer", Format: "int64", Description: "the comment of the task the file goes with"}}})
	r.Delete(base+"/:aid", write, h.detach, api.Doc{Summary: "Remove an attachment from its task (its uploader or a files manager): the file goes to the files trash", Tag: tag, Status: 204})
	r.Get(base+"/:aid/download", read, h.downloadAttachment, api.Doc{Summary: "Download an attachment (streamed; Range, If-Range and If-None-Match as for files) — for whoever sees the task", Tag: tag,
		Query: []api.Param{{Name: "inline", Type: "boolean", Description: "show it in the browser when its type is safe to (images, PDF, plain text)"}}, Stream: true})
	r.Post("/:slug/tasks/:id/attachments", write, h.attachForm, api.Doc{MaxBody: h.svc.MaxUpload})
	r.Get(base+"/:aid/thumbnail", read, h.attachmentThumb, api.Doc{Summary: "The thumbnail of an attached image (JPEG); 404 for other files", Tag: tag, Stream: true})
}

// AttachmentOut is an attachment as the API returns it.
type AttachmentOut struct {
	ID           int64  `json:"id"`
	FileID       int64  `json:"file_id"`
	CommentID    *int64 `json:"comment_id"`
	Name         string `json:"name"`
	Size         int64  `json:"size"`
	MIME         string `json:"mime"`
	DownloadURL  string `json:"download_url"`
	ThumbnailURL string `json:"thumbnail_url,omitempty"`
	CreatedBy    *int64 `json:"created_by"`
	Removable    bool   `json:"removable"`
}

// taskAndID reads the task id and the attachment id of the path.
func taskAndID(c *fiber.Ctx) (int64, int64, error) {
	task, err := api.PathID(c, "id")
	if err != nil {
		return 0, 0, err
	}
	id, err := api.PathID(c, "aid")
	return task, id, err
}

func (h *handlers) attachments(c *fiber.Ctx) error {
	task, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	out, err := h.svc.Attachments(c.UserContext(), actor.From(c), c.Params("slug"), task)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, AttachmentList{Items: out})
}

func (h *handlers) attach(c *fiber.Ctx) error {
	task, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var comment int64
	if s := c.Query("comment_id"); s != "" {
		var ok bool
		if comment, ok = api.ParseID(s); !ok {
			return problem.Invalid(problem.FieldError{Field: "comment_id", Message: "must be an id"})
		}
	}
	name, r, size, err := uploadBody(c)
	if err != nil {
		return err
	}
	defer r.Close()
	out, err := h.svc.Attach(c.UserContext(), actor.From(c), c.Params("slug"), task, comment, name, r, size)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, AttachmentOut(*out))
}

func (h *handlers) detach(c *fiber.Ctx) error {
	task, id, err := taskAndID(c)
	if err != nil {
		return err
	}
	if err := h.svc.Detach(c.UserContext(), actor.From(c), task, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *handlers) downloadAttachment(c *fiber.Ctx) error {
	task, id, err := taskAndID(c)
	if err != nil {
		return err
	}
	a := actor.From(c)
	ct, err := h.svc.OpenAttachment(c.UserContext(), a, task, id)
	if err != nil {
		return err
	}
	return h.send(c, ct, c.QueryBool("inline"), func(ctx context.Context) error { return h.svc.Downloaded(ctx, a, ct) })
}

func (h *handlers) attachmentThumb(c *fiber.Ctx) error {
	task, id, err := taskAndID(c)
	if err != nil {
		return err
	}
	a := actor.From(c)
	_, fi, err := h.svc.attachment(c.UserContext(), a, task, id)
	if err != nil {
		return err
	}
	return h.sendThumb(c, h.svc.tenant(a.AccountID()), fi)
}

// attachForm takes the files of the task page's plain form (without JavaScript; the page's
// script sends each through the API instead, with its progress) and goes back to the task.
func (h *handlers) attachForm(c *fiber.Ctx) error {
	task, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	// Whose task it is comes before what the body holds: another account's id is a 404.
	if _, err := h.svc.task(c.UserContext(), a, task, 0); err != nil {
		return err
	}
	parts, err := fileParts(c)
	if err != nil {
		return err
	}
	for _, part := range parts {
		r, err := part.Open()
		if err != nil {
			return err
		}
		_, err = h.svc.Attach(c.UserContext(), a, c.Params("slug"), task, 0, part.Filename, r, part.Size)
		r.Close()
		if err != nil {
			return err
		}
	}
	return web.Done(c, "files.flash.attached", "/"+c.Params("slug")+"/tasks/"+itoa(task)+"#attachments")
}
