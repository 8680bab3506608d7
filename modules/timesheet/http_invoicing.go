package timesheet

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
)

var invoiceQueryDoc = []api.Param{
	{Name: "client", Type: "integer", Format: "int64", Required: true, Description: "the client company"},
	{Name: "from", Type: "string", Format: "date", Required: true, Description: "from this day"},
	{Name: "to", Type: "string", Format: "date", Required: true, Description: "to this day, inclusive (at most 367 days)"},
	{Name: "split_by", Description: "category: a line per project time category"},
}

// rateRules is how an entry's bill rate is found, for the API's documentation.
const rateRules = "Each entry is priced at the first rate there is (0 is none): the project's rate for that person, the project's rate, the person's own bill rate in force on the entry's day, their job role's bill rate. The time of people since erased is a \"Former colleague\" line at the rate frozen when they were erased."

// invoicingRoutes registers the invoicing handoff (administrators): project bill rates,
// draft invoice lines, their export (which marks the time invoiced), the batches and undo.
func (h *handlers) invoicingRoutes(r routes) {
	const tag = "Timesheets"
	manage := api.Can("timesheet.invoicing", "manage")
	r.Get("/api/v1/:slug/project-rates", manage, h.rates, api.Doc{Summary: "The projects' bill rates (cents of the account's currency per hour)", Tag: tag, Response: api.List[ProjectRate]{}, Query: pageQuery})
	r.Put("/api/v1/:slug/project-rates/:project_id", manage, api.Update("project_id", h.svc.SetRate), api.Doc{Summary: "Set a project's bill rate (0: none, the people's rates apply)", Tag: tag, Request: RateInput{}, Response: ProjectRate{}})
	r.Get("/api/v1/:slug/project-rates/:project_id/people", manage, h.personRates, api.Doc{Summary: "A project's bill rates for people (they come before the project's rate)", Tag: tag, Response: api.List[PersonRate]{}})
	r.Put("/api/v1/:slug/project-rates/:project_id/people/:user_id", manage, h.setPersonRate, api.Doc{Summary: "Set a project's bill rate for one person", Tag: tag, Request: RateInput{}, Response: PersonRate{}})
	r.Delete("/api/v1/:slug/project-rates/:project_id/people/:user_id", manage, h.deletePersonRate, api.Doc{Summary: "Remove a project's bill rate for one person", Tag: tag, Status: 204})
	r.Get("/api/v1/:slug/invoice-lines", manage, h.draft, api.Doc{Summary: "Draft invoice lines: a client company's approved billable time of a period not invoiced yet, by project, task and person (and category with split_by=category), rate × hours. " + rateRules, Tag: tag,
		Response: InvoiceDraft{}, Query: invoiceQueryDoc})
	r.Get("/api/v1/:slug/invoice-lines.csv", manage, h.draftFile(formatCSV), api.Doc{Summary: "The draft invoice lines as CSV (nothing is marked)", Tag: tag, Query: invoiceQueryDoc})
	r.Get("/api/v1/:slug/invoice-lines.xlsx", manage, h.draftFile(formatXLSX), api.Doc{Summary: "The draft invoice lines as XLSX (nothing is marked)", Tag: tag, Query: invoiceQueryDoc})
	r.Post("/api/v1/:slug/invoice-lines/export", manage, h.export, api.Doc{Summary: "Export the draft invoice lines: their time is marked invoiced (a batch), locked, and never drafted again", Tag: tag,
		Request: InvoiceInput{}, Response: InvoiceBatch{}, Status: 201})
	r.Get("/api/v1/:slug/invoice-batches", manage, h.batches, api.Doc{Summary: "The exported batches of invoice lines, newest first", Tag: tag, Response: api.List[InvoiceBatch]{}, Query: pageQuery})
	r.Get("/api/v1/:slug/invoice-batches/:id", manage, api.One("id", h.svc.Batch), api.Doc{Summary: "An exported batch with its lines, at the rates invoiced", Tag: tag, Response: InvoiceBatch{}})
	r.Get("/api/v1/:slug/invoice-batches/:id/lines.csv", manage, h.batchFile(formatCSV), api.Doc{Summary: "An exported batch's lines as CSV", Tag: tag})
	r.Get("/api/v1/:slug/invoice-batches/:id/lines.xlsx", manage, h.batchFile(formatXLSX), api.Doc{Summary: "An exported batch's lines as XLSX", Tag: tag})
	r.Post("/api/v1/:slug/invoice-batches/:id/undo", manage, api.One("id", h.svc.Undo), api.Doc{Summary: "Undo an export: its time is back in the drafts (audited; 409 when undone already)", Tag: tag, Response: InvoiceBatch{}})
}

func (h *handlers) rates(c *fiber.Ctx) error {
	pg, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Rates(c.UserContext(), actor.From(c), pg)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

// projectPerson reads the project and person of a person rate's path.
func projectPerson(c *fiber.Ctx) (int64, int64, error) {
	pid, err := api.PathID(c, "project_id")
	if err != nil {
		return 0, 0, err
	}
	uid, err := api.PathID(c, "user_id")
	return pid, uid, err
}

func (h *handlers) personRates(c *fiber.Ctx) error {
	pid, err := api.PathID(c, "project_id")
	if err != nil {
		return err
	}
	out, err := h.svc.PersonRates(c.UserContext(), actor.From(c), pid)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) setPersonRate(c *fiber.Ctx) error {
	pid, uid, err := projectPerson(c)
	if err != nil {
		return err
	}
	var in RateInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.SetPersonRate(c.UserContext(), actor.From(c), pid, uid, in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) deletePersonRate(c *fiber.Ctx) error {
	pid, uid, err := projectPerson(c)
	if err != nil {
		return err
	}
	if err := h.svc.DeletePersonRate(c.UserContext(), actor.From(c), pid, uid); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

// invoiceQuery reads client, from and to of the query string.
func invoiceQuery(c *fiber.Ctx) (InvoiceInput, error) {
	var f problem.Fields
	in := InvoiceInput{ClientID: queryID(c, "client", &f), From: strings.Clone(c.Query("from")), To: strings.Clone(c.Query("to")), SplitBy: strings.Clone(c.Query("split_by"))}
	if err := f.Err(); err != nil {
		return in, err
	}
	return in, checkInvoice(&in)
}

func (h *handlers) draft(c *fiber.Ctx) error {
	in, err := invoiceQuery(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Draft(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) draftFile(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		in, err := invoiceQuery(c)
		if err != nil {
			return err
		}
		d, err := h.svc.Draft(c.UserContext(), actor.From(c), in)
		if err != nil {
			return err
		}
		return invoiceTable("invoice-lines-draft-"+in.From+"-"+in.To, d.Currency, d.Items).send(c, format)
	}
}

func (h *handlers) export(c *fiber.Ctx) error {
	var in InvoiceInput
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	out, err := h.svc.Export(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusCreated, out)
}

func (h *handlers) batches(c *fiber.Ctx) error {
	pg, err := api.ParsePage(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Batches(c.UserContext(), actor.From(c), pg)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) batchFile(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		b, err := h.svc.Batch(c.UserContext(), actor.From(c), id)
		if err != nil {
			return err
		}
		return invoiceTable("invoice-batch-"+strconv.FormatInt(b.ID, 10), b.Currency, b.Items).send(c, format)
	}
}

// invoiceTable lays invoice lines out for a download: amounts in the currency's units.
func invoiceTable(name, currency string, lines []InvoiceLine) *table {
	t := &table{Name: name, Header: []string{"project_id", "project", "task_id", "task", "user_id", "person", "minutes", "hours", "rate", "amount", "currency", "entries", "category", "rate_source"}}
	var minutes, cents int64
	for _, l := range lines {
		t.Rows = append(t.Rows, []any{l.ProjectID, l.ProjectName, l.TaskID, l.TaskTitle, l.UserID, l.UserName, l.Minutes, l.Hours,
			float64(l.RateCents) / 100, float64(l.AmountCents) / 100, currency, l.Entries, l.CategoryName, l.RateSource})
		minutes += l.Minutes
		cents += l.AmountCents
	}
	t.Rows = append(t.Rows, []any{"", "Total", "", "", "", "", minutes, hours(minutes), "", float64(cents) / 100, currency, "", "", ""})
	return t
}
