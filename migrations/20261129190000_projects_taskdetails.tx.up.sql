-- Task details (modules/projects): a project's custom statuses (its Kanban columns), its
-- labels and which tasks carry them, and each task's checklist.
--
-- A custom status is named on a task by its key (tasks.custom_status, '' for none), which
-- never changes once made, so renaming a status touches no task. Each counts as one of the
-- three base statuses (base): tasks.status keeps the base, so progress, "done", completion
-- events, filters and counts read tasks.status alone, as before. The service keeps the two
-- consistent (a task's custom status always has the task's status as its base).
--
-- Rows carry account_id and project_id, and their foreign keys name the parent by
-- (account_id, project_id, ...): a task can carry only labels of its own project, and the
-- board reads a whole project's labels and checklist counts through one index each.
CREATE TABLE task_statuses (
    id {{.PK}},
    account_id {{.Big}} NOT NULL,
    project_id {{.Big}} NOT NULL,
    key TEXT NOT NULL,
    name TEXT NOT NULL,
    color TEXT NOT NULL DEFAULT 'gray',
    base TEXT NOT NULL,
    position {{.Big}} NOT NULL DEFAULT 0,
    created_at {{.Time}} NOT NULL,
    FOREIGN KEY (account_id, project_id) REFERENCES projects (account_id, id) ON DELETE CASCADE
);
--bun:split
CREATE UNIQUE INDEX task_statuses_scope ON task_statuses (account_id, project_id, id);
--bun:split
CREATE UNIQUE INDEX task_statuses_key ON task_statuses (account_id, project_id, key);
--bun:split
CREATE TABLE labels (
    id {{.PK}},
    account_id {{.Big}} NOT NULL,
    project_id {{.Big}} NOT NULL,
    name TEXT NOT NULL,
    color TEXT NOT NULL DEFAULT 'gray',
    created_at {{.Time}} NOT NULL,
    FOREIGN KEY (account_id, project_id) REFERENCES projects (account_id, id) ON DELETE CASCADE
);
--bun:split
CREATE UNIQUE INDEX labels_scope ON labels (account_id, project_id, id);
--bun:split
CREATE UNIQUE INDEX labels_account_id ON labels (account_id, id);
--bun:split
-- Label names are unique in a project, whatever their case.
CREATE UNIQUE INDEX labels_name ON labels (account_id, project_id, lower(name));
--bun:split
CREATE TABLE task_labels (
    account_id {{.Big}} NOT NULL,
    project_id {{.Big}} NOT NULL,
    task_id {{.Big}} NOT NULL,
    label_id {{.Big}} NOT NULL,
    PRIMARY KEY (account_id, task_id, label_id),
    FOREIGN KEY (account_id, project_id, task_id) REFERENCES tasks (account_id, project_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, project_id, label_id) REFERENCES labels (account_id, project_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX task_labels_project ON task_labels (account_id, project_id, task_id);
--bun:split
CREATE INDEX task_labels_label ON task_labels (account_id, project_id, label_id);
--bun:split
CREATE TABLE task_checklist_items (
    id {{.PK}},
    account_id {{.Big}} NOT NULL,
    project_id {{.Big}} NOT NULL,
    task_id {{.Big}} NOT NULL,
    text TEXT NOT NULL,
    done {{.Bool}} NOT NULL DEFAULT FALSE,
    position {{.Big}} NOT NULL DEFAULT 0,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL,
    FOREIGN KEY (account_id, project_id, task_id) REFERENCES tasks (account_id, project_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX task_checklist_items_task ON task_checklist_items (account_id, project_id, task_id, position);
--bun:split
CREATE UNIQUE INDEX task_checklist_items_account_id ON task_checklist_items (account_id, id);
