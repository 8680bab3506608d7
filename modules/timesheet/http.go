package timesheet

import (
	"strings"

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

var pageQuery = []api.Param{
	{Name: "limit", Type: "integer", Description: "at most this many (default 50, max 200)"},
	{Name: "cursor", Type: "string", Description: "the next_cursor of the previous page"},
}

// apiRoutes registers the JSON API (shared/API.md "Timesheets").
func (h *handlers) apiRoutes(r routes) {
	const tag = "Timesheets"
	readCat, manageCat := api.Can("timesheet.categories", "read"), api.Can("timesheet.categories", "manage")
	read, write := api.Can("timesheet.entries", "read"), api.Can("timesheet.entries", "write")
	approve, reopen := api.Can("timesheet.approvals", "approve"), api.Can("timesheet.approvals", "reopen")

	r.Get("/api/v1/:slug/time-categories", readCat, h.categories, api.Doc{Summary: "The account's time categories: administrative (holiday, training) and project (design, meetings)", Tag: tag, Response: api.List[Category]{},
		Query: append([]api.Param{{Name: "archived", Type: "boolean", Description: "include the archived ones"},
			{Name: "kind", Description: "only the categories of this kind: administrative or project"}}, pageQuery...)})
	r.Post("/api/v1/:slug/time-categories", manageCat, h.createCategory, api.Doc{Summary: "Add a time category", Tag: tag, Request: CategoryInput{}, Response: Category{}, Status: 201})
	r.Patch("/api/v1/:slug/time-categories/:id", manageCat, api.Update("id", h.svc.UpdateCategory), api.Doc{Summary: "Rename a time category, change its billable default or its kind (409 once time is logged on it), archive or restore it", Tag: tag, Request: CategoryPatch{}, Response: Category{}})
	r.Post("/api/v1/:slug/time-categories/:id/archive", manageCat, api.One("id", h.svc.ArchiveCategory), api.Doc{Summary: "Archive a time category (the time logged on it stays)", Tag: tag, Response: Category{}})

	r.Get("/api/v1/:slug/time-entries", read, h.entries, api.Doc{Summary: "Time entries of a person (default: yours), oldest first", Tag: tag, Response: api.List[Entry]{},
		Query: append([]api.Param{
			{Name: "user", Type: "integer", Format: "int64", Description: "the person (their manager); default you"},
			{Name: "from", Type: "string", Format: "date", Description: "from this day"},
			{Name: "to", Type: "string", Format: "date", Description: "to this day (inclusive)"},
			{Name: "project", Type: "integer", Format: "int64", Description: "on this project"}}, pageQuery...)})
	r.Post("/api/v1/:slug/time-entries", write, h.createEntry, api.Doc{Summary: "Log time: minutes or a duration as typed (1:30, 1h30, 1.5h, 90m), on a project (and task, and project category) or an administrative category", Tag: tag, Request: EntryInput{}, Response: Entry{}, Status: 201})
	r.Patch("/api/v1/:slug/time-entries/:id", write, api.Update("id", h.svc.UpdateEntry), api.Doc{Summary: "Change a time entry (409 when its week is submitted or approved)", Tag: tag, Request: EntryPatch{}, Response: Entry{}})
	r.Delete("/api/v1/:slug/time-entries/:id", write, api.Delete("id", h.svc.DeleteEntry), api.Doc{Summary: "Delete a time entry (409 when its week is submitted or approved)", Tag: tag, Status: 204})

	const week = "/api/v1/:slug/timesheets/:user_id/:week"
	r.Get(week, read, h.timesheet, api.Doc{Summary: "A person's week (ISO, 2026-W49): state, days with their entries, total", Tag: tag, Response: Timesheet{}})
	r.Post(week+"/submit", write, h.transition(Submit), api.Doc{Summary: "Submit a week for approval (the person, or their manager)", Tag: tag, Response: Timesheet{}})
	r.Post(week+"/approve", approve, h.transition(Approve), api.Doc{Summary: "Approve a submitted week: it is locked (a manager of the person, never the person)", Tag: tag, Request: DecisionInput{}, Response: Timesheet{}})
	r.Post(week+"/reject", approve, h.transition(Reject), api.Doc{Summary: "Send a submitted week back with a comment (a manager of the person, never the person)", Tag: tag, Request: DecisionInput{}, Response: Timesheet{}})
	r.Post(week+"/reopen", reopen, h.transition(Reopen), api.Doc{Summary: "Reopen a submitted or approved week (administrators; audited)", Tag: tag, Request: DecisionInput{}, Response: Timesheet{}})
}

func (h *handlers) categories(c *fiber.Ctx) error {
	pg, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Categories(c.UserContext(), actor.From(c), c.QueryBool("archived"), c.Query("kind"), pg)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) createCategory(c *fiber.Ctx) error {
	var in CategoryInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.CreateCategory(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

// queryID reads an optional id of the query string (0 when absent; 422 when no id).
func queryID(c *fiber.Ctx, name string, f *problem.Fields) int64 {
	s := c.Query(name)
	if s == "" {
		return 0
	}
	id, ok := api.ParseID(s)
	if !ok {
		f.Add(name, "must be an id")
	}
	return id
}

func queryDay(c *fiber.Ctx, name string, f *problem.Fields) string {
	s := strings.Clone(c.Query(name))
	if s == "" {
		return ""
	}
	if _, ok := ParseDay(s); !ok {
		f.Add(name, "must be a day written YYYY-MM-DD")
	}
	return s
}

func (h *handlers) entries(c *fiber.Ctx) error {
	pg, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	var f problem.Fields
	filter := EntryFilter{UserID: queryID(c, "user", &f), From: queryDay(c, "from", &f), To: queryDay(c, "to", &f), ProjectID: queryID(c, "project", &f)}
	if err := f.Err(); err != nil {
		return err
	}
	out, err := h.svc.Entries(c.UserContext(), actor.From(c), filter, pg)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) createEntry(c *fiber.Ctx) error {
	var in EntryInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.CreateEntry(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) timesheet(c *fiber.Ctx) error {
	uid, err := api.PathID(c, "user_id")
	if err != nil {
		return err
	}
	out, err := h.svc.Timesheet(c.UserContext(), actor.From(c), uid, strings.Clone(c.Params("week")))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) transition(name string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		uid, err := api.PathID(c, "user_id")
		if err != nil {
			return err
		}
		var in DecisionInput
		if name != Submit && len(c.Request().Body()) > 0 {
			if err := api.Decode(c, &in); err != nil {
				return err
			}
		}
		in.Comment = strings.TrimSpace(in.Comment)
		out, err := h.svc.Transition(c.UserContext(), actor.From(c), uid, strings.Clone(c.Params("week")), name, in)
		if err != nil {
			return err
		}
		return api.JSON(c, fiber.StatusOK, out)
	}
}
