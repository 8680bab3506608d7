CREATE TABLE outbox (
    id {{.PK}},
    account_id {{.Big}},
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    depth INTEGER NOT NULL DEFAULT 0,
    actor_id {{.Big}},
    created_at {{.Time}} NOT NULL,
    sent_at {{.Time}}
);
--bun:split
CREATE INDEX outbox_unsent ON outbox (sent_at, id);
--bun:split
CREATE TABLE event_receipts (
    event_id {{.Big}} NOT NULL,
    handler TEXT NOT NULL,
    created_at {{.Time}} NOT NULL,
    PRIMARY KEY (event_id, handler)
);
