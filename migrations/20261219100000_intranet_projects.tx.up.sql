-- The intranet (modules/intranet), third slice. A space may belong to a project (project_id):
-- the project's own wiki and discussions, created the first time someone opens them, one per
-- project (unique), seen by whoever the projects module says sees the project, and by the
-- project's clients only when shared_with_clients. It goes with its project.
-- Events repeat: recurrence is '' (once), 'weekly' or 'monthly'; the series ends on recur_until
-- (inclusive, an instant) or after recur_count occurrences (0: no count); series_ends_at is the
-- end of its last occurrence (ends_at for an event that does not repeat), what a range of days
-- is matched against.
ALTER TABLE intranet_spaces ADD COLUMN project_id {{.Big}} REFERENCES projects(id) ON DELETE CASCADE
--bun:split
ALTER TABLE intranet_spaces ADD COLUMN shared_with_clients {{.Bool}} NOT NULL DEFAULT FALSE
--bun:split
CREATE UNIQUE INDEX intranet_spaces_project ON intranet_spaces (account_id, project_id)
--bun:split
ALTER TABLE intranet_events ADD COLUMN recurrence TEXT NOT NULL DEFAULT ''
--bun:split
ALTER TABLE intranet_events ADD COLUMN recur_until {{.Time}}
--bun:split
ALTER TABLE intranet_events ADD COLUMN recur_count INTEGER NOT NULL DEFAULT 0
--bun:split
ALTER TABLE intranet_events ADD COLUMN series_ends_at {{.Time}}
--bun:split
UPDATE intranet_events SET series_ends_at = ends_at
