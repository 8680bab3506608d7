CREATE TABLE sessions (
    id {{.PK}},
    token_hash TEXT NOT NULL UNIQUE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    created_at {{.Time}} NOT NULL,
    last_seen_at {{.Time}} NOT NULL,
    expires_at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX sessions_user ON sessions (user_id);
--bun:split
CREATE TABLE api_tokens (
    id {{.PK}},
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    prefix TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at {{.Time}} NOT NULL,
    expires_at {{.Time}},
    last_used_at {{.Time}},
    revoked_at {{.Time}}
);
--bun:split
CREATE INDEX api_tokens_user ON api_tokens (user_id);
--bun:split
CREATE TABLE login_failures (
    id {{.PK}},
    email TEXT NOT NULL,
    ip TEXT NOT NULL,
    created_at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX login_failures_email ON login_failures (email, created_at);
--bun:split
CREATE INDEX login_failures_ip ON login_failures (ip, created_at);
--bun:split
CREATE TABLE password_resets (
    id {{.PK}},
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at {{.Time}} NOT NULL,
    used_at {{.Time}},
    created_at {{.Time}} NOT NULL
);
--bun:split
CREATE TABLE audit_events (
    id {{.PK}},
    account_id {{.Big}} REFERENCES accounts(id) ON DELETE CASCADE,
    actor_id {{.Big}},
    actor_name TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    created_at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX audit_events_account ON audit_events (account_id, id);
