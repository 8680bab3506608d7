package files

import (
	"bytes"
	"io"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
)

// resumableRoutes registers the resumable uploads (resumable.go).
func (h *handlers) resumableRoutes(r routes) {
	const tag = "Files"
	// A resumable upload of a new file is files.upload (clients too, into a folder that lets
	// them); a new version stays files.write.
	write, uploads := api.Can("files", "write"), api.Can("files", "upload")
	r.Post("/api/v1/:slug/folders/:id/uploads", uploads, h.openUpload(false), api.Doc{Summary: "Open a resumable upload of a new file into a folder: {name, size, sha256}; then PUT its chunks to /uploads/{id} and finish; 409 when the name is taken, 413 over the quota", Tag: tag, Request: UploadInput{}, Response: UploadSession{}, Status: 201})
	r.Post("/api/v1/:slug/files/:id/uploads", write, h.openUpload(true), api.Doc{Summary: "Open a resumable upload of a new version of a file: {size, sha256}", Tag: tag, Request: UploadInput{}, Response: UploadSession{}, Status: 201})
	r.Get("/api/v1/:slug/uploads/:id", uploads, h.uploadState, api.Doc{Summary: "Where a resumable upload of yours stands (offset: the bytes received; also in the Upload-Offset header)", Tag: tag, Response: UploadSession{}})
	r.Put("/api/v1/:slug/uploads/:id", uploads, h.putChunk, api.Doc{Summary: "Send the next chunk of a resumable upload: the raw bytes, with Content-Range: bytes start-end/size, start being the upload's offset (409 saying where it stands otherwise); at most 64 MiB a chunk", Tag: tag, Response: ChunkAck{}, MaxBody: MaxChunk})
	r.Post("/api/v1/:slug/uploads/:id/finish", uploads, h.finishUpload, api.Doc{Summary: "Make the file (or the new version) of a resumable upload that received all its bytes; 422 when the content's SHA-256 is not the one announced", Tag: tag, Response: Uploaded{}, Status: 201})
	r.Delete("/api/v1/:slug/uploads/:id", uploads, api.Delete("id", h.svc.CancelUpload), api.Doc{Summary: "Cancel a resumable upload (its chunks are deleted)", Tag: tag, Status: 204})
}

func (h *handlers) openUpload(version bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		var in UploadInput
		if err := api.Decode(c, &in); err != nil {
			return err
		}
		folder, file := id, int64(0)
		if version {
			folder, file = 0, id
		}
		out, err := h.svc.OpenUpload(c.UserContext(), actor.From(c), folder, file, in)
		if err != nil {
			return err
		}
		return api.JSON(c, fiber.StatusCreated, out)
	}
}

func (h *handlers) uploadState(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	up, err := h.svc.UploadSession(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	c.Set("Upload-Offset", strconv.FormatInt(up.Received, 10))
	c.Set(fiber.HeaderCacheControl, "no-store")
	return api.JSON(c, fiber.StatusOK, up)
}

func (h *handlers) putChunk(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var body io.Reader = c.Context().RequestBodyStream()
	if body == nil {
		body = bytes.NewReader(c.Body())
	}
	out, err := h.svc.PutChunk(c.UserContext(), actor.From(c), id, c.Get(fiber.HeaderContentRange), body)
	if err != nil {
		return err
	}
	c.Set("Upload-Offset", strconv.FormatInt(out.Offset, 10))
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) finishUpload(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	out, err := h.svc.FinishUpload(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}
