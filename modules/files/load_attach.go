package files

import (
	"context"
	"errors"
	"fmt"

	"groupcamp/core/actor"
	"groupcamp/core/load"
)

// loadAttachments is how many files the seed attaches to the load's task.
const loadAttachments = 30

// attachScenarios are the load tool's requests of attachments: a member reading a task's
// attachments, and attaching a small file (JSON, as the other upload scenario).
func attachScenarios() []load.Scenario {
	return []load.Scenario{
		{Name: "files.attachments", Endpoint: "GET /api/v1/{slug}/tasks/{id}/attachments", Weight: 2, Role: actor.RoleMember, Run: func(ctx context.Context, w *load.Worker) error {
			task, _ := w.Env.Get("files.task").(int64)
			if task == 0 {
				return errors.New("no seeded task")
			}
			r, err := w.Get(ctx, fmt.Sprintf("/api/v1/%s/tasks/%d/attachments", w.Env.Slug, task))
			if err != nil {
				return err
			}
			var v AttachmentList
			if err := r.JSON(&v); err != nil {
				return err
			}
			if len(v.Items) < loadAttachments {
				return fmt.Errorf("%d attachments listed, want %d at least", len(v.Items), loadAttachments)
			}
			return nil
		}},
		{Name: "files.attach", Endpoint: "POST /api/v1/{slug}/tasks/{id}/attachments", Weight: 1, Role: actor.RoleMember, Run: func(ctx context.Context, w *load.Worker) error {
			task, _ := w.Env.Get("files.task").(int64)
			_, err := w.Post(ctx, fmt.Sprintf("/api/v1/%s/tasks/%d/attachments", w.Env.Slug, task), FileInput{Name: w.Unique("attached") + ".txt", Content: "load"})
			return err
		}},
	}
}

// seedAttachLoad makes a project, a list and a task through the projects API, and attaches
// loadAttachments files to the task, as the account's owner.
func seedAttachLoad(ctx context.Context, env *load.Env) error {
	owner, err := env.First(actor.RoleOwner)
	if err != nil {
		return err
	}
	api := env.API(owner)
	base := "/api/v1/" + env.Slug
	var made struct {
		ID int64 `json:"id"`
	}
	if err := api.Post(ctx, base+"/projects", map[string]any{"name": "Load attachments"}, &made); err != nil {
		return fmt.Errorf("files: seed the attachments' project: %w", err)
	}
	project := made.ID
	if err := api.Post(ctx, fmt.Sprintf("%s/projects/%d/lists", base, project), map[string]any{"name": "Load"}, &made); err != nil {
		return fmt.Errorf("files: seed the attachments' list: %w", err)
	}
	if err := api.Post(ctx, fmt.Sprintf("%s/projects/%d/tasks", base, project), map[string]any{"list_id": made.ID, "title": "Load attachments"}, &made); err != nil {
		return fmt.Errorf("files: seed the attachments' task: %w", err)
	}
	task := made.ID
	for i := range loadAttachments {
		if err := api.Post(ctx, fmt.Sprintf("%s/tasks/%d/attachments", base, task), FileInput{Name: fmt.Sprintf("attached-%02d.txt", i), Content: fmt.Sprintf("attachment %d", i)}, nil); err != nil {
			return fmt.Errorf("files: seed an attachment: %w", err)
		}
	}
	env.Set("files.task", task)
	return nil
}
