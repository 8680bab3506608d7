package audit

import (
	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
)

// HTTP serves the account's audit trail.
type HTTP struct {
	DB *bun.DB
}

// Routes registers the endpoints with their guards.
func (h *HTTP) Routes(r *api.Routes) {
	r.Get("/api/v1/:slug/audit", api.Can("audit", "read"), h.list, api.Doc{Summary: "The audit trail, newest first", Tag: "Core",
		Response: api.List[Event]{}, Query: []api.Param{
			{Name: "actor", Type: "integer", Description: "only events by this user id"},
			{Name: "action", Type: "string", Description: "only this action, e.g. user.role_changed"},
			{Name: "limit", Type: "integer", Description: "page size, 1-200 (default 50)"},
			{Name: "cursor", Type: "string", Description: "next_cursor of the previous page"},
		}})
}

func (h *HTTP) list(c *fiber.Ctx) error {
	p, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	f := Filter{Before: p.After, Limit: p.Limit + 1}
	if f.Action, err = api.QueryText(c, "action", 100); err != nil {
		return err
	}
	if s := c.Query("actor"); s != "" {
		id, ok := api.ParseID(s)
		if !ok {
			return problem.Invalid(problem.FieldError{Field: "actor", Message: "must be a user id"})
		}
		f.ActorID = id
	}
	events, err := List(c.UserContext(), h.DB, actor.From(c).AccountID(), f)
	if err != nil {
		return err
	}
	return c.JSON(api.MakeList(events, p, func(e Event) int64 { return e.ID }))
}
