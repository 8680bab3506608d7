package gcapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"golang.org/x/time/rate"

	"groupcamp/core/actor"
	"groupcamp/core/load"
)

// Load is the module's part of the load tool (cmd/gcload): a reporting key pair made through
// our API as the owner, and a scenario that signs each request as a GroupCamp script does and
// reads one task (GET /task/v1/task/{id}: the key looked up and opened, the signature, the
// throttle, the acting person, the task with its list, milestone, people and time). In
// process, the seed lifts the keys' throttle: the run measures the server, not the throttle
// (against a running server, -url, a worker beyond 50 requests a second gets 429s).
func (m *Module) Load() load.Module {
	return load.Module{
		Name: "gcapi",
		Seed: m.seedLoad,
		Scenarios: []load.Scenario{
			{Name: "gcapi.task", Endpoint: "GET /task/v1/task/{id} (signed, GroupCamp-compatible)", Weight: 1, Run: func(ctx context.Context, w *load.Worker) error {
				k, _ := w.Env.Get("gcapi.key").(loadKey)
				if k.TaskPath == "" {
					return errors.New("gcapi: no seeded key")
				}
				r, err := w.DoWith(ctx, http.MethodGet, k.TaskPath, k.headers("GET", k.TaskPath, ""), nil)
				if err != nil {
					return err
				}
				var v struct {
					Result struct {
						ID string `json:"id"`
					} `json:"result"`
				}
				if err := r.JSON(&v); err != nil {
					return err
				}
				if v.Result.ID == "" {
					return fmt.Errorf("gcapi: no task in %.200s", r.Body)
				}
				return nil
			}},
		},
	}
}

// loadKey is the seeded key pair, the acting person and the path of a task to read.
type loadKey struct {
	Key, Secret, Acting, TaskPath string
}

func (k loadKey) headers(method, path, body string) http.Header {
	h := http.Header{}
	h.Set(HeaderApplication, "reporting-1")
	h.Set(HeaderActing, k.Acting)
	h.Set("Authorization", "GCMP "+k.Key+":"+Sign([]byte(k.Secret), method, path, []byte(body)))
	return h
}

// seedLoad makes the key pair and finds a task through the compatible API itself.
func (m *Module) seedLoad(ctx context.Context, env *load.Env) error {
	owner, err := env.First(actor.RoleOwner)
	if err != nil {
		return err
	}
	var nk NewKey
	if err := env.API(owner).Post(ctx, "/api/v1/"+env.Slug+"/gcapi-keys", KeyInput{Application: "reporting-1", Label: "gcload"}, &nk); err != nil {
		return fmt.Errorf("gcapi: seed a key: %w", err)
	}
	if env.App != nil && m.gate != nil {
		m.gate.setLimit(rate.Inf, 0)
	}
	k := loadKey{Key: nk.KeyID, Secret: nk.SecretOnce, Acting: owner.Email}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, env.BaseURL+"/task/v1/tasks", nil)
	if err != nil {
		return err
	}
	req.Header = k.headers("GET", "/task/v1/tasks", "")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 1<<24))
	var page struct {
		Result []struct {
			ID string `json:"id"`
		} `json:"result"`
	}
	if res.StatusCode != http.StatusOK || json.Unmarshal(raw, &page) != nil || len(page.Result) == 0 {
		return fmt.Errorf("gcapi: seed: no task to read: %d %.200s", res.StatusCode, strings.TrimSpace(string(raw)))
	}
	k.TaskPath = "/task/v1/task/" + page.Result[0].ID
	env.Set("gcapi.key", k)
	return nil
}
