-- Single sign-on (modules/sso): whether the holder of the login proved it (password, and code
-- when two-factor is on) when it was linked to the account's provider. A link made on the
-- provider's word alone (the login was active in no other account then; links made before
-- this column) asks for that proof once the login reaches another account: the account's
-- administrators control its provider, a session reaches all of a person's accounts.
ALTER TABLE sso_identities ADD COLUMN proven {{.Bool}} NOT NULL DEFAULT FALSE
