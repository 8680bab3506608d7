package intranet

import (
	"context"
	"fmt"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// The project's own wiki and discussions (projectspaces.go): the API under
// /api/v1/{slug}/projects/{id}/... and the pages under /{slug}/projects/{id}/wiki and
// .../discussions, reached from the project's tabs (hooks.ProjectSection). Reading and taking
// part in discussions is intranet.project (colleagues, and clients of a shared space); writing
// the wiki is intranet.write (colleagues); sharing with clients intranet.publish.

// ProjectTopics lists the project's discussions, newest first.
func (s *Service) ProjectTopics(ctx context.Context, a *actor.Actor, projectID int64, p api.Page) (api.List[Topic], error) {
	sp, err := s.ProjectSpace(ctx, a, projectID)
	if err != nil {
		return api.List[Topic]{}, err
	}
	return s.Topics(ctx, a, p, sp.ID)
}

// ProjectWiki lists the project's wiki pages by title.
func (s *Service) ProjectWiki(ctx context.Context, a *actor.Actor, projectID int64, p api.KeyPage) (api.List[WikiPage], error) {
	sp, err := s.ProjectSpace(ctx, a, projectID)
	if err != nil {
		return api.List[WikiPage]{}, err
	}
	return s.WikiPages(ctx, a, p, sp.ID)
}

// ProjectTopic is a discussion of the project's space (404 for one of another space).
func (s *Service) ProjectTopic(ctx context.Context, a *actor.Actor, projectID, id int64) (Topic, Space, error) {
	sp, err := s.ProjectSpace(ctx, a, projectID)
	if err != nil {
		return Topic{}, sp, err
	}
	t, err := s.Topic(ctx, a, id)
	if err == nil && t.SpaceID != sp.ID {
		err = problem.NotFound()
	}
	return t, sp, err
}

// ProjectWikiPage is a wiki page of the project's space (404 for one of another space).
func (s *Service) ProjectWikiPage(ctx context.Context, a *actor.Actor, projectID, id int64) (WikiPage, Space, error) {
	sp, err := s.ProjectSpace(ctx, a, projectID)
	if err != nil {
		return WikiPage{}, sp, err
	}
	w, err := s.WikiPage(ctx, a, id)
	if err == nil && w.SpaceID != sp.ID {
		err = problem.NotFound()
	}
	return w, sp, err
}

func (h *handlers) projectRoutes(r routes) {
	const tag = "Intranet"
	read, take := api.Can("intranet.project", "read"), api.Can("intranet.project", "write")
	write, publish := api.Can("intranet", "write"), api.Can("intranet", "publish")
	p := "/api/v1/:slug/projects/:id"
	r.Get(p+"/space", read, api.One("id", h.svc.ProjectSpace), api.Doc{Summary: "The project's own space (its wiki and discussions), made the first time; its clients see it once shared", Tag: tag, Response: Space{}})
	r.Put(p+"/space", publish, api.Update("id", h.svc.ShareProjectSpace), api.Doc{Summary: "Share the project's wiki and discussions with its clients, or stop", Tag: tag, Request: SharingInput{}, Response: Space{}})
	r.Get(p+"/topics", read, api.Paged("id", h.svc.ProjectTopics), api.Doc{Summary: "The project's discussions, newest first", Tag: tag, Response: api.List[Topic]{}, Query: pageParams})
	r.Post(p+"/topics", take, api.Create("id", h.projectTopic), api.Doc{Summary: "Open a discussion in the project (Markdown; @Name notifies that person of the project)", Tag: tag, Request: EditInput{}, Response: Topic{}, Status: 201})
	r.Get(p+"/topics/:item", read, h.apiProjectTopic, api.Doc{Summary: "One discussion of the project", Tag: tag, Response: Topic{}})
	r.Get(p+"/topics/:item/replies", read, h.apiProjectReplies, api.Doc{Summary: "A discussion's replies, oldest first", Tag: tag, Response: api.List[Reply]{}, Query: pageParams})
	r.Post(p+"/topics/:item/replies", take, h.apiProjectReply, api.Doc{Summary: "Reply to a discussion of the project", Tag: tag, Request: BodyInput{}, Response: Reply{}, Status: 201})
	r.Get(p+"/wiki", read, h.apiProjectWiki, api.Doc{Summary: "The project's wiki pages, by title (without their bodies)", Tag: tag, Response: api.List[WikiPage]{}, Query: pageParams})
	r.Post(p+"/wiki", write, api.Create("id", h.projectWikiPage), api.Doc{Summary: "Write a page of the project's wiki: its revision 1", Tag: tag, Request: EditInput{}, Response: WikiPage{}, Status: 201})
	r.Get(p+"/wiki/:item", read, h.apiProjectWikiPage, api.Doc{Summary: "A page of the project's wiki at its latest revision", Tag: tag, Response: WikiPage{}})

	r.Get("/:slug/projects/:id/discussions", read, h.projectDiscussionsPage)
	r.Post("/:slug/projects/:id/discussions", take, h.projectTopicForm)
	r.Get("/:slug/projects/:id/discussions/:item", read, h.projectTopicPage)
	r.Post("/:slug/projects/:id/discussions/:item/replies", take, h.projectReplyForm)
	r.Get("/:slug/projects/:id/wiki", read, h.projectWikiListPage)
	r.Post("/:slug/projects/:id/wiki", write, h.projectWikiForm)
	r.Get("/:slug/projects/:id/wiki/:item", read, h.projectWikiShowPage)
	r.Post("/:slug/projects/:id/wiki/:item", write, h.projectWikiSaveForm)
	r.Post("/:slug/projects/:id/space", publish, h.projectShareForm)
}

// projectTopic opens a discussion in the project of the path: a project the caller does not
// see is a 404 there (a project_id of a body is a 422).
func (h *handlers) projectTopic(ctx context.Context, a *actor.Actor, projectID int64, in EditInput) (Topic, error) {
	sp, err := h.svc.ProjectSpace(ctx, a, projectID)
	if err != nil {
		return Topic{}, err
	}
	return h.svc.CreateTopic(ctx, a, TopicInput{SpaceID: sp.ID, Title: in.Title, Body: in.Body})
}

func (h *handlers) projectWikiPage(ctx context.Context, a *actor.Actor, projectID int64, in EditInput) (WikiPage, error) {
	sp, err := h.svc.ProjectSpace(ctx, a, projectID)
	if err != nil {
		return WikiPage{}, err
	}
	return h.svc.CreateWiki(ctx, a, WikiInput{SpaceID: sp.ID, Title: in.Title, Body: in.Body})
}

// projectIDs reads the project's id and the item's (:item, when the route has one).
func projectIDs(c *fiber.Ctx) (int64, int64, error) {
	pid, err := api.PathID(c, "id")
	if err != nil || c.Params("item") == "" {
		return pid, 0, err
	}
	id, err := api.PathID(c, "item")
	return pid, id, err
}

func (h *handlers) apiProjectTopic(c *fiber.Ctx) error {
	pid, id, err := projectIDs(c)
	if err != nil {
		return err
	}
	t, _, err := h.svc.ProjectTopic(c.UserContext(), actor.From(c), pid, id)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, t)
}

func (h *handlers) apiProjectReplies(c *fiber.Ctx) error {
	pid, id, err := projectIDs(c)
	if err != nil {
		return err
	}
	pg, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	a, ctx := actor.From(c), c.UserContext()
	if _, _, err := h.svc.ProjectTopic(ctx, a, pid, id); err != nil {
		return err
	}
	out, err := h.svc.Replies(ctx, a, id, pg)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) apiProjectReply(c *fiber.Ctx) error {
	pid, id, err := projectIDs(c)
	if err != nil {
		return err
	}
	var in BodyInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	a, ctx := actor.From(c), c.UserContext()
	if _, _, err := h.svc.ProjectTopic(ctx, a, pid, id); err != nil {
		return err
	}
	out, err := h.svc.AddReply(ctx, a, id, in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) apiProjectWiki(c *fiber.Ctx) error {
	pid, _, err := projectIDs(c)
	if err != nil {
		return err
	}
	pg, err := api.ParseKeyPage(c)
	if err != nil {
		return err
	}
	out, err := h.svc.ProjectWiki(c.UserContext(), actor.From(c), pid, pg)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) apiProjectWikiPage(c *fiber.Ctx) error {
	pid, id, err := projectIDs(c)
	if err != nil {
		return err
	}
	w, _, err := h.svc.ProjectWikiPage(c.UserContext(), actor.From(c), pid, id)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, w)
}

// ---- Pages ----

// projectView is what the project's wiki and discussions pages show.
type projectView struct {
	View    string // "discussions", "topic", "wiki", "page"
	Space   Space
	Base    string // /{slug}/projects/{id}
	Topics  api.List[Topic]
	Topic   *Topic
	Replies api.List[Reply]
	Wiki    api.List[WikiPage]
	Page    *WikiPage
	// Share: the viewer may share the space with the project's clients; Write: they write its
	// wiki (colleagues).
	Share, Write bool
	Max          int
}

const projectTemplate = "intranet/project"

func (h *handlers) projectPage(c *fiber.Ctx, view string, form *web.Form) (*web.Page, *projectView, error) {
	pid, id, err := projectIDs(c)
	if err != nil {
		return nil, nil, err
	}
	a, ctx := actor.From(c), c.UserContext()
	sp, err := h.svc.ProjectSpace(ctx, a, pid)
	if err != nil {
		return nil, nil, err
	}
	d := &projectView{View: view, Space: sp, Base: "/" + a.Account.Slug + "/projects/" + strconv.FormatInt(pid, 10),
		Share: a.May("intranet", "publish") && !sp.ReadOnly, Write: a.May("intranet", "write") && !sp.ReadOnly, Max: MaxBody}
	title := sp.Name
	switch view {
	case "discussions":
		d.Topics, err = h.svc.Topics(ctx, a, api.Page{Limit: 50}, sp.ID)
	case "wiki":
		d.Wiki, err = h.svc.WikiPages(ctx, a, api.KeyPage{Limit: 200}, sp.ID)
	case "topic":
		var t Topic
		if t, _, err = h.svc.ProjectTopic(ctx, a, pid, id); err == nil {
			d.Topic, title = &t, t.Title
			d.Replies, err = h.svc.Replies(ctx, a, id, api.Page{Limit: api.MaxLimit})
		}
	case "page":
		var w WikiPage
		if w, _, err = h.svc.ProjectWikiPage(ctx, a, pid, id); err == nil {
			d.Page, title = &w, w.Title
		}
	}
	if err != nil {
		return nil, nil, err
	}
	p := h.web.NewPage(c, title)
	if form == nil && d.Page != nil {
		form = web.EmptyForm(map[string]string{"title": d.Page.Title, "body": d.Page.Body, "base_revision": strconv.Itoa(d.Page.Revision)})
	}
	if form == nil && d.Replies.Items != nil {
		form = quoteForm(c, d.Replies.Items)
	}
	if form == nil {
		form = web.EmptyForm(nil)
	}
	p.Data, p.Form = d, form
	return p, d, nil
}

func (h *handlers) renderProject(view string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		p, _, err := h.projectPage(c, view, nil)
		if err != nil {
			return err
		}
		return h.web.Render(c, projectTemplate, p)
	}
}

func (h *handlers) projectDiscussionsPage(c *fiber.Ctx) error {
	return h.renderProject("discussions")(c)
}
func (h *handlers) projectTopicPage(c *fiber.Ctx) error    { return h.renderProject("topic")(c) }
func (h *handlers) projectWikiListPage(c *fiber.Ctx) error { return h.renderProject("wiki")(c) }
func (h *handlers) projectWikiShowPage(c *fiber.Ctx) error { return h.renderProject("page")(c) }

// projectForm runs a form's write; a refusal the person can fix shows the page again with it.
func (h *handlers) projectForm(c *fiber.Ctx, view string, form *web.Form, write func(ctx context.Context, a *actor.Actor, pid, id int64) (string, error), flash string) error {
	pid, id, err := projectIDs(c)
	if err != nil {
		return err
	}
	to, err := write(c.UserContext(), actor.From(c), pid, id)
	if err != nil {
		if !refusable(err) {
			return err
		}
		p, _, verr := h.projectPage(c, view, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, projectTemplate, p, err)
	}
	return web.Done(c, flash, fmt.Sprintf("/%s/projects/%d%s", actor.From(c).Account.Slug, pid, to))
}

func (h *handlers) projectTopicForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "title", "body")
	return h.projectForm(c, "discussions", form, func(ctx context.Context, a *actor.Actor, pid, _ int64) (string, error) {
		t, err := h.projectTopic(ctx, a, pid, EditInput{Title: form.Get("title"), Body: form.Get("body")})
		return fmt.Sprintf("/discussions/%d", t.ID), err
	}, "intranet.flash.topic_opened")
}

func (h *handlers) projectReplyForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "body")
	return h.projectForm(c, "topic", form, func(ctx context.Context, a *actor.Actor, pid, id int64) (string, error) {
		if _, _, err := h.svc.ProjectTopic(ctx, a, pid, id); err != nil {
			return "", err
		}
		r, err := h.svc.AddReply(ctx, a, id, BodyInput{Body: form.Get("body")})
		return fmt.Sprintf("/discussions/%d#reply-%d", id, r.ID), err
	}, "intranet.flash.replied")
}

func (h *handlers) projectWikiForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "title", "body")
	return h.projectForm(c, "wiki", form, func(ctx context.Context, a *actor.Actor, pid, _ int64) (string, error) {
		w, err := h.projectWikiPage(ctx, a, pid, EditInput{Title: form.Get("title"), Body: form.Get("body")})
		return fmt.Sprintf("/wiki/%d", w.ID), err
	}, "intranet.flash.wiki_created")
}

func (h *handlers) projectWikiSaveForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "title", "body", "base_revision")
	return h.projectForm(c, "page", form, func(ctx context.Context, a *actor.Actor, pid, id int64) (string, error) {
		if _, _, err := h.svc.ProjectWikiPage(ctx, a, pid, id); err != nil {
			return "", err
		}
		base, _ := strconv.Atoi(form.Get("base_revision"))
		_, err := h.svc.SaveWiki(ctx, a, id, WikiInput{Title: form.Get("title"), Body: form.Get("body"), BaseRevision: base})
		return fmt.Sprintf("/wiki/%d", id), err
	}, "intranet.flash.wiki_saved")
}

func (h *handlers) projectShareForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "shared_with_clients")
	return h.projectForm(c, "discussions", form, func(ctx context.Context, a *actor.Actor, pid, _ int64) (string, error) {
		_, err := h.svc.ShareProjectSpace(ctx, a, pid, SharingInput{SharedWithClients: form.Get("shared_with_clients") == "true"})
		return "/discussions", err
	}, "intranet.flash.sharing_saved")
}
