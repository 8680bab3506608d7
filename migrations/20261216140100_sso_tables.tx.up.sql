-- Single sign-on (modules/sso): an account's OpenID Connect settings (issuer, client id, the
-- client secret sealed with the server key, allowed email domains as a JSON array, whether SSO
-- is required of colleagues, just-in-time creation) and whether two-factor sign-in is required
-- of its people; the sign-ins under way (state, nonce and PKCE verifier, each used once, for
-- ten minutes); and the links of a person to their subject at the account's provider, made at
-- their first SSO sign-in. user_id in sso_identities and sso_settings.updated_by is personal
-- data (erasure deletes the link, nulls updated_by).
CREATE TABLE sso_settings (
    account_id {{.Big}} PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    preset TEXT NOT NULL DEFAULT 'custom',
    issuer TEXT NOT NULL DEFAULT '',
    client_id TEXT NOT NULL DEFAULT '',
    client_secret TEXT NOT NULL DEFAULT '',
    domains TEXT NOT NULL DEFAULT '[]',
    required {{.Bool}} NOT NULL DEFAULT FALSE,
    jit {{.Bool}} NOT NULL DEFAULT FALSE,
    require_totp {{.Bool}} NOT NULL DEFAULT FALSE,
    updated_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    updated_at {{.Time}} NOT NULL
);
--bun:split
CREATE TABLE sso_states (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    state_hash TEXT NOT NULL UNIQUE,
    nonce TEXT NOT NULL,
    verifier TEXT NOT NULL,
    next TEXT NOT NULL DEFAULT '',
    expires_at {{.Time}} NOT NULL
);
--bun:split
CREATE TABLE sso_identities (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    created_at {{.Time}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX sso_identities_subject ON sso_identities (account_id, issuer, subject);
--bun:split
CREATE INDEX sso_identities_user ON sso_identities (user_id);
