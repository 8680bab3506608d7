package timesheet

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
	projects "groupcamp/modules/projects/contract"
)

// maxSplitOptions bounds the "add a row" choices that split a project by category (projects
// times project categories), so the select stays usable.
const maxSplitOptions = 300

// categoryOptions are the grid's "add a row" choices a category gives: each project the
// person logs time on split by each project category ("Website › Design"), then the
// administrative categories — leaving out the rows shown already.
func categoryOptions(ts []projects.TimeTarget, cats []Category, shown map[RowKey][]int) []option {
	var out []option
	for _, tg := range ts {
		if tg.TaskID != 0 {
			continue
		}
		for _, ct := range cats {
			k := RowKey{ProjectID: tg.ProjectID, CategoryID: ct.ID}
			if _, ok := shown[k]; !ok && ct.Kind == KindProject && len(out) < maxSplitOptions {
				out = append(out, option{k.String(), entryLabel(tg.ProjectName, "", ct.Name)})
			}
		}
	}
	for _, ct := range cats {
		k := RowKey{CategoryID: ct.ID}
		if _, ok := shown[k]; !ok && ct.Kind != KindProject {
			out = append(out, option{k.String(), ct.Name})
		}
	}
	return out
}

// categoryTargets add the account's project categories to the choices of a budget line's
// target ("c3": the project's time of that category).
func (h *handlers) categoryTargets(ctx context.Context, a *actor.Actor, p *web.Page, targets [][2]string) ([][2]string, error) {
	cats, err := h.svc.store.categories(ctx, h.svc.tenant(a.AccountID()), false, "", pageAll)
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		if c.Kind == KindProject {
			targets = append(targets, [2]string{"c" + strconv.FormatInt(c.ID, 10), p.T("timesheet.categories.budget_target", "Category", c.Name)})
		}
	}
	return targets, nil
}

// categoryPageRoutes register the time categories page: the list for colleagues, the forms
// for administrators. Before pageRoutes: /timesheet/categories/{id} is no
// /timesheet/{user_id}/{week}.
func (h *handlers) categoryPageRoutes(r routes) {
	read, manage := api.Can("timesheet.categories", "read"), api.Can("timesheet.categories", "manage")
	r.Get("/:slug/timesheet/categories", read, h.categoriesPage)
	r.Post("/:slug/timesheet/categories", manage, h.categoryForm)
	r.Post("/:slug/timesheet/categories/:id", manage, h.categoryForm)
	r.Post("/:slug/timesheet/categories/:id/archive", manage, h.categoryArchiveForm)
}

// categoriesData is what the categories page shows.
type categoriesData struct {
	Rows   []Category
	Manage bool
	Edit   *Category // the category whose form shows (nil: the form adds one)
	Kinds  [][2]string
	Kind   string // the kind the list shows ("": all)
}

var categoryKinds = [][2]string{{KindAdministrative, "timesheet.categories.kind." + KindAdministrative}, {KindProject, "timesheet.categories.kind." + KindProject}}

func (h *handlers) categoriesView(c *fiber.Ctx, editID int64, form *web.Form) (*web.Page, error) {
	a := actor.From(c)
	kind := c.Query("kind")
	if kind != KindAdministrative && kind != KindProject {
		kind = "" // the page shows every kind rather than a refusal
	}
	list, err := h.svc.Categories(c.UserContext(), a, true, kind, pageAll)
	if err != nil {
		return nil, err
	}
	d := &categoriesData{Rows: list.Items, Manage: a.May("timesheet.categories", "manage"), Kinds: categoryKinds, Kind: kind}
	for i := range d.Rows {
		if d.Rows[i].ID == editID && d.Manage {
			d.Edit = &d.Rows[i]
		}
	}
	if form == nil {
		v := map[string]string{"kind": KindAdministrative}
		if d.Edit != nil {
			v = map[string]string{"name": d.Edit.Name, "kind": d.Edit.Kind}
			if d.Edit.Billable {
				v["billable"] = "on"
			}
		}
		form = web.EmptyForm(v)
	}
	p := h.web.NewPage(c, "timesheet.categories.title")
	p.Data, p.Form = d, form
	return p, nil
}

func (h *handlers) categoriesPage(c *fiber.Ctx) error {
	edit, _ := api.ParseID(c.Query("edit"))
	p, err := h.categoriesView(c, edit, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, "timesheet/categories", p)
}

// categoryForm adds a category (no id) or changes one: name, kind, billable default.
func (h *handlers) categoryForm(c *fiber.Ctx) error {
	var id int64
	if c.Params("id") != "" {
		var err error
		if id, err = api.PathID(c, "id"); err != nil {
			return err
		}
	}
	a := actor.From(c)
	form := web.NewForm(c, "name", "kind", "billable")
	name, kind, billable := form.Get("name"), form.Get("kind"), form.Get("billable") != ""
	var err error
	if id == 0 {
		_, err = h.svc.CreateCategory(c.UserContext(), a, CategoryInput{Name: name, Kind: kind, Billable: billable})
	} else {
		_, err = h.svc.UpdateCategory(c.UserContext(), a, id, CategoryPatch{Name: &name, Kind: &kind, Billable: &billable})
	}
	to := "/" + a.Account.Slug + "/timesheet/categories"
	if err != nil {
		if pr, ok := problem.As(err); !ok || pr.Status >= 500 || pr.Status == fiber.StatusNotFound {
			return err
		}
		p, verr := h.categoriesView(c, id, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, "timesheet/categories", p, err)
	}
	if id == 0 {
		return web.Done(c, "timesheet.categories.flash.added", to)
	}
	return web.Done(c, "timesheet.categories.flash.changed", to)
}

// categoryArchiveForm archives a category (no new time on it) or restores it.
func (h *handlers) categoryArchiveForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	form := web.NewForm(c, "archived")
	archived := form.Get("archived") != "0"
	if _, err := h.svc.UpdateCategory(c.UserContext(), a, id, CategoryPatch{Archived: &archived}); err != nil {
		return err
	}
	key := "timesheet.categories.flash.restored"
	if archived {
		key = "timesheet.categories.flash.archived"
	}
	return web.Done(c, key, "/"+a.Account.Slug+"/timesheet/categories")
}
