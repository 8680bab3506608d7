package timesheet

import (
	"fmt"
	"net/http"
	"strings"

	"groupcamp/core/app"
)

// seedBudget gives the walkers a budget line on the fixture project (led by the walker's
// manager, so that the manager's calls are the leader's).
func seedBudget(c app.FixtureClient, p app.Params) (string, error) {
	return app.Created(c, "POST", "/api/v1/"+c.Slug()+"/projects/"+p["project"]+"/budget-lines", map[string]any{"kind": BudgetTotal, "minutes": 6000, "amount_minor": 500000})
}

// budgetBody is a valid body of the budget line routes.
func budgetBody(method string, n int) any {
	switch method {
	case http.MethodPost:
		return map[string]any{"kind": BudgetTotal, "name": fmt.Sprintf("Phase %d", n), "minutes": 60 * (n + 1)}
	case http.MethodPatch:
		return map[string]any{"minutes": 60 * (n + 2)}
	}
	return nil
}

// prepareBudget points the budget routes at the fixture project (whose leader is the walker's
// manager) and gives DELETE a fresh line.
func prepareBudget(c app.FixtureClient, method, path string, p app.Params) (string, error) {
	base := "/api/v1/" + c.Slug() + "/projects/" + p["project"]
	filled := base + strings.TrimPrefix(path, "/api/v1/:slug/projects/:id")
	if method == http.MethodDelete {
		id, err := seedBudget(c, p)
		return base + "/budget-lines/" + id, err
	}
	return strings.Replace(filled, ":line_id", p["budget-lines/:line_id"], 1), nil
}
