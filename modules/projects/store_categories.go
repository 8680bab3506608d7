package projects

import (
	"context"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/search"
)

// categories reads the account's project categories in their order; counted fills how many
// projects each has (one grouped subquery).
func (store) categories(ctx context.Context, tn db.Tenant, counted bool) ([]ProjectCategory, error) {
	out := []ProjectCategory{}
	q := tn.Select(&out).OrderExpr("pc.position, lower(pc.name), pc.id")
	if counted {
		q = q.ColumnExpr("pc.*").ColumnExpr("(SELECT COUNT(*) FROM projects AS cp WHERE cp.account_id = pc.account_id AND cp.category_id = pc.id) AS projects")
	}
	return out, q.Scan(ctx)
}

// category is one category of the account with its count of projects, or 404; lock locks
// its row in a change's transaction (PostgreSQL).
func (store) category(ctx context.Context, tn db.Tenant, id int64, lock bool) (*ProjectCategory, error) {
	c := new(ProjectCategory)
	q := tn.Select(c).ColumnExpr("pc.*").Where("pc.id = ?", id)
	if lock {
		q = tn.ForUpdate(q)
	} else {
		q = q.ColumnExpr("(SELECT COUNT(*) FROM projects AS cp WHERE cp.account_id = pc.account_id AND cp.category_id = pc.id) AS projects")
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return c, nil
}

func (store) insertCategory(ctx context.Context, tn db.Tenant, c *ProjectCategory) error {
	_, err := tn.Insert(c).Exec(ctx)
	return err
}

// saveCategory writes what differs between old and c (and updated_at).
func (store) saveCategory(ctx context.Context, tn db.Tenant, old, c *ProjectCategory) error {
	cols := changed(tn, old, c, "name", "color", "position")
	_, err := tn.Update(c).Column(append(cols, "updated_at")...).WherePK().Exec(ctx)
	return err
}

func (store) deleteCategory(ctx context.Context, tn db.Tenant, c *ProjectCategory) error {
	_, err := tn.Delete(c).WherePK().Exec(ctx)
	return err
}

// categoryProjects are the ids of the projects of a category.
func (store) categoryProjects(ctx context.Context, tn db.Tenant, id int64) ([]int64, error) {
	var ids []int64
	return ids, tn.SelectFrom("projects", "p").Column("p.id").Where("p.category_id = ?", id).Scan(ctx, &ids)
}

// nameCategoryProjects writes a category's new name on its projects, and tells the search
// index (a project's category is part of what finds it).
func (s store) nameCategoryProjects(ctx context.Context, tn db.Tenant, id int64, name string) error {
	ids, err := s.categoryProjects(ctx, tn, id)
	if err != nil || len(ids) == 0 {
		return err
	}
	if _, err := tn.Update((*Project)(nil)).Set("category = ?", name).Where("category_id = ?", id).Exec(ctx); err != nil {
		return err
	}
	return touchProjects(ctx, tn, ids)
}

// moveCategoryProjects moves the projects of category id to the category to (nil: none)
// and returns how many there were.
func (s store) moveCategoryProjects(ctx context.Context, tn db.Tenant, id int64, to *ProjectCategory) (int, error) {
	ids, err := s.categoryProjects(ctx, tn, id)
	if err != nil || len(ids) == 0 {
		return 0, err
	}
	q := tn.Update((*Project)(nil)).Set("category_id = NULL").Set("category = ''")
	if to != nil {
		q = tn.Update((*Project)(nil)).Set("category_id = ?", to.ID).Set("category = ?", to.Name)
	}
	if _, err := q.Where("category_id = ?", id).Exec(ctx); err != nil {
		return 0, err
	}
	return len(ids), touchProjects(ctx, tn, ids)
}

func touchProjects(ctx context.Context, tn db.Tenant, ids []int64) error {
	refs := make([]hooks.Ref, len(ids))
	for i, id := range ids {
		refs[i] = hooks.Ref{Kind: KindProject, ID: id}
	}
	return search.Touch(ctx, tn.Unscoped(), tn.AccountID, refs...)
}
