package projects

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
)

// The reads of a whole project that copying it as a template (service_templates.go) and
// exporting it (export.go) take — each kind of row in one query, not one per task — and the
// inserts of the copies, through the account's Tenant (see store.go).

// The reads of a whole project's tasks leave the trash out: a copy or an export holds the
// tasks in use, and what belongs to them.

// liveTaskIDs is the subquery of the ids of a project's tasks in use.
func liveTaskIDs(tn db.Tenant, projectID int64) *bun.SelectQuery {
	return tn.SelectFrom("tasks", "t").Column("t.id").Where("t.project_id = ? AND t.trashed_at IS NULL", projectID)
}

// liveLink keeps the links (AS d) between two tasks in use.
const liveLink = "NOT EXISTS (SELECT 1 FROM tasks AS x WHERE x.account_id = d.account_id AND x.id IN (d.successor_id, d.predecessor_id) AND x.trashed_at IS NOT NULL)"

// taskCount counts the tasks in use of a project.
func (store) taskCount(ctx context.Context, tn db.Tenant, projectID int64) (int, error) {
	n, err := tn.Select((*Task)(nil)).Where("t.project_id = ? AND t.trashed_at IS NULL", projectID).Count(ctx)
	return int(n), err
}

// projectMilestones are the milestones of a project, by id.
func (store) projectMilestones(ctx context.Context, tn db.Tenant, projectID int64) ([]Milestone, error) {
	var out []Milestone
	return out, tn.Select(&out).Where("m.project_id = ?", projectID).OrderExpr("m.id").Scan(ctx)
}

// projectLists are the lists of a project, by id.
func (store) projectLists(ctx context.Context, tn db.Tenant, projectID int64) ([]TaskList, error) {
	var out []TaskList
	return out, tn.Select(&out).Where("l.project_id = ? AND l.trashed_at IS NULL", projectID).OrderExpr("l.id").Scan(ctx)
}

// projectShares are the companies the lists of a project are shared with.
func (store) projectShares(ctx context.Context, tn db.Tenant, projectID int64) ([]listCompany, error) {
	var out []listCompany
	return out, tn.Select(&out).Where("list_id IN (?)", tn.SelectFrom("task_lists", "l").Column("l.id").Where("l.project_id = ? AND l.trashed_at IS NULL", projectID)).
		OrderExpr("list_id, company_id").Scan(ctx)
}

// colleague is a person of the account and their role.
type colleague struct {
	UserID int64  `bun:"user_id"`
	Role   string `bun:"role"`
}

// activeColleagues are the people of the account who are neither clients nor deactivated.
func (store) activeColleagues(ctx context.Context, tn db.Tenant) ([]colleague, error) {
	var out []colleague
	return out, tn.SelectFrom("memberships", "m").ColumnExpr("m.user_id, m.role").
		Where("m.deactivated_at IS NULL AND m.role <> ?", actor.RoleClient).Scan(ctx, &out)
}

// activeMembers are the members of a project who are not deactivated, with their project
// roles, by person.
func (store) activeMembers(ctx context.Context, tn db.Tenant, projectID int64) ([]ProjectMember, error) {
	var out []ProjectMember
	return out, tn.Select(&out).Column("user_id", "role").
		Join("JOIN memberships AS m ON m.account_id = pm.account_id AND m.user_id = pm.user_id").
		Where("pm.project_id = ? AND m.deactivated_at IS NULL", projectID).OrderExpr("pm.user_id").Scan(ctx)
}

// projectTasksAll are the tasks of a project, by id.
func (store) projectTasksAll(ctx context.Context, tn db.Tenant, projectID int64) ([]Task, error) {
	var out []Task
	return out, tn.Select(&out).Where("t.project_id = ? AND t.trashed_at IS NULL", projectID).OrderExpr("t.id").Scan(ctx)
}

// projectAssignees are the assignees of the tasks of a project, by task and person.
func (store) projectAssignees(ctx context.Context, tn db.Tenant, projectID int64) ([]Assignee, error) {
	var out []Assignee
	return out, tn.Select(&out).Where("ta.task_id IN (?)", liveTaskIDs(tn, projectID)).
		OrderExpr("ta.task_id, ta.user_id").Scan(ctx)
}

// projectDependencies are the links of a project, by successor and predecessor.
func (store) projectDependencies(ctx context.Context, tn db.Tenant, projectID int64) ([]Dependency, error) {
	var out []Dependency
	return out, tn.Select(&out).Where("d.project_id = ?", projectID).Where(liveLink).OrderExpr("d.successor_id, d.predecessor_id").Scan(ctx)
}

// projectStatuses are the custom statuses of a project, by id.
func (store) projectStatuses(ctx context.Context, tn db.Tenant, projectID int64) ([]TaskStatus, error) {
	var out []TaskStatus
	return out, tn.Select(&out).Where("ts.project_id = ?", projectID).OrderExpr("ts.id").Scan(ctx)
}

// projectLabels are the labels of a project, by id.
func (store) projectLabels(ctx context.Context, tn db.Tenant, projectID int64) ([]Label, error) {
	var out []Label
	return out, tn.Select(&out).Where("lb.project_id = ?", projectID).OrderExpr("lb.id").Scan(ctx)
}

// pendingRecurrences are the rules of a project's tasks still waiting to spawn, by task.
func (store) pendingRecurrences(ctx context.Context, tn db.Tenant, projectID int64) ([]recurrence, error) {
	var out []recurrence
	return out, tn.Select(&out).
		Where("r.spawned_at IS NULL AND r.task_id IN (?)", liveTaskIDs(tn, projectID)).
		OrderExpr("r.task_id").Scan(ctx)
}

// projectTaskLabels are the labels the tasks of a project carry, by task and label.
func (store) projectTaskLabels(ctx context.Context, tn db.Tenant, projectID int64) ([]taskLabel, error) {
	var out []taskLabel
	return out, tn.Select(&out).Where("tl.project_id = ? AND tl.task_id IN (?)", projectID, liveTaskIDs(tn, projectID)).OrderExpr("tl.task_id, tl.label_id").Scan(ctx)
}

// projectChecklists are the checklist items of a project's tasks, by task and place.
func (store) projectChecklists(ctx context.Context, tn db.Tenant, projectID int64) ([]ChecklistItem, error) {
	var out []ChecklistItem
	return out, tn.Select(&out).Where("ci.project_id = ? AND ci.task_id IN (?)", projectID, liveTaskIDs(tn, projectID)).OrderExpr("ci.task_id, ci.position, ci.id").Scan(ctx)
}

// projectComments are the comments of a project's tasks with their authors, by task and id.
func (store) projectComments(ctx context.Context, tn db.Tenant, projectID int64) ([]Comment, error) {
	var out []Comment
	return out, withAuthors(tn.Select(&out)).Where("c.project_id = ? AND c.task_id IN (?)", projectID, liveTaskIDs(tn, projectID)).OrderExpr("c.task_id, c.id").Scan(ctx)
}

// insertCopies writes the rows of a copy (a slice of one of the module's models), a chunk at
// a time; bun sets their ids, in order.
func (store) insertCopies(ctx context.Context, tn db.Tenant, rows any) error {
	switch r := rows.(type) {
	case []Milestone:
		return insertChunks(ctx, tn, r)
	case []TaskList:
		return insertChunks(ctx, tn, r)
	case []listCompany:
		return insertChunks(ctx, tn, r)
	case []Task:
		return insertChunks(ctx, tn, r)
	case []Assignee:
		return insertChunks(ctx, tn, r)
	case []Dependency:
		return insertChunks(ctx, tn, r)
	case []TaskStatus:
		return insertChunks(ctx, tn, r)
	case []Label:
		return insertChunks(ctx, tn, r)
	case []recurrence:
		return insertChunks(ctx, tn, r)
	case []taskLabel:
		return insertChunks(ctx, tn, r)
	case []ChecklistItem:
		return insertChunks(ctx, tn, r)
	}
	panic(fmt.Sprintf("projects: no copies of %T", rows))
}
