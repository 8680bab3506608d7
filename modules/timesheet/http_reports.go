package timesheet

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
)

// reportQueryDoc are the filters of the time reports.
var reportQueryDoc = []api.Param{
	{Name: "group_by", Type: "string", Enum: Groupings, Description: "the grouping (default project)"},
	{Name: "then_by", Type: "string", Enum: Groupings, Description: "a second grouping inside each row (e.g. project then user)"},
	{Name: "from", Type: "string", Format: "date", Description: "from this day (default: the first of this month)"},
	{Name: "to", Type: "string", Format: "date", Description: "to this day, inclusive (default: the last of this month; at most 732 days)"},
	{Name: "user", Type: "integer", Format: "int64", Description: "the time of this person (someone you manage)"},
	{Name: "project", Type: "integer", Format: "int64", Description: "the time on this project"},
	{Name: "client", Type: "integer", Format: "int64", Description: "the time on the projects of this client company"},
	{Name: "category", Type: "integer", Format: "int64", Description: "the time on this category"},
	{Name: "team", Type: "integer", Format: "int64", Description: "the time of the people of this team (one you are in, unless an administrator)"},
	{Name: "billable", Type: "boolean", Description: "only billable (true) or non-billable (false) time"},
}

// reportRoutes registers the time reports: the JSON, the CSV and XLSX downloads (under the API
// and, as shared/API.md names them, under /{slug}/reports), planned against actual.
func (h *handlers) reportRoutes(r routes) {
	const tag = "Timesheets"
	read := api.Can("timesheet.reports", "read")
	r.Get("/api/v1/:slug/reports/time", read, h.report, api.Doc{Summary: "Time totals in minutes by person, project, client, category, task, week or month, with the billable split", Tag: tag,
		Response: TimeReport{}, Query: reportQueryDoc,
		Description: "Who sees what: a person their own time; a manager also that of the people in their teams and the time on the projects they lead; administrators all of it. A person or team outside that reach is a 404."})
	r.Get("/api/v1/:slug/reports/time.csv", read, h.reportFile(formatCSV), api.Doc{Summary: "The time report as CSV (same filters)", Tag: tag, Query: reportQueryDoc})
	r.Get("/api/v1/:slug/reports/time.xlsx", read, h.reportFile(formatXLSX), api.Doc{Summary: "The time report as an XLSX workbook (same filters)", Tag: tag, Query: reportQueryDoc})
	r.Get("/:slug/reports/time.csv", read, h.reportFile(formatCSV))
	r.Get("/:slug/reports/time.xlsx", read, h.reportFile(formatXLSX))
	r.Get("/api/v1/:slug/reports/planned", read, h.plan, api.Doc{Summary: "Planned (task estimates) against actual time, per project, or per task with project=", Tag: tag,
		Response: PlanReport{}, Query: reportQueryDoc[2:]})
}

// reportFilter reads the filters of the query string (422 naming each bad one).
func reportFilter(c *fiber.Ctx) (ReportFilter, error) {
	var f problem.Fields
	out := ReportFilter{GroupBy: strings.Clone(c.Query("group_by")), ThenBy: strings.Clone(c.Query("then_by")),
		From: queryDay(c, "from", &f), To: queryDay(c, "to", &f), UserID: queryID(c, "user", &f), ProjectID: queryID(c, "project", &f),
		CompanyID: queryID(c, "client", &f), CategoryID: queryID(c, "category", &f), TeamID: queryID(c, "team", &f)}
	switch c.Query("billable") {
	case "":
	case "true", "1":
		yes := true
		out.Billable = &yes
	case "false", "0":
		no := false
		out.Billable = &no
	default:
		f.Add("billable", "must be true or false")
	}
	return out, f.Err()
}

func (h *handlers) report(c *fiber.Ctx) error {
	f, err := reportFilter(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Report(c.UserContext(), actor.From(c), f)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

func (h *handlers) plan(c *fiber.Ctx) error {
	f, err := reportFilter(c)
	if err != nil {
		return err
	}
	out, err := h.svc.Plan(c.UserContext(), actor.From(c), f)
	if err != nil {
		return err
	}
	return api.JSON(c, fiber.StatusOK, out)
}

// reportFile answers the report as a download.
func (h *handlers) reportFile(format string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		f, err := reportFilter(c)
		if err != nil {
			return err
		}
		rep, err := h.svc.Report(c.UserContext(), actor.From(c), f)
		if err != nil {
			return err
		}
		t := reportTable(rep)
		return t.send(c, format)
	}
}

// reportTable lays a report out flat: one line per row (per row and second grouping with
// then_by), the total last.
func reportTable(rep *TimeReport) *table {
	t := &table{Name: "time-" + rep.GroupBy + "-" + rep.From + "-" + rep.To, Header: []string{rep.GroupBy + "_key", rep.GroupBy}}
	if rep.ThenBy != "" {
		t.Header = append(t.Header, rep.ThenBy+"_key", rep.ThenBy)
	}
	t.Header = append(t.Header, "minutes", "billable_minutes", "non_billable_minutes", "hours", "billable_hours", "entries")
	sums := func(r ReportRow) []any {
		return []any{r.Minutes, r.BillableMinutes, r.NonBillableMinutes, hours(r.Minutes), hours(r.BillableMinutes), r.Entries}
	}
	for _, r := range rep.Rows {
		if rep.ThenBy == "" {
			t.Rows = append(t.Rows, append([]any{r.Key, r.Label}, sums(r)...))
			continue
		}
		for _, r2 := range r.Rows {
			t.Rows = append(t.Rows, append([]any{r.Key, r.Label, r2.Key, r2.Label}, sums(r2)...))
		}
	}
	total := []any{"", "Total"}
	if rep.ThenBy != "" {
		total = append(total, "", "")
	}
	tt := rep.Totals
	t.Rows = append(t.Rows, append(total, sums(ReportRow{Minutes: tt.Minutes, BillableMinutes: tt.BillableMinutes, NonBillableMinutes: tt.NonBillableMinutes, Entries: tt.Entries})...))
	return t
}
