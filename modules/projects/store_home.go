package projects

import (
	"context"
	"time"

	"groupcamp/core/db"
)

// The queries of the home's "My work" and "what changed" (home.go), through the tenant.

// UpcomingMilestone is a milestone due soon, with its project's name.
type UpcomingMilestone struct {
	Milestone   `bun:",extend"`
	ProjectName string `bun:"project_name,scanonly" json:"project_name"`
}

// upcomingMilestones are the open milestones due from..to in the active projects the scope
// sees (for a client, only those their shared lists belong to), soonest first.
func (store) upcomingMilestones(ctx context.Context, t db.Tenant, sc scope, from, to Date, limit int) ([]UpcomingMilestone, error) {
	var out []UpcomingMilestone
	q := t.Select(&out).ColumnExpr("m.*, p.name AS project_name").
		Join("JOIN projects AS p ON p.account_id = m.account_id AND p.id = m.project_id").
		Where("m.completed_at IS NULL AND m.due_on >= ? AND m.due_on <= ? AND p.state = ? AND p.is_template = ?", from, to, StateActive, false).
		OrderExpr("m.due_on, m.id").Limit(int64(limit))
	q = sc.whereProject(q)
	if sc.Client {
		sub := sc.whereList(t.SelectFrom("task_lists", "l").ColumnExpr("1").Where("l.milestone_id = m.id"), "l")
		q = q.Where("EXISTS (?)", sub)
	}
	return out, q.Scan(ctx)
}

// RecentActivity is a line of a project's feed with the names a reader needs.
type RecentActivity struct {
	Activity    `bun:",extend"`
	ProjectName string `bun:"project_name,scanonly"`
}

// recentActivity are the feed lines after since, by others than the scope's person, of the
// active projects the scope sees (a client: the lines about the lists shared with them),
// newest first.
func (store) recentActivity(ctx context.Context, t db.Tenant, sc scope, since time.Time, limit int) ([]RecentActivity, error) {
	var out []RecentActivity
	q := t.Select(&out).ColumnExpr("act.*, COALESCE(u.name, '') AS actor_name, p.name AS project_name").
		Join("JOIN projects AS p ON p.account_id = act.account_id AND p.id = act.project_id").
		Join("LEFT JOIN users AS u ON u.id = act.actor_id").
		Where("act.created_at > ? AND (act.actor_id IS NULL OR act.actor_id <> ?) AND p.state = ? AND p.is_template = ?", since, sc.UserID, StateActive, false).
		OrderExpr("act.id DESC").Limit(int64(limit))
	q = sc.whereProject(q)
	if sc.Client {
		sub := sc.whereList(t.SelectFrom("task_lists", "l").ColumnExpr("1").Where("l.id = act.list_id"), "l")
		q = q.Where("EXISTS (?)", sub)
	}
	return out, q.Scan(ctx)
}
