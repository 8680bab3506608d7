-- The privacy module's requests (modules/privacy): a person's export, the erasure of a person
-- (asked by themselves or by an admin) and the closure of the account. A request is a job with
-- steps: `steps` lists the personal-data providers already done, each recorded in the same
-- transaction as its erasure, so that a job that crashed resumes where it stopped. user_id is
-- the person the request is about; it is cleared when they are erased, and requested_by when
-- the requester is, so that the request keeps "a person was erased on that day" and nothing of
-- them. subject is a keyed hash of the account and the person's id: it lets a second erasure
-- of the same person answer with the first (idempotent) without keeping who they were.
CREATE TABLE privacy_requests (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    user_id {{.Big}},
    subject TEXT NOT NULL DEFAULT '',
    requested_by {{.Big}},
    state TEXT NOT NULL,
    progress INTEGER NOT NULL DEFAULT 0,
    keep_text {{.Bool}} NOT NULL DEFAULT FALSE,
    steps TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    due_at {{.Time}},
    expires_at {{.Time}},
    used_at {{.Time}},
    finished_at {{.Time}},
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE INDEX privacy_requests_person ON privacy_requests (account_id, user_id, kind)
--bun:split
CREATE INDEX privacy_requests_due ON privacy_requests (state, due_at)
--bun:split
CREATE INDEX privacy_requests_subject ON privacy_requests (account_id, subject)
--bun:split
-- An account's privacy settings: how many days connection data (IP address, browser, URL of
-- sign-ins and sessions) is kept, and whether an erasure keeps the free text a person wrote in
-- shared records (comments), detached from them.
CREATE TABLE privacy_settings (
    account_id {{.Big}} PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    connection_days INTEGER NOT NULL,
    keep_text {{.Bool}} NOT NULL DEFAULT FALSE,
    updated_at {{.Time}} NOT NULL
)
