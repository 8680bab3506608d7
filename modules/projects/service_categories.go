package projects

// Project categories: a list the account's administrators keep (GroupCamp's group
// categories), from which a project takes one. A name is unique in the account whatever its
// case; a category may have a colour and has a position (the list's order).
//
// A project keeps the category's id (category_id) and a copy of its name (category), which
// a rename or a deletion rewrites in the same transaction: every reader of a project's
// category name — its JSON, search, exports, templates — reads one column as before.
//
// Deleting a category in use does not refuse: its projects move to another category when
// the administrator names one (move_to), else they are left without a category. Making the
// administrator visit each project first would turn cleaning up the list (merging the
// near-duplicates the free-text categories left) into a chore, and nothing is lost: the
// confirmation says how many projects it touches, and the audit trail keeps the name.

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	"groupcamp/core/validate"
)

// MaxCategories bounds an account's project categories: the list shows whole, in a select.
const MaxCategories = 200

// ProjectCategory is a category of the account's projects.
type ProjectCategory struct {
	bun.BaseModel `bun:"table:project_categories,alias:pc"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64     `bun:"account_id" json:"-"`
	Name      string    `bun:"name" json:"name"`
	Color     string    `bun:"color" json:"color" enum:",gray,red,orange,yellow,green,teal,blue,purple,pink"` // "" when none
	Position  int       `bun:"position" json:"position"`
	CreatedBy *int64    `bun:"created_by" json:"created_by"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt time.Time `bun:"updated_at" json:"updated_at"`

	// Projects counts the projects of the category, every state (the trash too).
	Projects int `bun:"projects,scanonly" json:"projects"`
}

// CategoryList is the answer of GET /api/v1/{slug}/project-categories: the whole list in
// its order (at most MaxCategories, no pages).
type CategoryList struct {
	Items []ProjectCategory `json:"items"`
}

// CategoryInput is the body of POST /api/v1/{slug}/project-categories.
type CategoryInput struct {
	Name     string `json:"name" openapi:"required" example:"Marketing"`
	Color    string `json:"color,omitempty" enum:",gray,red,orange,yellow,green,teal,blue,purple,pink" example:"teal"`
	Position *int   `json:"position,omitempty"` // default: after the last
}

// CategoryPatch is the body of PATCH /api/v1/{slug}/project-categories/{id}; absent fields
// stay. A rename shows on every project of the category at once.
type CategoryPatch struct {
	Name     *string `json:"name,omitempty" example:"Communication"`
	Color    *string `json:"color,omitempty" enum:",gray,red,orange,yellow,green,teal,blue,purple,pink"` // "" clears
	Position *int    `json:"position,omitempty"`
}

var errCategoryName = problem.Conflict("name", "another project category has this name")

// Categories lists the account's project categories in their order, with how many projects
// each has.
func (s *Service) Categories(ctx context.Context, a *actor.Actor) (CategoryList, error) {
	out, err := s.store.categories(ctx, s.tenantOf(a.AccountID()), true)
	return CategoryList{Items: out}, err
}

// Category is one project category of the account, or 404.
func (s *Service) Category(ctx context.Context, a *actor.Actor, id int64) (*ProjectCategory, error) {
	return s.store.category(ctx, s.tenantOf(a.AccountID()), id, false)
}

func checkPosition(f *problem.Fields, pos int) int {
	f.Check(pos >= 0 && pos <= 1_000_000, "position", "must be between 0 and 1000000")
	return pos
}

// checkCategoryColor is "" (none) or a colour of Colors.
func checkCategoryColor(f *problem.Fields, c string) string {
	c = strings.TrimSpace(c)
	if c != "" {
		oneOf(f, "color", c, Colors...)
	}
	return c
}

// CreateCategory adds a project category (administrators).
func (s *Service) CreateCategory(ctx context.Context, a *actor.Actor, in CategoryInput) (*ProjectCategory, error) {
	var f problem.Fields
	now := s.now()
	creator := a.UserID
	c := &ProjectCategory{AccountID: a.AccountID(), CreatedBy: &creator, CreatedAt: now, UpdatedAt: now}
	c.Name = checkName(&f, "name", in.Name, MaxCategory)
	c.Color = checkCategoryColor(&f, in.Color)
	if in.Position != nil {
		c.Position = checkPosition(&f, *in.Position)
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err := s.tenantOf(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		all, err := s.store.categories(ctx, tx, false)
		if err != nil {
			return err
		}
		if len(all) >= MaxCategories {
			return problem.Invalid(problem.Sayf("name", "an account has at most {max} project categories", "max", MaxCategories))
		}
		if nameTaken(all, c) {
			return errCategoryName
		}
		if in.Position == nil {
			c.Position = 1 // as the migrated categories are numbered
			for _, o := range all {
				c.Position = max(c.Position, o.Position+1)
			}
		}
		if err := s.store.insertCategory(ctx, tx, c); err != nil {
			return uniqueName(err)
		}
		return record(ctx, tx, a, "projects.category.created", "project_category:"+itoa(c.ID), map[string]any{"name": c.Name})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// nameTaken reports whether another category of all has c's name, ignoring case in every
// script (SQLite's lower() folds ASCII only, which the unique index relies on).
func nameTaken(all []ProjectCategory, c *ProjectCategory) bool {
	return slices.ContainsFunc(all, func(o ProjectCategory) bool { return o.ID != c.ID && strings.EqualFold(o.Name, c.Name) })
}

func uniqueName(err error) error {
	if db.IsUniqueViolation(err) {
		return errCategoryName
	}
	return err
}

// UpdateCategory renames, recolours or moves a category; a rename rewrites the name its
// projects show in the same transaction.
func (s *Service) UpdateCategory(ctx context.Context, a *actor.Actor, id int64, in CategoryPatch) (*ProjectCategory, error) {
	var out *ProjectCategory
	err := s.tenantOf(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		old, err := s.store.category(ctx, tx, id, true)
		if err != nil {
			return err
		}
		c := new(ProjectCategory)
		*c = *old
		var f problem.Fields
		if in.Name != nil {
			c.Name = checkName(&f, "name", *in.Name, MaxCategory)
		}
		if in.Color != nil {
			c.Color = checkCategoryColor(&f, *in.Color)
		}
		if in.Position != nil {
			c.Position = checkPosition(&f, *in.Position)
		}
		if err := f.Err(); err != nil {
			return err
		}
		out = c
		if *c == *old {
			return nil
		}
		all, err := s.store.categories(ctx, tx, false)
		if err != nil {
			return err
		}
		if nameTaken(all, c) {
			return errCategoryName
		}
		c.UpdatedAt = s.now()
		if err := s.store.saveCategory(ctx, tx, old, c); err != nil {
			return uniqueName(err)
		}
		if c.Name != old.Name {
			if err := s.store.nameCategoryProjects(ctx, tx, c.ID, c.Name); err != nil {
				return err
			}
		}
		return record(ctx, tx, a, "projects.category.changed", "project_category:"+itoa(c.ID), map[string]any{"name": c.Name, "was": old.Name})
	})
	if err != nil {
		return nil, err
	}
	return s.Category(ctx, a, out.ID)
}

// DeleteCategory deletes a category. Its projects move to the category moveTo (another of
// the account), or are left without one when moveTo is 0.
func (s *Service) DeleteCategory(ctx context.Context, a *actor.Actor, id, moveTo int64) error {
	return s.tenantOf(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		c, err := s.store.category(ctx, tx, id, true)
		if err != nil {
			return err
		}
		var to *ProjectCategory
		if moveTo != 0 {
			if moveTo == id {
				return problem.Invalid(problem.FieldError{Field: "move_to", Message: "must be another category than the one deleted"})
			}
			if to, err = s.store.category(ctx, tx, moveTo, false); problemStatus(err) == 404 {
				return problem.Invalid(problem.FieldError{Field: "move_to", Message: "no such project category in this account"})
			} else if err != nil {
				return err
			}
		}
		moved, err := s.store.moveCategoryProjects(ctx, tx, c.ID, to)
		if err != nil {
			return err
		}
		if err := s.store.deleteCategory(ctx, tx, c); err != nil {
			return err
		}
		details := map[string]any{"name": c.Name, "projects": moved}
		if to != nil {
			details["moved_to"] = to.Name
		}
		return record(ctx, tx, a, "projects.category.deleted", "project_category:"+itoa(c.ID), details)
	})
}

// problemStatus is the HTTP status of a problem error, 0 for any other error.
func problemStatus(err error) int {
	if p, ok := problem.As(err); ok {
		return p.Status
	}
	return 0
}

// projectCategory resolves the category a project is given: by id (field category_id), or
// by name ignoring case (field category, the free text it was before the list). It returns
// the id (nil: none) and the name the project keeps. exact asks for the name as it is
// spelled (GroupCamp's API: category names are case-sensitive there).
func (s *Service) projectCategory(ctx context.Context, tn db.Tenant, f *problem.Fields, id int64, name string, exact bool) (*int64, string, error) {
	name = strings.TrimSpace(name)
	switch {
	case id < 0:
		f.Add("category_id", "no such project category in this account")
		return nil, "", nil
	case id == 0 && name == "":
		return nil, "", nil
	case id != 0:
		c, err := s.store.category(ctx, tn, id, false)
		if problemStatus(err) == 404 {
			f.Add("category_id", "no such project category in this account")
			return nil, "", nil
		}
		if err != nil {
			return nil, "", err
		}
		if name != "" && !strings.EqualFold(name, c.Name) {
			f.Add("category", "names another category than category_id")
		}
		return &c.ID, c.Name, nil
	}
	if msg := validate.Name(name, MaxCategory); msg != "" {
		f.Add("category", msg)
		return nil, "", nil
	}
	all, err := s.store.categories(ctx, tn, false)
	if err != nil {
		return nil, "", err
	}
	for _, c := range all {
		if c.Name == name || (!exact && strings.EqualFold(c.Name, name)) {
			return &c.ID, c.Name, nil
		}
	}
	f.Addf("category", "no such project category in this account: {name} (administrators add categories)", "name", validate.Clean(name))
	return nil, "", nil
}
