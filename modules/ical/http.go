package ical

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/web"
)

type handlers struct {
	svc *Service
	web *web.Renderer
}

const tag = "Calendar feed"

func (h *handlers) routes(r *app.Registry) {
	// fasthttp's router takes ".ics" after the parameter as a literal suffix.
	r.Get("/ical/:token.ics", api.Public(), h.feed)
	r.Get("/api/v1/me/ical", api.Authenticated(), h.mine, api.Doc{Summary: "The signed-in person's calendar feed URL (secret)", Tag: tag, Response: FeedView{}})
	r.Post("/api/v1/me/ical/rotate", api.Authenticated(), h.rotate, api.Doc{Summary: "Give the signed-in person a new calendar feed URL; the old one answers 404", Tag: tag, Response: FeedView{}})
	r.Post("/profile/ical/rotate", api.Authenticated(), h.rotatePage)
	team := api.Can("ical.team", "subscribe")
	r.Get("/api/v1/:slug/teams/:id/ical", team, api.One("id", h.svc.TeamFeed), api.Doc{Summary: "Your calendar feed URL of a team (managers: their teams; admins: any)", Tag: tag, Response: FeedView{}})
	r.Post("/api/v1/:slug/teams/:id/ical/rotate", team, api.One("id", h.svc.RotateTeam), api.Doc{Summary: "A new calendar feed URL of a team; the old one answers 404", Tag: tag, Response: FeedView{}})
	r.Get("/:slug/ical/teams", team, h.teamsPage)
	r.Post("/:slug/ical/teams/:id", team, h.teamPost(h.svc.TeamFeed, "ical.team_made"))
	r.Post("/:slug/ical/teams/:id/rotate", team, h.teamPost(h.svc.RotateTeam, "ical.team_rotated"))
	r.Nav(web.NavItem{Label: "ical.nav.teams", Path: "/ical/teams", Object: "ical.team", Action: "subscribe", Order: 95, Group: web.GroupAdmin})
}

func (h *handlers) teamsPage(c *fiber.Ctx) error {
	rows, err := h.svc.Teams(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	p := h.web.NewPage(c, "ical.teams.title")
	p.Data = rows
	return h.web.Render(c, "ical/teams", p)
}

// teamPost makes (or renews) the actor's URL of a team and goes back to the list.
func (h *handlers) teamPost(do func(context.Context, *actor.Actor, int64) (*FeedView, error), flash string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		if _, err := do(c.UserContext(), actor.From(c), id); err != nil {
			return err
		}
		web.Flash(c, "success", flash)
		return c.Redirect(fmt.Sprintf("/%s/ical/teams#team-%d", actor.From(c).Account.Slug, id), fiber.StatusSeeOther)
	}
}

// feed answers the calendar. The token is in the path, so the answer must not be cached by
// proxies, nor the URL leak as a referrer.
func (h *handlers) feed(c *fiber.Ctx) error {
	var buf bytes.Buffer
	if err := h.svc.Write(c.UserContext(), c.Params("token"), &buf); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/calendar; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="groupcamp.ics"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set("Referrer-Policy", "no-referrer")
	return c.Send(buf.Bytes())
}

func (h *handlers) mine(c *fiber.Ctx) error {
	v, err := h.svc.Mine(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(v)
}

func (h *handlers) rotate(c *fiber.Ctx) error {
	v, err := h.svc.Rotate(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(v)
}

func (h *handlers) rotatePage(c *fiber.Ctx) error {
	if _, err := h.svc.Rotate(c.UserContext(), actor.From(c)); err != nil {
		return err
	}
	web.Flash(c, "success", "ical.rotated")
	return c.Redirect("/profile#ical", fiber.StatusSeeOther)
}

// profileSection renders the feed's part of the profile page.
func (h *handlers) profileSection(renderer *web.Renderer) func(c *fiber.Ctx, profile *web.Page) (template.HTML, error) {
	return func(c *fiber.Ctx, profile *web.Page) (template.HTML, error) {
		a := actor.From(c)
		if a == nil || strings.TrimSpace(a.PlatformRole) != "" {
			return "", nil // platform staff have no tasks of their own to subscribe to
		}
		v, err := h.svc.Mine(c.UserContext(), a)
		if err != nil {
			return "", err
		}
		p := *profile
		p.Data = v
		return renderer.Fragment("ical/profile", &p)
	}
}
