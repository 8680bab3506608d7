package ical

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/load"
)

// loadTasksEach is how many tasks due the seed assigns to each colleague (managers and
// members, on the projects module's first seeded project), spread over the coming months.
const loadTasksEach = 100

// Load is the module's part of the load tool (cmd/gcload): a seed of tasks due assigned to
// every manager and member (through the projects API: this module never imports projects),
// and the scenario a calendar application makes — fetching one's feed by its secret URL.
func (m *Module) Load() load.Module {
	return load.Module{
		Name: "ical",
		Seed: seedLoad,
		Scenarios: []load.Scenario{
			{Name: "ical.feed", Endpoint: "GET /ical/{token}.ics", Weight: 1, Run: func(ctx context.Context, w *load.Worker) error {
				path, ok := w.Data["ical.path"].(string)
				if !ok {
					r, err := w.Get(ctx, "/api/v1/me/ical")
					if err != nil {
						return err
					}
					var v FeedView
					if err := r.JSON(&v); err != nil {
						return err
					}
					i := strings.Index(v.URL, "/ical/")
					if i < 0 {
						return fmt.Errorf("a feed URL without /ical/: %q", v.URL)
					}
					path = v.URL[i:] // the server's BaseURL may name another host than the run's
					w.Data["ical.path"] = path
				}
				r, err := w.Get(ctx, path)
				if err != nil {
					return err
				}
				if !strings.HasPrefix(string(r.Body), "BEGIN:VCALENDAR\r\n") {
					return errors.New("the feed is no iCalendar")
				}
				return nil
			}},
		},
	}
}

func seedLoad(ctx context.Context, env *load.Env) error {
	ids, _ := env.Get("projects.ids").([]int64)
	if len(ids) == 0 {
		return nil
	}
	owner, err := env.First(actor.RoleOwner)
	if err != nil {
		return err
	}
	api := env.API(owner)
	base := fmt.Sprintf("/api/v1/%s/projects/%d", env.Slug, ids[0])
	var list struct {
		ID int64 `json:"id"`
	}
	if err := api.Post(ctx, base+"/lists", map[string]any{"name": "Due (calendar feeds)"}, &list); err != nil {
		return fmt.Errorf("ical: seed a list: %w", err)
	}
	people := append(env.ByRole(actor.RoleManager), env.ByRole(actor.RoleMember)...)
	today := time.Now().UTC()
	for i, p := range people {
		for j := range loadTasksEach {
			due := today.AddDate(0, 0, 1+(i+j*3)%300).Format(time.DateOnly)
			if err := api.Post(ctx, base+"/tasks", map[string]any{"list_id": list.ID, "title": fmt.Sprintf("Due %d for %s", j+1, p.Name),
				"due_on": due, "assignees": []map[string]any{{"user_id": p.ID}}}, nil); err != nil {
				return fmt.Errorf("ical: seed a task: %w", err)
			}
		}
		env.Progressf("ical: %d of %d people", i+1, len(people))
	}
	return nil
}
