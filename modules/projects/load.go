package projects

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"groupcamp/core/actor"
	"groupcamp/core/load"
)

// Load is the projects module's part of the load tool (cmd/gcload): a seed of env.Size
// projects and tasks, and the requests of the projects API. The scenarios run as the run's
// role (a manager by default), who sees every project of the seed (they are open) and is
// assigned some of its tasks.
func (m *Module) Load() load.Module {
	return load.Module{
		Name: "projects",
		Seed: m.seedLoad,
		Scenarios: []load.Scenario{
			{Name: "projects.list", Endpoint: "GET /api/v1/{slug}/projects", Weight: 2, Run: func(ctx context.Context, w *load.Worker) error {
				return items(w.Get(ctx, "/api/v1/"+w.Env.Slug+"/projects"))
			}},
			{Name: "tasks.page", Endpoint: "GET /api/v1/{slug}/projects/{id}/tasks?limit=50", Weight: 4, Run: func(ctx context.Context, w *load.Worker) error {
				return items(w.Get(ctx, fmt.Sprintf("/api/v1/%s/projects/%d/tasks?limit=50", w.Env.Slug, pick(w, "projects.ids"))))
			}},
			{Name: "task.get", Endpoint: "GET /api/v1/{slug}/tasks/{id}", Weight: 3, Run: func(ctx context.Context, w *load.Worker) error {
				_, err := w.Get(ctx, fmt.Sprintf("/api/v1/%s/tasks/%d", w.Env.Slug, pick(w, "projects.tasks")))
				return err
			}},
			{Name: "mytasks.list", Endpoint: "GET /api/v1/{slug}/my-tasks", Weight: 1, Run: func(ctx context.Context, w *load.Worker) error {
				_, err := w.Get(ctx, "/api/v1/"+w.Env.Slug+"/my-tasks")
				return err
			}},
			// The search box over the seeded tasks (core/search, fed by this module): words of
			// their titles, the last a prefix, ranked in the index with the role's audience.
			{Name: "search", Endpoint: "GET /api/v1/{slug}/search?q=", Weight: 2, Run: func(ctx context.Context, w *load.Worker) error {
				// An empty answer is an answer: a client finds only the shared lists' tasks, and
				// a seed's last tasks may not be indexed yet when the run begins.
				return list(w.Get(ctx, fmt.Sprintf("/api/v1/%s/search?q=task+%d", w.Env.Slug, 1+w.Rand.IntN(9))))
			}},
			{Name: "tasks.create", Endpoint: "POST /api/v1/{slug}/projects/{id}/tasks", Weight: 1, Run: func(ctx context.Context, w *load.Worker) error {
				lists := w.Env.Get("projects.lists").(map[int64][]int64)
				pid := pick(w, "projects.ids")
				l := lists[pid][w.Rand.IntN(len(lists[pid]))]
				_, err := w.Post(ctx, fmt.Sprintf("/api/v1/%s/projects/%d/tasks", w.Env.Slug, pid), map[string]any{"list_id": l, "title": w.Unique("Task"),
					"due_on": "2026-06-30"})
				return err
			}},
			{Name: "task.update", Endpoint: "PATCH /api/v1/{slug}/tasks/{id}", Weight: 1, Run: func(ctx context.Context, w *load.Worker) error {
				// A new title every time: an unchanged task would write nothing.
				_, err := w.Patch(ctx, fmt.Sprintf("/api/v1/%s/tasks/%d", w.Env.Slug, pick(w, "projects.tasks")), map[string]any{"title": w.Unique("Task")})
				return err
			}},
			{Name: "comments.create", Endpoint: "POST /api/v1/{slug}/tasks/{id}/comments", Weight: 1, Run: func(ctx context.Context, w *load.Worker) error {
				_, err := w.Post(ctx, fmt.Sprintf("/api/v1/%s/tasks/%d/comments", w.Env.Slug, pick(w, "projects.tasks")), map[string]any{"body": "A comment from " + w.Unique("load")})
				return err
			}},
		},
	}
}

// pick chooses one of the seeded ids kept under key.
func pick(w *load.Worker, key string) int64 {
	ids := w.Env.Get(key).([]int64)
	return ids[w.Rand.IntN(len(ids))]
}

// items checks cheaply that a list answer has items.
func items(r *load.Response, err error) error {
	if err != nil {
		return err
	}
	if !bytes.Contains(r.Body, []byte(`"items":[{`)) {
		return fmt.Errorf("not a list with items: %.200s", r.Body)
	}
	return nil
}

// list checks for a list answer, empty or not.
func list(r *load.Response, err error) error {
	if err != nil {
		return err
	}
	if !bytes.Contains(r.Body, []byte(`"items":[`)) {
		return fmt.Errorf("not a list: %.200s", r.Body)
	}
	return nil
}

// listsPerProject is how many task lists a seeded project has; the first is shared with the
// seed's client company.
const listsPerProject = 10

// seedLoad creates env.Size.Projects open projects, led by the first manager, with the clients
// as client members and env.Size.Tasks tasks spread over their lists, each assigned to a
// manager or a member in turn. In-process it calls the service, one transaction per project's
// tasks; against a running server, the API.
func (m *Module) seedLoad(ctx context.Context, env *load.Env) error {
	if env.Size.Projects == 0 {
		return nil
	}
	lead, err := env.First(actor.RoleManager)
	if err != nil {
		return err
	}
	workers := append(env.ByRole(actor.RoleManager), env.ByRole(actor.RoleMember)...)
	seed := &loadSeed{env: env, svc: m.svc, lead: lead}
	var projectIDs, taskIDs []int64
	lists := map[int64][]int64{}
	per := env.Size.Tasks / env.Size.Projects
	for i := range env.Size.Projects {
		pid, err := seed.project(ctx, fmt.Sprintf("Project %d (%s)", i+1, env.RunID))
		if err != nil {
			return err
		}
		projectIDs = append(projectIDs, pid)
		for l := range listsPerProject {
			id, err := seed.list(ctx, pid, fmt.Sprintf("List %d", l+1), l == 0)
			if err != nil {
				return err
			}
			lists[pid] = append(lists[pid], id)
		}
		n := per
		if i == env.Size.Projects-1 {
			n = env.Size.Tasks - per*(env.Size.Projects-1)
		}
		in := make([]TaskInput, n)
		for j := range in {
			in[j] = TaskInput{ListID: lists[pid][j%listsPerProject], Title: fmt.Sprintf("Task %d", j+1), StartsOn: "2026-03-02", DueOn: "2026-03-13"}
			if len(workers) > 0 {
				in[j].Assignees = []AssigneeInput{{UserID: workers[(i+j)%len(workers)].ID, EstimateMinutes: 120}}
			}
		}
		ids, err := seed.tasks(ctx, pid, in)
		if err != nil {
			return err
		}
		taskIDs = append(taskIDs, ids...)
		env.Progressf("projects: %d of %d projects, %d tasks", i+1, env.Size.Projects, len(taskIDs))
	}
	if len(taskIDs) == 0 {
		return errors.New("projects: the seed needs at least one task per project (raise -tasks)")
	}
	env.Set("projects.ids", projectIDs)
	env.Set("projects.tasks", taskIDs)
	env.Set("projects.lists", lists)
	return nil
}

// loadSeed creates the seed's rows through the service (in-process) or the API.
type loadSeed struct {
	env  *load.Env
	svc  *Service
	lead load.Person
}

func (s *loadSeed) project(ctx context.Context, name string) (int64, error) {
	in := ProjectInput{Name: name, GuestsAllowed: true}
	if s.env.ClientCompanyID != 0 {
		in.ClientCompanyID = s.env.ClientCompanyID
	}
	var p Project
	if s.env.App != nil {
		created, err := s.svc.CreateProject(ctx, s.env.Actor(s.lead), in)
		if err != nil {
			return 0, err
		}
		p = *created
	} else if err := s.env.API(s.lead).Do(ctx, "POST", "/api/v1/"+s.env.Slug+"/projects", in, &p); err != nil {
		return 0, err
	}
	for _, c := range s.env.ByRole(actor.RoleClient) {
		if s.env.App != nil {
			if _, err := s.svc.SetMember(ctx, s.env.Actor(s.lead), p.ID, c.ID, MemberInput{Role: RoleClient}); err != nil {
				return 0, err
			}
		} else if err := s.env.API(s.lead).Do(ctx, "PUT", fmt.Sprintf("/api/v1/%s/projects/%d/members/%d", s.env.Slug, p.ID, c.ID), MemberInput{Role: RoleClient}, nil); err != nil {
			return 0, err
		}
	}
	return p.ID, nil
}

func (s *loadSeed) list(ctx context.Context, projectID int64, name string, shared bool) (int64, error) {
	in := ListInput{Name: name}
	if shared && s.env.ClientCompanyID != 0 {
		in.Visibility, in.CompanyIDs = VisibilityClients, []int64{s.env.ClientCompanyID}
	}
	if s.env.App != nil {
		l, err := s.svc.CreateList(ctx, s.env.Actor(s.lead), projectID, in)
		if err != nil {
			return 0, err
		}
		return l.ID, nil
	}
	var l TaskList
	err := s.env.API(s.lead).Do(ctx, "POST", fmt.Sprintf("/api/v1/%s/projects/%d/lists", s.env.Slug, projectID), in, &l)
	return l.ID, err
}

func (s *loadSeed) tasks(ctx context.Context, projectID int64, in []TaskInput) ([]int64, error) {
	if len(in) == 0 {
		return nil, nil
	}
	if s.env.App != nil {
		return s.svc.ImportTasks(ctx, s.env.Actor(s.lead), projectID, in)
	}
	ids := make([]int64, len(in))
	for i, t := range in {
		var out Task
		if err := s.env.API(s.lead).Do(ctx, "POST", fmt.Sprintf("/api/v1/%s/projects/%d/tasks", s.env.Slug, projectID), t, &out); err != nil {
			return nil, err
		}
		ids[i] = out.ID
	}
	return ids, nil
}
