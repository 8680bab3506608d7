package timesheet

import (
	"context"
	"fmt"

	"groupcamp/core/actor"
	"groupcamp/core/load"
)

// loadCategoryKey is where the load seed keeps the id of its project category.
const loadCategoryKey = "timesheet.category"

// seedLoadCategory adds (as the account's owner) the project category "Meetings", on which the
// seed logs the second slice of each day, so budgets and reports sum time per category too.
func seedLoadCategory(ctx context.Context, env *load.Env) (int64, error) {
	owner, err := env.First(actor.RoleOwner)
	if err != nil {
		return 0, err
	}
	var c Category
	if err := env.API(owner).Post(ctx, "/api/v1/"+env.Slug+"/time-categories", CategoryInput{Name: "Meetings", Kind: KindProject}, &c); err != nil {
		return 0, fmt.Errorf("timesheet: seed a category: %w", err)
	}
	env.Set(loadCategoryKey, c.ID)
	return c.ID, nil
}
