-- Timesheet reminders (modules/timesheet, jobs_capacity.go): each account's reminder setting
-- (on which weekday, 1 Monday to 7 Sunday, and hour of each person's own time zone people whose
-- week is incomplete are reminded; none: Friday 16:00), and the reminders sent, one per person
-- and ISO week at most.
CREATE TABLE timesheet_settings (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    reminders {{.Bool}} NOT NULL DEFAULT TRUE,
    reminder_weekday INTEGER NOT NULL DEFAULT 5 CHECK (reminder_weekday >= 1 AND reminder_weekday <= 7),
    reminder_hour INTEGER NOT NULL DEFAULT 16 CHECK (reminder_hour >= 0 AND reminder_hour <= 23),
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX timesheet_settings_account ON timesheet_settings (account_id)
--bun:split
CREATE TABLE timesheet_reminders (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    week TEXT NOT NULL,
    logged_minutes INTEGER NOT NULL,
    expected_minutes INTEGER NOT NULL,
    sent_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX timesheet_reminders_person_week ON timesheet_reminders (account_id, user_id, week)
