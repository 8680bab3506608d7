-- Time categories of two kinds (modules/timesheet, service_categories.go): administrative
-- (holiday, training, internal — time outside projects, what every category was before) or
-- project (a kind of work logged on projects: design, meetings). A project entry may now also
-- name a project category; a budget line may count only the project's time of one.
ALTER TABLE time_categories ADD COLUMN kind TEXT NOT NULL DEFAULT 'administrative'
--bun:split
ALTER TABLE budget_lines ADD COLUMN category_id {{.Big}}
