package projects

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
)

// scope is what an actor may see of the account's projects — the second layer of DESIGN §5,
// applied by every query of this file on top of the account:
//
//   - owners, admins (and platform support, which reads under the owner's data grant) see
//     every project of the account;
//   - managers and members see the open projects and the invite-only projects they are
//     members of;
//   - a client sees only the projects that allow guests and list them as a client member, and
//     inside those only the task lists shared with their company, and what those lists hold.
//
// Trashed projects are seen only by those who may restore them (projects:manage), and only
// the project itself: nothing inside a trashed project can be read or changed.
type scope struct {
	AccountID int64
	UserID    int64
	CompanyID int64
	All       bool
	Client    bool
	Manage    bool
}

func scopeOf(a *actor.Actor) scope {
	sc := scope{AccountID: a.AccountID(), UserID: a.UserID, CompanyID: a.CompanyID, Manage: a.May("projects", "manage")}
	switch a.Role {
	case actor.RoleOwner, actor.RoleAdmin, actor.PlatformSupport:
		sc.All = true
	case actor.RoleManager, actor.RoleMember:
	default:
		// Any other role gets the narrowest view.
		sc.Client = true
	}
	return sc
}

// whereProject restricts q (over projects AS p) to the projects the scope sees, whatever
// their state.
func (sc scope) whereProject(q *bun.SelectQuery) *bun.SelectQuery {
	q = q.Where("p.account_id = ?", sc.AccountID)
	switch {
	case sc.All:
	case sc.Client:
		q = q.Where("p.guests_allowed = ? AND EXISTS (SELECT 1 FROM project_members AS pm WHERE pm.account_id = p.account_id AND pm.project_id = p.id AND pm.user_id = ? AND pm.role = ?)",
			true, sc.UserID, RoleClient)
	default:
		q = q.Where("(p.access = ? OR EXISTS (SELECT 1 FROM project_members AS pm WHERE pm.account_id = p.account_id AND pm.project_id = p.id AND pm.user_id = ?))",
			AccessOpen, sc.UserID)
	}
	return q
}

// whereList restricts q to the lists (under alias) a client may see: shared with clients,
// their company among the companies. Colleagues see every list of the projects they see.
func (sc scope) whereList(q *bun.SelectQuery, alias string) *bun.SelectQuery {
	q = q.Where("?.trashed_at IS NULL", bun.Ident(alias))
	if !sc.Client {
		return q
	}
	return q.Where("?.visibility = ? AND EXISTS (SELECT 1 FROM task_list_companies AS lc WHERE lc.account_id = ?.account_id AND lc.list_id = ?.id AND lc.company_id = ?)",
		bun.Ident(alias), VisibilityClients, bun.Ident(alias), bun.Ident(alias), sc.CompanyID)
}

// joinTaskLists joins the list of each task (tasks AS t) for the client filter; colleagues
// need no join.
func (sc scope) joinTaskLists(q *bun.SelectQuery) *bun.SelectQuery {
	if !sc.Client {
		return q
	}
	return sc.whereList(q.Join("JOIN task_lists AS l ON l.account_id = t.account_id AND l.id = t.list_id"), "l")
}

// store holds the queries of the module: the store files (this one and store_<topic>.go) are
// the only files of the package that build a query, call db.For or Unscoped — the guard test
// TestQueriesOnlyInTheStore fails on any other. Every method takes the account's db.Tenant
// (the service's tenant(scope), or the Tenant of a transaction the service opened with its
// RunInTx), never a bare database with an account id; the one exception is unscopedAccounts,
// the jobs' list of accounts with work. Each new method needs its row in
// TestStoreNeverCrossesAccounts.
type store struct{}

// tenant is the account's handle on the service's database (core/db.Tenant): the store's
// queries through it are of the scope's account by construction.
func (s *Service) tenant(sc scope) db.Tenant { return db.For(s.DB, sc.AccountID) }

func notFound(err error) error {
	if db.IsNotFound(err) {
		return problem.NotFound()
	}
	return err
}

// project returns a project the scope sees, or 404. A trashed project is found only when
// trashed is true and the scope may manage projects.
func (store) project(ctx context.Context, tn db.Tenant, sc scope, id int64, trashed bool) (*Project, error) {
	p := new(Project)
	q := sc.whereProject(tn.Select(p)).Where("p.id = ?", id)
	if !trashed || !sc.Manage {
		q = q.Where("p.state <> ?", StateTrash)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return p, nil
}

// ProjectFilter narrows ListProjects.
type ProjectFilter struct {
	State   string // active (default), archived or trash
	Starred bool   // only the reader's starred projects
	ProjectSearch
}

func (store) projects(ctx context.Context, tn db.Tenant, sc scope, f ProjectFilter, p api.Page) ([]Project, error) {
	var out []Project
	q := sc.whereProject(tn.Select(&out)).Where("p.state = ? AND p.id > ?", f.State, p.After).
		OrderExpr("p.id").Limit(int64(p.Limit + 1))
	if f.Starred {
		q = q.Where("EXISTS (SELECT 1 FROM project_stars AS s WHERE s.account_id = p.account_id AND s.project_id = p.id AND s.user_id = ?)", sc.UserID)
	}
	return out, f.ProjectSearch.apply(q).Scan(ctx)
}

// decorate fills the reader's star and counts of each project.
func (store) decorate(ctx context.Context, tn db.Tenant, sc scope, ps []Project) error {
	if len(ps) == 0 {
		return nil
	}
	ids := make([]int64, len(ps))
	index := make(map[int64]*Project, len(ps))
	for i := range ps {
		ids[i] = ps[i].ID
		index[ps[i].ID] = &ps[i]
	}
	var starred []int64
	if err := tn.Select((*star)(nil)).Column("project_id").
		Where("user_id = ? AND project_id IN (?)", sc.UserID, bun.List(ids)).Scan(ctx, &starred); err != nil {
		return err
	}
	for _, id := range starred {
		index[id].Starred = true
	}
	// The lists' counters (kept by triggers on tasks, see the projects_list_counts
	// migration), summed over the lists the reader sees: one small query per page.
	var counts []struct {
		ProjectID int64 `bun:"project_id"`
		Lists     int   `bun:"lists"`
		Tasks     int   `bun:"tasks"`
		Done      int   `bun:"done"`
	}
	q := tn.SelectFrom("task_lists", "l").
		ColumnExpr("l.project_id, COUNT(*) AS lists, COALESCE(SUM(l.tasks_count), 0) AS tasks, COALESCE(SUM(l.done_count), 0) AS done").
		Where("l.project_id IN (?)", bun.List(ids)).GroupExpr("l.project_id")
	if err := sc.whereList(q, "l").Scan(ctx, &counts); err != nil {
		return err
	}
	for _, r := range counts {
		index[r.ProjectID].Counts = ProjectCounts{Lists: r.Lists, Tasks: r.Tasks, OpenTasks: r.Tasks - r.Done}
	}
	return nil
}

// memberRole returns a person's role in a project ("" when they are no member).
func (store) memberRole(ctx context.Context, tn db.Tenant, projectID, userID int64) (string, error) {
	var role string
	err := tn.Select((*ProjectMember)(nil)).Column("role").
		Where("pm.project_id = ? AND pm.user_id = ?", projectID, userID).Scan(ctx, &role)
	if db.IsNotFound(err) {
		return "", nil
	}
	return role, err
}

// members lists the members of a project with their names. A client sees the colleagues and
// the people of their own company, never the guests of other companies.
func (store) members(ctx context.Context, tn db.Tenant, sc scope, projectID int64) ([]ProjectMember, error) {
	out := []ProjectMember{}
	q := tn.Select(&out).ColumnExpr("pm.*, "+identity.NameSQL("m", "u")+" AS name, u.email, m.company_id").
		Join("JOIN users AS u ON u.id = pm.user_id").
		Join("JOIN memberships AS m ON m.account_id = pm.account_id AND m.user_id = pm.user_id").
		Where("pm.project_id = ?", projectID).OrderExpr("pm.user_id")
	if sc.Client {
		q = q.Where("(pm.role <> ? OR m.company_id = ?)", RoleClient, sc.CompanyID)
	}
	return out, q.Scan(ctx)
}

func (store) milestones(ctx context.Context, tn db.Tenant, sc scope, projectID int64, p api.Page) ([]Milestone, error) {
	var out []Milestone
	q := tn.Select(&out).Where("m.project_id = ? AND m.id > ?", projectID, p.After).
		OrderExpr("m.id").Limit(int64(p.Limit + 1))
	if sc.Client {
		// A client sees the milestones of the lists shared with their company.
		sub := sc.whereList(tn.SelectFrom("task_lists", "l").ColumnExpr("1").
			Where("l.milestone_id = m.id"), "l")
		q = q.Where("EXISTS (?)", sub)
	}
	return out, q.Scan(ctx)
}

func (store) milestone(ctx context.Context, tn db.Tenant, projectID, id int64) (*Milestone, error) {
	m := new(Milestone)
	err := tn.Select(m).Where("m.project_id = ? AND m.id = ?", projectID, id).Scan(ctx)
	return m, notFound(err)
}

func (store) lists(ctx context.Context, tn db.Tenant, sc scope, projectID int64, p api.Page) ([]TaskList, error) {
	var out []TaskList
	q := tn.Select(&out).Where("l.project_id = ? AND l.id > ?", projectID, p.After).
		OrderExpr("l.id").Limit(int64(p.Limit + 1))
	return out, sc.whereList(q, "l").Scan(ctx)
}

// list returns a list of the project that the scope sees, or 404.
func (store) list(ctx context.Context, tn db.Tenant, sc scope, projectID, id int64) (*TaskList, error) {
	l := new(TaskList)
	q := tn.Select(l).Where("l.project_id = ? AND l.id = ?", projectID, id)
	if err := sc.whereList(q, "l").Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	return l, nil
}

// decorateLists fills the companies and the task counts of lists (of one project).
func (store) decorateLists(ctx context.Context, tn db.Tenant, sc scope, ls []TaskList) error {
	if len(ls) == 0 {
		return nil
	}
	ids := make([]int64, len(ls))
	index := make(map[int64]*TaskList, len(ls))
	for i := range ls {
		ids[i] = ls[i].ID
		index[ls[i].ID] = &ls[i]
		ls[i].CompanyIDs = []int64{}
	}
	var links []listCompany
	q := tn.Select(&links).Where("list_id IN (?)", bun.List(ids)).OrderExpr("list_id, company_id")
	if sc.Client {
		q = q.Where("company_id = ?", sc.CompanyID)
	}
	if err := q.Scan(ctx); err != nil {
		return err
	}
	for _, lc := range links {
		l := index[lc.ListID]
		l.CompanyIDs = append(l.CompanyIDs, lc.CompanyID)
	}
	var counts []struct {
		ID    int64 `bun:"id"`
		Tasks int   `bun:"tasks_count"`
		Done  int   `bun:"done_count"`
	}
	if err := tn.SelectFrom("task_lists", "l").Column("l.id", "l.tasks_count", "l.done_count").
		Where("l.id IN (?)", bun.List(ids)).Scan(ctx, &counts); err != nil {
		return err
	}
	for _, c := range counts {
		index[c.ID].Counts = ListCount{Tasks: c.Tasks, Done: c.Done}
	}
	return nil
}

// task returns a task in use (not in the trash) that the scope sees with its project, or 404:
// the project must be visible and not trashed, and a client must see the task's list.
func (s store) task(ctx context.Context, tn db.Tenant, sc scope, id int64) (*Task, *Project, error) {
	t := new(Task)
	if err := tn.Select(t).Where("t.id = ? AND t.trashed_at IS NULL", id).Scan(ctx); err != nil {
		return nil, nil, notFound(err)
	}
	p, err := s.project(ctx, tn, sc, t.ProjectID, false)
	if err != nil {
		return nil, nil, err
	}
	if sc.Client {
		if _, err := s.list(ctx, tn, sc, t.ProjectID, t.ListID); err != nil {
			return nil, nil, err
		}
	}
	return t, p, nil
}

// taskSeen is task without its project, for the answers that show the task alone (GET
// /api/v1/{slug}/tasks/{id}): the project's visibility is a condition of the task's query
// rather than a second query reading the whole project, which was 13 % of the CPU of the load
// tool's "one task by id".
func (s store) taskSeen(ctx context.Context, tn db.Tenant, sc scope, id int64) (*Task, error) {
	t := new(Task)
	seen := sc.whereProject(tn.Unscoped().NewSelect().TableExpr("projects AS p").ColumnExpr("1")).
		Where("p.id = t.project_id AND p.state <> ?", StateTrash)
	if err := tn.Select(t).Where("t.id = ? AND t.trashed_at IS NULL", id).Where("EXISTS (?)", seen).Scan(ctx); err != nil {
		return nil, notFound(err)
	}
	if sc.Client {
		if _, err := s.list(ctx, tn, sc, t.ProjectID, t.ListID); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// TaskFilter narrows the task lists.
type TaskFilter struct {
	Statuses   []string // any of these statuses (all when empty)
	AssigneeID int64    // assigned to this person
	DueBefore  Date     // due strictly before this day
	ListID     int64    // in this list
	LabelID    int64    // carrying this label
	// LabelName is a label named instead of its id (?label=Urgent); checkLabelFilter turns
	// it into LabelID.
	LabelName string
}

func (f TaskFilter) apply(q *bun.SelectQuery) *bun.SelectQuery {
	if len(f.Statuses) > 0 {
		q = q.Where("t.status IN (?)", bun.List(f.Statuses))
	}
	if f.AssigneeID != 0 {
		q = q.Where("EXISTS (SELECT 1 FROM task_assignees AS fa WHERE fa.account_id = t.account_id AND fa.task_id = t.id AND fa.user_id = ?)", f.AssigneeID)
	}
	if f.DueBefore != "" {
		q = q.Where("t.due_on < ?", f.DueBefore)
	}
	if f.ListID != 0 {
		q = q.Where("t.list_id = ?", f.ListID)
	}
	if f.LabelID != 0 {
		q = q.Where("EXISTS (SELECT 1 FROM task_labels AS fl WHERE fl.account_id = t.account_id AND fl.task_id = t.id AND fl.label_id = ?)", f.LabelID)
	}
	return q
}

// tasks pages through the tasks of a project the caller has checked; a client sees those of
// the lists shared with their company.
func (store) tasks(ctx context.Context, tn db.Tenant, sc scope, projectID int64, f TaskFilter, p api.Page) ([]Task, error) {
	var out []Task
	q := tn.Select(&out).Where("t.project_id = ? AND t.id > ? AND t.trashed_at IS NULL", projectID, p.After).
		OrderExpr("t.id").Limit(int64(p.Limit + 1))
	return out, sc.joinTaskLists(f.apply(q)).Scan(ctx)
}

// myTasks pages through the tasks assigned to the reader in the active projects they see.
func (store) myTasks(ctx context.Context, tn db.Tenant, sc scope, f TaskFilter, p api.Page) ([]Task, error) {
	var out []Task
	q := tn.Select(&out).
		Join("JOIN task_assignees AS ta ON ta.account_id = t.account_id AND ta.task_id = t.id AND ta.user_id = ?", sc.UserID).
		Join("JOIN projects AS p ON p.account_id = t.account_id AND p.id = t.project_id").
		Where("p.state = ? AND p.is_template = ? AND t.id > ? AND t.trashed_at IS NULL", StateActive, false, p.After).
		OrderExpr("t.id").Limit(int64(p.Limit + 1))
	q = sc.whereProject(q)
	return out, sc.joinTaskLists(f.apply(q)).Scan(ctx)
}

// decorateTasks fills the assignees and the dependencies of tasks, their labels and checklist
// counts. A client sees only the dependencies on tasks they can see.
func (s store) decorateTasks(ctx context.Context, tn db.Tenant, sc scope, ts []Task) error {
	return s.decorateTasksWith(ctx, tn, sc, ts, false)
}

// decorateTasksWith is decorateTasks, with the checklists' items when items is true (the
// answers about one task).
func (s store) decorateTasksWith(ctx context.Context, tn db.Tenant, sc scope, ts []Task, items bool) error {
	if len(ts) == 0 {
		return nil
	}
	ids := make([]int64, len(ts))
	var projectIDs []int64
	index := make(map[int64]*Task, len(ts))
	for i := range ts {
		t := &ts[i]
		ids[i] = t.ID
		if !slices.Contains(projectIDs, t.ProjectID) {
			projectIDs = append(projectIDs, t.ProjectID)
		}
		index[t.ID] = t
		t.Assignees, t.PredecessorIDs, t.SuccessorIDs = []Assignee{}, []int64{}, []int64{}
		t.Labels, t.ChecklistDone, t.ChecklistTotal = []LabelRef{}, 0, 0
	}
	ds, err := s.decorations(ctx, tn, ids, !items)
	if err != nil {
		return err
	}
	decorate(index, ds)
	// Both directions in one query (the project narrows it to the project's links, through
	// either index); the other end of each link must be in use (a link to a task in the trash
	// waits there for its restore), and for a client visible too.
	var deps []Dependency
	q := tn.Select(&deps).
		Where("d.project_id IN (?) AND (d.successor_id IN (?) OR d.predecessor_id IN (?))",
			bun.List(projectIDs), bun.List(ids), bun.List(ids)).
		Join("JOIN tasks AS t ON t.account_id = d.account_id AND t.id = CASE WHEN d.successor_id IN (?) THEN d.predecessor_id ELSE d.successor_id END AND t.trashed_at IS NULL", bun.List(ids)).
		OrderExpr("d.successor_id, d.predecessor_id")
	q = sc.joinTaskLists(q)
	if err := q.Scan(ctx); err != nil {
		return err
	}
	for _, d := range deps {
		if t := index[d.SuccessorID]; t != nil {
			t.PredecessorIDs = append(t.PredecessorIDs, d.PredecessorID)
		}
		if t := index[d.PredecessorID]; t != nil {
			t.SuccessorIDs = append(t.SuccessorIDs, d.SuccessorID)
		}
	}
	if items {
		return s.attachChecklists(ctx, tn, ts, ids, index)
	}
	return nil
}

// edges returns the dependency graph of a project: predecessor -> successors. The links of
// tasks in the trash are in it: they come back with a restore, so a new link may not close a
// cycle through them either (reschedule skips those tasks: projectTasks reads tasks in use).
func (store) edges(ctx context.Context, tn db.Tenant, projectID int64) (map[int64][]int64, error) {
	var deps []Dependency
	if err := tn.Select(&deps).Column("successor_id", "predecessor_id").
		Where("d.project_id = ?", projectID).OrderExpr("d.predecessor_id, d.successor_id").Scan(ctx); err != nil {
		return nil, err
	}
	out := make(map[int64][]int64)
	for _, d := range deps {
		out[d.PredecessorID] = append(out[d.PredecessorID], d.SuccessorID)
	}
	return out, nil
}

func (store) comments(ctx context.Context, tn db.Tenant, taskID int64, p api.Page) ([]Comment, error) {
	var out []Comment
	err := withAuthors(tn.Select(&out)).
		Where("c.task_id = ? AND c.id > ?", taskID, p.After).
		OrderExpr("c.id").Limit(int64(p.Limit + 1)).Scan(ctx)
	return out, err
}

// withAuthors selects comments with their authors' names ("" once an author is gone): a
// plugin's comment is by the plugin, for the person named as behalf_name.
func withAuthors(q *bun.SelectQuery) *bun.SelectQuery {
	return q.ColumnExpr("c.*").
		ColumnExpr("CASE WHEN c.plugin IS NULL THEN COALESCE(u.name, '') ELSE c.plugin END AS author_name").
		ColumnExpr("CASE WHEN c.plugin IS NULL THEN 'person' ELSE 'plugin' END AS author_kind").
		ColumnExpr("CASE WHEN c.plugin IS NULL THEN '' ELSE COALESCE(u.name, '') END AS behalf_name").
		Join("LEFT JOIN users AS u ON u.id = c.author_id")
}

// activity pages through a project's feed, newest first. A client sees the lines about the
// lists shared with their company.
func (store) activity(ctx context.Context, tn db.Tenant, sc scope, projectID int64, p api.Page) ([]Activity, error) {
	var out []Activity
	q := tn.Select(&out).ColumnExpr("act.*, COALESCE(u.name, '') AS actor_name").
		Join("LEFT JOIN users AS u ON u.id = act.actor_id").
		Where("act.project_id = ?", projectID).
		OrderExpr("act.id DESC").Limit(int64(p.Limit + 1))
	if p.After > 0 {
		q = q.Where("act.id < ?", p.After)
	}
	if sc.Client {
		sub := sc.whereList(tn.SelectFrom("task_lists", "l").ColumnExpr("1").
			Where("l.id = act.list_id"), "l")

		q = q.Where("EXISTS (?)", sub)
	}
	return out, q.Scan(ctx)
}
