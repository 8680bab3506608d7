package timesheet

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"groupcamp/core/app"
)

// The walkers' fixtures of the invoicing routes (fixtures.go calls these): a project of the
// walker's client company with a bill rate, on it the member's billable hour of a week of its
// own (invoiceWeek), submitted and approved, and that time exported: a batch.

const (
	invoiceWeek = "2026-W20"
	invoiceFrom = "2026-05-11"
	invoiceTo   = "2026-05-17"
)

func seedInvoicing(c app.FixtureClient, p app.Params) error {
	base := "/api/v1/" + c.Slug()
	// Led by the walker's manager, so that the manager's calls on its sharing are the leader's.
	pid, err := app.Created(c, "POST", base+"/projects", map[string]any{"name": fmt.Sprintf("Invoiced project %d", c.N()), "client_company_id": c.ClientCompany(), "leader_id": c.User("manager")})
	if err != nil {
		return err
	}
	p["project-rates/:project_id"] = pid
	project := p.ID("project-rates/:project_id")
	if st, body := c.Do("PUT", base+"/project-rates/"+pid, map[string]any{"rate_cents": 9000}); st != http.StatusOK {
		return fmt.Errorf("rate: %d %s", st, body)
	}
	member := c.User("member")
	p["people/:user_id"] = strconv.FormatInt(member, 10) // the project's rate for the member
	if _, err := app.Created(c, "POST", base+"/time-entries", map[string]any{"user_id": member, "date": invoiceFrom, "minutes": 60, "project_id": project, "billable": true}); err != nil {
		return err
	}
	week := base + "/timesheets/" + strconv.FormatInt(member, 10) + "/" + invoiceWeek
	for _, step := range []string{Submit, Approve} {
		if st, body := c.Do("POST", week+"/"+step, map[string]any{"comment": "walker"}); st != http.StatusOK {
			return fmt.Errorf("%s: %d %s", step, st, body)
		}
	}
	p["client"] = strconv.FormatInt(c.ClientCompany(), 10)
	// Its time report shared with the client company, names shown (the portal's pages).
	p["projects/:project_id"], p["time/:project_id"], p["share/:project_id"] = pid, pid, pid
	if st, body := c.Do("PUT", base+"/projects/"+pid+"/time-share", map[string]any{"shared": true, "show_names": true}); st != http.StatusOK {
		return fmt.Errorf("share: %d %s", st, body)
	}
	p["invoice-batches/:id"], err = app.Created(c, "POST", base+"/invoice-lines/export", invoiceBody(p))
	p["batches/:id"] = p["invoice-batches/:id"] // the page's downloads and undo
	return err
}

func invoiceBody(p app.Params) map[string]any {
	return map[string]any{"client_id": p.ID("client"), "from": invoiceFrom, "to": invoiceTo}
}

// invoicingBody is the body of an invoicing route for the walkers.
func invoicingBody(method, path string, p app.Params, n int) (any, bool) {
	switch method + " " + path {
	case "PUT /api/v1/:slug/project-rates/:project_id":
		return map[string]any{"rate_cents": 9000 + n}, true
	case "PUT /api/v1/:slug/projects/:project_id/time-share":
		return map[string]any{"shared": true, "show_names": n%2 == 0}, true
	case "POST /:slug/timesheet/reports/share/:project_id":
		return map[string]any{"shared": "1", "show_names": "1"}, true
	case "PUT /api/v1/:slug/project-rates/:project_id/people/:user_id":
		return map[string]any{"rate_cents": 9500 + n}, true
	case "POST /api/v1/:slug/invoice-lines/export":
		return invoiceBody(p), true
	case "POST /api/v1/:slug/invoice-batches/:id/undo":
		return nil, true
	}
	return nil, false
}

// prepareInvoicing gives the draft routes their company and period, the export route time to
// export (it undoes every batch), and the undo route a batch not undone yet (one there is, or
// the time exported again).
func prepareInvoicing(c app.FixtureClient, method, path, filled string, p app.Params) (string, bool, error) {
	base := "/api/v1/" + c.Slug()
	switch method + " " + path {
	case "DELETE /api/v1/:slug/project-rates/:project_id/people/:user_id":
		// A rate to remove (an earlier call may have removed it).
		st, body := c.Do("PUT", filled, map[string]any{"rate_cents": 9500})
		if st != http.StatusOK {
			return filled, true, fmt.Errorf("person rate: %d %s", st, body)
		}
		return filled, true, nil
	case "GET /api/v1/:slug/invoice-lines", "GET /api/v1/:slug/invoice-lines.csv", "GET /api/v1/:slug/invoice-lines.xlsx", "GET /:slug/timesheet/invoicing/lines.csv":
		return filled + "?client=" + p["client"] + "&from=" + invoiceFrom + "&to=" + invoiceTo, true, nil
	case "POST /api/v1/:slug/invoice-lines/export":
		live, err := liveBatches(c)
		for _, id := range live {
			c.Do("POST", base+"/invoice-batches/"+id+"/undo", nil)
		}
		return filled, true, err
	case "POST /api/v1/:slug/invoice-batches/:id/undo", "POST /:slug/timesheet/invoicing/batches/:id/undo":
		live, err := liveBatches(c)
		if err != nil {
			return filled, true, err
		}
		id := ""
		if len(live) > 0 {
			id = live[0]
		} else if id, err = app.Created(c, "POST", base+"/invoice-lines/export", invoiceBody(p)); err != nil {
			return filled, true, err
		}
		return strings.Replace(filled, "/"+p["invoice-batches/:id"]+"/undo", "/"+id+"/undo", 1), true, nil
	}
	return filled, false, nil
}

// liveBatches are the ids of the batches not undone.
func liveBatches(c app.FixtureClient) ([]string, error) {
	st, body := c.Do("GET", "/api/v1/"+c.Slug()+"/invoice-batches?limit=200", nil)
	var l struct{ Items []InvoiceBatch }
	if st != http.StatusOK || json.Unmarshal(body, &l) != nil {
		return nil, fmt.Errorf("batches: %d %s", st, body)
	}
	var out []string
	for _, b := range l.Items {
		if b.UndoneAt == nil {
			out = append(out, strconv.FormatInt(b.ID, 10))
		}
	}
	return out, nil
}
