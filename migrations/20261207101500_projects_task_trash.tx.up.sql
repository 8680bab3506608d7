-- A deleted task goes to its project's trash (DELETE /api/v1/{slug}/tasks/{id}): trashed_at is
-- when, null for a task in use. A trashed task keeps its rows (assignees, comments, checklist,
-- labels, dependencies) so that a restore brings it back whole; every read of the module
-- leaves it out, and a daily job deletes those trashed more than 30 days ago.
ALTER TABLE tasks ADD COLUMN trashed_at {{.Time}}
--bun:split
-- A project's trash (newest first), and the accounts the purge visits: few rows, so a partial
-- index.
CREATE INDEX tasks_trash ON tasks (account_id, project_id, trashed_at) WHERE trashed_at IS NOT NULL
--bun:split
-- The lists' counters count the tasks in use: a trashed task leaves them, a restored one comes
-- back (the triggers of projects_list_counts, with trashed_at).
{{if .Postgres}}
CREATE OR REPLACE FUNCTION task_lists_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.trashed_at IS NULL THEN
        UPDATE task_lists SET tasks_count = tasks_count - 1, done_count = done_count - (CASE WHEN OLD.status = 'done' THEN 1 ELSE 0 END)
        WHERE account_id = OLD.account_id AND id = OLD.list_id;
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.trashed_at IS NULL THEN
        UPDATE task_lists SET tasks_count = tasks_count + 1, done_count = done_count + (CASE WHEN NEW.status = 'done' THEN 1 ELSE 0 END)
        WHERE account_id = NEW.account_id AND id = NEW.list_id;
    END IF;
    RETURN NULL;
END
$$
--bun:split
DROP TRIGGER tasks_count_update ON tasks
--bun:split
CREATE TRIGGER tasks_count_update AFTER UPDATE OF status, list_id, trashed_at ON tasks FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.list_id IS DISTINCT FROM NEW.list_id OR OLD.trashed_at IS DISTINCT FROM NEW.trashed_at)
    EXECUTE FUNCTION task_lists_count()
{{else}}
DROP TRIGGER tasks_count_insert
--bun:split
DROP TRIGGER tasks_count_delete
--bun:split
DROP TRIGGER tasks_count_update
--bun:split
CREATE TRIGGER tasks_count_insert AFTER INSERT ON tasks WHEN NEW.trashed_at IS NULL BEGIN
    UPDATE task_lists SET tasks_count = tasks_count + 1, done_count = done_count + (NEW.status = 'done')
    WHERE account_id = NEW.account_id AND id = NEW.list_id;
END
--bun:split
CREATE TRIGGER tasks_count_delete AFTER DELETE ON tasks WHEN OLD.trashed_at IS NULL BEGIN
    UPDATE task_lists SET tasks_count = tasks_count - 1, done_count = done_count - (OLD.status = 'done')
    WHERE account_id = OLD.account_id AND id = OLD.list_id;
END
--bun:split
CREATE TRIGGER tasks_count_update AFTER UPDATE OF status, list_id, trashed_at ON tasks
    WHEN OLD.status IS NOT NEW.status OR OLD.list_id IS NOT NEW.list_id OR OLD.trashed_at IS NOT NEW.trashed_at BEGIN
    UPDATE task_lists SET tasks_count = tasks_count - 1, done_count = done_count - (OLD.status = 'done')
    WHERE account_id = OLD.account_id AND id = OLD.list_id AND OLD.trashed_at IS NULL;
    UPDATE task_lists SET tasks_count = tasks_count + 1, done_count = done_count + (NEW.status = 'done')
    WHERE account_id = NEW.account_id AND id = NEW.list_id AND NEW.trashed_at IS NULL;
END
{{end}}
