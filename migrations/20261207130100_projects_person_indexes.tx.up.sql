-- A person's rows by the column that names them, for the privacy module's access report, export
-- and erasure (modules/projects/privacy.go).
CREATE INDEX activity_actor ON activity (account_id, actor_id)
--bun:split
CREATE INDEX comments_author ON comments (account_id, author_id)
--bun:split
CREATE INDEX tasks_created_by ON tasks (account_id, created_by)
