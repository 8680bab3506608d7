package timesheet

import (
	"context"
	"errors"
	"fmt"

	"groupcamp/core/actor"
	"groupcamp/core/load"
)

// seedBudgets gives every seeded project a budget (as the account's owner): a total of 200
// hours and 20,000.00, a line of 80 hours over the seeded weeks and one of 40 hours of meetings.
func seedBudgets(ctx context.Context, env *load.Env, ids []int64) error {
	owner, err := env.First(actor.RoleOwner)
	if err != nil {
		return err
	}
	api := env.API(owner)
	meetings, _ := env.Get(loadCategoryKey).(int64)
	first, _ := ParseWeek(loadWeeks[0])
	last, _ := ParseWeek(loadWeeks[len(loadWeeks)-1])
	for _, id := range ids {
		path := fmt.Sprintf("/api/v1/%s/projects/%d/budget-lines", env.Slug, id)
		for _, in := range []BudgetLineInput{
			{Kind: BudgetTotal, Minutes: new(200 * 60), AmountMinor: new(int64(2_000_000))},
			{Kind: BudgetTotal, Name: "Seeded weeks", Minutes: new(80 * 60), StartsOn: first.Days()[0], EndsOn: last.Days()[6]},
			{Kind: BudgetCategory, CategoryID: meetings, Minutes: new(40 * 60)},
		} {
			if err := api.Post(ctx, path, in, nil); err != nil {
				return fmt.Errorf("timesheet: seed a budget: %w", err)
			}
		}
	}
	return nil
}

// budgetScenario reads the budget of a seeded project (the sums of its seeded time) as an
// administrator, who sees the amounts: the heaviest read of budgets.
var budgetScenario = load.Scenario{Name: "timesheet.budget", Endpoint: "GET /api/v1/{slug}/projects/{id}/budget", Weight: 1, Role: actor.RoleAdmin,
	Run: func(ctx context.Context, w *load.Worker) error {
		ids, _ := w.Env.Get("projects.ids").([]int64)
		if len(ids) == 0 {
			return errors.New("no seeded project")
		}
		r, err := w.Get(ctx, fmt.Sprintf("/api/v1/%s/projects/%d/budget", w.Env.Slug, ids[w.Rand.IntN(len(ids))]))
		if err != nil {
			return err
		}
		var b Budget
		if err := r.JSON(&b); err != nil {
			return err
		}
		if len(b.Lines) == 0 {
			return errors.New("a seeded project without its budget")
		}
		return nil
	}}
