package projects

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
)

// The queries of the search source (search.go): what of the account is searchable — the
// active projects that are not templates, their tasks and comments outside the trash — with
// what decides who finds it (the project's access and guests, the list's sharing).

type searchProject struct {
	ID            int64     `bun:"id"`
	Name          string    `bun:"name"`
	Code          string    `bun:"code"`
	Category      string    `bun:"category"`
	Access        string    `bun:"access"`
	GuestsAllowed bool      `bun:"guests_allowed"`
	UpdatedAt     time.Time `bun:"updated_at"`
}

type searchTask struct {
	ID            int64     `bun:"id"`
	ProjectID     int64     `bun:"project_id"`
	ListID        int64     `bun:"list_id"`
	Title         string    `bun:"title"`
	Description   string    `bun:"description"`
	UpdatedAt     time.Time `bun:"updated_at"`
	Visibility    string    `bun:"visibility"`
	Access        string    `bun:"access"`
	GuestsAllowed bool      `bun:"guests_allowed"`
}

type searchComment struct {
	searchTask
	CommentID int64      `bun:"comment_id"`
	AuthorID  *int64     `bun:"author_id"`
	Body      string     `bun:"body"`
	CreatedAt time.Time  `bun:"created_at"`
	EditedAt  *time.Time `bun:"edited_at"`
}

type searchShare struct {
	ListID    int64 `bun:"list_id"`
	CompanyID int64 `bun:"company_id"`
}

type searchMembership struct {
	ProjectID int64  `bun:"project_id"`
	Role      string `bun:"role"`
}

// searchable restricts q (over projects AS p) to what the index holds.
func searchable(q *bun.SelectQuery) *bun.SelectQuery {
	return q.Where("p.state = ? AND p.is_template = ?", StateActive, false)
}

// searchProjects lists the searchable projects (of ids, or all when ids is empty).
func (store) searchProjects(ctx context.Context, tn db.Tenant, ids []int64) ([]searchProject, error) {
	var out []searchProject
	q := searchable(tn.SelectFrom("projects", "p")).Column("p.id", "p.name", "p.code", "p.category", "p.access", "p.guests_allowed", "p.updated_at").OrderExpr("p.id")
	if len(ids) > 0 {
		q = q.Where("p.id IN (?)", bun.In(ids))
	}
	return out, q.Scan(ctx, &out)
}

// searchTaskQuery selects tasks AS t with their list and project, searchable ones only.
func searchTaskQuery(tn db.Tenant, projectIDs, taskIDs []int64) *bun.SelectQuery {
	q := searchable(tn.SelectFrom("tasks", "t").
		Join("JOIN task_lists AS l ON l.account_id = t.account_id AND l.id = t.list_id").
		Join("JOIN projects AS p ON p.account_id = t.account_id AND p.id = t.project_id")).
		Where("t.trashed_at IS NULL AND l.trashed_at IS NULL").
		ColumnExpr("t.id, t.project_id, t.list_id, t.title, t.description, t.updated_at, l.visibility, p.access, p.guests_allowed")
	if len(projectIDs) > 0 || len(taskIDs) > 0 {
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			if len(projectIDs) > 0 {
				q = q.WhereOr("t.project_id IN (?)", bun.In(projectIDs))
			}
			if len(taskIDs) > 0 {
				q = q.WhereOr("t.id IN (?)", bun.In(taskIDs))
			}
			return q
		})
	}
	return q
}

// searchTasks lists the searchable tasks of projectIDs and taskIDs (all when both are empty).
func (store) searchTasks(ctx context.Context, tn db.Tenant, projectIDs, taskIDs []int64) ([]searchTask, error) {
	var out []searchTask
	return out, searchTaskQuery(tn, projectIDs, taskIDs).OrderExpr("t.id").Scan(ctx, &out)
}

// searchComments lists the comments of the searchable tasks of projectIDs and taskIDs, and
// the comments of commentIDs (all when every list is empty).
func (store) searchComments(ctx context.Context, tn db.Tenant, projectIDs, taskIDs, commentIDs []int64) ([]searchComment, error) {
	var out []searchComment
	q := searchTaskQuery(tn, nil, nil).
		Join("JOIN comments AS c ON c.account_id = t.account_id AND c.task_id = t.id").
		ColumnExpr("c.id AS comment_id, c.author_id, c.body, c.created_at, c.edited_at").OrderExpr("c.id")
	if len(projectIDs) > 0 || len(taskIDs) > 0 || len(commentIDs) > 0 {
		q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
			if len(projectIDs) > 0 {
				q = q.WhereOr("t.project_id IN (?)", bun.In(projectIDs))
			}
			if len(taskIDs) > 0 {
				q = q.WhereOr("t.id IN (?)", bun.In(taskIDs))
			}
			if len(commentIDs) > 0 {
				q = q.WhereOr("c.id IN (?)", bun.In(commentIDs))
			}
			return q
		})
	}
	return out, q.Scan(ctx, &out)
}

// searchListCompanies lists the client companies the lists are shared with.
func (store) searchListCompanies(ctx context.Context, tn db.Tenant, listIDs []int64) ([]searchShare, error) {
	var out []searchShare
	if len(listIDs) == 0 {
		return out, nil
	}
	return out, tn.SelectFrom("task_list_companies", "lc").Column("lc.list_id", "lc.company_id").
		Where("lc.list_id IN (?)", bun.In(listIDs)).Scan(ctx, &out)
}

// searchMemberships lists the person's memberships of searchable projects; a client's only
// in projects that allow guests.
func (store) searchMemberships(ctx context.Context, tn db.Tenant, userID int64) ([]searchMembership, error) {
	var out []searchMembership
	return out, searchable(tn.SelectFrom("project_members", "pm").
		Join("JOIN projects AS p ON p.account_id = pm.account_id AND p.id = pm.project_id")).
		Column("pm.project_id", "pm.role").
		Where("pm.user_id = ? AND (pm.role <> ? OR p.guests_allowed = ?)", userID, RoleClient, true).
		Scan(ctx, &out)
}

// searchTenant is the account's tenant over idb: the index's refresh reads the documents in
// its own write transaction (hooks.SearchSource.Documents says why).
func searchTenant(idb bun.IDB, accountID int64) db.Tenant { return db.For(idb, accountID) }
