-- The name an admin typed when inviting a person who already has a login elsewhere: until
-- they accept, the account shows that name, never the one they gave themselves in another
-- account (which the inviting admin has no business reading). Empty for everyone else.
ALTER TABLE memberships ADD COLUMN invited_name TEXT NOT NULL DEFAULT ''
