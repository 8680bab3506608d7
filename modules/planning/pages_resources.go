package planning

import (
	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// The resources page: the placeholders (roles not yet staffed), equipment and rooms, a form to
// add one, and for a placeholder the person who replaces it and takes its allocations (the
// API's POST resources/{id}/assign). People are resources by themselves (every colleague).

// resourcesData is the page's: the resources that are not people, and the people a
// placeholder may be replaced by.
type resourcesData struct {
	Items  []Resource
	People [][]string // [user id, name]
	Kinds  [][]string // [kind, catalogue key]
	Roles  [][]string // [role id, name]
}

func (h *handlers) resourcesRoutes(r routes) {
	read, write := api.Can("planning", "read"), api.Can("planning", "write")
	r.Get("/:slug/planning/resources", read, h.resourcesPage)
	r.Post("/:slug/planning/resources", write, h.resourceCreateForm)
	r.Post("/:slug/planning/resources/:id/assign", write, h.resourceAssignForm)
	r.Post("/:slug/planning/resources/:id/archive", write, h.resourceArchiveForm)
}

func (h *handlers) resourcesView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	rs, err := h.svc.Resources(c.UserContext(), a, Filter{})
	if err != nil {
		return nil, err
	}
	d := &resourcesData{People: [][]string{{"", "—"}}, Roles: [][]string{{"", "—"}},
		Kinds: [][]string{{KindPlaceholder, "planning.kind.placeholder"}, {KindEquipment, "planning.kind.equipment"}, {KindRoom, "planning.kind.room"}}}
	for _, r := range rs {
		if r.Kind == KindPerson && r.UserID != nil {
			d.People = append(d.People, []string{itoa(*r.UserID), r.Name})
		} else {
			d.Items = append(d.Items, r)
		}
	}
	fl, err := h.filters(c)
	if err != nil {
		return nil, err
	}
	for _, r := range fl.Roles {
		d.Roles = append(d.Roles, []string{itoa(r.ID), r.Name})
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"kind": KindPlaceholder})
	}
	p := h.web.NewPage(c, "planning.resources.title")
	p.Data, p.Form = d, form
	return p, nil
}

func (h *handlers) resourcesPage(c *fiber.Ctx) error {
	p, err := h.resourcesView(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "planning/resources", p)
}

// resourcesRefused shows the page again with the form's messages.
func (h *handlers) resourcesRefused(c *fiber.Ctx, form *web.Form, err error) error {
	p, verr := h.resourcesView(c, form)
	if verr != nil {
		return verr
	}
	return h.web.Refuse(c, "planning/resources", p, err)
}

func (h *handlers) resourceCreateForm(c *fiber.Ctx) error {
	a := actor.From(c)
	form := web.NewForm(c, "kind", "name", "role_id")
	var f problem.Fields
	role := formID(&f, form, "role_id")
	err := f.Err()
	if err == nil {
		_, err = h.svc.CreateResource(c.UserContext(), a, ResourceInput{Kind: form.Get("kind"), Name: form.Get("name"), RoleID: role})
	}
	if err != nil {
		return h.resourcesRefused(c, form, err)
	}
	return web.Done(c, "planning.flash.resource_created", "/"+a.Account.Slug+"/planning/resources")
}

func (h *handlers) resourceAssignForm(c *fiber.Ctx) error {
	a := actor.From(c)
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	// Another account's resource is 404 whatever the form says.
	if _, err := h.svc.Resource(c.UserContext(), a, id); err != nil {
		return err
	}
	form := web.NewForm(c, "user_id")
	var f problem.Fields
	user := formID(&f, form, "user_id")
	f.Check(user != 0, "user_id", "is required")
	var out *Resource
	if err = f.Err(); err == nil {
		out, err = h.svc.Assign(c.UserContext(), a, id, AssignInput{UserID: user})
	}
	if err != nil {
		return h.resourcesRefused(c, form, err)
	}
	return web.Done(c, "planning.flash.assigned", "/"+a.Account.Slug+"/planning?resource="+itoa(out.ID)+"#resource-"+itoa(out.ID))
}

func (h *handlers) resourceArchiveForm(c *fiber.Ctx) error {
	a := actor.From(c)
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	archived := true
	if _, err := h.svc.UpdateResource(c.UserContext(), a, id, ResourcePatch{Archived: &archived}); err != nil {
		return h.resourcesRefused(c, web.EmptyForm(nil), err)
	}
	return web.Done(c, "planning.flash.resource_archived", "/"+a.Account.Slug+"/planning/resources")
}
