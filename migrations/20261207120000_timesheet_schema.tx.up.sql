-- The timesheet module (modules/timesheet): the account's administrative time categories, the
-- time people log (integer minutes on a calendar day "YYYY-MM-DD", against a project and
-- optionally a task of it — ids of the projects module, which keeps no link to them — or a
-- category), and each person's weeks ("2026-W49") with their approval state (core/workflow
-- keeps the transitions). An erased person's entries stay for the account's totals with no
-- user_id; their weeks too.
CREATE TABLE time_categories (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    billable {{.Bool}} NOT NULL DEFAULT FALSE,
    archived_at {{.Time}},
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX time_categories_account_name ON time_categories (account_id, name)
--bun:split
CREATE UNIQUE INDEX time_categories_account_id ON time_categories (account_id, id)
--bun:split
CREATE TABLE time_entries (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    day TEXT NOT NULL,
    minutes INTEGER NOT NULL CHECK (minutes > 0 AND minutes <= 1440),
    project_id {{.Big}},
    task_id {{.Big}},
    category_id {{.Big}},
    billable {{.Bool}} NOT NULL DEFAULT FALSE,
    note TEXT NOT NULL DEFAULT '',
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL,
    FOREIGN KEY (account_id, category_id) REFERENCES time_categories (account_id, id)
)
--bun:split
CREATE INDEX time_entries_person_day ON time_entries (account_id, user_id, day)
--bun:split
CREATE INDEX time_entries_project_day ON time_entries (account_id, project_id, day)
--bun:split
CREATE INDEX time_entries_day ON time_entries (account_id, day)
--bun:split
CREATE TABLE timesheet_weeks (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    week TEXT NOT NULL,
    state TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    decided_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    decided_at {{.Time}},
    submitted_at {{.Time}},
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX timesheet_weeks_person_week ON timesheet_weeks (account_id, user_id, week)
--bun:split
CREATE INDEX timesheet_weeks_state ON timesheet_weeks (account_id, state, week)
