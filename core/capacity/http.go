package capacity

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
)

// HTTP serves the capacity API (shared/API.md "Resource planning"): colleagues read, the
// account's administrators write (capabilities capacity read / capacity manage).
type HTTP struct {
	Svc *Service
}

const tag = "Capacity"

var listQuery = []api.Param{
	{Name: "archived", Type: "boolean", Description: "include the archived ones"},
	{Name: "limit", Type: "integer", Description: "at most this many (default 50, max 200)"},
	{Name: "cursor", Type: "string", Description: "the next_cursor of the previous page"},
}

// Routes registers the API.
func (h *HTTP) Routes(r *api.Routes) {
	read, manage := api.Can("capacity", "read"), api.Can("capacity", "manage")
	r.Get("/api/v1/:slug/capacity-profiles", read, listed(h.Svc.Profiles), api.Doc{Summary: "The account's capacity profiles (minutes per weekday, Monday first; caps per day and week), the default first", Tag: tag, Response: api.List[Profile]{}, Query: listQuery})
	r.Post("/api/v1/:slug/capacity-profiles", manage, created(h.Svc.CreateProfile), api.Doc{Summary: "Add a capacity profile", Tag: tag, Request: ProfileInput{}, Response: Profile{}, Status: fiber.StatusCreated})
	r.Get("/api/v1/:slug/capacity-profiles/:id", read, byID(h.Svc.Profile), api.Doc{Summary: "A capacity profile", Tag: tag, Response: Profile{}})
	r.Patch("/api/v1/:slug/capacity-profiles/:id", manage, changed(h.Svc.UpdateProfile), api.Doc{Summary: "Change, archive or restore a capacity profile (the default cannot be archived: 409)", Tag: tag, Request: ProfilePatch{}, Response: Profile{}})
	r.Post("/api/v1/:slug/capacity-profiles/:id/archive", manage, byID(h.Svc.ArchiveProfile), api.Doc{Summary: "Archive a capacity profile (who works under it keeps it)", Tag: tag, Response: Profile{}})

	r.Get("/api/v1/:slug/job-roles", read, listed(h.Svc.Roles), api.Doc{Summary: "The account's job roles with their default cost and bill rates per hour", Tag: tag, Response: api.List[Role]{}, Query: listQuery})
	r.Post("/api/v1/:slug/job-roles", manage, created(h.Svc.CreateRole), api.Doc{Summary: "Add a job role", Tag: tag, Request: RoleInput{}, Response: Role{}, Status: fiber.StatusCreated})
	r.Patch("/api/v1/:slug/job-roles/:id", manage, changed(h.Svc.UpdateRole), api.Doc{Summary: "Change, archive or restore a job role", Tag: tag, Request: RolePatch{}, Response: Role{}})

	r.Get("/api/v1/:slug/users/:id/capacity", read, byID(h.Svc.Person), api.Doc{Summary: "A colleague's capacity: the profile in force today, the history of profiles, the job role and cost rate", Tag: tag, Response: Person{}})
	r.Put("/api/v1/:slug/users/:id/capacity", manage, changed(h.Svc.SetPerson), api.Doc{Summary: "Assign a person a capacity profile from a day on (history kept), set their job role and own cost rate", Tag: tag, Request: PersonInput{}, Response: Person{}})
}

func listed[T any](list func(context.Context, *actor.Actor, bool, api.Page) (api.List[T], error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		pg, err := api.ParsePage(c)
		if err != nil {
			return err
		}
		out, err := list(c.UserContext(), actor.From(c), c.QueryBool("archived"), pg)
		if err != nil {
			return err
		}
		return api.JSON(c, fiber.StatusOK, out)
	}
}

func created[In, Out any](create func(context.Context, *actor.Actor, In) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in In
		if err := api.Decode(c, &in); err != nil {
			return err
		}
		out, err := create(c.UserContext(), actor.From(c), in)
		if err != nil {
			return err
		}
		return api.JSON(c, fiber.StatusCreated, out)
	}
}

func byID[Out any](get func(context.Context, *actor.Actor, int64) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		out, err := get(c.UserContext(), actor.From(c), id)
		if err != nil {
			return err
		}
		return api.JSON(c, fiber.StatusOK, out)
	}
}

func changed[In, Out any](change func(context.Context, *actor.Actor, int64, In) (Out, error)) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		var in In
		if err := api.Decode(c, &in); err != nil {
			return err
		}
		out, err := change(c.UserContext(), actor.From(c), id, in)
		if err != nil {
			return err
		}
		return api.JSON(c, fiber.StatusOK, out)
	}
}
