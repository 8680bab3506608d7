-- Timesheet reports and the invoicing handoff (modules/timesheet, service_reports.go and
-- service_invoicing.go): a bill rate per project (in the account's currency, cents per hour,
-- set by an administrator: until a core package keeps people's rates), the batches of draft
-- invoice lines exported (who exported one is in the audit trail, so no person here), and on
-- each time entry the batch that billed it and the rate it was billed at: a billed entry is locked and never billed twice.
CREATE TABLE project_rates (
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    project_id {{.Big}} NOT NULL,
    rate_cents {{.Big}} NOT NULL CHECK (rate_cents >= 0),
    updated_at {{.Time}} NOT NULL,
    PRIMARY KEY (account_id, project_id)
)
--bun:split
CREATE TABLE invoice_batches (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    company_id {{.Big}} REFERENCES companies(id) ON DELETE SET NULL,
    company_name TEXT NOT NULL,
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    currency TEXT NOT NULL,
    lines INTEGER NOT NULL,
    entries INTEGER NOT NULL,
    minutes {{.Big}} NOT NULL,
    amount_cents {{.Big}} NOT NULL,
    created_at {{.Time}} NOT NULL,
    undone_at {{.Time}}
)
--bun:split
CREATE UNIQUE INDEX invoice_batches_account_id ON invoice_batches (account_id, id)
--bun:split
CREATE INDEX invoice_batches_account_created ON invoice_batches (account_id, created_at)
--bun:split
ALTER TABLE time_entries ADD COLUMN invoice_batch_id {{.Big}} REFERENCES invoice_batches(id) ON DELETE SET NULL
--bun:split
ALTER TABLE time_entries ADD COLUMN invoice_rate_cents {{.Big}}
--bun:split
CREATE INDEX time_entries_invoice_batch ON time_entries (account_id, invoice_batch_id)
--bun:split
-- The reports read a period of the account's time grouped by project and person: these
-- indexes hold every column they read, so the grouping reads an index alone — in the order of
-- its groups for a long period (by project then person), or just the days of a short one.
CREATE INDEX time_entries_report ON time_entries (account_id, day, project_id, user_id, billable, minutes)
--bun:split
CREATE INDEX time_entries_report_project ON time_entries (account_id, project_id, user_id, task_id, day, billable, minutes)
