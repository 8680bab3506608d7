-- The calendar feeds (modules/ical): one secret feed URL per person, across their accounts.
-- Only a random nonce and the SHA-256 of the URL's token are kept: the token is an HMAC of the
-- nonce under the server's secret key, so the profile can show the URL again while a copy of
-- the database alone gives no working URL. Rotating replaces the row's nonce and hash (the
-- old URL answers 404); erasing the person deletes the row.
CREATE TABLE ical_feeds (
    id {{.PK}},
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    nonce TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at {{.Time}} NOT NULL,
    last_fetched_at {{.Time}}
)
--bun:split
CREATE UNIQUE INDEX ical_feeds_user ON ical_feeds (user_id)
--bun:split
CREATE UNIQUE INDEX ical_feeds_token ON ical_feeds (token_hash)
