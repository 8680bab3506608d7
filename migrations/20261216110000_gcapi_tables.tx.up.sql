-- The GroupCamp-compatible API (modules/gcapi). A key pair belongs to one account and one
-- application (provisioning or reporting): key_id is the public half the scripts send, the
-- secret is sealed with the server key (core/seal, bound to the row's id) because the HMAC
-- check needs it in clear; revoked_at ends it. created_by is personal data: erasure sets it
-- null. A page is one page of a "full" paged answer, kept until expires_at (then 410).
CREATE TABLE gcapi_keys (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    application TEXT NOT NULL,
    key_id TEXT NOT NULL,
    secret TEXT NOT NULL DEFAULT '',
    label TEXT NOT NULL DEFAULT '',
    created_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    created_at {{.Time}} NOT NULL,
    last_used_at {{.Time}},
    revoked_at {{.Time}}
)
--bun:split
CREATE UNIQUE INDEX gcapi_keys_key ON gcapi_keys (key_id)
--bun:split
CREATE INDEX gcapi_keys_account ON gcapi_keys (account_id, revoked_at)
--bun:split
CREATE TABLE gcapi_pages (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    token TEXT NOT NULL,
    page INTEGER NOT NULL,
    page_count INTEGER NOT NULL,
    body TEXT NOT NULL,
    expires_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX gcapi_pages_token ON gcapi_pages (account_id, token, page)
--bun:split
CREATE INDEX gcapi_pages_expires ON gcapi_pages (expires_at)
