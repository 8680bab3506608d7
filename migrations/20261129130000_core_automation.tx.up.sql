CREATE TABLE automation_rules (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    event_type TEXT NOT NULL,
    conditions TEXT NOT NULL,
    actions TEXT NOT NULL,
    enabled {{.Bool}} NOT NULL DEFAULT TRUE,
    created_by {{.Big}},
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX automation_rules_event ON automation_rules (account_id, event_type, enabled);
--bun:split
CREATE TABLE automation_runs (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    rule_id {{.Big}} NOT NULL REFERENCES automation_rules(id) ON DELETE CASCADE,
    event_id {{.Big}} NOT NULL,
    depth INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    created_at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX automation_runs_rule ON automation_runs (account_id, rule_id, id);
