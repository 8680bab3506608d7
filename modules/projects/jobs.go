package projects

import (
	"context"

	"groupcamp/core/app"
	"groupcamp/jobs"
)

// PurgeTask is the task type of the daily purge of the projects and the tasks trashed more
// than TrashDays ago.
const PurgeTask = "projects:purge-trash"

// registerJobs declares the purge: daily is enough (a restore checks the 30 days itself, so a
// purge that runs late never lets a project or a task come back after its time), and the purge is
// idempotent, so a tick delivered twice does no harm.
func registerJobs(r *app.Registry, svc *Service) {
	r.Task(PurgeTask, func(ctx context.Context, _ []byte) error {
		if _, err := svc.PurgeTrash(ctx); err != nil {
			return err
		}
		_, err := svc.PurgeTaskTrash(ctx)
		return err
	})
	r.Every("@daily", PurgeTask, nil, jobs.Low)
}
