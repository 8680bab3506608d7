-- The files module's settings per account (modules/files, settings.go): how many days the
-- trash keeps what is deleted before the daily purge deletes it for good (an administrator
-- sets it; no row: the default, 30).
CREATE TABLE files_settings (
    account_id {{.Big}} PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    trash_days INTEGER NOT NULL,
    updated_at {{.Time}} NOT NULL
)
