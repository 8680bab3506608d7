-- Timesheet invoicing and sharing (modules/timesheet): a project's bill rate for one person
-- (the first rate invoicing looks for; then the project's, the person's, their role's); on each
-- entry of an erased person the rate their time was to be billed at, frozen when they were
-- erased (their own rates leave with them; NULL on entries not invoiceable then); how a batch
-- split its lines; and a project's time report shared with its client company (the client
-- users of that company read its weekly totals in the extranet, names only if show_names).
CREATE TABLE project_person_rates (
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    project_id {{.Big}} NOT NULL,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    rate_cents {{.Big}} NOT NULL CHECK (rate_cents >= 0),
    updated_at {{.Time}} NOT NULL,
    PRIMARY KEY (account_id, project_id, user_id)
)
--bun:split
CREATE INDEX project_person_rates_person ON project_person_rates (account_id, user_id)
--bun:split
ALTER TABLE time_entries ADD COLUMN former_rate_cents {{.Big}}
--bun:split
ALTER TABLE invoice_batches ADD COLUMN line_split TEXT NOT NULL DEFAULT ''
--bun:split
CREATE TABLE time_report_shares (
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    project_id {{.Big}} NOT NULL,
    company_id {{.Big}} NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    show_names {{.Bool}} NOT NULL DEFAULT FALSE,
    updated_at {{.Time}} NOT NULL,
    PRIMARY KEY (account_id, project_id)
)
