package intranet

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// handlers serve the API and the pages.
type handlers struct {
	svc *Service
	web *web.Renderer
}

// WikiList is a few wiki pages (without their bodies).
type WikiList struct {
	Items []WikiPage `json:"items"`
}

// SpaceList is the spaces the caller may see.
type SpaceList struct {
	Items []Space `json:"items"`
}

var (
	pageParams  = []api.Param{{Name: "limit", Type: "integer", Description: "at most this many (default 50, max 200)"}, {Name: "cursor", Type: "string", Description: "the next_cursor of the previous page"}}
	spaceParam  = api.Param{Name: "space_id", Type: "integer", Description: "only this space's"}
	newsParams  = append([]api.Param{spaceParam, {Name: "unread", Type: "boolean", Description: "only the posts the caller has not read"}}, pageParams...)
	spaceParams = append([]api.Param{spaceParam}, pageParams...)
	diffParams  = []api.Param{{Name: "from", Type: "integer", Description: "the older revision (without from and to: the last change)"}, {Name: "to", Type: "integer", Description: "the newer revision"}}
)

// apiRoutes registers the JSON API (shared/API.md "Intranet and search").
func (h *handlers) apiRoutes(r routes) {
	const tag = "Intranet"
	read, write := api.Can("intranet", "read"), api.Can("intranet", "write")
	publish, manage := api.Can("intranet", "publish"), api.Can("intranet", "manage")
	r.Get("/api/v1/:slug/spaces", read, h.spaces, api.Doc{Summary: "The intranet spaces the caller is in: the company's, and their teams' (administrators: all)", Tag: tag, Response: SpaceList{}})
	r.Post("/api/v1/:slug/spaces", manage, h.createSpace, api.Doc{Summary: "Create a space: the whole company's (no team_id) or a team's (its members only)", Tag: tag, Request: SpaceInput{}, Response: Space{}, Status: 201})
	r.Get("/api/v1/:slug/spaces/:id", read, api.One("id", h.svc.Space), api.Doc{Summary: "One space", Tag: tag, Response: Space{}})

	r.Get("/api/v1/:slug/news", read, h.news, api.Doc{Summary: "The news feed of the caller's spaces, newest first, each with whether the caller has read it", Tag: tag, Response: api.List[News]{}, Query: newsParams})
	r.Post("/api/v1/:slug/news", publish, h.createNews, api.Doc{Summary: "Post news in a space (Markdown, sanitized when shown); publish_at later than now schedules it", Tag: tag, Request: NewsInput{}, Response: News{}, Status: 201})
	r.Get("/api/v1/:slug/news/unread", read, h.unread, api.Doc{Summary: "How many published posts the caller has not read", Tag: tag, Response: Unread{}})
	r.Get("/api/v1/:slug/news/:id", read, api.One("id", h.svc.OneNews), api.Doc{Summary: "One post", Tag: tag, Response: News{}})
	r.Post("/api/v1/:slug/news/:id/read", read, api.One("id", h.svc.MarkRead), api.Doc{Summary: "Mark a post read by the caller", Tag: tag, Response: News{}})
	r.Get("/api/v1/:slug/news/:id/readers", read, api.One("id", h.svc.Readers), api.Doc{Summary: "Read receipts: how many of the space's people read the post, who did (when) and who did not", Tag: tag, Response: Readers{}})
	r.Get("/api/v1/:slug/news/:id/comments", read, api.Paged("id", h.svc.Comments), api.Doc{Summary: "A post's comments, oldest first", Tag: tag, Response: api.List[Comment]{}, Query: pageParams})
	r.Post("/api/v1/:slug/news/:id/comments", write, api.Create("id", h.svc.AddComment), api.Doc{Summary: "Comment on a post (Markdown; @Name notifies that person of the space)", Tag: tag, Request: BodyInput{}, Response: Comment{}, Status: 201})

	r.Get("/api/v1/:slug/topics", read, h.topics, api.Doc{Summary: "The discussions of the caller's spaces, newest first", Tag: tag, Response: api.List[Topic]{}, Query: spaceParams})
	r.Post("/api/v1/:slug/topics", write, h.createTopic, api.Doc{Summary: "Open a discussion in a space (Markdown; @Name notifies that person of the space)", Tag: tag, Request: TopicInput{}, Response: Topic{}, Status: 201})
	r.Get("/api/v1/:slug/topics/:id", read, api.One("id", h.svc.Topic), api.Doc{Summary: "One discussion", Tag: tag, Response: Topic{}})
	r.Get("/api/v1/:slug/topics/:id/replies", read, api.Paged("id", h.svc.Replies), api.Doc{Summary: "A discussion's replies, oldest first", Tag: tag, Response: api.List[Reply]{}, Query: pageParams})
	r.Post("/api/v1/:slug/topics/:id/replies", write, api.Create("id", h.svc.AddReply), api.Doc{Summary: "Reply to a discussion (Markdown; @Name notifies that person of the space)", Tag: tag, Request: BodyInput{}, Response: Reply{}, Status: 201})

	r.Get("/api/v1/:slug/wiki", read, h.wiki, api.Doc{Summary: "The wiki pages of the caller's spaces, by title (without their bodies)", Tag: tag, Response: api.List[WikiPage]{}, Query: spaceParams})
	r.Post("/api/v1/:slug/wiki", write, h.createWiki, api.Doc{Summary: "Write a wiki page in a space: its revision 1", Tag: tag, Request: WikiInput{}, Response: WikiPage{}, Status: 201})
	r.Get("/api/v1/:slug/wiki/:id", read, api.One("id", h.svc.WikiPage), api.Doc{Summary: "A wiki page at its latest revision", Tag: tag, Response: WikiPage{}})
	r.Put("/api/v1/:slug/wiki/:id", write, api.Update("id", h.svc.SaveWiki), api.Doc{Summary: "Save a new revision; base_revision is the revision the edit started from — a newer one exists: 409, nothing saved", Tag: tag, Request: WikiInput{}, Response: WikiPage{}})
	r.Get("/api/v1/:slug/wiki/:id/revisions", read, api.Paged("id", h.svc.Revisions), api.Doc{Summary: "A page's revisions, newest first (without their bodies)", Tag: tag, Response: api.List[Revision]{}, Query: pageParams})
	r.Get("/api/v1/:slug/wiki/:id/revisions/:n", read, h.revision, api.Doc{Summary: "One revision of a page, with its body", Tag: tag, Response: Revision{}})
	r.Post("/api/v1/:slug/wiki/:id/revisions/:n/restore", write, h.restore, api.Doc{Summary: "Make a revision the page's content again, as a new revision", Tag: tag, Response: WikiPage{}})
	r.Get("/api/v1/:slug/wiki/:id/backlinks", read, h.backlinks, api.Doc{Summary: "The pages of the same space that link to this one with [[its title]]", Tag: tag, Response: WikiList{}})
	r.Get("/api/v1/:slug/wiki/:id/diff", read, h.diff, api.Doc{Summary: "The word-level difference between two revisions of a page", Tag: tag, Response: Diff{}, Query: diffParams})
}

func (h *handlers) spaces(c *fiber.Ctx) error {
	out, err := h.svc.Spaces(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, SpaceList{Items: out})
}

func (h *handlers) createSpace(c *fiber.Ctx) error {
	var in SpaceInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.CreateSpace(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

// querySpace reads ?space_id= (absent: 0).
func querySpace(c *fiber.Ctx) (int64, error) {
	s := c.Query("space_id")
	if s == "" {
		return 0, nil
	}
	id, ok := api.ParseID(s)
	if !ok {
		return 0, problem.Invalid(problem.FieldError{Field: "space_id", Message: "must be a space id"})
	}
	return id, nil
}

func (h *handlers) news(c *fiber.Ctx) error {
	pg, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	sp, err := querySpace(c)
	if err != nil {
		return err
	}
	out, err := h.svc.News(c.UserContext(), actor.From(c), pg, NewsFilter{SpaceID: sp, Unread: c.Query("unread") == "true"})
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) createNews(c *fiber.Ctx) error {
	var in NewsInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.CreateNews(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) unread(c *fiber.Ctx) error {
	out, err := h.svc.UnreadCount(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) topics(c *fiber.Ctx) error {
	pg, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	sp, err := querySpace(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Topics(c.UserContext(), actor.From(c), pg, sp)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) createTopic(c *fiber.Ctx) error {
	var in TopicInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.CreateTopic(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) wiki(c *fiber.Ctx) error {
	pg, err := api.ParseKeyPage(c)
	if err != nil {
		return err
	}
	sp, err := querySpace(c)
	if err != nil {
		return err
	}
	out, err := h.svc.WikiPages(c.UserContext(), actor.From(c), pg, sp)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) createWiki(c *fiber.Ctx) error {
	var in WikiInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.CreateWiki(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

// pathRevision reads the page id and the revision number of the path (404 for anything else).
func pathRevision(c *fiber.Ctx) (int64, int, error) {
	id, err := api.PathID(c, "id")
	if err != nil {
		return 0, 0, err
	}
	n, ok := api.ParseID(c.Params("n"))
	if !ok || n > 1<<30 {
		return 0, 0, problem.NotFound()
	}
	return id, int(n), nil
}

func (h *handlers) revision(c *fiber.Ctx) error {
	id, n, err := pathRevision(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Revision(c.UserContext(), actor.From(c), id, n)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) restore(c *fiber.Ctx) error {
	id, n, err := pathRevision(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Restore(c.UserContext(), actor.From(c), id, n)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

// revisionQuery reads a revision number of the query: absent is 0 (the service's default),
// anything else but a revision number is -1 (which it refuses, naming the parameter).
func revisionQuery(c *fiber.Ctx, name string) int {
	s := c.Query(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 1<<30 {
		return -1
	}
	return n
}

func (h *handlers) diff(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	out, err := h.svc.Diff(c.UserContext(), actor.From(c), id, revisionQuery(c, "from"), revisionQuery(c, "to"))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) backlinks(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	out, err := h.svc.Backlinks(c.UserContext(), actor.From(c), id)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, WikiList{Items: out})
}
