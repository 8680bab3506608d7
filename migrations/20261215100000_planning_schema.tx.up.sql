-- Resource planning (modules/planning). Days are "YYYY-MM-DD" text, as in the timesheet and
-- core/capacity, so that range comparisons are string comparisons on both dialects.
--
-- planning_resources: what can be booked. A person's row (kind person, user_id set) is made
-- lazily, the first time the account's resources are read, so that allocations keep a stable
-- resource id; placeholders (a role not yet staffed) and equipment/rooms are made by people.
-- A placeholder replaced by a person is archived, its allocations moved to the person.
-- country overrides the account's for public holidays ('' : the account's).
CREATE TABLE planning_resources (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    user_id {{.Big}} REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL DEFAULT '',
    role_id {{.Big}},
    capacity_profile_id {{.Big}},
    country TEXT NOT NULL DEFAULT '',
    archived_at {{.Time}},
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX planning_resources_account_id ON planning_resources (account_id, id)
--bun:split
CREATE UNIQUE INDEX planning_resources_person ON planning_resources (account_id, user_id)
--bun:split
-- planning_allocations: a resource booked on a project (optionally a task) every working day
-- of a range, minutes_per_day or percent of the day's capacity (one of the two), repeated
-- repeat_weeks more weeks. project_id and task_id are ids of the projects module.
CREATE TABLE planning_allocations (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    resource_id {{.Big}} NOT NULL,
    project_id {{.Big}} NOT NULL,
    task_id {{.Big}},
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    last_on TEXT NOT NULL,
    minutes_per_day INTEGER NOT NULL DEFAULT 0,
    percent INTEGER NOT NULL DEFAULT 0,
    tentative {{.Bool}} NOT NULL DEFAULT FALSE,
    note TEXT NOT NULL DEFAULT '',
    repeat_weeks INTEGER NOT NULL DEFAULT 0,
    created_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL,
    FOREIGN KEY (account_id, resource_id) REFERENCES planning_resources (account_id, id) ON DELETE CASCADE
)
--bun:split
-- last_on is the last day of the last repetition: a range query is starts_on <= to AND last_on >= from.
CREATE INDEX planning_allocations_range ON planning_allocations (account_id, starts_on, last_on)
--bun:split
CREATE INDEX planning_allocations_resource ON planning_allocations (account_id, resource_id, starts_on)
--bun:split
CREATE INDEX planning_allocations_project ON planning_allocations (account_id, project_id, starts_on)
--bun:split
-- planning_absence_types: the account's kinds of leave (admin managed), paid or not, with a
-- yearly allowance in days (0: none counted) and how many unused days carry over to next year.
CREATE TABLE planning_absence_types (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    paid {{.Bool}} NOT NULL DEFAULT TRUE,
    allowance_days INTEGER NOT NULL DEFAULT 0,
    carry_over_days INTEGER NOT NULL DEFAULT 0,
    archived_at {{.Time}},
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX planning_absence_types_name ON planning_absence_types (account_id, name)
--bun:split
CREATE UNIQUE INDEX planning_absence_types_account_id ON planning_absence_types (account_id, id)
--bun:split
-- planning_absences: a person's leave, requested then approved or rejected by a manager
-- (core/workflow "planning.absence" holds the history).
CREATE TABLE planning_absences (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    type_id {{.Big}} NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    state TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    decided_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    decided_at {{.Time}},
    comment TEXT NOT NULL DEFAULT '',
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL,
    FOREIGN KEY (account_id, type_id) REFERENCES planning_absence_types (account_id, id)
)
--bun:split
CREATE INDEX planning_absences_range ON planning_absences (account_id, starts_on, ends_on)
--bun:split
CREATE INDEX planning_absences_person ON planning_absences (account_id, user_id, starts_on)
