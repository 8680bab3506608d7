-- Personal spaces (modules/files, personal.go): each person's own folder tree. Its top folder
-- has owner_id set and no parent nor project; every folder below keeps its top's owner_id, as
-- a project's folders keep project_id. Only the owner sees a folder with an owner (not even
-- the account's administrators): the rest of the account gets a 404. The name stays unique
-- per place, a person's top counting as their own place. An erasure deletes the person's
-- personal folders with what they hold (files, versions, links, download history).
ALTER TABLE files_folders ADD COLUMN owner_id {{.Big}} REFERENCES users(id) ON DELETE CASCADE
--bun:split
DROP INDEX files_folders_name
--bun:split
CREATE UNIQUE INDEX files_folders_name ON files_folders (account_id, COALESCE(parent_id, 0), COALESCE(project_id, 0), COALESCE(owner_id, 0), name_key) WHERE trashed_at IS NULL
--bun:split
CREATE INDEX files_folders_owner ON files_folders (account_id, owner_id)
