-- What a personal API token may do (core/auth, Scopes): a space-separated list of "read",
-- "write" and "<object-prefix>:read" / "<object-prefix>:write". Every token issued before
-- scopes existed keeps full access: "write" is everything its owner's role allows.
ALTER TABLE api_tokens ADD COLUMN scopes TEXT NOT NULL DEFAULT 'write'
