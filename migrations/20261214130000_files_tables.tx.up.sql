-- The files module (modules/files): folders (a tree per project, or the account's shared
-- root), files in them, each file's versions, the blobs the versions hold (content-addressed
-- per account, reference counted: refs is the number of versions that hold the blob; a blob
-- with no reference since unreferenced_at is the garbage collector's after an hour), which
-- folders are shared with which client companies, and the download history. name_key is the
-- name folded for uniqueness (NFC, case folded): two names that differ only by case or Unicode
-- normalization clash in a folder. An erased person's folders, files and versions stay with
-- the account, without them.
CREATE TABLE files_blobs (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    sha256 TEXT NOT NULL,
    size {{.Big}} NOT NULL,
    refs INTEGER NOT NULL DEFAULT 0,
    stored {{.Bool}} NOT NULL DEFAULT FALSE,
    created_at {{.Time}} NOT NULL,
    unreferenced_at {{.Time}}
)
--bun:split
CREATE UNIQUE INDEX files_blobs_account_sha ON files_blobs (account_id, sha256)
--bun:split
CREATE INDEX files_blobs_unreferenced ON files_blobs (refs, unreferenced_at)
--bun:split
CREATE TABLE files_folders (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    parent_id {{.Big}} REFERENCES files_folders(id) ON DELETE CASCADE,
    project_id {{.Big}},
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    visibility TEXT NOT NULL DEFAULT 'internal',
    created_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL,
    trashed_at {{.Time}},
    trashed_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL
)
--bun:split
CREATE UNIQUE INDEX files_folders_name ON files_folders (account_id, COALESCE(parent_id, 0), COALESCE(project_id, 0), name_key) WHERE trashed_at IS NULL
--bun:split
CREATE INDEX files_folders_parent ON files_folders (account_id, parent_id)
--bun:split
CREATE INDEX files_folders_project ON files_folders (account_id, project_id)
--bun:split
CREATE TABLE files_folder_companies (
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    folder_id {{.Big}} NOT NULL REFERENCES files_folders(id) ON DELETE CASCADE,
    company_id {{.Big}} NOT NULL,
    PRIMARY KEY (account_id, folder_id, company_id)
)
--bun:split
CREATE TABLE files_files (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    folder_id {{.Big}} NOT NULL REFERENCES files_folders(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    size {{.Big}} NOT NULL,
    sha256 TEXT NOT NULL,
    mime TEXT NOT NULL,
    version INTEGER NOT NULL,
    created_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    updated_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL,
    trashed_at {{.Time}},
    trashed_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL
)
--bun:split
CREATE UNIQUE INDEX files_files_name ON files_files (account_id, folder_id, name_key) WHERE trashed_at IS NULL
--bun:split
CREATE INDEX files_files_folder ON files_files (account_id, folder_id, name_key)
--bun:split
CREATE INDEX files_files_trash ON files_files (account_id, trashed_at)
--bun:split
CREATE TABLE files_versions (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    file_id {{.Big}} NOT NULL REFERENCES files_files(id) ON DELETE CASCADE,
    n INTEGER NOT NULL,
    blob_id {{.Big}} NOT NULL REFERENCES files_blobs(id),
    size {{.Big}} NOT NULL,
    sha256 TEXT NOT NULL,
    mime TEXT NOT NULL,
    uploaded_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    created_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX files_versions_file_n ON files_versions (account_id, file_id, n)
--bun:split
CREATE INDEX files_versions_blob ON files_versions (account_id, blob_id)
--bun:split
CREATE INDEX files_versions_uploader ON files_versions (account_id, uploaded_by)
--bun:split
CREATE TABLE files_downloads (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    file_id {{.Big}} NOT NULL REFERENCES files_files(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    user_id {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    created_at {{.Time}} NOT NULL
)
--bun:split
CREATE INDEX files_downloads_file ON files_downloads (account_id, file_id, id)
--bun:split
CREATE INDEX files_downloads_user ON files_downloads (account_id, user_id)
