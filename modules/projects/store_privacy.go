package projects

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/personal"
)

// The queries of the module's personal-data provider (privacy.go): what the module holds about
// one person of the account, for the access report, the export and the erasure.

// erasureTenant is the Tenant an erasure runs in (the privacy module's transaction).
func erasureTenant(idb bun.IDB, accountID int64) db.Tenant { return db.For(idb, accountID) }

// personCounts are how many rows of each category the module holds about a person.
type personCounts struct {
	Projects, Tasks, Comments, Activity int64
	Categories                          int64 // the project categories they added
}

// personCounts counts the person's projects (led, assisted, created, member of, starred),
// tasks (assigned, created), comments and lines of activity.
func (store) personCounts(ctx context.Context, tn db.Tenant, userID int64) (personCounts, error) {
	var c personCounts
	counts := []struct {
		into *int64
		q    *bun.SelectQuery
	}{
		{&c.Projects, tn.Select((*Project)(nil)).Where("p.leader_id = ? OR p.assistant_leader_id = ? OR p.created_by = ?", userID, userID, userID)},
		{&c.Projects, tn.Select((*ProjectMember)(nil)).Where("pm.user_id = ?", userID)},
		{&c.Projects, tn.Select((*star)(nil)).Where("user_id = ?", userID)},
		{&c.Tasks, tn.Select((*Assignee)(nil)).Where("ta.user_id = ?", userID)},
		{&c.Tasks, tn.Select((*Task)(nil)).Where("t.created_by = ?", userID)},
		{&c.Comments, tn.Select((*Comment)(nil)).Where("c.author_id = ?", userID)},
		{&c.Activity, tn.Select((*Activity)(nil)).Where("act.actor_id = ?", userID)},
		{&c.Categories, tn.Select((*ProjectCategory)(nil)).Where("pc.created_by = ?", userID)},
	}
	for _, x := range counts {
		n, err := x.q.Count(ctx)
		if err != nil {
			return c, err
		}
		*x.into += int64(n)
	}
	return c, nil
}

// PersonProject is a project the person has a part in, as exported.
type PersonProject struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	Leader    bool       `json:"leader"`
	Assistant bool       `json:"assistant_leader"`
	Creator   bool       `json:"created_by_you"`
	Role      string     `json:"member_role,omitempty"`
	Starred   bool       `json:"starred"`
	JoinedAt  *time.Time `json:"joined_at,omitempty"`
}

// PersonAssignment is the person's part of a task, as exported.
type PersonAssignment struct {
	TaskID          int64      `json:"task_id"`
	Task            string     `json:"task"`
	Project         string     `json:"project"`
	EstimateMinutes int64      `json:"estimate_minutes"`
	Progress        int64      `json:"progress"`
	CompletedAt     *time.Time `json:"completed_at,omitempty"`
}

// PersonComment is a comment the person wrote, as exported.
type PersonComment struct {
	TaskID    int64      `json:"task_id"`
	Task      string     `json:"task"`
	Body      string     `json:"body"`
	CreatedAt time.Time  `json:"created_at"`
	EditedAt  *time.Time `json:"edited_at,omitempty"`
}

// PersonActivity is a line of activity of the person, as exported.
type PersonActivity struct {
	Project     string    `json:"project"`
	Verb        string    `json:"verb"`
	TargetType  string    `json:"target_type"`
	TargetTitle string    `json:"target_title"`
	CreatedAt   time.Time `json:"created_at"`
}

// PersonCategory is a project category the person added, as exported.
type PersonCategory struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// personExport is everything the module holds about the person.
type personExport struct {
	Projects    []PersonProject
	Assignments []PersonAssignment
	Comments    []PersonComment
	Activity    []PersonActivity
	Categories  []PersonCategory
}

// personData reads what the module holds about the person, for their export.
func (store) personData(ctx context.Context, tn db.Tenant, userID int64) (*personExport, error) {
	x := &personExport{Projects: []PersonProject{}, Assignments: []PersonAssignment{}, Comments: []PersonComment{}, Activity: []PersonActivity{}, Categories: []PersonCategory{}}
	err := tn.Select((*Project)(nil)).
		ColumnExpr("p.id, p.name").
		ColumnExpr("COALESCE(p.leader_id = ?, FALSE) AS leader", userID).
		ColumnExpr("COALESCE(p.assistant_leader_id = ?, FALSE) AS assistant", userID).
		ColumnExpr("COALESCE(p.created_by = ?, FALSE) AS creator", userID).
		ColumnExpr("COALESCE(pm.role, '') AS role, pm.created_at AS joined_at").
		ColumnExpr("EXISTS (SELECT 1 FROM project_stars AS s WHERE s.account_id = p.account_id AND s.project_id = p.id AND s.user_id = ?) AS starred", userID).
		Join("LEFT JOIN project_members AS pm ON pm.account_id = p.account_id AND pm.project_id = p.id AND pm.user_id = ?", userID).
		Where("p.leader_id = ? OR p.assistant_leader_id = ? OR p.created_by = ? OR pm.user_id IS NOT NULL OR EXISTS (SELECT 1 FROM project_stars AS s WHERE s.account_id = p.account_id AND s.project_id = p.id AND s.user_id = ?)",
			userID, userID, userID, userID).
		OrderExpr("p.id").Scan(ctx, &x.Projects)
	if err != nil {
		return nil, err
	}
	if err := tn.Select((*Assignee)(nil)).Join("JOIN tasks AS t ON t.account_id = ta.account_id AND t.id = ta.task_id").
		Join("JOIN projects AS p ON p.account_id = t.account_id AND p.id = t.project_id").
		ColumnExpr("t.id AS task_id, t.title AS task, p.name AS project, ta.estimate_minutes, ta.progress, ta.completed_at").
		Where("ta.user_id = ?", userID).OrderExpr("t.id").Scan(ctx, &x.Assignments); err != nil {
		return nil, err
	}
	if err := tn.Select((*Comment)(nil)).Join("JOIN tasks AS t ON t.account_id = c.account_id AND t.id = c.task_id").
		ColumnExpr("c.task_id, t.title AS task, c.body, c.created_at, c.edited_at").
		Where("c.author_id = ?", userID).OrderExpr("c.id").Scan(ctx, &x.Comments); err != nil {
		return nil, err
	}
	if err := tn.Select((*Activity)(nil)).Join("JOIN projects AS p ON p.account_id = act.account_id AND p.id = act.project_id").
		ColumnExpr("p.name AS project, act.verb, act.target_type, act.target_title, act.created_at").
		Where("act.actor_id = ?", userID).OrderExpr("act.id").Scan(ctx, &x.Activity); err != nil {
		return nil, err
	}
	if err := tn.Select((*ProjectCategory)(nil)).ColumnExpr("pc.id, pc.name, pc.created_at").
		Where("pc.created_by = ?", userID).OrderExpr("pc.id").Scan(ctx, &x.Categories); err != nil {
		return nil, err
	}
	return x, nil
}

// textColumns are the module's free-text columns, where a person's name or email may be
// quoted (a task titled after them, an @mention, the activity's copy of a member's name).
var textColumns = []struct {
	table string
	cols  []string
}{
	{"projects", []string{"name", "category", "tags"}},
	{"project_categories", []string{"name"}}, // as projects.category, its copy
	{"milestones", []string{"name"}},
	{"task_lists", []string{"name"}},
	{"tasks", []string{"title", "description"}},
	{"comments", []string{"body"}},
	{"activity", []string{"target_title"}},
	{"task_statuses", []string{"name"}},
	{"labels", []string{"name"}},
	{"task_checklist_items", []string{"text"}},
}

// erasePerson erases the person from the account's projects, in the erasure's transaction:
// their memberships, stars and assignments are deleted; the projects they lead, assist or
// created, the tasks they created, their comments (body removed unless keepText) and their
// activity are detached from them; the lines of activity about them (added to or removed from
// a project) are deleted, and their id leaves the mentions of other comments; their name and
// email leave every text of the module.
func (store) erasePerson(ctx context.Context, tn db.Tenant, userID int64, keepText bool, n personal.Needles) error {
	for _, col := range []string{"leader_id", "assistant_leader_id", "created_by"} {
		if _, err := tn.Update((*Project)(nil)).Set("? = NULL", bun.Ident(col)).Where("? = ?", bun.Ident("p."+col), userID).Exec(ctx); err != nil {
			return err
		}
	}
	if _, err := tn.Update((*Task)(nil)).Set("created_by = NULL").Where("t.created_by = ?", userID).Exec(ctx); err != nil {
		return err
	}
	if _, err := tn.Update((*ProjectCategory)(nil)).Set("created_by = NULL").Where("pc.created_by = ?", userID).Exec(ctx); err != nil {
		return err
	}
	deletes := []*bun.DeleteQuery{
		tn.Delete((*ProjectMember)(nil)).Where("pm.user_id = ?", userID),
		tn.Delete((*star)(nil)).Where("user_id = ?", userID),
		tn.Delete((*Assignee)(nil)).Where("ta.user_id = ?", userID),
		tn.Delete((*taskFollower)(nil)).Where("tf.user_id = ?", userID),
		tn.Delete((*Activity)(nil)).Where("act.target_type = 'user' AND act.target_id = ?", userID),
	}
	for _, q := range deletes {
		if _, err := q.Exec(ctx); err != nil {
			return err
		}
	}
	mine := tn.Update((*Comment)(nil)).Set("author_id = NULL")
	if !keepText {
		mine = mine.Set("body = ''").Set("mentions = '[]'")
	}
	if _, err := mine.Where("c.author_id = ?", userID).Exec(ctx); err != nil {
		return err
	}
	if _, err := tn.Update((*Activity)(nil)).Set("actor_id = NULL").Where("act.actor_id = ?", userID).Exec(ctx); err != nil {
		return err
	}
	// Their id in the mentions of the comments that remain.
	var mentioning []Comment
	if err := tn.Select(&mentioning).Column("id", "mentions").Where("c.mentions LIKE ?", "%"+strconv.FormatInt(userID, 10)+"%").Scan(ctx); err != nil {
		return err
	}
	for _, c := range mentioning {
		if i := slices.Index(c.Mentions, userID); i >= 0 {
			ids := slices.Delete(c.Mentions, i, i+1)
			if _, err := tn.Update((*Comment)(nil)).Set("mentions = ?", mentionList(ids)).Where("c.id = ?", c.ID).Exec(ctx); err != nil {
				return err
			}
		}
	}
	for _, t := range textColumns {
		if _, err := personal.ScrubTenant(ctx, tn, t.table, n, t.cols...); err != nil {
			return err
		}
	}
	return nil
}

// mentionList is the stored form of a comment's mentions.
func mentionList(ids []int64) string {
	b := []byte{'['}
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	return string(append(b, ']'))
}
