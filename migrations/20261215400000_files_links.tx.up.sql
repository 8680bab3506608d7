-- Share links of the files module (modules/files, links.go): a link opens one file to anyone
-- holding its token (/s/{token}) — only the token's SHA-256 is kept — until it expires, is
-- revoked or has served max_downloads downloads (0: no limit). The token is an HMAC of nonce
-- under the server's secret key (so the link can be shown again, and a leaked database alone
-- opens nothing); only its SHA-256 is looked up. password_hash is the argon2id
-- hash of its optional password. files_link_failures are the wrong passwords tried, per link
-- and client IP, for the throttle (kept a day). A download through a link is in the file's
-- download history with its link_id and no person.
CREATE TABLE files_links (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    file_id {{.Big}} NOT NULL REFERENCES files_files(id) ON DELETE CASCADE,
    nonce TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    expires_at {{.Time}},
    max_downloads INTEGER NOT NULL DEFAULT 0,
    downloads INTEGER NOT NULL DEFAULT 0,
    created_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    created_at {{.Time}} NOT NULL,
    revoked_at {{.Time}},
    revoked_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL
)
--bun:split
CREATE UNIQUE INDEX files_links_token ON files_links (token_hash)
--bun:split
CREATE INDEX files_links_file ON files_links (account_id, file_id, id)
--bun:split
CREATE INDEX files_links_creator ON files_links (account_id, created_by, created_at)
--bun:split
CREATE TABLE files_link_failures (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    link_id {{.Big}} NOT NULL REFERENCES files_links(id) ON DELETE CASCADE,
    ip TEXT NOT NULL,
    created_at {{.Time}} NOT NULL
)
--bun:split
CREATE INDEX files_link_failures_link ON files_link_failures (account_id, link_id, ip, created_at)
--bun:split
ALTER TABLE files_downloads ADD COLUMN link_id {{.Big}} REFERENCES files_links(id) ON DELETE SET NULL
