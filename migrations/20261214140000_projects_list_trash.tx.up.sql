-- A deleted task list goes to its project's trash with the tasks it held (DELETE
-- /api/v1/{slug}/projects/{id}/lists/{list_id}?tasks=delete): trashed_at is when, null for a
-- list in use; its tasks get the same trashed_at, which is how a restore of the list finds the
-- tasks that went with it. The daily purge deletes it 30 days later, after its tasks.
ALTER TABLE task_lists ADD COLUMN trashed_at {{.Time}}
--bun:split
CREATE INDEX task_lists_trash ON task_lists (account_id, project_id, trashed_at) WHERE trashed_at IS NOT NULL
