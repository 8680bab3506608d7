package load

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"groupcamp/core/actor"
)

// Core is the load of core's own API: who am I, the people and team lists, and two writes
// (a new team, an account setting). The writes need an admin whatever the run's role.
func Core() Module {
	return Module{
		Name: "core",
		Scenarios: []Scenario{
			{Name: "me", Endpoint: "GET /api/v1/me", Weight: 2, Run: func(ctx context.Context, w *Worker) error {
				_, err := w.Get(ctx, "/api/v1/me")
				return err
			}},
			{Name: "users.list", Endpoint: "GET /api/v1/{slug}/users?limit=50", Weight: 3, Run: func(ctx context.Context, w *Worker) error {
				r, err := w.Get(ctx, "/api/v1/"+w.Env.Slug+"/users?limit=50")
				if err != nil {
					return err
				}
				return expectItems(r)
			}},
			{Name: "teams.list", Endpoint: "GET /api/v1/{slug}/teams", Weight: 3, Run: func(ctx context.Context, w *Worker) error {
				r, err := w.Get(ctx, "/api/v1/"+w.Env.Slug+"/teams")
				if err != nil {
					return err
				}
				return expectItems(r)
			}},
			{Name: "teams.create", Endpoint: "POST /api/v1/{slug}/teams", Weight: 1, Role: actor.RoleAdmin, Run: func(ctx context.Context, w *Worker) error {
				r, err := w.Post(ctx, "/api/v1/"+w.Env.Slug+"/teams", map[string]any{"name": w.Unique("Team"), "management": false})
				if err != nil {
					return err
				}
				var t struct {
					ID int64 `json:"id"`
				}
				if err := r.JSON(&t); err != nil {
					return err
				}
				if t.ID == 0 {
					return errors.New("created team has no id")
				}
				return nil
			}},
			{Name: "account.update", Endpoint: "PATCH /api/v1/{slug}/account", Weight: 1, Role: actor.RoleAdmin, Run: func(ctx context.Context, w *Worker) error {
				// A new name every time: an unchanged one would write nothing.
				_, err := w.Patch(ctx, "/api/v1/"+w.Env.Slug+"/account", map[string]any{"name": w.Unique("Load")})
				return err
			}},
		},
	}
}

// expectItems checks that a list answer has at least one item, without decoding it: the
// client shares the CPU with the server, and a full decode would take its share from it.
func expectItems(r *Response) error {
	if !bytes.Contains(r.Body, []byte(`"items":[{`)) {
		return fmt.Errorf("not a list with items: %.200s", r.Body)
	}
	return nil
}
