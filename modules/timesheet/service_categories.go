package timesheet

import (
	"context"
	"strings"

	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// Kinds of time category. An administrative category is time outside projects (holiday,
// training, internal): an entry on one names no project. A project category is a kind of
// work on projects (design, meetings, travel): an entry on a project may name one, so
// reports and budget lines split the project's time by it.
const (
	KindAdministrative = "administrative"
	KindProject        = "project"
)

// checkKind reads a category's kind ("" is administrative, as categories were before kinds).
func checkKind(f *problem.Fields, kind string) string {
	kind = strings.TrimSpace(kind)
	if kind == "" {
		return KindAdministrative
	}
	f.Check(kind == KindAdministrative || kind == KindProject, "kind", "must be administrative or project")
	return kind
}

// changeKind applies a kind change to c, refused (409) once time is logged on the category
// or a budget line counts it: its entries would break the rule of their kind (a project or
// none), its lines would count an administrative category.
func (s *Service) changeKind(ctx context.Context, tn db.Tenant, f *problem.Fields, c *Category, kind *string) error {
	if kind == nil {
		return nil
	}
	k := checkKind(f, *kind)
	if k == c.Kind || f.Err() != nil {
		return nil
	}
	used, err := s.store.categoryUsed(ctx, tn, c.ID)
	if err != nil {
		return err
	}
	if used {
		return problem.Conflict("kind", "time is logged on this category (or a budget line counts it): its kind cannot change")
	}
	c.Kind = k
	return nil
}

// checkCategory checks the category of an entry: of the account, not archived, and of the
// kind its project asks (a project category with a project, an administrative one without).
// def is the entry's default billable flag from the category (nil: the project's).
func (s *Service) checkCategory(ctx context.Context, tn db.Tenant, id int64, withProject bool, f *problem.Fields) (def *bool, err error) {
	c, err := s.store.category(ctx, tn, id)
	switch {
	case problemStatus(err) == 404:
		f.Add("category_id", "is not a time category of this account")
	case err != nil:
		return nil, err
	case c.ArchivedAt != nil:
		f.Add("category_id", "is archived: no time can be logged on it")
	case withProject && c.Kind != KindProject:
		f.Add("category_id", "is an administrative category: it takes no project (choose a project category, or no project)")
	case !withProject && c.Kind == KindProject:
		f.Add("category_id", "is a project category: give the project_id of the time too")
	case !withProject:
		return &c.Billable, nil
	}
	return nil, nil
}

// categoryKind is the kind of a category of the account, "" when there is none.
func (s *Service) categoryKind(ctx context.Context, tn db.Tenant, id *int64) (string, error) {
	if id == nil {
		return "", nil
	}
	c, err := s.store.category(ctx, tn, *id)
	if problemStatus(err) == 404 {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return c.Kind, nil
}

// entryLabel names what time is on: "Project › Task › Category", the parts it has, or the
// administrative category's name alone.
func entryLabel(project, task, category string) string {
	out := project
	for _, part := range []string{task, category} {
		if part != "" {
			if out != "" {
				out += " › "
			}
			out += part
		}
	}
	return out
}

// checkLineCategory checks the category of a budget line: a project category of the account.
func (s *Service) checkLineCategory(ctx context.Context, tn db.Tenant, f *problem.Fields, id *int64) error {
	if id == nil {
		f.Add("category_id", "give the project category of the line")
		return nil
	}
	c, err := s.store.category(ctx, tn, *id)
	switch {
	case problemStatus(err) == 404:
		f.Add("category_id", "is not a time category of this account")
	case err != nil:
		return err
	case c.Kind != KindProject:
		f.Add("category_id", "is an administrative category: a budget line counts a project category")
	}
	return nil
}

// nameLineCategories fills the names of the category lines' categories.
func (s *Service) nameLineCategories(ctx context.Context, tn db.Tenant, ls []BudgetLine) error {
	var ids []int64
	for _, l := range ls {
		if l.CategoryID != nil {
			ids = append(ids, *l.CategoryID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	names, err := s.store.categoryNames(ctx, tn, ids)
	if err != nil {
		return err
	}
	for i, l := range ls {
		if l.CategoryID != nil {
			ls[i].CategoryName = names[*l.CategoryID]
		}
	}
	return nil
}
