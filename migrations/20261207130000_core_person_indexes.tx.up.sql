-- A person's rows by the column that names them, for the privacy module's access report, export
-- and erasure (core/*/privacy.go): without these every report scanned the whole outbox and audit
-- trail of the account.
CREATE INDEX outbox_actor ON outbox (account_id, actor_id)
--bun:split
CREATE INDEX audit_events_actor ON audit_events (account_id, actor_id)
--bun:split
CREATE INDEX workflow_transitions_actor ON workflow_transitions (account_id, actor_id)
