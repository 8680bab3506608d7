-- Project categories (modules/projects, service_categories.go): the account's administrators
-- keep the list (GroupCamp's group categories), a project names one by id. The category name
-- stays on projects.category as a copy kept in step with the list (renames and deletions
-- rewrite it in the same transaction), so every reader of a project's category — the JSON's
-- "category", search, exports, templates — reads it as before.
-- A name is unique per account ignoring case: lower() folds ASCII on SQLite and every script
-- on PostgreSQL; the service compares with Unicode case folding before writing, so Cyrillic or
-- accented names are refused on SQLite too.
CREATE TABLE project_categories (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    color TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL DEFAULT 0,
    created_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX project_categories_account_name ON project_categories (account_id, lower(name))
--bun:split
CREATE INDEX project_categories_account_position ON project_categories (account_id, position, id)
--bun:split
CREATE INDEX project_categories_created_by ON project_categories (account_id, created_by)
--bun:split
ALTER TABLE projects ADD COLUMN category_id {{.Big}} REFERENCES project_categories(id) ON DELETE SET NULL
--bun:split
CREATE INDEX projects_account_category ON projects (account_id, category_id)
--bun:split
-- The free-text categories projects had become the list: one category per account and name
-- (ignoring case and surrounding spaces; the first spelling in the order of the names wins),
-- numbered in the order of their names.
INSERT INTO project_categories (account_id, name, position, created_at, updated_at)
SELECT account_id, name, ROW_NUMBER() OVER (PARTITION BY account_id ORDER BY name), created_at, created_at FROM (
    SELECT account_id, MIN(TRIM(category)) AS name, MIN(created_at) AS created_at
    FROM projects WHERE TRIM(category) <> '' GROUP BY account_id, lower(TRIM(category))
) AS legacy
--bun:split
UPDATE projects SET
    category_id = (SELECT c.id FROM project_categories c WHERE c.account_id = projects.account_id AND lower(c.name) = lower(TRIM(projects.category))),
    category = COALESCE((SELECT c.name FROM project_categories c WHERE c.account_id = projects.account_id AND lower(c.name) = lower(TRIM(projects.category))), '')
WHERE TRIM(category) <> ''
