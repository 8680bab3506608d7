-- The extranet module (modules/extranet): deliverables a team submits to a client company for
-- approval, on a project the company is a client of, and their rounds: each submission or
-- resubmission is a round with its own description, file and decision (the history stays
-- readable). state and round on the deliverable are those of its latest round. An erased
-- person's deliverables and rounds stay with the account, without them.
CREATE TABLE extranet_deliverables (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    project_id {{.Big}} NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    company_id {{.Big}} NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    state TEXT NOT NULL,
    round INTEGER NOT NULL,
    submitted_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE INDEX extranet_deliverables_company ON extranet_deliverables (account_id, company_id, id)
--bun:split
CREATE INDEX extranet_deliverables_project ON extranet_deliverables (account_id, project_id, id)
--bun:split
CREATE INDEX extranet_deliverables_submitter ON extranet_deliverables (account_id, submitted_by)
--bun:split
CREATE TABLE extranet_rounds (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    deliverable_id {{.Big}} NOT NULL REFERENCES extranet_deliverables(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    file_id {{.Big}} REFERENCES files_files(id) ON DELETE SET NULL,
    file_name TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    submitted_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    submitted_at {{.Time}} NOT NULL,
    decided_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    decided_at {{.Time}},
    comment TEXT NOT NULL DEFAULT ''
)
--bun:split
CREATE UNIQUE INDEX extranet_rounds_n ON extranet_rounds (account_id, deliverable_id, n)
--bun:split
CREATE INDEX extranet_rounds_submitter ON extranet_rounds (account_id, submitted_by)
--bun:split
CREATE INDEX extranet_rounds_decider ON extranet_rounds (account_id, decided_by)
