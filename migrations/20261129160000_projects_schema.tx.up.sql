-- Projects (modules/projects): projects, their members and stars, milestones, task lists and
-- the client companies a list is shared with, tasks with their assignees and dependencies,
-- comments, and the activity feed.
--
-- Every child row carries account_id, and its foreign keys name the parent by
-- (account_id, ...): the database itself refuses a link across accounts (a task of account A
-- in a list of account B), and a task's list, a list's milestone and a dependency's two tasks
-- must belong to the same project. That is why the parents hold UNIQUE indexes on
-- (account_id, [project_id,] id) beside their primary keys: a foreign key needs one, and the
-- same index serves the per-account and per-project listings ordered by id. People are
-- referenced through their membership (account_id, user_id), so only people of the account
-- can be project members or assignees.
--
-- Calendar days are DATE columns holding 'YYYY-MM-DD': PostgreSQL stores a date, SQLite keeps
-- the text (its NUMERIC affinity leaves a non-number alone), and both compare them in
-- calendar order.
CREATE TABLE projects (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    code TEXT NOT NULL DEFAULT '',
    client_company_id {{.Big}} REFERENCES companies(id),
    category TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    starts_on DATE,
    ends_on DATE,
    leader_id {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    assistant_leader_id {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    access TEXT NOT NULL DEFAULT 'open',
    guests_allowed {{.Bool}} NOT NULL DEFAULT FALSE,
    state TEXT NOT NULL DEFAULT 'active',
    archived_at {{.Time}},
    trashed_at {{.Time}},
    created_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX projects_account_id ON projects (account_id, id);
--bun:split
CREATE INDEX projects_account_state ON projects (account_id, state, id);
--bun:split
CREATE UNIQUE INDEX projects_account_code ON projects (account_id, code) WHERE code <> '';
--bun:split
CREATE TABLE project_members (
    account_id {{.Big}} NOT NULL,
    project_id {{.Big}} NOT NULL,
    user_id {{.Big}} NOT NULL,
    role TEXT NOT NULL,
    created_at {{.Time}} NOT NULL,
    PRIMARY KEY (account_id, project_id, user_id),
    FOREIGN KEY (account_id, project_id) REFERENCES projects (account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, user_id) REFERENCES memberships (account_id, user_id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX project_members_user ON project_members (account_id, user_id);
--bun:split
CREATE TABLE project_stars (
    account_id {{.Big}} NOT NULL,
    user_id {{.Big}} NOT NULL,
    project_id {{.Big}} NOT NULL,
    created_at {{.Time}} NOT NULL,
    PRIMARY KEY (account_id, user_id, project_id),
    FOREIGN KEY (account_id, project_id) REFERENCES projects (account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, user_id) REFERENCES memberships (account_id, user_id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX project_stars_project ON project_stars (account_id, project_id);
--bun:split
CREATE TABLE milestones (
    id {{.PK}},
    account_id {{.Big}} NOT NULL,
    project_id {{.Big}} NOT NULL,
    name TEXT NOT NULL,
    due_on DATE NOT NULL,
    completed_at {{.Time}},
    created_at {{.Time}} NOT NULL,
    FOREIGN KEY (account_id, project_id) REFERENCES projects (account_id, id) ON DELETE CASCADE
);
--bun:split
CREATE UNIQUE INDEX milestones_scope ON milestones (account_id, project_id, id);
--bun:split
CREATE TABLE task_lists (
    id {{.PK}},
    account_id {{.Big}} NOT NULL,
    project_id {{.Big}} NOT NULL,
    milestone_id {{.Big}},
    name TEXT NOT NULL,
    visibility TEXT NOT NULL DEFAULT 'internal',
    position {{.Big}} NOT NULL DEFAULT 0,
    created_at {{.Time}} NOT NULL,
    FOREIGN KEY (account_id, project_id) REFERENCES projects (account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, project_id, milestone_id) REFERENCES milestones (account_id, project_id, id)
);
--bun:split
CREATE UNIQUE INDEX task_lists_scope ON task_lists (account_id, project_id, id);
--bun:split
CREATE UNIQUE INDEX task_lists_account_id ON task_lists (account_id, id);
--bun:split
CREATE INDEX task_lists_milestone ON task_lists (account_id, project_id, milestone_id);
--bun:split
CREATE TABLE task_list_companies (
    account_id {{.Big}} NOT NULL,
    list_id {{.Big}} NOT NULL,
    company_id {{.Big}} NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    PRIMARY KEY (account_id, list_id, company_id),
    FOREIGN KEY (account_id, list_id) REFERENCES task_lists (account_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX task_list_companies_company ON task_list_companies (account_id, company_id);
--bun:split
CREATE TABLE tasks (
    id {{.PK}},
    account_id {{.Big}} NOT NULL,
    project_id {{.Big}} NOT NULL,
    list_id {{.Big}} NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    starts_on DATE,
    due_on DATE,
    priority TEXT NOT NULL DEFAULT 'normal',
    status TEXT NOT NULL DEFAULT 'open',
    custom_status TEXT NOT NULL DEFAULT '',
    position {{.Big}} NOT NULL DEFAULT 0,
    completed_at {{.Time}},
    created_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL,
    FOREIGN KEY (account_id, project_id) REFERENCES projects (account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, project_id, list_id) REFERENCES task_lists (account_id, project_id, id) ON DELETE CASCADE
);
--bun:split
CREATE UNIQUE INDEX tasks_scope ON tasks (account_id, project_id, id);
--bun:split
CREATE UNIQUE INDEX tasks_account_id ON tasks (account_id, id);
--bun:split
CREATE INDEX tasks_list ON tasks (account_id, project_id, list_id, position);
--bun:split
-- The counts of projects and lists (tasks, open, done) read this index alone.
CREATE INDEX tasks_counts ON tasks (account_id, project_id, list_id, status);
--bun:split
CREATE TABLE task_assignees (
    account_id {{.Big}} NOT NULL,
    task_id {{.Big}} NOT NULL,
    user_id {{.Big}} NOT NULL,
    estimate_minutes {{.Big}} NOT NULL DEFAULT 0,
    progress {{.Big}} NOT NULL DEFAULT 0,
    completed_at {{.Time}},
    PRIMARY KEY (account_id, task_id, user_id),
    FOREIGN KEY (account_id, task_id) REFERENCES tasks (account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, user_id) REFERENCES memberships (account_id, user_id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX task_assignees_user ON task_assignees (account_id, user_id, task_id);
--bun:split
CREATE TABLE task_dependencies (
    account_id {{.Big}} NOT NULL,
    project_id {{.Big}} NOT NULL,
    successor_id {{.Big}} NOT NULL,
    predecessor_id {{.Big}} NOT NULL,
    kind TEXT NOT NULL DEFAULT 'finish_to_start',
    created_at {{.Time}} NOT NULL,
    PRIMARY KEY (account_id, project_id, successor_id, predecessor_id),
    FOREIGN KEY (account_id, project_id, successor_id) REFERENCES tasks (account_id, project_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, project_id, predecessor_id) REFERENCES tasks (account_id, project_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX task_dependencies_predecessor ON task_dependencies (account_id, project_id, predecessor_id);
--bun:split
CREATE TABLE comments (
    id {{.PK}},
    account_id {{.Big}} NOT NULL,
    project_id {{.Big}} NOT NULL,
    task_id {{.Big}} NOT NULL,
    author_id {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    mentions TEXT NOT NULL DEFAULT '[]',
    created_at {{.Time}} NOT NULL,
    FOREIGN KEY (account_id, task_id) REFERENCES tasks (account_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX comments_task ON comments (account_id, task_id, id);
--bun:split
CREATE TABLE activity (
    id {{.PK}},
    account_id {{.Big}} NOT NULL,
    project_id {{.Big}} NOT NULL,
    list_id {{.Big}},
    actor_id {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    verb TEXT NOT NULL,
    target_type TEXT NOT NULL,
    target_id {{.Big}} NOT NULL,
    target_title TEXT NOT NULL DEFAULT '',
    created_at {{.Time}} NOT NULL,
    FOREIGN KEY (account_id, project_id) REFERENCES projects (account_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX activity_project ON activity (account_id, project_id, id);
