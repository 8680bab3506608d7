package people

import (
	"encoding/base64"
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// pagePath is the import page, in the administration menu; its form posts the file there
// for the preview, and the preview's button posts the rows to pagePath/confirm.
const pagePath = "/:slug/admin/people-import"

// pageData is what the import page shows: the upload form, and the preview once a file is sent.
type pageData struct {
	Report  *Report
	Payload string // the previewed rows, for the confirmation
	Source  string
	Roles   [][]string // the default role's choices: value, label key
	MaxRows int
	MaxKiB  int
}

var roleOptions = [][]string{{"member", "role.member"}, {"manager", "role.manager"}, {"admin", "role.admin"}, {"client", "role.client"}}

func (h *handlers) render(c *fiber.Ctx, form *web.Form, d *pageData, err error) error {
	p := h.web.NewPage(c, "people.title")
	if form == nil {
		form = web.EmptyForm(nil)
	}
	d.Roles, d.MaxRows, d.MaxKiB = roleOptions, MaxRows, MaxBytes>>10
	p.Form, p.Data = form, d
	if err != nil {
		return h.web.Refuse(c, "people/import", p, err)
	}
	return h.web.Render(c, "people/import", p)
}

func (h *handlers) form(c *fiber.Ctx) error {
	return h.render(c, web.EmptyForm(map[string]string{"role": "member"}), &pageData{}, nil)
}

func (h *handlers) preview(c *fiber.Ctx) error {
	form := web.NewForm(c, "role", "company_id")
	d := &pageData{}
	name, data, def, err := upload(c)
	if err != nil {
		return h.render(c, form, d, err)
	}
	rows, err := Parse(data, def)
	if err != nil {
		return h.render(c, form, d, err)
	}
	rep, err := h.svc.Preview(c.UserContext(), actor.From(c), rows)
	if err != nil {
		return err
	}
	d.Report, d.Source = rep, name
	if !rep.OK() {
		p := h.web.NewPage(c, "people.title")
		d.Roles, d.MaxRows, d.MaxKiB = roleOptions, MaxRows, MaxBytes>>10
		p.Form, p.Data, p.Status = form, d, fiber.StatusUnprocessableEntity
		return h.web.Render(c, "people/import", p)
	}
	raw, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	d.Payload = base64.RawURLEncoding.EncodeToString(raw)
	return h.render(c, form, d, nil)
}

func (h *handlers) confirm(c *fiber.Ctx) error {
	bad := problem.Invalid(problem.FieldError{Field: "file", Message: "the preview is no longer valid; send the file again"})
	var rows []Row
	raw, err := base64.RawURLEncoding.DecodeString(c.FormValue("payload"))
	if err != nil || len(raw) > 4*MaxBytes || json.Unmarshal(raw, &rows) != nil || len(rows) == 0 || len(rows) > MaxRows {
		return h.render(c, nil, &pageData{}, bad)
	}
	rep, err := h.svc.Import(c.UserContext(), actor.From(c), rows, sourceName(c.FormValue("source")), false)
	if err != nil {
		// Something changed since the preview (a person joined meanwhile): show the rows again.
		return h.render(c, nil, &pageData{Report: rep}, err)
	}
	web.Flash(c, "success", "people.flash.imported")
	return c.Redirect("/"+c.Params("slug")+"/people", fiber.StatusSeeOther)
}
