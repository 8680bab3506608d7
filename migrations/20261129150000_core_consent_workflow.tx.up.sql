ALTER TABLE support_grants ADD COLUMN state TEXT NOT NULL DEFAULT 'granted';
--bun:split
ALTER TABLE support_grants ADD COLUMN requested_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL;
--bun:split
CREATE INDEX support_grants_state ON support_grants (state, expires_at);
