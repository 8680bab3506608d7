package projects

import (
	"math"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/web"
	"groupcamp/modules/projects/contract"
)

// The task page's attachments, kept by the files module and read through its optional
// TaskAttachments port (resolved in module.go) so that projects never imports files: the list
// (name, size, thumbnail, download, remove) and an upload control that posts to the files
// module's API with a progress bar (static/attachments.js). Without the files module the
// section does not show.

// taskFiles is the attachments section of a task's page.
type taskFiles struct {
	Items []attachmentLine
	// API is the path of the task's attachments (the upload posts there, a removal deletes
	// below it); CanUpload says whether the reader may add some.
	API       string
	CanUpload bool
}

// attachmentLine is one attachment with its size written for people.
type attachmentLine struct {
	contract.Attachment
	Human string
}

// attachmentsOf reads the task's attachments (nil without the files module).
func (h *pages) attachmentsOf(c *fiber.Ctx, p *web.Page, t *Task) (*taskFiles, error) {
	if h.svc.attachments == nil || !h.svc.attachments.Has() {
		return nil, nil
	}
	a := actor.From(c)
	slug := c.Params("slug")
	items, err := h.svc.attachments.Get().Attachments(c.UserContext(), a, slug, t.ID)
	if err != nil {
		return nil, err
	}
	out := &taskFiles{API: "/api/v1/" + slug + "/tasks/" + itoa(t.ID) + "/attachments", CanUpload: a.May("files", "write"),
		Items: make([]attachmentLine, len(items))}
	for i, it := range items {
		out.Items[i] = attachmentLine{Attachment: it, Human: sizeText(p, it.Size)}
	}
	return out, nil
}

// sizeText writes a size in bytes, KB, MB or GB (powers of 1024), the way the reader writes
// numbers.
func sizeText(p *web.Page, n int64) string {
	units := []string{"projects.attachments.b", "projects.attachments.kb", "projects.attachments.mb", "projects.attachments.gb"}
	v, u := float64(n), 0
	for v >= 1024 && u < len(units)-1 {
		v, u = v/1024, u+1
	}
	return p.T(units[u], "N", p.Num(math.Round(v*10)/10))
}
