-- A comment's author may edit it (PATCH /api/v1/{slug}/comments/{id}); edited_at is when they
-- last did, null for a comment never edited — the task page shows "(edited)".
ALTER TABLE comments ADD COLUMN edited_at {{.Time}}
