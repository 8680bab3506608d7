package projects

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
)

// handlers serve the JSON API of projects: parse the request, call the service, write the
// answer. The rules and the scope live in the service. Routes of the common shapes (create
// under an id, a page under an id, change or remove a child) use core/api's Create, Paged,
// Change and Remove directly; what is here reads more than that (filters, states, files).
type handlers struct {
	svc *Service
}

// respond writes v with status (nothing for 204), or passes err on to the error handler.
func respond(c *fiber.Ctx, status int, v any, err error) error {
	if err != nil {
		return err
	}
	if status == fiber.StatusNoContent {
		return c.SendStatus(status)
	}
	return api.JSON(c, status, v)
}

// pathIDs reads the positive integer path parameters named (anything else is a 404).
func pathIDs(c *fiber.Ctx, names ...string) ([]int64, error) {
	out := make([]int64, len(names))
	for i, n := range names {
		id, err := api.PathID(c, n)
		if err != nil {
			return nil, err
		}
		out[i] = id
	}
	return out, nil
}

// queryID reads an optional id query parameter ("" is 0); "me" stands for the reader when me
// is not 0.
func queryID(c *fiber.Ctx, f *problem.Fields, name string, me int64) int64 {
	s := c.Query(name)
	if s == "" {
		return 0
	}
	if s == "me" && me != 0 {
		return me
	}
	id, ok := api.ParseID(s)
	if !ok {
		f.Add(name, "must be an id")
		return 0
	}
	return id
}

// taskFilter reads ?status=a,b&assignee=ID|me&due_before=YYYY-MM-DD&list_id=ID&label=ID.
func taskFilter(c *fiber.Ctx) (TaskFilter, error) {
	var tf TaskFilter
	status, err := api.QueryText(c, "status", 100)
	if err != nil {
		return tf, err
	}
	if status != "" {
		tf.Statuses = strings.Split(status, ",")
	}
	var f problem.Fields
	tf.AssigneeID = queryID(c, &f, "assignee", actor.From(c).UserID)
	tf.ListID = queryID(c, &f, "list_id", 0)
	if s := c.Query("label"); s != "" {
		if id, ok := api.ParseID(s); ok {
			tf.LabelID = id
		} else if tf.LabelName = strings.TrimSpace(s); len(tf.LabelName) > MaxTag {
			f.Addf("label", "must be at most {max} characters", "max", MaxTag)
		}
	}
	if s := c.Query("due_before"); s != "" {
		d, ok := ParseDate(s)
		f.Check(ok, "due_before", "must be a day written YYYY-MM-DD")
		tf.DueBefore = d
	}
	return tf, f.Err()
}

var taskQuery = []api.Param{
	{Name: "status", Type: "string", Pattern: "^(open|in_progress|done)(,(open|in_progress|done))*$", Description: "open, in_progress or done; several separated by commas"},
	{Name: "assignee", Type: "string", Pattern: "^([0-9]+|me)$", Description: "a user id, or me"},
	{Name: "due_before", Type: "string", Format: "date", Description: "due strictly before this day (YYYY-MM-DD)"},
	{Name: "list_id", Type: "integer", Description: "in this list"},
	{Name: "label", Type: "string", Description: "carrying this label: its id, or its name in a project's task list (any case)"},
}

var pageQuery = []api.Param{
	{Name: "limit", Type: "integer", Description: "page size, 1-200 (default 50)"},
	{Name: "cursor", Type: "string", Description: "next_cursor of the previous page"},
}

func (h *handlers) listProjects(c *fiber.Ctx) error {
	pg, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	state, err := api.QueryText(c, "state", 20)
	if err != nil {
		return err
	}
	search, err := projectSearch(c)
	if err != nil {
		return err
	}
	f := ProjectFilter{State: state, Starred: c.QueryBool("starred"), ProjectSearch: search}
	list, err := h.svc.ListProjects(c.UserContext(), actor.From(c), f, pg)
	return respond(c, fiber.StatusOK, list, err)
}

func (h *handlers) createProject(c *fiber.Ctx) error {
	var in ProjectInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	p, err := h.svc.CreateProject(c.UserContext(), actor.From(c), in)
	return respond(c, fiber.StatusCreated, p, err)
}

func (h *handlers) project(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.svc.Project(c.UserContext(), actor.From(c), id)
	return respond(c, fiber.StatusOK, p, err)
}

func (h *handlers) updateProject(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var in ProjectPatch
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	p, err := h.svc.UpdateProject(c.UserContext(), actor.From(c), id, in)
	return respond(c, fiber.StatusOK, p, err)
}

// projectState serves trash (DELETE), archive and restore, which take no body.
func projectState(change func(context.Context, *actor.Actor, int64) (*Project, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		p, err := change(c.UserContext(), actor.From(c), id)
		return respond(c, fiber.StatusOK, p, err)
	}
}

func (h *handlers) star(on bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		return respond(c, fiber.StatusNoContent, nil, h.svc.Star(c.UserContext(), actor.From(c), id, on))
	}
}

func (h *handlers) members(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	ms, err := h.svc.Members(c.UserContext(), actor.From(c), id)
	return respond(c, fiber.StatusOK, MemberList{Items: ms}, err)
}

// MemberList is the answer of GET .../projects/{id}/members (every member: a project has a
// few dozen at most).
type MemberList struct {
	Items []ProjectMember `json:"items"`
}

func (h *handlers) tasks(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	pg, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	f, err := taskFilter(c)
	if err != nil {
		return err
	}
	list, err := h.svc.Tasks(c.UserContext(), actor.From(c), id, f, pg)
	return respond(c, fiber.StatusOK, list, err)
}

func (h *handlers) myTasks(c *fiber.Ctx) error {
	pg, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	f, err := taskFilter(c)
	if err != nil {
		return err
	}
	list, err := h.svc.MyTasks(c.UserContext(), actor.From(c), f, pg)
	return respond(c, fiber.StatusOK, list, err)
}

func (h *handlers) createTask(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var in TaskInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	t, err := h.svc.CreateTask(c.UserContext(), actor.From(c), id, in)
	return respond(c, fiber.StatusCreated, t, err)
}

func (h *handlers) task(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	t, err := h.svc.Task(c.UserContext(), actor.From(c), id)
	return respond(c, fiber.StatusOK, t, err)
}

func (h *handlers) updateTask(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var in TaskPatch
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	t, err := h.svc.UpdateTask(c.UserContext(), actor.From(c), id, in)
	return respond(c, fiber.StatusOK, t, err)
}

func (h *handlers) deleteTask(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	return respond(c, fiber.StatusNoContent, nil, h.svc.DeleteTask(c.UserContext(), actor.From(c), id))
}

func (h *handlers) restoreTask(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	t, err := h.svc.RestoreTask(c.UserContext(), actor.From(c), id)
	return respond(c, fiber.StatusOK, t, err)
}

func (h *handlers) restoreList(c *fiber.Ctx) error {
	pid, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	id, err := api.PathID(c, "list_id")
	if err != nil {
		return err
	}
	l, err := h.svc.RestoreList(c.UserContext(), actor.From(c), pid, id)
	return respond(c, fiber.StatusOK, l, err)
}

// TrashedLists are the lists in a project's trash (at most 200, the newest).
type TrashedLists struct {
	Items []TaskList `json:"items"`
}

func (h *handlers) trashedLists(c *fiber.Ctx) error {
	pid, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	ls, err := h.svc.TrashedLists(c.UserContext(), actor.From(c), pid)
	return respond(c, fiber.StatusOK, TrashedLists{Items: ls}, err)
}

func (h *handlers) followers(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	out, err := h.svc.Followers(c.UserContext(), actor.From(c), id)
	return respond(c, fiber.StatusOK, out, err)
}

func (h *handlers) follow(on bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		return respond(c, fiber.StatusNoContent, nil, h.svc.Follow(c.UserContext(), actor.From(c), id, on))
	}
}

func (h *handlers) addDependency(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var in DependencyInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	d, created, err := h.svc.AddDependency(c.UserContext(), actor.From(c), id, in)
	status := fiber.StatusOK
	if created {
		status = fiber.StatusCreated
	}
	return respond(c, status, d, err)
}

// deleteList deletes a list; ?tasks=delete deletes the tasks it holds with it.
func (h *handlers) deleteList(c *fiber.Ctx) error {
	ids, err := pathIDs(c, "id", "list_id")
	if err != nil {
		return err
	}
	withTasks := false
	switch c.Query("tasks") {
	case "":
	case "delete":
		withTasks = true
	default:
		return problem.Invalid(problem.FieldError{Field: "tasks", Message: "must be delete, or absent"})
	}
	return respond(c, fiber.StatusNoContent, nil, h.svc.DeleteList(c.UserContext(), actor.From(c), ids[0], ids[1], withTasks))
}

func (h *handlers) updateComment(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var in CommentPatch
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.UpdateComment(c.UserContext(), actor.From(c), id, in)
	return respond(c, fiber.StatusOK, out, err)
}

func (h *handlers) deleteComment(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	return respond(c, fiber.StatusNoContent, nil, h.svc.DeleteComment(c.UserContext(), actor.From(c), id))
}
