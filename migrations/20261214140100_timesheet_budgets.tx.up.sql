-- Project budgets (modules/timesheet, service_budgets.go): a project's budget lines — the
-- project's total, or the time of one job role (core/capacity job_roles) — each with planned
-- minutes and/or an amount in minor units of the account's currency, and optional first and
-- last days. alerted is the highest threshold (0, 80, 100 percent) already announced for the
-- line, so each is announced once; an edit that brings the line back under lowers it again.
-- project_id is an id of the projects module, which keeps no link to it. No person is named.
CREATE TABLE budget_lines (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    project_id {{.Big}} NOT NULL,
    kind TEXT NOT NULL,
    role_id {{.Big}},
    name TEXT NOT NULL DEFAULT '',
    minutes INTEGER,
    amount_minor {{.Big}},
    starts_on TEXT,
    ends_on TEXT,
    alerted INTEGER NOT NULL DEFAULT 0,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE INDEX budget_lines_project ON budget_lines (account_id, project_id)
