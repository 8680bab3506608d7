package projects

// The import and export routes: the API (multipart upload, dry_run), the upload page, its
// preview and the confirmation, and the ZIP export.
//
// Between the preview and the confirmation the server keeps nothing: the preview page holds
// the parsed rows as a hidden field — JSON, gzipped, base64 — with an HMAC keyed from the app
// secret and bound to the account, the project and the person. The confirmation re-validates
// every row through the service anyway (the project may have changed meanwhile); the HMAC
// only guarantees that what is imported is what was previewed, and that a preview cannot be
// replayed into another project or by another person. The rows, not the file, travel: they
// are smaller, and re-parsing is not needed.

import (
	"bytes"
	"compress/gzip"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// transfer serves import and export.
type transfer struct {
	svc *Service
	web *web.Renderer
	key []byte // signs the previewed rows
}

// registerTransfer declares the routes of import (projects.tasks:write: it adds tasks to lists that
// exist, as POST tasks does) and export (projects:read: it holds only what the viewer sees).
func registerTransfer(r *app.Registry, svc *Service) {
	mac := hmac.New(sha256.New, []byte(r.Config().SecretKey))
	mac.Write([]byte("groupcamp projects import v1"))
	h := &transfer{svc: svc, web: r.Web(), key: mac.Sum(nil)}
	read, writeTasks := api.Can("projects", "read"), api.Can("projects.tasks", "write")
	const tag = "Projects"
	r.Post("/api/v1/:slug/projects/:id/import", writeTasks, h.apiImport, api.Doc{Summary: "Import tasks from a CSV or XLSX file (multipart field file)", Tag: tag,
		Response: ImportReport{}, Query: []api.Param{{Name: "dry_run", Type: "boolean", Description: "validate and report without writing"}}})
	r.Get("/api/v1/:slug/projects/:id/export.zip", read, exportZip(svc), api.Doc{Summary: "Export the project as a ZIP (project.json and tasks.csv)", Tag: tag})
	r.Get("/:slug/projects/:id/import", writeTasks, h.form)
	r.Post("/:slug/projects/:id/import", writeTasks, h.preview)
	r.Post("/:slug/projects/:id/import/confirm", writeTasks, h.confirm)
	r.Get("/:slug/projects/:id/export.zip", read, exportZip(svc))
}

// upload reads the multipart field "file" (413 above the import's limit).
func upload(c *fiber.Ctx) (string, []byte, error) {
	fh, err := c.FormFile("file")
	if err != nil {
		return "", nil, problem.Invalid(problem.FieldError{Field: "file", Message: "send the file as the multipart field file"})
	}
	if fh.Size > MaxImportBytes {
		return "", nil, problem.TooLarge(fmt.Sprintf("the file is larger than %d MiB", MaxImportBytes>>20))
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxImportBytes+1))
	return strings.Clone(fh.Filename), data, err
}

func (h *transfer) apiImport(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	// A project the caller does not see is a 404 whatever the body holds.
	if _, err := h.svc.Project(c.UserContext(), actor.From(c), id); err != nil {
		return err
	}
	name, data, err := upload(c)
	if err != nil {
		return err
	}
	rows, err := ParseImport(name, data)
	if err != nil {
		return err
	}
	rep, err := h.svc.Import(c.UserContext(), actor.From(c), id, rows, c.QueryBool("dry_run"))
	if rep != nil && err != nil {
		// Wrong rows: the report itself is the answer, so a client sees every error.
		return api.JSON(c, fiber.StatusUnprocessableEntity, rep)
	}
	status := fiber.StatusOK
	if rep != nil && rep.Imported > 0 {
		status = fiber.StatusCreated
	}
	return respond(c, status, rep, err)
}

// importData is the import page, with a preview once a file is sent.
type importData struct {
	Project *Project
	Base    string
	Rows    []ImportResult
	OK      bool
	Wrong   int
	Payload string
}

func (h *transfer) pageData(c *fiber.Ctx) (*importData, error) {
	id, err := api.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	p, err := h.svc.Project(c.UserContext(), actor.From(c), id)
	if err != nil {
		return nil, err
	}
	return &importData{Project: p, Base: slugBase(c) + "/projects/" + itoa(id)}, nil
}

func (h *transfer) render(c *fiber.Ctx, d *importData, err error) error {
	p := h.web.NewPage(c, d.Project.Name)
	p.Form = web.EmptyForm(nil)
	p.Data = d
	if err != nil {
		return h.web.Refuse(c, "projects/import", p, err)
	}
	return h.web.Render(c, "projects/import", p)
}

func (h *transfer) form(c *fiber.Ctx) error {
	d, err := h.pageData(c)
	if err != nil {
		return err
	}
	return h.render(c, d, nil)
}

func (h *transfer) preview(c *fiber.Ctx) error {
	d, err := h.pageData(c)
	if err != nil {
		return err
	}
	name, data, err := upload(c)
	if err != nil {
		return h.render(c, d, err)
	}
	rows, err := ParseImport(name, data)
	if err != nil {
		return h.render(c, d, err)
	}
	rep, err := h.svc.PreviewImport(c.UserContext(), actor.From(c), d.Project.ID, rows)
	if err != nil {
		return h.render(c, d, err)
	}
	d.Rows, d.OK = rep.Rows, rep.OK()
	for _, r := range rep.Rows {
		if len(r.Errors) > 0 {
			d.Wrong++
		}
	}
	if !d.OK {
		p := h.web.NewPage(c, d.Project.Name)
		p.Form, p.Data, p.Status = web.EmptyForm(nil), d, fiber.StatusUnprocessableEntity
		return h.web.Render(c, "projects/import", p)
	}
	if d.Payload, err = h.seal(c, d.Project.ID, rows); err != nil {
		return err
	}
	return h.render(c, d, nil)
}

func (h *transfer) confirm(c *fiber.Ctx) error {
	d, err := h.pageData(c)
	if err != nil {
		return err
	}
	rows, err := h.open(c, d.Project.ID, c.FormValue("payload"))
	if err == nil {
		_, err = h.svc.Import(c.UserContext(), actor.From(c), d.Project.ID, rows, false)
	}
	if err != nil {
		return h.render(c, d, err)
	}
	return web.Done(c, "projects.import.done", d.Base+"/tasks")
}

// binding is what a signature covers besides the rows.
func binding(c *fiber.Ctx, projectID int64) string {
	a := actor.From(c)
	return fmt.Sprintf("%d.%d.%d.", a.AccountID(), projectID, a.UserID)
}

// seal packs rows into the hidden field: base64(gzip(JSON)) "." base64(HMAC).
func (h *transfer) seal(c *fiber.Ctx, projectID int64, rows []ImportRow) (string, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if err := json.NewEncoder(zw).Encode(rows); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	body := base64.RawURLEncoding.EncodeToString(buf.Bytes())
	return body + "." + h.sign(binding(c, projectID)+body), nil
}

func (h *transfer) sign(s string) string {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(s))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// open checks and unpacks the hidden field; anything not sealed by seal is a 422.
func (h *transfer) open(c *fiber.Ctx, projectID int64, payload string) ([]ImportRow, error) {
	bad := problem.Invalid(problem.FieldError{Field: "file", Message: "the preview is no longer valid; send the file again"})
	body, sig, ok := strings.Cut(payload, ".")
	if !ok || !hmac.Equal([]byte(sig), []byte(h.sign(binding(c, projectID)+body))) {
		return nil, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		return nil, bad
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, bad
	}
	var rows []ImportRow
	if err := json.NewDecoder(zr).Decode(&rows); err != nil || len(rows) == 0 || len(rows) > MaxImportRows {
		return nil, bad
	}
	return rows, nil
}
