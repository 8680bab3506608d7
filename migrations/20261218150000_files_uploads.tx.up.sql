-- Resumable uploads (modules/files, resumable.go): a session says what will come (name, size,
-- SHA-256, into which folder or onto which file) and how much came (received); each chunk is
-- kept in the blob store under its own key (up/a{account}/{session}/...) and listed here, so
-- that a chunk is counted once even when two requests race for the same offset (the unique
-- pos). A session is its creator's; it expires a day after its last chunk, and the hourly
-- collector deletes it with its chunks.
CREATE TABLE files_uploads (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    folder_id {{.Big}} REFERENCES files_folders(id) ON DELETE CASCADE,
    file_id {{.Big}} REFERENCES files_files(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    size {{.Big}} NOT NULL,
    sha256 TEXT NOT NULL,
    received {{.Big}} NOT NULL DEFAULT 0,
    created_by {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at {{.Time}} NOT NULL,
    expires_at {{.Time}} NOT NULL
)
--bun:split
CREATE INDEX files_uploads_expiry ON files_uploads (expires_at)
--bun:split
CREATE INDEX files_uploads_person ON files_uploads (account_id, created_by)
--bun:split
CREATE TABLE files_upload_chunks (
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    upload_id {{.Big}} NOT NULL REFERENCES files_uploads(id) ON DELETE CASCADE,
    pos {{.Big}} NOT NULL,
    size {{.Big}} NOT NULL,
    blob_key TEXT NOT NULL,
    PRIMARY KEY (upload_id, pos)
)
