package projects

// The pages that change a task list (rename, milestone, sharing) or delete it, and that edit
// or delete a comment. Each works without JavaScript: a list's form is its own small page,
// reached from the task list view; deleting a list or a comment is a second, explicit step
// (a <details> that opens onto the confirming button, and for a list that holds tasks a
// checkbox that says they go too).

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/web"
)

func registerListPages(r *app.Registry, h *pages) {
	writeTasks, comment := api.Can("projects.tasks", "write"), api.Can("projects.comments", "write")
	r.Get("/:slug/projects/:id/lists/:list_id/edit", writeTasks, h.editList)
	r.Post("/:slug/projects/:id/lists/:list_id/edit", writeTasks, h.saveList)
	r.Post("/:slug/projects/:id/lists/:list_id/delete", writeTasks, h.deleteList)
	r.Get("/:slug/comments/:id/edit", comment, h.editComment)
	r.Post("/:slug/comments/:id/edit", comment, h.saveComment)
	r.Post("/:slug/comments/:id/delete", comment, h.deleteComment)
}

// listPageData is the form of one list.
type listPageData struct {
	listChoices
	Project    *Project
	List       *TaskList
	ProjectURL string
	Manage     bool // may change the sharing
}

func (h *pages) listPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	ids, err := pathIDs(c, "id", "list_id")
	if err != nil {
		return nil, err
	}
	a, ctx := actor.From(c), c.UserContext()
	pr, err := h.svc.writableProject(ctx, h.svc.tenant(scopeOf(a)), scopeOf(a), ids[0])
	if err != nil {
		return nil, err
	}
	l, err := h.svc.List(ctx, a, pr.ID, ids[1])
	if err != nil {
		return nil, err
	}
	d := listPageData{Project: pr, List: l, ProjectURL: slugBase(c) + "/projects/" + itoa(pr.ID), Manage: a.May("projects", "manage")}
	if d.listChoices, err = h.listChoices(c, pr.ID); err != nil {
		return nil, err
	}
	current := ""
	if l.MilestoneID != nil {
		current = itoa(*l.MilestoneID)
		// A completed milestone is not offered for new lists, but stays this one's choice.
		if !slices.ContainsFunc(d.MilestoneOptions, func(o []string) bool { return o[0] == current }) {
			if m, err := h.svc.store.milestone(ctx, h.svc.tenantOf(pr.AccountID), pr.ID, *l.MilestoneID); err == nil {
				d.MilestoneOptions = append(d.MilestoneOptions, []string{current, m.Name})
			}
		}
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"name": l.Name, "milestone_id": current})
		for i := range d.Companies {
			d.Companies[i].Checked = slices.Contains(l.CompanyIDs, d.Companies[i].ID)
		}
	}
	p := h.page(c, l.Name, form)
	p.Data = d
	return p, nil
}

func (h *pages) editList(c *fiber.Ctx) error {
	return h.render(c, "projects/list_edit", h.listPage)
}

// saveList renames the list and moves it; a project manager's form also carries its sharing
// (no company checked: internal).
func (h *pages) saveList(c *fiber.Ctx) error {
	ids, err := pathIDs(c, "id", "list_id")
	if err != nil {
		return err
	}
	a := actor.From(c)
	form := web.NewForm(c, "name", "milestone_id")
	in, err := listInput(c, form)
	if err == nil {
		patch := ListPatch{Name: &in.Name, MilestoneID: &in.MilestoneID}
		if a.May("projects", "manage") {
			vis, companies := VisibilityInternal, in.CompanyIDs
			if len(companies) > 0 {
				vis = VisibilityClients
			} else {
				companies = []int64{}
			}
			patch.Visibility, patch.CompanyIDs = &vis, &companies
		}
		_, err = h.svc.UpdateList(c.UserContext(), a, ids[0], ids[1], patch)
	}
	if err != nil {
		return h.refuse(c, "projects/list_edit", h.listPage, form, err)
	}
	return web.Done(c, "projects.tasklist.saved", slugBase(c)+"/projects/"+itoa(ids[0])+"/tasks#lists")
}

// deleteList deletes the list once confirmed; its tasks go with it only when the form says so.
func (h *pages) deleteList(c *fiber.Ctx) error {
	ids, err := pathIDs(c, "id", "list_id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "tasks")
	if err := h.svc.DeleteList(c.UserContext(), actor.From(c), ids[0], ids[1], form.Get("tasks") == "delete"); err != nil {
		return h.refuse(c, "projects/list_edit", h.listPage, form, err)
	}
	return web.Done(c, "projects.tasklist.deleted", slugBase(c)+"/projects/"+itoa(ids[0])+"/tasks#lists")
}

// commentPageData is the form that edits a comment.
type commentPageData struct {
	Comment *Comment
	Task    *Task
	TaskURL string
}

func (h *pages) commentPage(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	id, err := api.PathID(c, "id")
	if err != nil {
		return nil, err
	}
	a, ctx := actor.From(c), c.UserContext()
	cm, t, err := h.svc.Comment(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"body": cm.Body})
	}
	p := h.page(c, t.Title, form)
	p.Data = commentPageData{Comment: cm, Task: t, TaskURL: slugBase(c) + "/tasks/" + itoa(t.ID)}
	return p, nil
}

func (h *pages) editComment(c *fiber.Ctx) error {
	return h.render(c, "projects/comment", h.commentPage)
}

func (h *pages) saveComment(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "body")
	cm, err := h.svc.UpdateComment(c.UserContext(), actor.From(c), id, CommentPatch{Body: form.Get("body")})
	if err != nil {
		return h.refuse(c, "projects/comment", h.commentPage, form, err)
	}
	return web.Done(c, "projects.comment.saved", slugBase(c)+"/tasks/"+itoa(cm.TaskID)+"#comment-"+itoa(cm.ID))
}

func (h *pages) deleteComment(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a, ctx := actor.From(c), c.UserContext()
	cm, _, err := h.svc.Comment(ctx, a, id)
	if err != nil {
		return err
	}
	if err := h.svc.DeleteComment(ctx, a, id); err != nil {
		return err
	}
	return web.Done(c, "projects.comment.deleted", slugBase(c)+"/tasks/"+itoa(cm.TaskID)+"#comments")
}
