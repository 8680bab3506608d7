package projects

import (
	"context"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/modules/projects/contract"
)

// The reads of the GroupCamp-compatible API's port (port_gcapi.go).

// gcapiMemberOf are the ids of the projects the person is a member of.
func (store) gcapiMemberOf(ctx context.Context, tn db.Tenant, userID int64) ([]int64, error) {
	ids := []int64{}
	err := tn.Select((*ProjectMember)(nil)).Column("project_id").Where("user_id = ?", userID).Scan(ctx, &ids)
	return ids, err
}

// gcapiMembers are the members of the projects of ids, by project then person.
func (store) gcapiMembers(ctx context.Context, tn db.Tenant, ids []int64) ([]ProjectMember, error) {
	out := []ProjectMember{}
	if len(ids) == 0 {
		return out, nil
	}
	return out, tn.Select(&out).Column("pm.project_id", "pm.user_id", "pm.role").
		Where("pm.project_id IN (?)", bun.List(ids)).OrderExpr("pm.project_id, pm.user_id").Scan(ctx)
}

// gcapiTasks are the tasks of q the scope sees (not trashed, in projects not trashed), by id.
func (store) gcapiTasks(ctx context.Context, tn db.Tenant, sc scope, q contract.TaskQuery) ([]Task, error) {
	out := []Task{}
	s := tn.Select(&out).Join("JOIN projects AS p ON p.account_id = t.account_id AND p.id = t.project_id").
		Where("t.id > ? AND t.trashed_at IS NULL AND p.state <> ?", q.After, StateTrash).OrderExpr("t.id").Limit(int64(q.Limit))
	if len(q.ProjectIDs) > 0 {
		s = s.Where("t.project_id IN (?)", bun.List(q.ProjectIDs))
	}
	if q.ListID != 0 {
		s = s.Where("t.list_id = ?", q.ListID)
	}
	if len(q.Assignees) > 0 {
		s = s.Where("EXISTS (SELECT 1 FROM task_assignees AS fa WHERE fa.account_id = t.account_id AND fa.task_id = t.id AND fa.user_id IN (?))", bun.List(q.Assignees))
	}
	switch q.State {
	case "open":
		s = s.Where("t.status <> ?", StatusDone)
	case "completed":
		s = s.Where("t.status = ?", StatusDone)
	}
	// Due dates inherit the milestone's when the task has none of its own.
	due := "COALESCE(t.due_on, (SELECT m.due_on FROM task_lists AS dl JOIN milestones AS m ON m.account_id = dl.account_id AND m.id = dl.milestone_id WHERE dl.account_id = t.account_id AND dl.id = t.list_id))"
	if q.DueFrom != "" {
		s = s.Where(due+" >= ?", q.DueFrom)
	}
	if q.DueTo != "" {
		s = s.Where(due+" <= ?", q.DueTo)
	}
	// Instants are compared with the day's bounds (UTC), as text on SQLite.
	if q.DoneFrom != "" {
		s = s.Where("t.status = ? AND t.completed_at >= ?", StatusDone, dayStart(q.DoneFrom))
	}
	if q.DoneTo != "" {
		s = s.Where("t.status = ? AND t.completed_at < ?", StatusDone, dayAfter(q.DoneTo))
	}
	if q.CreatedFrom != "" {
		s = s.Where("t.created_at >= ?", dayStart(q.CreatedFrom))
	}
	if q.CreatedTo != "" {
		s = s.Where("t.created_at < ?", dayAfter(q.CreatedTo))
	}
	if q.ModifiedFrom != "" {
		s = s.Where("t.updated_at >= ?", dayStart(q.ModifiedFrom))
	}
	if q.ModifiedTo != "" {
		s = s.Where("t.updated_at < ?", dayAfter(q.ModifiedTo))
	}
	return out, sc.joinTaskLists(sc.whereProject(s)).Scan(ctx)
}

// gcapiLists are the lists of ids in projects the scope sees (not trashed).
func (store) gcapiLists(ctx context.Context, tn db.Tenant, sc scope, ids []int64) ([]TaskList, error) {
	out := []TaskList{}
	if len(ids) == 0 {
		return out, nil
	}
	q := tn.Select(&out).Join("JOIN projects AS p ON p.account_id = l.account_id AND p.id = l.project_id").
		Where("l.id IN (?)", bun.List(ids))
	return out, sc.whereList(sc.whereProject(q), "l").Scan(ctx)
}

// gcapiMilestones are the milestones of ids in projects the scope sees.
func (store) gcapiMilestones(ctx context.Context, tn db.Tenant, sc scope, ids []int64) ([]Milestone, error) {
	out := []Milestone{}
	if len(ids) == 0 {
		return out, nil
	}
	q := tn.Select(&out).Join("JOIN projects AS p ON p.account_id = m.account_id AND p.id = m.project_id").
		Where("m.id IN (?)", bun.List(ids))
	return out, sc.whereProject(q).Scan(ctx)
}

// gcapiNames are the names of the account's projects of ids.
func (store) gcapiNames(ctx context.Context, tn db.Tenant, ids []int64) ([]Project, error) {
	out := []Project{}
	if len(ids) == 0 {
		return out, nil
	}
	return out, tn.Select(&out).Column("p.id", "p.name", "p.state").Where("p.id IN (?)", bun.List(ids)).Scan(ctx)
}
