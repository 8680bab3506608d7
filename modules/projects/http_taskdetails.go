package projects

// The JSON API of task details: a project's custom statuses and labels (read by whoever sees
// the project, managed by project managers), and a task's checklist (read by whoever sees the
// task, changed by whoever may change tasks).

import (
	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
)

func registerTaskDetails(r *app.Registry, h *handlers) {
	const tag = "Projects"
	read, manage := api.Can("projects", "read"), api.Can("projects", "manage")
	readTasks, writeTasks := api.Can("projects.tasks", "read"), api.Can("projects.tasks", "write")
	const base = "/api/v1/:slug/projects/:id"

	r.Get(base+"/statuses", read, h.statuses, api.Doc{Summary: "The custom statuses of a project (its Kanban columns), by base status then position", Tag: tag, Response: StatusList{}})
	r.Post(base+"/statuses", manage, api.Create("id", h.svc.CreateStatus), api.Doc{Summary: "Add a custom status", Tag: tag, Request: StatusInput{}, Response: TaskStatus{}, Status: 201})
	r.Patch(base+"/statuses/:status_id", manage, api.Change("id", "status_id", h.svc.UpdateStatus), api.Doc{Summary: "Rename, recolour or move a custom status", Tag: tag, Request: StatusPatch{}, Response: TaskStatus{}})
	r.Delete(base+"/statuses/:status_id", manage, api.Remove("id", "status_id", h.svc.DeleteStatus), api.Doc{Summary: "Delete a custom status (its tasks keep its base status)", Tag: tag, Status: 204})

	r.Get(base+"/labels", read, h.labels, api.Doc{Summary: "The labels of a project", Tag: tag, Response: LabelList{}})
	r.Post(base+"/labels", manage, api.Create("id", h.svc.CreateLabel), api.Doc{Summary: "Add a label", Tag: tag, Request: LabelInput{}, Response: Label{}, Status: 201})
	r.Patch(base+"/labels/:label_id", manage, api.Change("id", "label_id", h.svc.UpdateLabel), api.Doc{Summary: "Rename or recolour a label", Tag: tag, Request: LabelPatch{}, Response: Label{}})
	r.Delete(base+"/labels/:label_id", manage, api.Remove("id", "label_id", h.svc.DeleteLabel), api.Doc{Summary: "Delete a label (and take it off its tasks)", Tag: tag, Status: 204})

	const task = "/api/v1/:slug/tasks/:id"
	r.Get(task+"/checklist", readTasks, h.checklist, api.Doc{Summary: "The checklist of a task", Tag: tag, Response: Checklist{}})
	r.Post(task+"/checklist", writeTasks, api.Create("id", h.svc.AddChecklistItem), api.Doc{Summary: "Add a checklist item", Tag: tag, Request: ChecklistInput{}, Response: ChecklistItem{}, Status: 201})
	r.Patch(task+"/checklist/:item_id", writeTasks, api.Change("id", "item_id", h.svc.UpdateChecklistItem), api.Doc{Summary: "Tick, untick, edit or move a checklist item", Tag: tag, Request: ChecklistPatch{}, Response: ChecklistItem{}})
	r.Delete(task+"/checklist/:item_id", writeTasks, api.Remove("id", "item_id", h.svc.DeleteChecklistItem), api.Doc{Summary: "Remove a checklist item", Tag: tag, Status: 204})
}

func (h *handlers) statuses(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	ss, err := h.svc.Statuses(c.UserContext(), actor.From(c), id)
	return respond(c, fiber.StatusOK, StatusList{Items: ss}, err)
}

func (h *handlers) labels(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	ls, err := h.svc.Labels(c.UserContext(), actor.From(c), id)
	return respond(c, fiber.StatusOK, LabelList{Items: ls}, err)
}

func (h *handlers) checklist(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	cl, err := h.svc.Checklist(c.UserContext(), actor.From(c), id)
	return respond(c, fiber.StatusOK, cl, err)
}
