package planning

// The kinds of leave page (administrators): add, rename, change the allowance, archive and
// restore kinds of leave. The kinds an account starts with are stored under their English
// names (the API's, stable for integrations) and read in the reader's language on the pages
// while nobody renamed them (typeLabel).

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/web"
)

// typeLabel is the name of a kind of leave as the page shows it: a default kind unrenamed
// in the page's language, any other as its admin named it.
func typeLabel(p *web.Page, name string) string {
	for _, t := range defaultTypes {
		if t.Name == name {
			return p.T("planning.type." + strings.ToLower(name))
		}
	}
	return name
}

type typesData struct {
	Types []AbsenceType
	// Labels are the names shown for the default kinds (the stored name edits).
	Labels map[int64]string
}

func (h *handlers) typesRoutes(r routes) {
	settings := api.Can("planning.settings", "manage")
	r.Get("/:slug/planning/leave-types", settings, h.typesPage)
	r.Post("/:slug/planning/leave-types", settings, h.typeCreateForm)
	r.Post("/:slug/planning/leave-types/:id", settings, h.typeUpdateForm)
}

func (h *handlers) typesView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	types, err := h.svc.AbsenceTypes(c.UserContext(), a)
	if err != nil {
		return nil, err
	}
	p := h.web.NewPage(c, "planning.types.title")
	d := &typesData{Types: types, Labels: map[int64]string{}}
	for _, t := range types {
		if l := typeLabel(p, t.Name); l != t.Name {
			d.Labels[t.ID] = l
		}
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"allowance_days": "0", "carry_over_days": "0", "paid": "true"})
	}
	p.Data, p.Form = d, form
	return p, nil
}

func (h *handlers) typesPage(c *fiber.Ctx) error {
	p, err := h.typesView(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "planning/leave_types", p)
}

// formDays reads a whole number of days of the form (-1 when it is not one: the service says so).
func formDays(form *web.Form, name string) int {
	n, err := strconv.Atoi(strings.TrimSpace(form.Get(name)))
	if err != nil {
		return -1
	}
	return n
}

func (h *handlers) typeCreateForm(c *fiber.Ctx) error {
	a := actor.From(c)
	form := web.NewForm(c, "name", "paid", "allowance_days", "carry_over_days")
	_, err := h.svc.CreateAbsenceType(c.UserContext(), a, AbsenceTypeInput{Name: form.Get("name"), Paid: form.Get("paid") == "true",
		AllowanceDays: formDays(form, "allowance_days"), CarryOverDays: formDays(form, "carry_over_days")})
	if err != nil {
		p, verr := h.typesView(c, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "planning/leave_types", p, err)
	}
	return web.Done(c, "planning.flash.type_created", "/"+a.Account.Slug+"/planning/leave-types")
}

// typeUpdateForm saves a row of the table (name, paid, allowance, carry-over), or archives
// or restores the kind (archived=true/false, from its own button).
func (h *handlers) typeUpdateForm(c *fiber.Ctx) error {
	a := actor.From(c)
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "name", "paid", "allowance_days", "carry_over_days", "archived")
	var in AbsenceTypePatch
	key := "planning.flash.type_saved"
	if v := form.Get("archived"); v != "" {
		archived := v == "true"
		in.Archived = &archived
		key = "planning.flash.type_restored"
		if archived {
			key = "planning.flash.type_archived"
		}
	} else {
		name, paid := form.Get("name"), form.Get("paid") == "true"
		allowance, carry := formDays(form, "allowance_days"), formDays(form, "carry_over_days")
		in.Name, in.Paid, in.AllowanceDays, in.CarryOverDays = &name, &paid, &allowance, &carry
	}
	if _, err := h.svc.UpdateAbsenceType(c.UserContext(), a, id, in); err != nil {
		p, verr := h.typesView(c, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "planning/leave_types", p, err)
	}
	return web.Done(c, key, "/"+a.Account.Slug+"/planning/leave-types")
}
