-- The extranet's branding per account (modules/extranet): the logo (a data URL of a small
-- PNG, JPEG, GIF or WebP image, at most 256 KiB decoded), the primary colour (#rrggbb) and the
-- welcome text the client portal shows. One row per account at most; updated_by is the admin
-- who last changed it (detached by an erasure).
CREATE TABLE extranet_branding (
    account_id {{.Big}} NOT NULL PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    logo TEXT NOT NULL DEFAULT '',
    color TEXT NOT NULL DEFAULT '',
    welcome TEXT NOT NULL DEFAULT '',
    updated_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE INDEX extranet_branding_updater ON extranet_branding (account_id, updated_by)
