-- Files attached to tasks and to their comments (modules/files, attach*.go). The file lives in
-- its project's "Attachments" folder like any other (quota, versions, trash); this row says
-- which task (and comment) it belongs to. task_id and comment_id are the projects module's
-- ids, checked through its TasksSeen port (no foreign key across modules). Removing an
-- attachment deletes the row and moves the file to the trash.
CREATE TABLE files_attachments (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    task_id {{.Big}} NOT NULL,
    comment_id {{.Big}},
    file_id {{.Big}} NOT NULL REFERENCES files_files(id) ON DELETE CASCADE,
    created_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    created_at {{.Time}} NOT NULL
)
--bun:split
CREATE INDEX files_attachments_task ON files_attachments (account_id, task_id, id)
--bun:split
CREATE UNIQUE INDEX files_attachments_file ON files_attachments (account_id, file_id)
