package intranet

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/hooks"
)

// The client portal's "Discussions" section (a hooks.PortalSection): the project spaces a
// client takes part in — those of their projects shared with clients — each leading to the
// project's discussions. The list is visibleSpaces' (the same scope as every space page), so
// a space not shared is neither listed nor counted.

// ProjectSpaces lists the project spaces the actor sees (a client: those shared with
// clients), by name.
func (s *Service) ProjectSpaces(ctx context.Context, a *actor.Actor) ([]Space, error) {
	out := []Space{}
	err := s.spaceQuery(s.tenant(a.AccountID()), a, &out).Where("s.project_id IS NOT NULL").OrderExpr("s.name, s.id").Limit(int64(MaxSpaces)).Scan(ctx)
	return out, err
}

func (h *handlers) portalRoutes(r routes) {
	r.Get("/:slug/portal/discussions", api.Can("intranet.project", "read"), h.portalDiscussionsPage)
}

// portalSection is the section's entry in the portal.
func (h *handlers) portalSection() hooks.PortalSection {
	return hooks.PortalSection{Key: "discussions", Label: "intranet.portal.title", Intro: "intranet.portal.intro", Path: "/portal/discussions", Order: 30, Has: h.hasProjectSpaces}
}

func (h *handlers) hasProjectSpaces(ctx context.Context, a *actor.Actor) (bool, error) {
	sp, err := h.svc.ProjectSpaces(ctx, a)
	return len(sp) > 0, err
}

func (h *handlers) portalDiscussionsPage(c *fiber.Ctx) error {
	sp, err := h.svc.ProjectSpaces(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	p := h.web.NewPage(c, "intranet.portal.title")
	p.Data = sp
	return h.web.Render(c, "intranet/portal", p)
}
