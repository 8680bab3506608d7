package projects

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

// registerCategoryPages declares the administration page of the project categories: the
// list (with how many projects each has), the form that adds one or changes the one being
// edited (?edit=ID), and the deletion, confirmed on the page (?delete=ID) where the
// administrator may choose another category for its projects.
func registerCategoryPages(r *app.Registry, h *pages) {
	manage := api.Can("projects.categories", "manage")
	r.Get("/:slug/admin/project-categories", manage, h.categoriesPage)
	r.Post("/:slug/admin/project-categories", manage, h.categoryForm)
	r.Post("/:slug/admin/project-categories/:id", manage, h.categoryForm)
	r.Post("/:slug/admin/project-categories/:id/delete", manage, h.categoryDelete)
	r.Nav(web.NavItem{Label: "projects.categories.nav", Path: "/admin/project-categories", Object: "projects.categories", Action: "manage", Order: 84, Group: web.GroupAdmin})
}

// categoriesData is what the categories page shows.
type categoriesData struct {
	Rows   []ProjectCategory
	Edit   *ProjectCategory // whose form shows (nil: the form adds one)
	Delete *ProjectCategory // whose deletion is being confirmed
	MoveTo [][]string       // the other categories its projects may take (value, name)
	Colors [][]string       // value, catalog key
	Max    int
}

func (h *pages) categoriesView(c *fiber.Ctx, editID, deleteID int64, form *web.Form) (*web.Page, error) {
	list, err := h.svc.Categories(c.UserContext(), actor.From(c))
	if err != nil {
		return nil, err
	}
	d := &categoriesData{Rows: list.Items, Max: MaxCategories}
	for i := range d.Rows {
		switch d.Rows[i].ID {
		case editID:
			d.Edit = &d.Rows[i]
		case deleteID:
			d.Delete = &d.Rows[i]
		}
	}
	if form == nil {
		v := map[string]string{}
		if d.Edit != nil {
			v = map[string]string{"name": d.Edit.Name, "color": d.Edit.Color, "position": itoa(int64(d.Edit.Position))}
		}
		form = web.EmptyForm(v)
	}
	p := h.page(c, "projects.categories.title", form)
	d.Colors = [][]string{{"", "projects.categories.no_color"}}
	for _, col := range Colors {
		d.Colors = append(d.Colors, []string{col, "projects.color." + col})
	}
	if d.Delete != nil {
		d.MoveTo = [][]string{{"", p.T("projects.categories.move_none")}}
		for _, o := range d.Rows {
			if o.ID != d.Delete.ID {
				d.MoveTo = append(d.MoveTo, []string{itoa(o.ID), o.Name})
			}
		}
	}
	p.Data = d
	return p, nil
}

func (h *pages) categoriesPage(c *fiber.Ctx) error {
	edit, _ := api.ParseID(c.Query("edit"))
	del, _ := api.ParseID(c.Query("delete"))
	p, err := h.categoriesView(c, edit, del, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "projects/categories", p)
}

// categoryForm adds a category (no id) or changes one: name, colour, position.
func (h *pages) categoryForm(c *fiber.Ctx) error {
	var id int64
	if c.Params("id") != "" {
		var err error
		if id, err = api.PathID(c, "id"); err != nil {
			return err
		}
	}
	form := web.NewForm(c, "name", "color", "position")
	name, color := form.Get("name"), form.Get("color")
	var f problem.Fields
	var pos *int
	if s := strings.TrimSpace(form.Get("position")); s != "" {
		if n, err := strconv.Atoi(s); err != nil {
			f.Add("position", "must be a whole number")
		} else {
			pos = &n
		}
	}
	err := f.Err()
	if err == nil && id == 0 {
		_, err = h.svc.CreateCategory(c.UserContext(), actor.From(c), CategoryInput{Name: name, Color: color, Position: pos})
	} else if err == nil {
		_, err = h.svc.UpdateCategory(c.UserContext(), actor.From(c), id, CategoryPatch{Name: &name, Color: &color, Position: pos})
	}
	if err != nil {
		if pr, ok := problem.As(err); !ok || pr.Status >= 500 || pr.Status == fiber.StatusNotFound {
			return err
		}
		p, verr := h.categoriesView(c, id, 0, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "projects/categories", p, err)
	}
	flash := "projects.categories.flash.changed"
	if id == 0 {
		flash = "projects.categories.flash.added"
	}
	return web.Done(c, flash, slugBase(c)+"/admin/project-categories")
}

// categoryDelete deletes a category once confirmed; its projects take move_to, or none.
func (h *pages) categoryDelete(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "move_to")
	var f problem.Fields
	moveTo := formID(form, "move_to", &f)
	err = f.Err()
	if err == nil {
		err = h.svc.DeleteCategory(c.UserContext(), actor.From(c), id, moveTo)
	}
	if err != nil {
		if pr, ok := problem.As(err); !ok || pr.Status >= 500 || pr.Status == fiber.StatusNotFound {
			return err
		}
		p, verr := h.categoriesView(c, 0, id, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "projects/categories", p, err)
	}
	return web.Done(c, "projects.categories.flash.deleted", slugBase(c)+"/admin/project-categories")
}
