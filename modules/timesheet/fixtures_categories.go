package timesheet

import (
	"fmt"

	"groupcamp/core/app"
)

// seedCategories gives the walkers a project category: the entries they log on the fixture
// project name it, so the walk covers project time with a category; the categories page's
// forms change it.
func seedCategories(c app.FixtureClient, p app.Params) error {
	id, err := app.Created(c, "POST", "/api/v1/"+c.Slug()+"/time-categories", map[string]any{"name": fmt.Sprintf("Design %d", c.N()), "kind": KindProject})
	p["project-category"], p["categories/:id"] = id, id
	return err
}
