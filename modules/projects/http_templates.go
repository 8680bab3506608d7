package projects

import (
	"github.com/gofiber/fiber/v2"

	"groupcamp/core/api"
	"groupcamp/core/problem"
)

// projectSearch reads ?templates=&q=&client_company_id=&tag= of the projects list (the
// service validates the values).
func projectSearch(c *fiber.Ctx) (ProjectSearch, error) {
	var ps ProjectSearch
	var err error
	if ps.Templates, err = api.QueryText(c, "templates", 10); err != nil {
		return ps, err
	}
	if ps.Query, err = api.QueryText(c, "q", MaxQuery); err != nil {
		return ps, err
	}
	if ps.Tag, err = api.QueryText(c, "tag", MaxTag); err != nil {
		return ps, err
	}
	var f problem.Fields
	ps.ClientCompanyID = queryID(c, &f, "client_company_id", 0)
	return ps, f.Err()
}

// searchQuery documents projectSearch.
var searchQuery = []api.Param{
	{Name: "templates", Type: "string", Enum: []string{"false", "true", "any"}, Description: "false (default): projects that are no template; true: only templates; any: both"},
	{Name: "q", Type: "string", Description: "the name or the code contains this text"},
	{Name: "client_company_id", Type: "integer", Description: "for this client company"},
	{Name: "tag", Type: "string", Description: "has this tag"},
}
