package admin

// A company's page: its people, what the modules hold that names it (the projects whose
// client it is, those that share task lists with it: hooks.CompanyUses), and — for those who
// may change companies — its rename and its delete. A company is deleted only once nobody
// belongs to it (core/identity.DeleteCompany says why); the page says so instead of offering
// a button that would be refused, and lists what lets go of the company before it asks to
// confirm.

import (
	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// companyData is what a company's page shows.
type companyData struct {
	Company *identity.Company
	People  []personRow
	More    bool // more people than the page shows
	Uses    []hooks.CompanyUse
}

func (h *handlers) companyPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a, ctx := actor.From(c), c.UserContext()
	id, err := api.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	co, err := h.svc.Company(ctx, a, id)
	if err != nil {
		return nil, err
	}
	people, err := h.svc.ListMembers(ctx, a, api.Page{Limit: api.MaxLimit}, identity.MemberFilter{CompanyID: co.ID})
	if err != nil {
		return nil, err
	}
	d := companyData{Company: co, More: people.NextCursor != ""}
	for _, m := range people.Items {
		d.People = append(d.People, personRow{Member: m, State: status(&m)})
	}
	if h.hooks != nil {
		if d.Uses, err = h.hooks.CompanyUses(ctx, a, co.ID); err != nil {
			return nil, err
		}
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"name": co.Name})
	}
	p := h.page(c, co.Name, form)
	p.Data = d
	return p, nil
}

func (h *handlers) company(c *fiber.Ctx) error {
	p, err := h.companyPage(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "admin/company", p)
}

func (h *handlers) renameCompany(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "name")
	name := form.Get("name")
	if _, err := h.svc.UpdateCompany(c.UserContext(), actor.From(c), id, identity.CompanyPatch{Name: &name}); err != nil {
		if p, ok := problem.As(err); ok && p.Status == fiber.StatusNotFound {
			return err
		}
		p, perr := h.companyPage(c, form)
		if perr != nil {
			return perr
		}
		return h.web.Refuse(c, "admin/company", p, err)
	}
	return done(c, "admin.company.renamed", base(c)+"/companies/"+idString(id))
}

// deleteCompany deletes the company once confirmed; refused (people joined it meanwhile, or
// it is the account's own), the page says why.
func (h *handlers) deleteCompany(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteCompany(c.UserContext(), actor.From(c), id); err != nil {
		if p, ok := problem.As(err); ok && p.Status == fiber.StatusConflict {
			web.Flash(c, "error", "admin.company.delete_refused")
			return c.Redirect(base(c)+"/companies/"+idString(id), fiber.StatusSeeOther)
		}
		return err
	}
	return done(c, "admin.company.deleted", base(c)+"/companies")
}
