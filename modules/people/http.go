package people

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// handlers serve the API and the pages.
type handlers struct {
	svc *Service
	web *web.Renderer
}

var importParams = []api.Param{
	{Name: "dry_run", Type: "boolean", Description: "check every row and answer the preview without writing"},
}

// routes registers the API and the pages (people:import: administrators and the owner).
func (h *handlers) routes(r *app.Registry) {
	can := api.Can("people", "import")
	r.Post("/api/v1/:slug/people/import", can, h.apiImport, api.Doc{Summary: "Invite people from a CSV (name, email, role, company_id) or a vCard file: multipart field file, optional fields role and company_id (for rows without them; role defaults to member). All rows or none; a wrong row answers 422 with the report", Tag: "People",
		Response: Report{}, Status: 201, Query: importParams})
	r.Get(pagePath, can, h.form)
	r.Post(pagePath, can, h.preview)
	r.Post(pagePath+"/confirm", can, h.confirm)
}

// upload reads the multipart field "file" (413 above MaxBytes) and the defaults.
func upload(c *fiber.Ctx) (string, []byte, Defaults, error) {
	d := Defaults{Role: strings.TrimSpace(c.FormValue("role")), CompanyID: 0}
	if d.Role == "" {
		d.Role = "member"
	}
	if s := strings.TrimSpace(c.FormValue("company_id")); s != "" && s != "0" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id < 0 {
			return "", nil, d, problem.Invalid(problem.FieldError{Field: "company_id", Message: "must be a company's number"})
		}
		d.CompanyID = id
	}
	name, data, err := api.FormFile(c, "file", MaxBytes)
	return sourceName(name), data, d, err
}

func (h *handlers) apiImport(c *fiber.Ctx) error {
	name, data, d, err := upload(c)
	if err != nil {
		return err
	}
	rows, err := Parse(data, d)
	if err != nil {
		return err
	}
	rep, err := h.svc.Import(c.UserContext(), actor.From(c), rows, name, c.QueryBool("dry_run"))
	switch {
	case rep != nil && err != nil:
		// Wrong rows: the report is the answer, so a client sees every row's errors.
		return api.JSON(c, fiber.StatusUnprocessableEntity, rep)
	case err != nil:
		return err
	case rep.DryRun:
		return api.JSON(c, fiber.StatusOK, rep)
	}
	return api.JSON(c, fiber.StatusCreated, rep)
}
