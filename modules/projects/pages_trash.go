package projects

// The pages of the tasks' trash (service_trash.go): the task page's Delete, behind a
// <details> that asks first (it works without JavaScript), the project's Trash with a Restore
// button per task, and the flash messages that say where a deleted task went; and the task
// page's Follow / Unfollow (service_followers.go).

import (
	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

func registerTrashPages(r *app.Registry, h *pages) {
	writeTasks := api.Can("projects.tasks", "write")
	r.Get("/:slug/projects/:id/trash", writeTasks, h.trash)
	r.Post("/:slug/tasks/:id/delete", writeTasks, h.trashTask)
	r.Post("/:slug/tasks/:id/restore", writeTasks, h.restoreTask)
	r.Post("/:slug/projects/:id/lists/:list_id/restore", writeTasks, h.restoreList)
	readTasks := api.Can("projects.tasks", "read")
	r.Post("/:slug/tasks/:id/follow", readTasks, h.follow(true))
	r.Post("/:slug/tasks/:id/unfollow", readTasks, h.follow(false))
}

// follow makes the viewer follow a task, or stop, and shows the task again.
func (h *pages) follow(on bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		if err := h.svc.Follow(c.UserContext(), actor.From(c), id, on); err != nil {
			return err
		}
		key := "projects.follow.on"
		if !on {
			key = "projects.follow.off"
		}
		return web.Done(c, key, slugBase(c)+"/tasks/"+itoa(id)+"#comments")
	}
}

// trashData is a project's trash.
type trashData struct {
	*projectView
	Lists []TaskList // the lists in the trash
	Rows  []taskRow
	Next  string
}

func (h *pages) trash(c *fiber.Ctx) error {
	return h.render(c, "projects/trash", func(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
		v, err := h.loadProject(c, "trash")
		if err != nil {
			return nil, err
		}
		pg, err := api.ParsePage(c)
		if err != nil {
			return nil, err
		}
		list, err := h.svc.Trash(c.UserContext(), actor.From(c), v.Project.ID, pg)
		if err != nil {
			return nil, err
		}
		_, names, err := h.listNames(c, v.Project.ID)
		if err != nil {
			return nil, err
		}
		trashed, err := h.svc.TrashedLists(c.UserContext(), actor.From(c), v.Project.ID)
		if err != nil {
			return nil, err
		}
		for _, l := range trashed {
			names[l.ID] = l.Name // the tasks that went with their list still say which
		}
		if err := h.nameAssignees(c, v, list.Items); err != nil {
			return nil, err
		}
		d := trashData{projectView: v, Lists: trashed, Rows: v.rows(list.Items, names, h.today(c))}
		if list.NextCursor != "" {
			d.Next = v.Base + "/trash?cursor=" + list.NextCursor
		}
		p := h.page(c, v.Project.Name, form)
		p.Data = d
		return p, nil
	})
}

// trashTask moves the task to the trash once confirmed, and goes to the project's tasks.
func (h *pages) trashTask(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a, ctx := actor.From(c), c.UserContext()
	t, err := h.svc.Task(ctx, a, id)
	if err != nil {
		return err
	}
	if err := h.svc.DeleteTask(ctx, a, id); err != nil {
		return h.refused(c, err, slugBase(c)+"/tasks/"+itoa(id))
	}
	return web.Done(c, "projects.trash.trashed", slugBase(c)+"/projects/"+itoa(t.ProjectID)+"/tasks")
}

// restoreTask brings the task back, and shows it.
func (h *pages) restoreTask(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	t, err := h.svc.RestoreTask(c.UserContext(), actor.From(c), id)
	if err != nil {
		return h.refused(c, err, web.SafeNext(c.FormValue("back"), slugBase(c)+"/projects"))
	}
	return web.Done(c, "projects.trash.restored", slugBase(c)+"/tasks/"+itoa(t.ID))
}

// restoreList brings a list back from the trash with its tasks, and shows the project's list.
func (h *pages) restoreList(c *fiber.Ctx) error {
	pid, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	id, err := api.PathID(c, "list_id")
	if err != nil {
		return err
	}
	if _, err := h.svc.RestoreList(c.UserContext(), actor.From(c), pid, id); err != nil {
		return h.refused(c, err, web.SafeNext(c.FormValue("back"), slugBase(c)+"/projects"))
	}
	return web.Done(c, "projects.trash.list_restored", slugBase(c)+"/projects/"+itoa(pid)+"/tasks")
}

// refused goes back with the problem's message in a flash (an archived project, a task past
// its 30 days), or passes a 404 or a server error on.
func (h *pages) refused(c *fiber.Ctx, err error, back string) error {
	p, ok := problem.As(err)
	if !ok || p.Status == fiber.StatusNotFound || p.Status >= 500 {
		return err
	}
	key := "projects.trash.refused"
	if p.Status == fiber.StatusGone {
		key = "projects.trash.gone"
	}
	web.Flash(c, "error", key)
	return c.Redirect(back, fiber.StatusSeeOther)
}
