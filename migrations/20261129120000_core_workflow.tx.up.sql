CREATE TABLE workflow_instances (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    definition TEXT NOT NULL,
    entity_type TEXT NOT NULL,
    entity_id {{.Big}} NOT NULL,
    state TEXT NOT NULL,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX workflow_instances_entity ON workflow_instances (account_id, definition, entity_type, entity_id);
--bun:split
CREATE INDEX workflow_instances_state ON workflow_instances (definition, state);
--bun:split
CREATE TABLE workflow_transitions (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    instance_id {{.Big}} NOT NULL REFERENCES workflow_instances(id) ON DELETE CASCADE,
    transition TEXT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    actor_id {{.Big}},
    actor_name TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    created_at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX workflow_transitions_instance ON workflow_transitions (account_id, instance_id, id);
