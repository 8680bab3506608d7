package host

import (
	"context"
	"slices"
	"strings"
	"sync"

	"github.com/casbin/casbin/v2"
	"github.com/casbin/casbin/v2/model"
	"github.com/uptrace/bun"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"groupcamp/core/actor"
	"groupcamp/core/automation"
	"groupcamp/core/identity"
	filesc "groupcamp/modules/files/contract"
	"groupcamp/modules/projects/contract"
	"groupcamp/plugins/sdk"
	"groupcamp/plugins/sdk/pluginv1"
	"groupcamp/policies"
)

// Grants is the Casbin enforcer of the Host API: the subject is the plugin
// ("plugin:status-report"), the domain the account's slug, the object and action its
// capability ("projects", "read"). Its rules are what the account's admin granted of what the
// manifest asked, set before each call from the enablement row (so a revocation holds from
// the next call on), on the same RBAC-with-domains model as the people's.
type Grants struct {
	mu sync.Mutex
	e  *casbin.SyncedEnforcer
}

// NewGrants returns an enforcer with no rule.
func NewGrants() (*Grants, error) {
	m, err := model.NewModelFromString(policies.Model)
	if err != nil {
		return nil, err
	}
	e, err := casbin.NewSyncedEnforcer(m)
	if err != nil {
		return nil, err
	}
	return &Grants{e: e}, nil
}

func subject(plugin string) string { return "plugin:" + plugin }

// split turns "projects.read" into ("projects", "read").
func split(capability string) (string, string) {
	i := strings.LastIndexByte(capability, '.')
	if i < 0 {
		return capability, ""
	}
	return capability[:i], capability[i+1:]
}

// Grant makes the plugin's rules in the account exactly caps (when they differ).
func (g *Grants) Grant(plugin, slug string, caps []string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	sub := subject(plugin)
	have, _ := g.e.GetFilteredPolicy(0, sub, slug)
	var want [][]string
	for _, c := range caps {
		obj, act := split(c)
		want = append(want, []string{sub, slug, obj, act})
	}
	same := len(have) == len(want)
	for _, w := range want {
		same = same && slices.ContainsFunc(have, func(h []string) bool { return slices.Equal(h, w) })
	}
	if same {
		return
	}
	_, _ = g.e.RemoveFilteredPolicy(0, sub, slug)
	if len(want) > 0 {
		_, _ = g.e.AddPolicies(want)
	}
}

// Allowed asks Casbin whether the plugin holds the capability in the account.
func (g *Grants) Allowed(plugin, slug, capability string) bool {
	obj, act := split(capability)
	ok, err := g.e.Enforce(subject(plugin), slug, obj, act)
	return err == nil && ok
}

// hostAPI is the Host API served to one plugin over the broker: each call names the token
// of a call in progress to that plugin, and reads only that call's account, through the
// projects module's port (never its tables).
type hostAPI struct {
	pluginv1.UnimplementedHostServiceServer
	sup    *Supervisor
	plugin string
	ports  *ports
}

// ports are the modules' ports the Host API reads and writes through (nil when the module is
// not in the App: the Host API then answers Unavailable), and the core services it uses.
type ports struct {
	reads     func() contract.PluginReads
	seen      func() contract.ProjectsSeen
	comments  func() contract.PluginComments
	files     func() filesc.PluginFiles
	filesSeen func() filesc.FilesSeen
	people    *identity.Service
	notifier  automation.Notifier
	db        *bun.DB
}

// maxRead bounds every list the Host API answers.
const maxRead = 500

// allowed answers the scope of the call the token names when the plugin holds capability in
// its account: Unauthenticated for no call in progress, PermissionDenied for a capability the
// manifest did not ask or the admin did not grant.
func (h *hostAPI) allowed(token, capability string) (scopeEntry, error) {
	sc, ok := h.sup.tokens.get(token)
	if !ok || sc.plugin != h.plugin {
		return sc, status.Error(codes.Unauthenticated, "no call in progress has this token")
	}
	if !slices.Contains(sc.Granted, capability) || h.sup.Authz == nil || !h.sup.Authz.Allowed(h.plugin, sc.Slug, capability) {
		return sc, status.Errorf(codes.PermissionDenied, "the account did not grant %s to %s", capability, h.plugin)
	}
	return sc, nil
}

func (h *hostAPI) scope(token, capability string) (scopeEntry, contract.PluginReads, error) {
	sc, err := h.allowed(token, capability)
	if err != nil {
		return sc, nil, err
	}
	reads := h.ports.reads()
	if reads == nil || (sc.Viewer != nil && h.ports.seen() == nil) {
		return sc, nil, status.Error(codes.Unavailable, "projects are not served here")
	}
	return sc, reads, nil
}

func (h *hostAPI) ListProjects(ctx context.Context, req *pluginv1.ListProjectsRequest) (*pluginv1.ListProjectsResponse, error) {
	sc, reads, err := h.scope(req.Token, sdk.CapProjectsRead)
	if err != nil {
		return nil, err
	}
	ps, err := reads.Projects(ctx, sc.AccountID, maxRead)
	if err != nil {
		return nil, status.Error(codes.Internal, "projects could not be read")
	}
	var seen map[int64]string
	if sc.Viewer != nil {
		ids := make([]int64, 0, len(ps))
		for _, p := range ps {
			ids = append(ids, p.ID)
		}
		if seen, err = h.ports.seen().Seen(ctx, sc.Viewer, ids); err != nil {
			return nil, status.Error(codes.Internal, "projects could not be read")
		}
		sc.seen.add(seen)
	}
	out := &pluginv1.ListProjectsResponse{}
	for _, p := range ps {
		if _, ok := seen[p.ID]; sc.Viewer != nil && !ok {
			continue
		}
		out.Projects = append(out.Projects, &pluginv1.Project{Id: p.ID, Name: p.Name, Active: p.Active})
	}
	return out, nil
}

func (h *hostAPI) ListMilestones(ctx context.Context, req *pluginv1.ListMilestonesRequest) (*pluginv1.ListMilestonesResponse, error) {
	sc, reads, err := h.scope(req.Token, sdk.CapProjectsRead)
	if err != nil {
		return nil, err
	}
	if err := h.sees(ctx, sc, req.ProjectId); err != nil {
		return nil, err
	}
	ms, err := reads.Milestones(ctx, sc.AccountID, req.ProjectId, maxRead)
	if err != nil {
		return nil, status.Error(codes.Internal, "milestones could not be read")
	}
	out := &pluginv1.ListMilestonesResponse{}
	for _, m := range ms {
		out.Milestones = append(out.Milestones, &pluginv1.Milestone{Id: m.ID, ProjectId: m.ProjectID, Name: m.Name, DueOn: m.DueOn, Completed: m.Completed})
	}
	return out, nil
}

func (h *hostAPI) ListTasks(ctx context.Context, req *pluginv1.ListTasksRequest) (*pluginv1.ListTasksResponse, error) {
	sc, reads, err := h.scope(req.Token, sdk.CapTasksRead)
	if err != nil {
		return nil, err
	}
	if err := h.sees(ctx, sc, req.ProjectId); err != nil {
		return nil, err
	}
	var company int64 // a client reads the lists shared with their company only
	if sc.Viewer != nil && sc.Viewer.Role == actor.RoleClient {
		company = sc.Viewer.CompanyID
		if company == 0 {
			company = -1 // a client of no company: no list is theirs
		}
	}
	ts, err := reads.Tasks(ctx, sc.AccountID, req.ProjectId, company, maxRead)
	if err != nil {
		return nil, status.Error(codes.Internal, "tasks could not be read")
	}
	out := &pluginv1.ListTasksResponse{}
	for _, t := range ts {
		out.Tasks = append(out.Tasks, &pluginv1.Task{Id: t.ID, ProjectId: t.ProjectID, Title: t.Title, Status: t.Status, List: t.List, MilestoneId: t.MilestoneID, DueOn: t.DueOn})
	}
	return out, nil
}

// sees answers NotFound for a project the call's viewer does not see (a call for no person,
// an event, reads the account's projects).
func (h *hostAPI) sees(ctx context.Context, sc scopeEntry, projectID int64) error {
	if sc.Viewer == nil || sc.seen.has(projectID) {
		return nil
	}
	seen, err := h.ports.seen().Seen(ctx, sc.Viewer, []int64{projectID})
	if err != nil {
		return status.Error(codes.Internal, "projects could not be read")
	}
	if _, ok := seen[projectID]; !ok {
		return status.Error(codes.NotFound, "no such project")
	}
	return nil
}
