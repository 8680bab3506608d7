-- The last day on which a task assignment counts in resource planning, copied onto the
-- assignment: the task's due day (else its start day) while the task is open and not in the
-- trash, NULL otherwise (undated, done or trashed). Planning's read of a person's dated tasks
-- (modules/projects store_planning.go) used to walk every task ever assigned to them and look
-- each one up to keep the few that reach the planned window: a thousand lookups for a busy
-- person, the most of the CPU of moving an allocation. With (account_id, user_id, last_day)
-- it reads only the assignments still running on the window's first day. Triggers keep the
-- copy right whatever writes the task (the API, an import, a template's copy, a recurrence),
-- like the list counters of 20261129210000.
ALTER TABLE task_assignees ADD COLUMN last_day DATE
--bun:split
UPDATE task_assignees SET last_day = (
    SELECT CASE WHEN t.status <> 'done' AND t.trashed_at IS NULL THEN COALESCE(t.due_on, t.starts_on) END
    FROM tasks AS t WHERE t.account_id = task_assignees.account_id AND t.id = task_assignees.task_id)
--bun:split
CREATE INDEX task_assignees_last_day ON task_assignees (account_id, user_id, last_day)
--bun:split
{{if .Postgres}}
CREATE FUNCTION task_assignees_last_day_on_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.last_day := (SELECT CASE WHEN t.status <> 'done' AND t.trashed_at IS NULL THEN COALESCE(t.due_on, t.starts_on) END
        FROM tasks AS t WHERE t.account_id = NEW.account_id AND t.id = NEW.task_id);
    RETURN NEW;
END
$$
--bun:split
CREATE TRIGGER task_assignees_last_day_insert BEFORE INSERT ON task_assignees FOR EACH ROW EXECUTE FUNCTION task_assignees_last_day_on_insert()
--bun:split
CREATE FUNCTION task_assignees_last_day_on_task() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE task_assignees SET last_day = CASE WHEN NEW.status <> 'done' AND NEW.trashed_at IS NULL THEN COALESCE(NEW.due_on, NEW.starts_on) END
    WHERE account_id = NEW.account_id AND task_id = NEW.id;
    RETURN NULL;
END
$$
--bun:split
CREATE TRIGGER tasks_last_day_update AFTER UPDATE OF starts_on, due_on, status, trashed_at ON tasks FOR EACH ROW
    WHEN (OLD.starts_on IS DISTINCT FROM NEW.starts_on OR OLD.due_on IS DISTINCT FROM NEW.due_on
        OR OLD.status IS DISTINCT FROM NEW.status OR OLD.trashed_at IS DISTINCT FROM NEW.trashed_at)
    EXECUTE FUNCTION task_assignees_last_day_on_task()
{{else}}
CREATE TRIGGER task_assignees_last_day_insert AFTER INSERT ON task_assignees BEGIN
    UPDATE task_assignees SET last_day = (
        SELECT CASE WHEN t.status <> 'done' AND t.trashed_at IS NULL THEN COALESCE(t.due_on, t.starts_on) END
        FROM tasks AS t WHERE t.account_id = NEW.account_id AND t.id = NEW.task_id)
    WHERE account_id = NEW.account_id AND task_id = NEW.task_id AND user_id = NEW.user_id;
END
--bun:split
CREATE TRIGGER tasks_last_day_update AFTER UPDATE OF starts_on, due_on, status, trashed_at ON tasks
    WHEN OLD.starts_on IS NOT NEW.starts_on OR OLD.due_on IS NOT NEW.due_on
        OR OLD.status IS NOT NEW.status OR OLD.trashed_at IS NOT NEW.trashed_at BEGIN
    UPDATE task_assignees SET last_day = CASE WHEN NEW.status <> 'done' AND NEW.trashed_at IS NULL THEN COALESCE(NEW.due_on, NEW.starts_on) END
    WHERE account_id = NEW.account_id AND task_id = NEW.id;
END
{{end}}
