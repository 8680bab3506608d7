-- Two-factor sign-in (core/auth, totp.go): a person's TOTP secret, sealed with the server key
-- (core/seal, purpose auth.totp, bound to the user id); confirmed_at is null while the
-- enrolment waits for its first code; last_step is the 30-second step of the last code
-- accepted, so a code is never accepted twice. Recovery codes are kept as SHA-256 hashes and
-- used once.
CREATE TABLE auth_totp (
    user_id {{.Big}} PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret TEXT NOT NULL,
    confirmed_at {{.Time}},
    last_step {{.Big}} NOT NULL DEFAULT 0,
    created_at {{.Time}} NOT NULL
);
--bun:split
CREATE TABLE auth_recovery_codes (
    id {{.PK}},
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at {{.Time}}
);
--bun:split
CREATE INDEX auth_recovery_codes_user ON auth_recovery_codes (user_id, code_hash);
