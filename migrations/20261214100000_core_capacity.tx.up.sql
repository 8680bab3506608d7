-- Capacity (core/capacity): the account's work capacity profiles (minutes per weekday, caps
-- on the time entered per day and per ISO week), which profile a person works under from which
-- day on (history kept: one row per change), the account's job roles with their default cost
-- and bill rates, and each person's role and own cost rate. The timesheet caps and reminders
-- read them; resource planning will.
CREATE TABLE capacity_profiles (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    mon INTEGER NOT NULL CHECK (mon >= 0 AND mon <= 1440),
    tue INTEGER NOT NULL CHECK (tue >= 0 AND tue <= 1440),
    wed INTEGER NOT NULL CHECK (wed >= 0 AND wed <= 1440),
    thu INTEGER NOT NULL CHECK (thu >= 0 AND thu <= 1440),
    fri INTEGER NOT NULL CHECK (fri >= 0 AND fri <= 1440),
    sat INTEGER NOT NULL CHECK (sat >= 0 AND sat <= 1440),
    sun INTEGER NOT NULL CHECK (sun >= 0 AND sun <= 1440),
    max_day_minutes INTEGER NOT NULL DEFAULT 0 CHECK (max_day_minutes >= 0 AND max_day_minutes <= 1440),
    max_week_minutes INTEGER NOT NULL DEFAULT 0 CHECK (max_week_minutes >= 0 AND max_week_minutes <= 10080),
    is_default {{.Bool}} NOT NULL DEFAULT FALSE,
    archived_at {{.Time}},
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX capacity_profiles_account_name ON capacity_profiles (account_id, name)
--bun:split
CREATE UNIQUE INDEX capacity_profiles_account_id ON capacity_profiles (account_id, id)
--bun:split
CREATE UNIQUE INDEX capacity_profiles_default ON capacity_profiles (account_id) WHERE is_default
--bun:split
CREATE TABLE capacity_assignments (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    profile_id {{.Big}} NOT NULL,
    starts_on TEXT NOT NULL,
    created_at {{.Time}} NOT NULL,
    FOREIGN KEY (account_id, profile_id) REFERENCES capacity_profiles (account_id, id)
)
--bun:split
CREATE UNIQUE INDEX capacity_assignments_person_day ON capacity_assignments (account_id, user_id, starts_on)
--bun:split
CREATE INDEX capacity_assignments_profile ON capacity_assignments (account_id, profile_id)
--bun:split
CREATE TABLE job_roles (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    cost_rate_minor {{.Big}} NOT NULL DEFAULT 0 CHECK (cost_rate_minor >= 0),
    bill_rate_minor {{.Big}} NOT NULL DEFAULT 0 CHECK (bill_rate_minor >= 0),
    archived_at {{.Time}},
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX job_roles_account_name ON job_roles (account_id, name)
--bun:split
CREATE UNIQUE INDEX job_roles_account_id ON job_roles (account_id, id)
--bun:split
CREATE TABLE person_rates (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role_id {{.Big}},
    cost_rate_minor {{.Big}} CHECK (cost_rate_minor >= 0),
    updated_at {{.Time}} NOT NULL,
    FOREIGN KEY (account_id, role_id) REFERENCES job_roles (account_id, id)
)
--bun:split
CREATE UNIQUE INDEX person_rates_person ON person_rates (account_id, user_id)
