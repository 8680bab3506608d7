-- An invitation's inviter may be erased (GDPR, core/identity's PersonalData): invited_by
-- becomes nullable and is set to NULL when the inviter's login is deleted, instead of
-- forbidding that deletion. The invitation itself belongs to the invited person and stays.
-- SQLite cannot change a column's constraints: the table is rebuilt (nothing references it).
{{if .Postgres}}
ALTER TABLE invitations ALTER COLUMN invited_by DROP NOT NULL
--bun:split
ALTER TABLE invitations DROP CONSTRAINT invitations_invited_by_fkey
--bun:split
ALTER TABLE invitations ADD CONSTRAINT invitations_invited_by_fkey FOREIGN KEY (invited_by) REFERENCES users(id) ON DELETE SET NULL
{{else}}
CREATE TABLE invitations_rebuilt (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    invited_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at {{.Time}} NOT NULL,
    accepted_at {{.Time}},
    created_at {{.Time}} NOT NULL
)
--bun:split
INSERT INTO invitations_rebuilt (id, account_id, user_id, invited_by, token_hash, expires_at, accepted_at, created_at)
    SELECT id, account_id, user_id, invited_by, token_hash, expires_at, accepted_at, created_at FROM invitations
--bun:split
DROP TABLE invitations
--bun:split
ALTER TABLE invitations_rebuilt RENAME TO invitations
--bun:split
CREATE INDEX invitations_account ON invitations (account_id, user_id)
{{end}}
