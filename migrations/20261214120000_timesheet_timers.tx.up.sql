-- The timesheet's timers, period lock and estimate alerts (modules/timesheet, service_timers.go,
-- service_lock.go, service_alerts.go): a person's running timer (at most one: stopping it makes
-- a time entry), the account's period lock (no time changes on a day before locked_before),
-- and the tasks whose logged time passed their estimate (so the leader hears of it once per
-- estimate). A timer names its person and goes with them; the other two name nobody.
CREATE TABLE timesheet_timers (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    project_id {{.Big}},
    task_id {{.Big}},
    category_id {{.Big}},
    note TEXT NOT NULL DEFAULT '',
    started_at {{.Time}} NOT NULL,
    created_at {{.Time}} NOT NULL,
    FOREIGN KEY (account_id, category_id) REFERENCES time_categories (account_id, id)
)
--bun:split
CREATE UNIQUE INDEX timesheet_timers_person ON timesheet_timers (account_id, user_id)
--bun:split
CREATE TABLE timesheet_period_locks (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    locked_before TEXT NOT NULL DEFAULT '',
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX timesheet_period_locks_account ON timesheet_period_locks (account_id)
--bun:split
CREATE TABLE timesheet_estimate_alerts (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    task_id {{.Big}} NOT NULL,
    project_id {{.Big}} NOT NULL,
    estimate_minutes INTEGER NOT NULL,
    logged_minutes INTEGER NOT NULL,
    created_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX timesheet_estimate_alerts_task ON timesheet_estimate_alerts (account_id, task_id, estimate_minutes)
