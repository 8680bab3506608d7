package projects

import (
	"context"
	"strings"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/modules/projects/contract"
)

// gcapiGroups is the projects side of the GroupCamp-compatible API (contract.Groups): the
// module's own services, with the actor's scope, rules and audit, turned into the port's types.
type gcapiGroups struct{ svc *Service }

var _ contract.Groups = gcapiGroups{}

// List pages through the projects of each state asked for and keeps those of the filter.
func (p gcapiGroups) List(ctx context.Context, a *actor.Actor, f contract.GroupFilter) ([]contract.Group, error) {
	states := f.States
	if len(states) == 0 {
		states = []string{StateActive}
	}
	var member map[int64]bool
	if f.UserID != 0 {
		ids, err := p.svc.store.gcapiMemberOf(ctx, p.svc.tenantOf(a.AccountID()), f.UserID)
		if err != nil {
			return nil, err
		}
		member = make(map[int64]bool, len(ids))
		for _, id := range ids {
			member[id] = true
		}
	}
	var rows []Project
	for _, st := range states {
		pg := api.Page{Limit: api.MaxLimit}
		for {
			list, err := p.svc.ListProjects(ctx, a, ProjectFilter{State: st, ProjectSearch: ProjectSearch{ClientCompanyID: f.ClientCompanyID}}, pg)
			if err != nil {
				return nil, err
			}
			for _, pr := range list.Items {
				if keepGroup(pr, f, member) {
					rows = append(rows, pr)
				}
			}
			if list.NextCursor == "" || len(list.Items) == 0 {
				break
			}
			pg.After = list.Items[len(list.Items)-1].ID
		}
	}
	return p.groups(ctx, rows)
}

func keepGroup(pr Project, f contract.GroupFilter, member map[int64]bool) bool {
	switch {
	case f.Name != "" && pr.Name != f.Name:
	case f.Search != "" && !strings.Contains(strings.ToLower(pr.Name), strings.ToLower(f.Search)):
	case f.Category != "" && pr.Category != f.Category:
	case f.ClientOnly && pr.ClientCompanyID == nil:
	case f.InternalOnly && pr.ClientCompanyID != nil:
	case member != nil && !member[pr.ID]:
	default:
		return true
	}
	return false
}

// groups turns projects into the port's groups, with their members (one query).
func (p gcapiGroups) groups(ctx context.Context, rows []Project) ([]contract.Group, error) {
	out := make([]contract.Group, 0, len(rows))
	if len(rows) == 0 {
		return out, nil
	}
	ids := make([]int64, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	ms, err := p.svc.store.gcapiMembers(ctx, p.svc.tenantOf(rows[0].AccountID), ids)
	if err != nil {
		return nil, err
	}
	members := map[int64]map[int64]string{}
	for _, m := range ms {
		if members[m.ProjectID] == nil {
			members[m.ProjectID] = map[int64]string{}
		}
		members[m.ProjectID][m.UserID] = m.Role
	}
	for _, r := range rows {
		g := contract.Group{ID: r.ID, Name: r.Name, Code: r.Code, Category: r.Category, CategoryID: idOf(r.CategoryID), Tags: r.Tags, Access: r.Access,
			GuestsAllowed: r.GuestsAllowed, State: r.State, StartsOn: string(r.StartsOn), EndsOn: string(r.EndsOn), Starred: r.Starred,
			ClientCompanyID: idOf(r.ClientCompanyID), LeaderID: idOf(r.LeaderID), AssistantLeaderID: idOf(r.AssistantLeaderID),
			Members: members[r.ID]}
		if g.Members == nil {
			g.Members = map[int64]string{}
		}
		if g.Tags == nil {
			g.Tags = []string{}
		}
		out = append(out, g)
	}
	return out, nil
}

func idOf(v *int64) int64 {
	if v == nil {
		return 0
	}
	return *v
}

// Get is one project the actor sees.
func (p gcapiGroups) Get(ctx context.Context, a *actor.Actor, id int64) (*contract.Group, error) {
	pr, err := p.svc.Project(ctx, a, id)
	if err != nil {
		return nil, err
	}
	gs, err := p.groups(ctx, []Project{*pr})
	if err != nil {
		return nil, err
	}
	return &gs[0], nil
}

// Create creates a project with the module's rules (and its audit).
func (p gcapiGroups) Create(ctx context.Context, a *actor.Actor, in contract.GroupInput) (*contract.Group, error) {
	var pi ProjectInput
	set(&pi.Name, in.Name)
	set(&pi.Code, in.Code)
	set(&pi.Category, in.Category)
	set(&pi.Tags, in.Tags)
	set(&pi.ClientCompanyID, in.ClientCompanyID)
	set(&pi.LeaderID, in.LeaderID)
	set(&pi.AssistantLeaderID, in.AssistantLeaderID)
	set(&pi.Access, in.Access)
	set(&pi.GuestsAllowed, in.GuestsAllowed)
	pi.TemplateID = in.TemplateID
	pi.exactCategory = true // GroupCamp's category names are case-sensitive
	pr, err := p.svc.CreateProject(ctx, a, pi)
	if err != nil {
		return nil, err
	}
	return p.Get(ctx, a, pr.ID)
}

func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// Update changes a project with the module's rules (and its audit).
func (p gcapiGroups) Update(ctx context.Context, a *actor.Actor, id int64, in contract.GroupInput) (*contract.Group, error) {
	patch := ProjectPatch{Name: in.Name, Code: in.Code, Category: in.Category, Tags: in.Tags, ClientCompanyID: in.ClientCompanyID,
		LeaderID: in.LeaderID, AssistantLeaderID: in.AssistantLeaderID, Access: in.Access, GuestsAllowed: in.GuestsAllowed, exactCategory: true}
	if _, err := p.svc.UpdateProject(ctx, a, id, patch); err != nil {
		return nil, err
	}
	return p.Get(ctx, a, id)
}

// AddMember adds the person as a member (a client of the account as a client); a member
// already there keeps their role.
func (p gcapiGroups) AddMember(ctx context.Context, a *actor.Actor, projectID, userID int64) error {
	ms, err := p.svc.Members(ctx, a, projectID)
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.UserID == userID {
			return nil
		}
	}
	person, err := p.svc.People.Member(ctx, a, userID)
	if err != nil {
		return err
	}
	role := RoleMember
	if person.Role == actor.RoleClient {
		role = RoleClient
	}
	_, err = p.svc.SetMember(ctx, a, projectID, userID, MemberInput{Role: role})
	return err
}

// RemoveMember takes the person out of the project.
func (p gcapiGroups) RemoveMember(ctx context.Context, a *actor.Actor, projectID, userID int64) error {
	return p.svc.RemoveMember(ctx, a, projectID, userID)
}

// Tasks are the tasks of q the actor sees, with their assignees.
func (p gcapiGroups) Tasks(ctx context.Context, a *actor.Actor, q contract.TaskQuery) ([]contract.GroupTask, error) {
	if q.Limit <= 0 || q.Limit > api.MaxLimit {
		q.Limit = api.MaxLimit
	}
	sc := scopeOf(a)
	tn := p.svc.tenant(sc)
	rows, err := p.svc.store.gcapiTasks(ctx, tn, sc, q)
	if err != nil {
		return nil, err
	}
	if err := p.svc.store.decorateTasks(ctx, tn, sc, rows); err != nil {
		return nil, err
	}
	out := make([]contract.GroupTask, len(rows))
	for i, t := range rows {
		out[i] = groupTask(t)
	}
	return out, nil
}

func groupTask(t Task) contract.GroupTask {
	g := contract.GroupTask{ID: t.ID, ProjectID: t.ProjectID, ListID: t.ListID, Title: t.Title, Description: t.Description,
		StartsOn: string(t.StartsOn), DueOn: string(t.DueOn), Done: t.Status == StatusDone, CompletedAt: t.CompletedAt,
		CreatedBy: idOf(t.CreatedBy), CreatedAt: t.CreatedAt, UpdatedAt: t.UpdatedAt, Assignees: []contract.GroupAssignee{}}
	for _, as := range t.Assignees {
		g.Assignees = append(g.Assignees, contract.GroupAssignee{UserID: as.UserID, EstimateMinutes: as.EstimateMinutes, Progress: as.Progress})
	}
	return g
}

// Task is one task the actor sees.
func (p gcapiGroups) Task(ctx context.Context, a *actor.Actor, id int64) (*contract.GroupTask, error) {
	t, err := p.svc.Task(ctx, a, id)
	if err != nil {
		return nil, err
	}
	g := groupTask(*t)
	return &g, nil
}

// Lists are the lists of ids the actor sees.
func (p gcapiGroups) Lists(ctx context.Context, a *actor.Actor, ids []int64) (map[int64]contract.GroupList, error) {
	sc := scopeOf(a)
	rows, err := p.svc.store.gcapiLists(ctx, p.svc.tenant(sc), sc, ids)
	out := make(map[int64]contract.GroupList, len(rows))
	for _, l := range rows {
		out[l.ID] = contract.GroupList{ID: l.ID, ProjectID: l.ProjectID, MilestoneID: idOf(l.MilestoneID), Name: l.Name, Internal: l.Visibility != VisibilityClients}
	}
	return out, err
}

// Milestones are the milestones of ids the actor sees.
func (p gcapiGroups) Milestones(ctx context.Context, a *actor.Actor, ids []int64) (map[int64]contract.GroupMilestone, error) {
	sc := scopeOf(a)
	rows, err := p.svc.store.gcapiMilestones(ctx, p.svc.tenant(sc), sc, ids)
	out := make(map[int64]contract.GroupMilestone, len(rows))
	for _, m := range rows {
		out[m.ID] = contract.GroupMilestone{ID: m.ID, ProjectID: m.ProjectID, Name: m.Name, DueOn: string(m.DueOn), Done: m.CompletedAt != nil}
	}
	return out, err
}

// Names are the names of the account's projects of ids.
func (p gcapiGroups) Names(ctx context.Context, accountID int64, ids []int64) (map[int64]string, error) {
	rows, err := p.svc.store.gcapiNames(ctx, p.svc.tenantOf(accountID), ids)
	out := make(map[int64]string, len(rows))
	for _, r := range rows {
		out[r.ID] = r.Name
	}
	return out, err
}

// dayStart and dayAfter bound a day "YYYY-MM-DD" (already checked by the caller) in UTC.
func dayStart(day string) time.Time {
	t, _ := time.Parse(time.DateOnly, day)
	return t.UTC()
}

func dayAfter(day string) time.Time { return dayStart(day).AddDate(0, 0, 1) }
