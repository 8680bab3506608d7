package intranet

import (
	"context"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/web"
)

// The routes of editing and deleting (edit.go, thread.go), reactions (reactions.go) and topic
// subscriptions (subscriptions.go): API and page forms. A comment or reply is named under its
// parent (news/{id}/comments/{comment_id}), and one of another parent is a 404.

// childRoute serves a call on a message under its parent: fn gets the parent's id and the
// message's.
func childRoute[In, Out any](child string, fn func(context.Context, *actor.Actor, int64, int64, In) (Out, error), status int) fiber.Handler {
	return func(c *fiber.Ctx) error {
		parent, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		id, err := api.PathID(c, child)
		if err != nil {
			return err
		}
		var in In
		if err := api.Decode(c, &in); err != nil {
			return err
		}
		out, err := fn(c.UserContext(), actor.From(c), parent, id, in)
		if err != nil {
			return err
		}
		return api.JSON(c, status, out)
	}
}

func (h *handlers) editRoutes(r routes) {
	const tag = "Intranet"
	read, write, publish := api.Can("intranet", "read"), api.Can("intranet", "write"), api.Can("intranet", "publish")
	s := h.svc
	r.Put("/api/v1/:slug/news/:id", publish, api.Update("id", s.EditNews), api.Doc{Summary: "Edit a post (its author, managers and up): marked edited", Tag: tag, Request: EditInput{}, Response: News{}})
	r.Delete("/api/v1/:slug/news/:id", publish, api.Delete("id", s.DeleteNews), api.Doc{Summary: "Delete a post with its comments, receipts and reactions (its author, managers and up)", Tag: tag, Status: 204})
	r.Put("/api/v1/:slug/news/:id/comments/:comment_id", write, childRoute("comment_id", s.EditComment, fiber.StatusOK), api.Doc{Summary: "Edit a comment (its author, managers and up): marked edited; a newly named @Name is notified", Tag: tag, Request: BodyInput{}, Response: Comment{}})
	r.Delete("/api/v1/:slug/news/:id/comments/:comment_id", write, api.Remove("id", "comment_id", s.DeleteComment), api.Doc{Summary: "Delete a comment (its author, managers and up)", Tag: tag, Status: 204})
	r.Put("/api/v1/:slug/topics/:id", write, api.Update("id", s.EditTopic), api.Doc{Summary: "Edit a discussion (its author, managers and up): marked edited; a newly named @Name is notified", Tag: tag, Request: EditInput{}, Response: Topic{}})
	r.Delete("/api/v1/:slug/topics/:id", write, api.Delete("id", s.DeleteTopic), api.Doc{Summary: "Delete a discussion with its replies (its author, managers and up)", Tag: tag, Status: 204})
	r.Put("/api/v1/:slug/topics/:id/replies/:reply_id", write, childRoute("reply_id", s.EditReply, fiber.StatusOK), api.Doc{Summary: "Edit a reply (its author, managers and up): marked edited; a newly named @Name is notified", Tag: tag, Request: BodyInput{}, Response: Reply{}})
	r.Delete("/api/v1/:slug/topics/:id/replies/:reply_id", write, api.Remove("id", "reply_id", s.DeleteReply), api.Doc{Summary: "Delete a reply (its author, managers and up)", Tag: tag, Status: 204})

	react := "Toggle the caller's reaction (one of 👍 ❤️ 🎉 😄 🤔 👀) on a "
	r.Post("/api/v1/:slug/news/:id/reactions", write, api.Update("id", s.ReactNews), api.Doc{Summary: react + "post; answers its reactions", Tag: tag, Request: ReactionInput{}, Response: ReactionList{}})
	r.Post("/api/v1/:slug/news/:id/comments/:comment_id/reactions", write, childRoute("comment_id", s.ReactComment, fiber.StatusOK), api.Doc{Summary: react + "comment; answers its reactions", Tag: tag, Request: ReactionInput{}, Response: ReactionList{}})
	r.Post("/api/v1/:slug/topics/:id/reactions", write, api.Update("id", s.ReactTopic), api.Doc{Summary: react + "discussion; answers its reactions", Tag: tag, Request: ReactionInput{}, Response: ReactionList{}})
	r.Post("/api/v1/:slug/topics/:id/replies/:reply_id/reactions", write, childRoute("reply_id", s.ReactReply, fiber.StatusOK), api.Doc{Summary: react + "reply; answers its reactions", Tag: tag, Request: ReactionInput{}, Response: ReactionList{}})

	r.Post("/api/v1/:slug/topics/:id/subscribe", read, api.One("id", s.Subscribe), api.Doc{Summary: "Be told of the discussion's new replies (by the caller's notification preferences)", Tag: tag, Response: Topic{}})
	r.Post("/api/v1/:slug/topics/:id/unsubscribe", read, api.One("id", s.Unsubscribe), api.Doc{Summary: "Stop being told of the discussion's new replies (replying again does not undo it)", Tag: tag, Response: Topic{}})

	r.Get("/api/v1/:slug/mentions", read, h.suggest, api.Doc{Summary: "The @mention autocomplete: at most 10 colleagues whose name (any word) or email begins with q; with space_id, only that space's people", Tag: tag,
		Response: SuggestionList{}, Query: []api.Param{{Name: "q", Type: "string", Description: "the start of a name or email (at most 100 characters)"}, spaceParam}})

	// The pages' forms.
	r.Post("/:slug/intranet/news/:id/edit", publish, h.editNewsForm)
	r.Post("/:slug/intranet/news/:id/delete", publish, h.deleteForm(func(c *fiber.Ctx, id int64) (string, error) {
		n, err := s.OneNews(c.UserContext(), actor.From(c), id)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s/spaces/%d", h.base(c), n.SpaceID), s.DeleteNews(c.UserContext(), actor.From(c), id)
	}, "intranet.flash.news_deleted"))
	r.Post("/:slug/intranet/topics/:id/edit", write, h.editTopicForm)
	r.Post("/:slug/intranet/topics/:id/delete", write, h.deleteForm(func(c *fiber.Ctx, id int64) (string, error) {
		t, err := s.Topic(c.UserContext(), actor.From(c), id)
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("%s/spaces/%d", h.base(c), t.SpaceID), s.DeleteTopic(c.UserContext(), actor.From(c), id)
	}, "intranet.flash.topic_deleted"))
	r.Post("/:slug/intranet/news/:id/comments/:comment_id/edit", write, editChildForm(h, "comment_id", "news", s.EditComment))
	r.Post("/:slug/intranet/news/:id/comments/:comment_id/delete", write, h.deleteChildForm("comment_id", "news", s.DeleteComment))
	r.Post("/:slug/intranet/topics/:id/replies/:reply_id/edit", write, editChildForm(h, "reply_id", "topics", s.EditReply))
	r.Post("/:slug/intranet/topics/:id/replies/:reply_id/delete", write, h.deleteChildForm("reply_id", "topics", s.DeleteReply))
	r.Post("/:slug/intranet/news/:id/react", write, h.reactForm("", "news", reactNews))
	r.Post("/:slug/intranet/news/:id/comments/:comment_id/react", write, h.reactForm("comment_id", "news", reactComment))
	r.Post("/:slug/intranet/topics/:id/react", write, h.reactForm("", "topics", reactTopic))
	r.Post("/:slug/intranet/topics/:id/replies/:reply_id/react", write, h.reactForm("reply_id", "topics", reactReply))
	r.Post("/:slug/intranet/topics/:id/subscribe", read, h.subscribeForm(true))
	r.Post("/:slug/intranet/topics/:id/unsubscribe", read, h.subscribeForm(false))
}

// afterForm answers a form on a post's or topic's page: on a refusal the page shows again with
// the message (the edit form open with what was typed), else back to the page.
func (h *handlers) afterForm(c *fiber.Ctx, kind string, id int64, form *web.Form, err error, flash, anchor string) error {
	if err != nil {
		if !refusable(err) {
			return err
		}
		var p *web.Page
		var verr error
		if kind == "news" {
			p, verr = h.newsView(c, id, form)
		} else {
			p, verr = h.topicView(c, id, form)
		}
		if verr != nil {
			return verr
		}
		return h.web.Refuse(c, view, p, err)
	}
	return web.Done(c, flash, fmt.Sprintf("%s/%s/%d%s", h.base(c), kind, id, anchor))
}

func (h *handlers) editNewsForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "title", "body")
	_, err = h.svc.EditNews(c.UserContext(), actor.From(c), id, EditInput{Title: form.Get("title"), Body: form.Get("body")})
	return h.afterForm(c, "news", id, form, err, "intranet.flash.edited", "")
}

func (h *handlers) editTopicForm(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	form := web.NewForm(c, "title", "body")
	_, err = h.svc.EditTopic(c.UserContext(), actor.From(c), id, EditInput{Title: form.Get("title"), Body: form.Get("body")})
	return h.afterForm(c, "topics", id, form, err, "intranet.flash.edited", "")
}

// deleteForm deletes a post or topic from its page (the form asks first: data-confirm) and
// goes to the space's page, which del answers.
func (h *handlers) deleteForm(del func(c *fiber.Ctx, id int64) (string, error), flash string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		to, err := del(c, id)
		if err != nil {
			return err
		}
		return web.Done(c, flash, to)
	}
}

// childIDs reads the parent's and the message's ids of the path.
func childIDs(c *fiber.Ctx, child string) (int64, int64, error) {
	parent, err := api.PathID(c, "id")
	if err != nil {
		return 0, 0, err
	}
	id, err := api.PathID(c, child)
	return parent, id, err
}

// editChildForm edits a comment or reply from its parent's page.
func editChildForm[T any](h *handlers, child, kind string, edit func(context.Context, *actor.Actor, int64, int64, BodyInput) (T, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		parent, id, err := childIDs(c, child)
		if err != nil {
			return err
		}
		form := web.NewForm(c, "body")
		_, err = edit(c.UserContext(), actor.From(c), parent, id, BodyInput{Body: form.Get("body")})
		return h.afterForm(c, kind, parent, form, err, "intranet.flash.edited", anchor(kind, id))
	}
}

// anchor is a comment's or reply's place on its parent's page.
func anchor(kind string, id int64) string {
	if kind == "news" {
		return fmt.Sprintf("#comment-%d", id)
	}
	return fmt.Sprintf("#reply-%d", id)
}

func (h *handlers) deleteChildForm(child, kind string, del func(context.Context, *actor.Actor, int64, int64) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		parent, id, err := childIDs(c, child)
		if err != nil {
			return err
		}
		if err := del(c.UserContext(), actor.From(c), parent, id); err != nil {
			return err
		}
		return web.Done(c, "intranet.flash.deleted", fmt.Sprintf("%s/%s/%d", h.base(c), kind, parent))
	}
}

// reactForm toggles a reaction from a page (a button per emoji) and goes back to the thing.
func (h *handlers) reactForm(child, kind, target string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		parent, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		id, to := parent, ""
		if child != "" {
			if id, err = api.PathID(c, child); err != nil {
				return err
			}
			to = anchor(kind, id)
		}
		form := web.NewForm(c, "emoji")
		_, err = h.svc.React(c.UserContext(), actor.From(c), target, parent, id, ReactionInput{Emoji: form.Get("emoji")})
		return h.afterForm(c, kind, parent, form, err, "", to)
	}
}

func (h *handlers) subscribeForm(on bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		a, ctx := actor.From(c), c.UserContext()
		flash := "intranet.flash.subscribed"
		if on {
			_, err = h.svc.Subscribe(ctx, a, id)
		} else {
			flash = "intranet.flash.unsubscribed"
			_, err = h.svc.Unsubscribe(ctx, a, id)
		}
		if err != nil {
			return err
		}
		return web.Done(c, flash, fmt.Sprintf("%s/topics/%d", h.base(c), id))
	}
}

func (h *handlers) suggest(c *fiber.Ctx) error {
	q, err := api.QueryText(c, "q", 100)
	if err != nil {
		return err
	}
	sp, err := querySpace(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Suggest(c.UserContext(), actor.From(c), q, sp)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}
