package planning

import (
	"context"
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

// ResourceList is a list of resources.
type ResourceList struct {
	Items []Resource `json:"items"`
}

// AllocationList is a list of allocations.
type AllocationList struct {
	Items []Allocation `json:"items"`
}

// AbsenceList is a list of absences.
type AbsenceList struct {
	Items []Absence `json:"items"`
}

// AbsenceTypeList is the account's kinds of leave.
type AbsenceTypeList struct {
	Items []AbsenceType `json:"items"`
}

// BalanceList is a person's balances of a year.
type BalanceList struct {
	Items []Balance `json:"items"`
}

var (
	rangeQuery = []api.Param{
		{Name: "from", Type: "string", Format: "date", Description: "first day (default: this week's Monday)"},
		{Name: "to", Type: "string", Format: "date", Description: "last day (default: 8 weeks on); at most 732 days after from"},
	}
	filterQuery = []api.Param{
		{Name: "team_id", Type: "integer", Format: "int64", Description: "only the people of this team"},
		{Name: "role", Type: "integer", Format: "int64", Description: "only the resources of this job role (id)"},
	}
	clientParam = api.Param{Name: "client_id", Type: "integer", Format: "int64", Description: "only the bookings and tasks of the projects of this client company"}
)

// apiRoutes registers the JSON API (shared/API.md "Resource planning").
func (h *handlers) apiRoutes(r routes) {
	const tag = "Planning"
	read, write := api.Can("planning", "read"), api.Can("planning", "write")
	absRead, absWrite, absApprove, settings := api.Can("planning.absences", "read"), api.Can("planning.absences", "write"), api.Can("planning.absences", "approve"), api.Can("planning.settings", "manage")

	r.Get("/api/v1/:slug/resources", read, h.resources, api.Doc{Summary: "What can be booked: every colleague (a person resource), then placeholders, equipment and rooms", Tag: tag, Response: ResourceList{},
		Query: append([]api.Param{{Name: "archived", Type: "boolean", Description: "include archived ones"}}, filterQuery...)})
	r.Post("/api/v1/:slug/resources", write, h.createResource, api.Doc{Summary: "Add a placeholder (a role not yet staffed), equipment or a room", Tag: tag, Request: ResourceInput{}, Response: Resource{}, Status: 201})
	r.Get("/api/v1/:slug/resources/:id", read, api.One("id", h.svc.Resource), api.Doc{Summary: "A resource", Tag: tag, Response: Resource{}})
	r.Patch("/api/v1/:slug/resources/:id", write, api.Update("id", h.svc.UpdateResource), api.Doc{Summary: "Rename, re-role, archive or restore a placeholder, equipment or room", Tag: tag, Request: ResourcePatch{}, Response: Resource{}})
	r.Delete("/api/v1/:slug/resources/:id", write, api.Delete("id", h.svc.DeleteResource), api.Doc{Summary: "Delete a placeholder, equipment or room with its allocations (a person: 409)", Tag: tag, Status: 204})
	r.Post("/api/v1/:slug/resources/:id/assign", write, api.Update("id", h.svc.Assign), api.Doc{Summary: "Replace a placeholder by a person, who takes its allocations; answers the person's resource", Tag: tag, Request: AssignInput{}, Response: Resource{}})

	r.Get("/api/v1/:slug/allocations", read, h.allocations, api.Doc{Summary: "Allocations meeting a period (their weekly repetitions included)", Tag: tag, Response: AllocationList{},
		Query: append(rangeQuery, api.Param{Name: "resource_id", Type: "integer", Format: "int64", Description: "one resource's"}, api.Param{Name: "project_id", Type: "integer", Format: "int64", Description: "one project's"})})
	r.Post("/api/v1/:slug/allocations", write, h.createAllocation, api.Doc{Summary: "Book a resource on a project (optionally a task): minutes_per_day or percent of capacity each working day; over 100% is allowed and flagged (over_allocated, conflicts)", Tag: tag, Request: AllocationInput{}, Response: Allocation{}, Status: 201})
	r.Get("/api/v1/:slug/allocations/:id", read, api.One("id", h.svc.Allocation), api.Doc{Summary: "An allocation", Tag: tag, Response: Allocation{}})
	r.Patch("/api/v1/:slug/allocations/:id", write, api.Update("id", h.svc.UpdateAllocation), api.Doc{Summary: "Move, resize or change an allocation (answers over_allocated and conflicts again)", Tag: tag, Request: AllocationPatch{}, Response: Allocation{}})
	r.Post("/api/v1/:slug/allocations/:id/split", write, h.splitAllocation, api.Doc{Summary: "Cut an allocation in two on a day: it ends the day before, a copy runs from that day to its last day; answers the copy (a weekly repeated one: 422)", Tag: tag, Request: SplitInput{}, Response: Allocation{}, Status: 201})
	r.Delete("/api/v1/:slug/allocations/:id", write, api.Delete("id", h.svc.DeleteAllocation), api.Doc{Summary: "Delete an allocation", Tag: tag, Status: 204})

	r.Get("/api/v1/:slug/workload", read, h.workload, api.Doc{Summary: "Per resource per ISO week: capacity, time away and time booked; totals; the weeks over capacity (conflicts)", Tag: tag, Response: Workload{},
		Query: append(append(rangeQuery, filterQuery...), clientParam)})
	r.Get("/api/v1/:slug/availability", read, h.availability, api.Doc{Summary: "Resources with at least `minutes` free in [from, to] (and at least `days` working days with `day_minutes` free), most free first, with their free days and free spans", Tag: tag, Response: Availability{},
		Query: append([]api.Param{{Name: "from", Type: "string", Format: "date", Description: "first day (default: this week's Monday)"}, {Name: "to", Type: "string", Format: "date", Description: "last day (default: the Sunday of from's week)"},
			{Name: "minutes", Type: "integer", Description: "at least this many free minutes in the period"},
			{Name: "days", Type: "integer", Description: "at least this many working days each with day_minutes free (ranked by those days)"},
			{Name: "day_minutes", Type: "integer", Description: "the free minutes a working day needs to count in days and free_spans (default: the whole working day with days, else any free time); at most 1440"},
			{Name: "consecutive", Type: "boolean", Description: "the days in one span (days off such as weekends and public holidays do not break it; a busy or leave day does)"},
			clientParam}, filterQuery...)})

	r.Get("/api/v1/:slug/planning/costs", api.Can("planning.costs", "read"), h.costs, api.Doc{Summary: "Planned cost against actual cost of a project in a period: the hours booked and the hours entered in timesheets, per person and ISO week, priced at each person's cost rate (a placeholder's job role's); administrators only (cost rates are confidential)", Tag: tag, Response: CostReport{},
		Query: append([]api.Param{{Name: "project_id", Type: "integer", Format: "int64", Description: "the project (required)"}}, rangeQuery...)})
	r.Get("/api/v1/:slug/absence-types", absRead, h.absenceTypes, api.Doc{Summary: "The account's kinds of leave (holiday, sick, training, other by default), paid or not, with their yearly allowance and carry-over", Tag: tag, Response: AbsenceTypeList{}})
	r.Post("/api/v1/:slug/absence-types", settings, h.createAbsenceType, api.Doc{Summary: "Add a kind of leave (administrators)", Tag: tag, Request: AbsenceTypeInput{}, Response: AbsenceType{}, Status: 201})
	r.Patch("/api/v1/:slug/absence-types/:id", settings, api.Update("id", h.svc.UpdateAbsenceType), api.Doc{Summary: "Change, archive or restore a kind of leave (administrators; an archived kind takes no new request)", Tag: tag, Request: AbsenceTypePatch{}, Response: AbsenceType{}})
	r.Get("/api/v1/:slug/absences", absRead, h.absences, api.Doc{Summary: "Leave meeting a period: who is away when (the kind of leave only for the person and who decides on it)", Tag: tag, Response: AbsenceList{},
		Query: append(rangeQuery, api.Param{Name: "user_id", Type: "integer", Format: "int64", Description: "one person's"}, api.Param{Name: "state", Type: "string", Description: "requested, approved or rejected"})})
	r.Post("/api/v1/:slug/absences", absWrite, h.requestAbsence, api.Doc{Summary: "Request leave (for yourself; a manager for a person of their teams); overlapping approved leave: 422", Tag: tag, Request: AbsenceInput{}, Response: Absence{}, Status: 201})
	r.Get("/api/v1/:slug/absences/:id", absRead, api.One("id", h.svc.Absence), api.Doc{Summary: "An absence", Tag: tag, Response: Absence{}})
	r.Post("/api/v1/:slug/absences/:id/approve", absApprove, h.decide(Approve), api.Doc{Summary: "Approve a leave request (a manager of the person; audited, the person notified)", Tag: tag, Request: DecisionInput{}, Response: Absence{}})
	r.Post("/api/v1/:slug/absences/:id/reject", absApprove, h.decide(Reject), api.Doc{Summary: "Reject a leave request (a manager of the person; audited, the person notified)", Tag: tag, Request: DecisionInput{}, Response: Absence{}})
	r.Get("/api/v1/:slug/absence-balances", absRead, h.balances, api.Doc{Summary: "A person's balances of a year per kind of leave: allowance, carried over, taken, remaining", Tag: tag, Response: BalanceList{},
		Query: []api.Param{{Name: "user_id", Type: "integer", Format: "int64", Description: "whose (default: yours)"}, {Name: "year", Type: "integer", Description: "default: this year"}}})
}

// queryID reads an optional id of the query (0 when absent).
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

// queryInt reads an optional whole number of the query from 0 (0 when absent).
func queryInt(c *fiber.Ctx, name string, f *problem.Fields) int {
	s := c.Query(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		f.Add(name, "must be a whole number from 0")
	}
	return n
}

// queryBool reads an optional boolean of the query (false when absent).
func queryBool(c *fiber.Ctx, name string, f *problem.Fields) bool {
	s := c.Query(name)
	if s == "" {
		return false
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		f.Add(name, "must be true or false")
	}
	return b
}

// query reads a period and a filter: ?from=&to=&team_id=&role=&client_id=&minutes=, and the
// availability's days=&day_minutes=&consecutive=.
func query(c *fiber.Ctx) (Query, error) {
	var f problem.Fields
	q := Query{From: c.Query("from"), To: c.Query("to"), TeamID: queryID(c, "team_id", &f), RoleID: queryID(c, "role", &f), ClientID: queryID(c, "client_id", &f), Minutes: queryInt(c, "minutes", &f),
		Days: queryInt(c, "days", &f), DayMinutes: queryInt(c, "day_minutes", &f), Consecutive: queryBool(c, "consecutive", &f)}
	return q, f.Err()
}

func (h *handlers) resources(c *fiber.Ctx) error {
	q, err := query(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Resources(c.UserContext(), actor.From(c), Filter{TeamID: q.TeamID, RoleID: q.RoleID, Archived: c.QueryBool("archived")})
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, ResourceList{Items: out})
}

func (h *handlers) createResource(c *fiber.Ctx) error {
	var in ResourceInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.CreateResource(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

// defaultRange is the period asked for, this week and the next weeks by default.
func (h *handlers) defaultRange(c *fiber.Ctx, weeks int) (string, string) {
	return h.svc.defaultRange(c.Query("from"), c.Query("to"), weeks)
}

func (h *handlers) allocations(c *fiber.Ctx) error {
	var f problem.Fields
	res, proj := queryID(c, "resource_id", &f), queryID(c, "project_id", &f)
	if err := f.Err(); err != nil {
		return err
	}
	from, to := h.defaultRange(c, 8)
	out, err := h.svc.Allocations(c.UserContext(), actor.From(c), from, to, res, proj)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, AllocationList{Items: out})
}

func (h *handlers) createAllocation(c *fiber.Ctx) error {
	var in AllocationInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.CreateAllocation(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) splitAllocation(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	var in SplitInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.SplitAllocation(c.UserContext(), actor.From(c), id, in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) workload(c *fiber.Ctx) error {
	q, err := query(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Workload(c.UserContext(), actor.From(c), q)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) costs(c *fiber.Ctx) error {
	var f problem.Fields
	id := queryID(c, "project_id", &f)
	f.Check(c.Query("project_id") != "", "project_id", "is required")
	if err := f.Err(); err != nil {
		return err
	}
	from, to := h.defaultRange(c, 8)
	out, err := h.svc.Costs(c.UserContext(), actor.From(c), id, from, to)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) availability(c *fiber.Ctx) error {
	q, err := query(c)
	if err != nil {
		return err
	}
	q.From, q.To = h.defaultRange(c, 1)
	out, err := h.svc.Availability(c.UserContext(), actor.From(c), q)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) absenceTypes(c *fiber.Ctx) error {
	out, err := h.svc.AbsenceTypes(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, AbsenceTypeList{Items: out})
}

func (h *handlers) createAbsenceType(c *fiber.Ctx) error {
	var in AbsenceTypeInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.CreateAbsenceType(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) absences(c *fiber.Ctx) error {
	var f problem.Fields
	user := queryID(c, "user_id", &f)
	if err := f.Err(); err != nil {
		return err
	}
	from, to := h.defaultRange(c, 8)
	out, err := h.svc.Absences(c.UserContext(), actor.From(c), from, to, user, c.Query("state"))
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, AbsenceList{Items: out})
}

func (h *handlers) requestAbsence(c *fiber.Ctx) error {
	var in AbsenceInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.RequestAbsence(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) decide(name string) fiber.Handler {
	return api.Update("id", func(ctx context.Context, a *actor.Actor, id int64, in DecisionInput) (*Absence, error) {
		return h.svc.Decide(ctx, a, id, name, in)
	})
}

func (h *handlers) balances(c *fiber.Ctx) error {
	var f problem.Fields
	user := queryID(c, "user_id", &f)
	year := queryInt(c, "year", &f)
	if err := f.Err(); err != nil {
		return err
	}
	if year == 0 {
		year = h.svc.today().Year()
	}
	out, err := h.svc.Balances(c.UserContext(), actor.From(c), user, year)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, BalanceList{Items: out})
}
