-- Project templates and per-project settings (modules/projects, service_templates.go):
--
--   - is_template marks a project that others are created from; templates are listed apart
--     (not among the active projects), their tasks stay out of "my tasks" and reminders.
--   - apps are the apps (tabs) a project shows, a JSON list of keys; existing projects keep
--     every app.
--   - tag_colors maps a tag to a colour of the palette, a JSON object; a tag without an
--     entry gets a colour derived from its name.
--
-- Plain columns on projects: a template is a project like any other (its members, lists and
-- tasks live in the usual tables), and the listing index (account_id, state, id) still serves
-- the filter, which only drops rows of the same state.
ALTER TABLE projects ADD COLUMN is_template {{.Bool}} NOT NULL DEFAULT FALSE;
--bun:split
ALTER TABLE projects ADD COLUMN apps TEXT NOT NULL DEFAULT '["tasks","board","gantt","calendar","files"]';
--bun:split
ALTER TABLE projects ADD COLUMN tag_colors TEXT NOT NULL DEFAULT '{}';
