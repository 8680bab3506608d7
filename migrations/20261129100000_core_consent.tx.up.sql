CREATE TABLE support_grants (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    granted_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    created_at {{.Time}} NOT NULL,
    expires_at {{.Time}} NOT NULL,
    revoked_at {{.Time}},
    revoked_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL
);
--bun:split
CREATE INDEX support_grants_account_scope ON support_grants (account_id, scope, expires_at);
--bun:split
CREATE TABLE app_logs (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    created_at {{.Time}} NOT NULL,
    request_id TEXT NOT NULL DEFAULT '',
    user_id {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    method TEXT NOT NULL,
    route TEXT NOT NULL,
    status INTEGER NOT NULL,
    duration_us {{.Big}} NOT NULL,
    error TEXT NOT NULL DEFAULT ''
);
--bun:split
CREATE INDEX app_logs_account ON app_logs (account_id, id);
--bun:split
CREATE INDEX app_logs_account_created ON app_logs (account_id, created_at);
--bun:split
CREATE TABLE support_requests (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    opened_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    side TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX support_requests_account ON support_requests (account_id, id);
--bun:split
CREATE TABLE support_replies (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    request_id {{.Big}} NOT NULL REFERENCES support_requests(id) ON DELETE CASCADE,
    author_id {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    side TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX support_replies_account_request ON support_replies (account_id, request_id, id);
