CREATE TABLE notifications (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    text TEXT NOT NULL,
    link TEXT NOT NULL DEFAULT '',
    digest_pending {{.Bool}} NOT NULL DEFAULT FALSE,
    created_at {{.Time}} NOT NULL,
    read_at {{.Time}}
);
--bun:split
CREATE INDEX notifications_user ON notifications (account_id, user_id, id);
--bun:split
CREATE INDEX notifications_unread ON notifications (account_id, user_id) WHERE read_at IS NULL;
--bun:split
CREATE INDEX notifications_digest ON notifications (account_id, user_id) WHERE digest_pending;
--bun:split
CREATE TABLE notification_prefs (
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    event_type TEXT NOT NULL,
    channel TEXT NOT NULL,
    updated_at {{.Time}} NOT NULL,
    PRIMARY KEY (account_id, user_id, event_type)
);
--bun:split
CREATE TABLE mail_blocks (
    id {{.PK}},
    account_id {{.Big}} NOT NULL,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at {{.Time}} NOT NULL,
    lifted_at {{.Time}},
    lifted_by {{.Big}}
);
--bun:split
CREATE UNIQUE INDEX mail_blocks_active ON mail_blocks (account_id, user_id) WHERE lifted_at IS NULL;
--bun:split
CREATE INDEX mail_blocks_user ON mail_blocks (user_id);
--bun:split
CREATE TABLE mail_deliveries (
    event_id {{.Big}} PRIMARY KEY,
    account_id {{.Big}},
    user_id {{.Big}} NOT NULL,
    kind TEXT NOT NULL,
    outcome TEXT NOT NULL,
    created_at {{.Time}} NOT NULL
);
