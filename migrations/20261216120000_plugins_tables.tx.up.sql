-- The plugin host (plugins/host): which plugins an account's admins enabled, with the
-- capabilities they granted (a JSON array, a subset of what the plugin's manifest asks) and
-- the plugin's settings for the account (JSON sealed with the server key: they may hold a
-- secret); and the events waiting to be handed to a plugin that listens to them, written in
-- the event's transaction (so a restart loses none) and sent by the module's job, retried
-- with back-off: attempts, when it is due next, who holds it (claimed_until) and the last
-- error. A delivered event's row is deleted. No column names a person.
CREATE TABLE plugin_enablements (
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    plugin TEXT NOT NULL,
    enabled {{.Bool}} NOT NULL DEFAULT FALSE,
    capabilities TEXT NOT NULL DEFAULT '[]',
    settings TEXT NOT NULL DEFAULT '',
    updated_at {{.Time}} NOT NULL,
    PRIMARY KEY (account_id, plugin)
)
--bun:split
CREATE TABLE plugin_deliveries (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    plugin TEXT NOT NULL,
    event_id {{.Big}} NOT NULL,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    event_at {{.Time}} NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at {{.Time}} NOT NULL,
    claimed_until {{.Time}},
    last_error TEXT NOT NULL DEFAULT ''
)
--bun:split
CREATE UNIQUE INDEX plugin_deliveries_event ON plugin_deliveries (account_id, plugin, event_id)
--bun:split
CREATE INDEX plugin_deliveries_due ON plugin_deliveries (next_at)
