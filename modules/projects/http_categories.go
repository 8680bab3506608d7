package projects

import (
	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/problem"
)

// registerCategories declares the API of the project categories (service_categories.go):
// colleagues read the list (the project form picks from it), administrators keep it.
func registerCategories(r *app.Registry, h *handlers) {
	const tag, base = "Projects", "/api/v1/:slug/project-categories"
	read, manage := api.Can("projects.categories", "read"), api.Can("projects.categories", "manage")
	r.Get(base, read, h.categories, api.Doc{Summary: "The account's project categories in their order, with how many projects each has", Tag: tag, Response: CategoryList{}})
	r.Post(base, manage, h.createCategory, api.Doc{Summary: "Add a project category (its name unique in the account, whatever its case)", Tag: tag, Request: CategoryInput{}, Response: ProjectCategory{}, Status: 201})
	r.Get(base+"/:id", read, api.One("id", h.svc.Category), api.Doc{Summary: "One project category", Tag: tag, Response: ProjectCategory{}})
	r.Patch(base+"/:id", manage, api.Update("id", h.svc.UpdateCategory), api.Doc{Summary: "Rename, recolour or move a project category (its projects show the new name at once)", Tag: tag, Request: CategoryPatch{}, Response: ProjectCategory{}})
	r.Delete(base+"/:id", manage, h.deleteCategory, api.Doc{Summary: "Delete a project category: its projects move to move_to, or are left without a category", Tag: tag, Status: 204,
		Query: []api.Param{{Name: "move_to", Type: "integer", Description: "another category, which the deleted one's projects take"}}})
}

func (h *handlers) categories(c *fiber.Ctx) error {
	out, err := h.svc.Categories(c.UserContext(), actor.From(c))
	return respond(c, fiber.StatusOK, out, err)
}

func (h *handlers) createCategory(c *fiber.Ctx) error {
	var in CategoryInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.CreateCategory(c.UserContext(), actor.From(c), in)
	return respond(c, fiber.StatusCreated, out, err)
}

func (h *handlers) deleteCategory(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var f problem.Fields
	moveTo := queryID(c, &f, "move_to", 0)
	if err := f.Err(); err != nil {
		return err
	}
	return respond(c, fiber.StatusNoContent, nil, h.svc.DeleteCategory(c.UserContext(), actor.From(c), id, moveTo))
}
