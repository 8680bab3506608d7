package files

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// handlers serve the API and the pages.
type handlers struct {
	svc   *Service
	web   *web.Renderer
	locks *davLocks
}

// apiRoutes registers the JSON API (shared/API.md "Files").
func (h *handlers) apiRoutes(r routes) {
	const tag = "Files"
	read, write, manage := api.Can("files", "read"), api.Can("files", "write"), api.Can("files", "manage")
	// files.upload: members and up, and clients into a folder whose share lets them (403 else).
	uploads := api.Can("files", "upload")
	upload := api.Doc{Summary: "Upload a file into a folder: multipart/form-data with the part `file` (streamed; at most MaxUpload bytes), or JSON {name, content} for a small text file; 409 when the name is taken there; a client only into a folder shared with their company whose clients_upload is on (403 otherwise)", Tag: tag,
		Request: FileInput{}, Response: Uploaded{}, Status: 201, MaxBody: h.svc.MaxUpload, Upload: "file"}

	r.Get("/api/v1/:slug/folders", read, h.topFolders, api.Doc{Summary: "The top folders you see: the account's shared folders and your projects' (or one project's); for a client, the folders shared with their company", Tag: tag, Response: FolderList{},
		Query: []api.Param{{Name: "project_id", Type: "integer", Format: "int64", Description: "only this project's top folders"}}})
	r.Post("/api/v1/:slug/folders", write, h.createFolder, api.Doc{Summary: "Add a folder: inside parent_id, or at the top of project_id or of the account's shared space; 409 when the name is taken there", Tag: tag, Request: FolderInput{}, Response: Folder{}, Status: 201})
	// Before /folders/:id, which would take "personal" for an id.
	r.Get("/api/v1/:slug/folders/personal", write, h.personal, api.Doc{Summary: "Your personal space: its top folder with its subfolders and files (made on first use); only you see it and what is below it — share a file by link. Members and up", Tag: tag, Response: FolderView{},
		Query: []api.Param{{Name: "limit", Type: "integer", Description: "at most this many files (default and max 10000)"},
			{Name: "cursor", Type: "string", Description: "the files after those of the answer whose next this is"}}})
	r.Get("/api/v1/:slug/folders/:id", read, h.folder, api.Doc{Summary: "A folder with its path, subfolders and files (by name)", Tag: tag, Response: FolderView{},
		Query: []api.Param{{Name: "limit", Type: "integer", Description: "at most this many files (default and max 10000)"},
			{Name: "cursor", Type: "string", Description: "the files after those of the answer whose next this is"}}})
	r.Patch("/api/v1/:slug/folders/:id", write, api.Update("id", h.svc.UpdateFolder), api.Doc{Summary: "Rename a folder, move it (never into itself), change its visibility and whether its clients may upload (clients_upload: its maker or a files manager)", Tag: tag, Request: FolderPatch{}, Response: Folder{}})
	r.Delete("/api/v1/:slug/folders/:id", write, api.Delete("id", h.svc.TrashFolder), api.Doc{Summary: "Move a folder and its content to the trash (restorable for 30 days)", Tag: tag, Status: 204})
	r.Post("/api/v1/:slug/folders/:id/restore", write, api.One("id", h.svc.RestoreFolder), api.Doc{Summary: "Bring a folder back from the trash", Tag: tag, Response: Folder{}})
	r.Post("/api/v1/:slug/folders/:id/files", uploads, h.upload, upload)
	r.Post("/api/v1/:slug/folders/:id/copy", write, api.Create("id", h.svc.CopyFolder), api.Doc{Summary: "Copy a folder with what you see below it (at most 200 folders and 1000 files) into parent_id, or to the top of project_id or of the shared space; a taken name becomes \"name (2)\"; the copies share the bytes of the originals", Tag: tag, Request: FolderCopyInput{}, Response: Folder{}, Status: 201})

	r.Get("/api/v1/:slug/files/:id", read, h.file, api.Doc{Summary: "A file: its name, size, SHA-256, type and current version", Tag: tag, Response: File{}})
	r.Patch("/api/v1/:slug/files/:id", write, api.Update("id", h.svc.UpdateFile), api.Doc{Summary: "Rename a file or move it to another folder", Tag: tag, Request: FilePatch{}, Response: File{}})
	r.Delete("/api/v1/:slug/files/:id", write, api.Delete("id", h.svc.TrashFile), api.Doc{Summary: "Move a file to the trash (restorable for 30 days)", Tag: tag, Status: 204})
	r.Post("/api/v1/:slug/files/:id/copy", write, api.Create("id", h.svc.CopyFile), api.Doc{Summary: "Copy a file (its current version) into a folder you see, of any project; a taken name becomes \"name (2).ext\"; the copy shares the original's bytes (no storage used)", Tag: tag, Request: CopyInput{}, Response: File{}, Status: 201})
	r.Post("/api/v1/:slug/files/:id/restore", write, api.One("id", h.svc.RestoreFile), api.Doc{Summary: "Bring a file back from the trash", Tag: tag, Response: File{}})
	r.Get("/api/v1/:slug/files/:id/download", read, h.download, api.Doc{Summary: "Download a file (streamed; Range, If-Range and If-None-Match with the ETag, which is the SHA-256)", Tag: tag,
		Query: []api.Param{{Name: "version", Type: "integer", Description: "this version (default: the current one)"}, {Name: "inline", Type: "boolean", Description: "show it in the browser when its type is safe to (images, PDF, plain text)"}}, Stream: true})
	r.Get("/api/v1/:slug/files/:id/thumbnail", read, h.thumbnail, api.Doc{Summary: "The thumbnail of an image (JPEG, at most 256 pixels a side), made in the background after the upload; 404 until then, and for other files", Tag: tag, Stream: true})
	r.Get("/api/v1/:slug/files/:id/versions", read, h.versions, api.Doc{Summary: "A file's versions, newest first: n, size, SHA-256, who and when", Tag: tag, Response: VersionList{}})
	r.Post("/api/v1/:slug/files/:id/versions", write, h.addVersion, api.Doc{Summary: "Upload a new version of a file (multipart `file`, or JSON {content})", Tag: tag, Request: VersionInput{}, Response: Uploaded{}, Status: 201, MaxBody: h.svc.MaxUpload, Upload: "file"})
	r.Post("/api/v1/:slug/files/:id/versions/:n/restore", write, h.restoreVersion, api.Doc{Summary: "Make a new version with the content of version n", Tag: tag, Response: Uploaded{}, Status: 201})
	r.Get("/api/v1/:slug/files/:id/downloads", manage, h.downloads, api.Doc{Summary: "Who downloaded a file and when (files managers; the file's page shows it to its uploader too)", Tag: tag, Response: DownloadList{}})
	r.Get("/api/v1/:slug/trash/files", read, h.trash, api.Doc{Summary: "The trash: what you deleted (everything, for a files manager)", Tag: tag, Response: TrashList{}})
	r.Post("/api/v1/:slug/trash/files/purge", manage, h.purge, api.Doc{Summary: "Delete for good what has been in the trash longer than the account's retention (trash_days) now (the daily job does it too)", Tag: tag, Response: Purged{}})
	r.Post("/api/v1/:slug/trash/files/empty", manage, h.emptyTrash, api.Doc{Summary: "Empty the trash now: delete for good everything in it, whatever its age (audited)", Tag: tag, Response: Purged{}})
	r.Get("/api/v1/:slug/trash/files/settings", read, h.settings, api.Doc{Summary: "How many days the trash keeps what is deleted (default 30)", Tag: tag, Response: Settings{}})
	r.Patch("/api/v1/:slug/trash/files/settings", manage, h.setSettings, api.Doc{Summary: "Set how many days the trash keeps what is deleted (1 to 3650; audited)", Tag: tag, Request: Settings{}, Response: Settings{}})
}

// FolderList is a list of folders.
type FolderList struct {
	Items []Folder `json:"items"`
}

// VersionList is a file's versions.
type VersionList struct {
	Items []Version `json:"items"`
}

// DownloadList is a file's download history.
type DownloadList struct {
	Items []Download `json:"items"`
}

// TrashList is the trash.
type TrashList struct {
	Folders []Folder `json:"folders"`
	Files   []File   `json:"files"`
}

// Purged says how many files and folders a purge deleted.
type Purged struct {
	Deleted int `json:"deleted"`
}

// queryInt reads an optional positive integer of the query (0 when absent).
func queryInt(c *fiber.Ctx, name string, f *problem.Fields) int {
	s := c.Query(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		f.Add(name, "must be a whole number from 1")
	}
	return n
}

func (h *handlers) topFolders(c *fiber.Ctx) error {
	var f problem.Fields
	var project int64
	if s := c.Query("project_id"); s != "" {
		var ok bool
		if project, ok = api.ParseID(s); !ok {
			f.Add("project_id", "must be an id")
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	out, err := h.svc.TopFolders(c.UserContext(), actor.From(c), project)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, FolderList{Items: out})
}

func (h *handlers) createFolder(c *fiber.Ctx) error {
	var in FolderInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.CreateFolder(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) folder(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var f problem.Fields
	limit := queryInt(c, "limit", &f)
	after := queryCursor(c, &f)
	if err := f.Err(); err != nil {
		return err
	}
	out, err := h.svc.folderPage(c.UserContext(), actor.From(c), id, limit, after)
	if err != nil {
		return err
	}
	return writeFolderView(c, out) // listing_json.go
}

// queryCursor reads ?cursor= (a FolderView's Next).
func queryCursor(c *fiber.Ctx, f *problem.Fields) cursor {
	s := c.Query("cursor")
	if s == "" {
		return cursor{}
	}
	key, id, ok := api.ParseKeyCursor(s)
	f.Check(ok, "cursor", "is not a cursor this API returned")
	return cursor{Key: key, ID: id}
}

// isJSON reports whether the request body is JSON (else a multipart upload is expected).
func isJSON(c *fiber.Ctx) bool {
	return strings.HasPrefix(strings.ToLower(c.Get(fiber.HeaderContentType)), fiber.MIMEApplicationJSON)
}

func (h *handlers) upload(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	name, r, size, err := uploadBody(c)
	if err != nil {
		return err
	}
	defer r.Close()
	out, err := h.svc.Upload(c.UserContext(), actor.From(c), id, name, r, size)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) file(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	out, _, err := h.svc.File(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) versions(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	out, err := h.svc.Versions(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, VersionList{Items: out})
}

func (h *handlers) addVersion(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	_, r, size, err := uploadBody(c)
	if err != nil {
		return err
	}
	defer r.Close()
	out, err := h.svc.AddVersion(c.UserContext(), actor.From(c), id, r, size)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) restoreVersion(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Params("n"))
	if err != nil || n < 1 {
		return problem.NotFound()
	}
	out, err := h.svc.RestoreVersion(c.UserContext(), actor.From(c), id, n)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) downloads(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	out, err := h.svc.Downloads(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, DownloadList{Items: out})
}

func (h *handlers) trash(c *fiber.Ctx) error {
	fos, fis, err := h.svc.Trash(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, TrashList{Folders: fos, Files: fis})
}

func (h *handlers) purge(c *fiber.Ctx) error {
	n, err := h.svc.PurgeAccount(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, Purged{Deleted: n})
}

func (h *handlers) emptyTrash(c *fiber.Ctx) error {
	n, err := h.svc.EmptyTrash(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, Purged{Deleted: n})
}

func (h *handlers) settings(c *fiber.Ctx) error {
	out, err := h.svc.Settings(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) setSettings(c *fiber.Ctx) error {
	var in Settings
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.SetSettings(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}
