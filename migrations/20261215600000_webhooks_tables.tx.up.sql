-- The webhooks module (modules/webhooks): the URLs an account's admins registered, per event
-- type (events: a JSON array of types, "*" for all), with the secret that signs each delivery
-- (kept as is: HMAC needs it in clear, and core has no sealing helper yet), whether the hook is
-- enabled, and how many deliveries failed in a row (at the limit the hook is disabled). A
-- message is the JSON body of one event as the hooks get it, kept once whatever the number of
-- hooks it goes to; a delivery is one message for one hook, written in the event's transaction
-- (so a restart loses none) and sent by the module's job: its state, its attempts, when it is
-- due next, and what the last attempt got (status, duration, error, the first bytes of the
-- answer). created_by is personal data: erasure sets it null (and scrubs the person's name and
-- email from the messages).
CREATE TABLE webhooks_hooks (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    enabled {{.Bool}} NOT NULL DEFAULT TRUE,
    failures INTEGER NOT NULL DEFAULT 0,
    disabled_at {{.Time}},
    last_delivery_at {{.Time}},
    last_status INTEGER NOT NULL DEFAULT 0,
    created_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE INDEX webhooks_hooks_account ON webhooks_hooks (account_id, enabled)
--bun:split
CREATE TABLE webhooks_messages (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    event_id {{.Big}} NOT NULL,
    event_type TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at {{.Time}} NOT NULL
)
--bun:split
CREATE INDEX webhooks_messages_created ON webhooks_messages (account_id, created_at)
--bun:split
CREATE TABLE webhooks_deliveries (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    webhook_id {{.Big}} NOT NULL REFERENCES webhooks_hooks(id) ON DELETE CASCADE,
    message_id {{.Big}} NOT NULL REFERENCES webhooks_messages(id) ON DELETE CASCADE,
    event_id {{.Big}} NOT NULL,
    event_type TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at {{.Time}},
    claimed_until {{.Time}},
    status_code INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    error TEXT NOT NULL DEFAULT '',
    response TEXT NOT NULL DEFAULT '',
    created_at {{.Time}} NOT NULL,
    attempted_at {{.Time}}
)
--bun:split
CREATE INDEX webhooks_deliveries_hook ON webhooks_deliveries (account_id, webhook_id, id)
--bun:split
CREATE INDEX webhooks_deliveries_message ON webhooks_deliveries (account_id, message_id)
--bun:split
CREATE INDEX webhooks_deliveries_due ON webhooks_deliveries (state, next_at)
