package intranet

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

// view is the one template of the module; each page's data says which part it shows.
const view = "intranet/intranet"

// pageRoutes registers the pages and their forms (the main bar's "Intranet").
func (h *handlers) pageRoutes(r routes) {
	read, write := api.Can("intranet", "read"), api.Can("intranet", "write")
	publish, manage := api.Can("intranet", "publish"), api.Can("intranet", "manage")
	r.Get("/:slug/intranet", read, h.homePage)
	r.Post("/:slug/intranet/spaces", manage, h.createSpaceForm)
	r.Get("/:slug/intranet/spaces/:id", read, h.spacePage)
	r.Post("/:slug/intranet/spaces/:id/news", publish, h.createNewsForm)
	r.Post("/:slug/intranet/spaces/:id/topics", write, h.createTopicForm)
	r.Post("/:slug/intranet/spaces/:id/wiki", write, h.createWikiForm)
	r.Get("/:slug/intranet/news/:id", read, h.newsPage)
	r.Post("/:slug/intranet/news/:id/read", read, h.readForm)
	r.Post("/:slug/intranet/news/:id/comments", write, h.commentForm)
	r.Get("/:slug/intranet/topics/:id", read, h.topicPage)
	r.Post("/:slug/intranet/topics/:id/replies", write, h.replyForm)
	r.Get("/:slug/intranet/wiki/:id", read, h.wikiPage)
	r.Post("/:slug/intranet/wiki/:id", write, h.saveWikiForm)
	r.Get("/:slug/intranet/wiki/:id/diff", read, h.diffPage)
	r.Post("/:slug/intranet/wiki/:id/revisions/:n/restore", write, h.restoreForm)
}

// pageData is what every page of the module shows; View names the part of the template.
type pageData struct {
	View    string
	Spaces  []Space
	Space   *Space
	Teams   [][]string // [id, name] for the new space's select
	Pinned  []News
	News    api.List[News]
	Unread  int
	Topics  api.List[Topic]
	Wiki    api.List[WikiPage]
	Post    *News
	Readers *Readers
	Comment api.List[Comment]
	Topic   *Topic
	Replies api.List[Reply]
	Page    *WikiPage
	Revs    api.List[Revision]
	// Linked is the page's Markdown with its [[links]] resolved; Backlinks link to it.
	Linked    string
	Backlinks []WikiPage
	Diff      *Diff
	// Conflict is set when a wiki save came from an older revision: Diff then shows what
	// changed since, and the form keeps the editor's text.
	Conflict bool
	Max      int
	// People and Filter are the directory's page.
	People api.List[Person]
	Filter DirectoryFilter
	// SkillChoices are the directory's skill filter ([skill, label]).
	SkillChoices [][]string
	// Sorts are the directory's orders ([value, label key]).
	Sorts [][]string
	// Celebrations are this week's birthdays and anniversaries (home, directory).
	Celebrations []Celebration
	// Person is a colleague's page, or the profile being edited; Reports are whom they manage;
	// Editable says the viewer may change the profile; Own that it is the viewer's.
	Person   *Person
	Reports  []Person
	Editable bool
	Own      bool
	// LocalTime is the time now where the person is (HH:MM), on their page.
	LocalTime string
	// Managers are the profile form's manager choices ([id, name]).
	Managers [][]string
	// Upcoming are the space's next events (its feed lists the team's events).
	Upcoming []Event
	// Mentions is the URL the @mention autocomplete of the page's text areas asks (mentions.js).
	Mentions string
	// New is the creation form the space's page shows: "news", "topic", "wiki" or none (the
	// page shows one at a time: their fields share names).
	New string
}

func (h *handlers) page(c *fiber.Ctx, title string, d *pageData, form *web.Form) *web.Page {
	p := h.web.NewPage(c, title)
	if form == nil {
		form = web.EmptyForm(nil)
	}
	d.Max = MaxBody
	p.Data, p.Form = d, form
	return p
}

func (h *handlers) base(c *fiber.Ctx) string { return "/" + actor.From(c).Account.Slug + "/intranet" }

// refusable: a refusal a person can fix on the form (4xx but 404).
func refusable(err error) bool {
	p, ok := problem.As(err)
	return ok && p.Status < 500 && p.Status != fiber.StatusNotFound
}

// ---- Home ----

func (h *handlers) homeView(c *fiber.Ctx, form *web.Form) (*web.Page, error) {
	a, ctx := actor.From(c), c.UserContext()
	d := &pageData{View: "home"}
	var err error
	if d.Spaces, err = h.svc.Spaces(ctx, a); err != nil {
		return nil, err
	}
	if d.Pinned, err = h.svc.Pinned(ctx, a, 0); err != nil {
		return nil, err
	}
	if d.News, err = h.svc.News(ctx, a, api.Page{Limit: 20}, NewsFilter{Unpinned: true}); err != nil {
		return nil, err
	}
	un, err := h.svc.UnreadCount(ctx, a)
	if err != nil {
		return nil, err
	}
	d.Unread = un.Unread
	if d.Topics, err = h.svc.Topics(ctx, a, api.Page{Limit: 10}, 0); err != nil {
		return nil, err
	}
	if d.Celebrations, err = h.svc.ThisWeek(ctx, a); err != nil {
		return nil, err
	}
	p := h.page(c, "intranet.title", d, form)
	if a.May("intranet", "manage") {
		teams, err := h.svc.teamChoices(ctx, a)
		if err != nil {
			return nil, err
		}
		d.Teams = append([][]string{{"", p.T("intranet.field.team_none")}}, teams...)
	}
	return p, nil
}

func (h *handlers) homePage(c *fiber.Ctx) error {
	p, err := h.homeView(c, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, view, p)
}

func (h *handlers) createSpaceForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "name", "description", "team_id")
	in := SpaceInput{Name: form.Get("name"), Description: form.Get("description")}
	if t := form.Get("team_id"); t != "" {
		id, ok := api.ParseID(t)
		if !ok {
			id = -1 // refused by the service as no team of the account
		}
		in.TeamID = &id
	}
	sp, err := h.svc.CreateSpace(c.UserContext(), actor.From(c), in)
	if err != nil {
		if !refusable(err) {
			return err
		}
		p, verr := h.homeView(c, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, view, p, err)
	}
	return web.Done(c, "intranet.flash.space_created", fmt.Sprintf("%s/spaces/%d", h.base(c), sp.ID))
}

// ---- A space ----

func (h *handlers) spaceView(c *fiber.Ctx, id int64, form *web.Form, kind string) (*web.Page, error) {
	a, ctx := actor.From(c), c.UserContext()
	sp, err := h.svc.Space(ctx, a, id)
	if err != nil {
		return nil, err
	}
	switch kind {
	case "news", "topic", "wiki":
	default:
		kind = ""
	}
	d := &pageData{View: "space", Space: &sp, New: kind, Mentions: h.mentionsURL(c, id)}
	if d.Pinned, err = h.svc.Pinned(ctx, a, id); err != nil {
		return nil, err
	}
	if d.News, err = h.svc.News(ctx, a, api.Page{Limit: 20}, NewsFilter{SpaceID: id, Unpinned: true}); err != nil {
		return nil, err
	}
	if d.Topics, err = h.svc.Topics(ctx, a, api.Page{Limit: 20}, id); err != nil {
		return nil, err
	}
	if d.Wiki, err = h.svc.WikiPages(ctx, a, api.KeyPage{Limit: 100}, id); err != nil {
		return nil, err
	}
	if d.Upcoming, err = h.svc.Upcoming(ctx, a, id); err != nil {
		return nil, err
	}
	p := h.page(c, sp.Name, d, form)
	return p, nil
}

func (h *handlers) spacePage(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.spaceView(c, id, nil, c.Query("new"))
	if err != nil {
		return err
	}
	return h.web.Render(c, view, p)
}

// inSpace runs a creation from a space's page: on a refusal the space's page shows again
// with the form's values and messages.
func (h *handlers) inSpace(c *fiber.Ctx, form *web.Form, kind string, create func(spaceID int64) (string, error), flash string) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	to, err := create(id)
	if err != nil {
		if !refusable(err) {
			return err
		}
		p, verr := h.spaceView(c, id, form, kind)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, view, p, err)
	}
	return web.Done(c, flash, to)
}

func (h *handlers) createNewsForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "title", "body", "pinned", "publish_at")
	return h.inSpace(c, form, "news", func(spaceID int64) (string, error) {
		in := NewsInput{SpaceID: spaceID, Title: form.Get("title"), Body: form.Get("body"), Pinned: form.Get("pinned") != ""}
		n, err := h.svc.CreateNews(c.UserContext(), actor.From(c), in)
		return fmt.Sprintf("%s/news/%d", h.base(c), n.ID), err
	}, "intranet.flash.news_posted")
}

func (h *handlers) createTopicForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "title", "body")
	return h.inSpace(c, form, "topic", func(spaceID int64) (string, error) {
		t, err := h.svc.CreateTopic(c.UserContext(), actor.From(c), TopicInput{SpaceID: spaceID, Title: form.Get("title"), Body: form.Get("body")})
		return fmt.Sprintf("%s/topics/%d", h.base(c), t.ID), err
	}, "intranet.flash.topic_opened")
}

func (h *handlers) createWikiForm(c *fiber.Ctx) error {
	form := web.NewForm(c, "title", "body")
	return h.inSpace(c, form, "wiki", func(spaceID int64) (string, error) {
		w, err := h.svc.CreateWiki(c.UserContext(), actor.From(c), WikiInput{SpaceID: spaceID, Title: form.Get("title"), Body: form.Get("body")})
		return fmt.Sprintf("%s/wiki/%d", h.base(c), w.ID), err
	}, "intranet.flash.wiki_created")
}

// ---- A news post ----

func (h *handlers) newsView(c *fiber.Ctx, id int64, form *web.Form) (*web.Page, error) {
	a, ctx := actor.From(c), c.UserContext()
	n, err := h.svc.OneNews(ctx, a, id)
	if err != nil {
		return nil, err
	}
	rd, err := h.svc.Readers(ctx, a, id)
	if err != nil {
		return nil, err
	}
	cs, err := h.svc.Comments(ctx, a, id, api.Page{Limit: api.MaxLimit})
	if err != nil {
		return nil, err
	}
	return h.page(c, n.Title, &pageData{View: "news", Post: &n, Readers: &rd, Comment: cs, Mentions: h.mentionsURL(c, n.SpaceID)}, form), nil
}

func (h *handlers) newsPage(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.newsView(c, id, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, view, p)
}

func (h *handlers) readForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	if _, err := h.svc.MarkRead(c.UserContext(), actor.From(c), id); err != nil {
		return err
	}
	return web.Done(c, "intranet.flash.read", fmt.Sprintf("%s/news/%d", h.base(c), id))
}

func (h *handlers) commentForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "body")
	cm, err := h.svc.AddComment(c.UserContext(), actor.From(c), id, BodyInput{Body: form.Get("body")})
	if err != nil {
		if !refusable(err) {
			return err
		}
		p, verr := h.newsView(c, id, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, view, p, err)
	}
	return web.Done(c, "intranet.flash.commented", fmt.Sprintf("%s/news/%d#comment-%d", h.base(c), id, cm.ID))
}

// ---- A topic ----

func (h *handlers) topicView(c *fiber.Ctx, id int64, form *web.Form) (*web.Page, error) {
	a, ctx := actor.From(c), c.UserContext()
	t, err := h.svc.Topic(ctx, a, id)
	if err != nil {
		return nil, err
	}
	rs, err := h.svc.Replies(ctx, a, id, api.Page{Limit: api.MaxLimit})
	if err != nil {
		return nil, err
	}
	if form == nil {
		form = quoteForm(c, rs.Items)
	}
	return h.page(c, t.Title, &pageData{View: "topic", Topic: &t, Replies: rs, Mentions: h.mentionsURL(c, t.SpaceID)}, form), nil
}

// quoteForm is the reply form of a topic's page asked with ?quote={reply id}: its text starts
// with that reply quoted in Markdown ("> "), its author named without an @ (a quote notifies
// nobody). nil without one, or for a reply not on the page.
func quoteForm(c *fiber.Ctx, replies []Reply) *web.Form {
	id, ok := api.ParseID(c.Query("quote"))
	if !ok {
		return nil
	}
	for _, r := range replies {
		if r.ID != id {
			continue
		}
		var b strings.Builder
		name := r.AuthorName
		if name == "" {
			name = "…"
		}
		b.WriteString("> *" + strings.ReplaceAll(name, "*", "") + "*:\n")
		for _, line := range strings.Split(strings.TrimSpace(r.Body), "\n") {
			b.WriteString("> " + strings.TrimRight(line, "\r") + "\n")
		}
		b.WriteString("\n")
		return web.EmptyForm(map[string]string{"body": b.String()})
	}
	return nil
}

func (h *handlers) topicPage(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.topicView(c, id, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, view, p)
}

func (h *handlers) replyForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "body")
	r, err := h.svc.AddReply(c.UserContext(), actor.From(c), id, BodyInput{Body: form.Get("body")})
	if err != nil {
		if !refusable(err) {
			return err
		}
		p, verr := h.topicView(c, id, form)
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, view, p, err)
	}
	return web.Done(c, "intranet.flash.replied", fmt.Sprintf("%s/topics/%d#reply-%d", h.base(c), id, r.ID))
}

// ---- A wiki page ----

func (h *handlers) wikiView(c *fiber.Ctx, id int64, form *web.Form) (*web.Page, error) {
	a, ctx := actor.From(c), c.UserContext()
	w, err := h.svc.WikiPage(ctx, a, id)
	if err != nil {
		return nil, err
	}
	revs, err := h.svc.Revisions(ctx, a, id, api.Page{Limit: api.MaxLimit})
	if err != nil {
		return nil, err
	}
	linked, err := h.svc.Linked(ctx, a, w)
	if err != nil {
		return nil, err
	}
	back, err := h.svc.Backlinks(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if form == nil {
		form = web.EmptyForm(map[string]string{"title": w.Title, "body": w.Body, "base_revision": strconv.Itoa(w.Revision)})
	}
	return h.page(c, w.Title, &pageData{View: "wiki", Page: &w, Revs: revs, Linked: linked, Backlinks: back}, form), nil
}

func (h *handlers) wikiPage(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	p, err := h.wikiView(c, id, nil)
	if err != nil {
		return err
	}
	return h.web.Render(c, view, p)
}

func (h *handlers) saveWikiForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "title", "body", "base_revision")
	base, _ := strconv.Atoi(form.Get("base_revision"))
	a, ctx := actor.From(c), c.UserContext()
	if _, err := h.svc.SaveWiki(ctx, a, id, WikiInput{Title: form.Get("title"), Body: form.Get("body"), BaseRevision: base}); err != nil {
		if !refusable(err) {
			return err
		}
		p, verr := h.wikiView(c, id, form)
		if verr != nil {
			return verr
		}
		// A save from an older revision: show what changed since, keep the editor's text, and
		// let the next save be based on the latest (they have now seen it).
		if pr, ok := problem.As(err); ok && pr.Status == fiber.StatusConflict && base >= 1 {
			d := p.Data.(*pageData)
			if diff, derr := h.svc.Diff(ctx, a, id, base, d.Page.Revision); derr == nil {
				d.Diff, d.Conflict = &diff, true
			}
			p.Form.Values["base_revision"] = strconv.Itoa(d.Page.Revision)
		}
		return h.web.Refuse(c, view, p, err)
	}
	return web.Done(c, "intranet.flash.wiki_saved", fmt.Sprintf("%s/wiki/%d", h.base(c), id))
}

func (h *handlers) diffPage(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	a, ctx := actor.From(c), c.UserContext()
	diff, err := h.svc.Diff(ctx, a, id, revisionQuery(c, "from"), revisionQuery(c, "to"))
	if err != nil {
		return err
	}
	p, err := h.wikiView(c, id, nil)
	if err != nil {
		return err
	}
	p.Data.(*pageData).Diff = &diff
	return h.web.Render(c, view, p)
}

func (h *handlers) restoreForm(c *fiber.Ctx) error {
	id, n, err := pathRevision(c)
	if err != nil {
		return err
	}
	if _, err := h.svc.Restore(c.UserContext(), actor.From(c), id, n); err != nil {
		return err
	}
	return web.Done(c, "intranet.flash.restored", fmt.Sprintf("%s/wiki/%d", h.base(c), id))
}

// Bar is every emoji of the set with its reactions (count 0: nobody yet), in the set's order.
func (*pageData) Bar(rs []Reaction) []Reaction {
	out := make([]Reaction, len(Emojis))
	for i, e := range Emojis {
		out[i] = Reaction{Emoji: e}
		for _, r := range rs {
			if r.Emoji == e {
				out[i] = r
			}
		}
	}
	return out
}

// mentionsURL is the autocomplete's URL for a space's text areas.
func (h *handlers) mentionsURL(c *fiber.Ctx, spaceID int64) string {
	return fmt.Sprintf("/api/v1/%s/mentions?space_id=%d", actor.From(c).Account.Slug, spaceID)
}

// Class is the CSS class of a diff part.
func (d DiffPart) Class() string {
	switch d.Op {
	case OpInsert:
		return "ins"
	case OpDelete:
		return "del"
	}
	return ""
}
