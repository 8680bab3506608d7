-- A manager's feed of a team (modules/ical): the team's tasks due, as the manager sees them.
-- One URL per manager and team, kept like the personal feeds (a nonce and the SHA-256 of the
-- token, never the token). Deleted with the team, the account or the manager's erasure.
CREATE TABLE ical_team_feeds (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    team_id {{.Big}} NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    nonce TEXT NOT NULL,
    token_hash TEXT NOT NULL,
    created_at {{.Time}} NOT NULL,
    last_fetched_at {{.Time}}
)
--bun:split
CREATE UNIQUE INDEX ical_team_feeds_holder ON ical_team_feeds (account_id, team_id, user_id)
--bun:split
CREATE UNIQUE INDEX ical_team_feeds_token ON ical_team_feeds (token_hash)
--bun:split
CREATE INDEX ical_team_feeds_user ON ical_team_feeds (user_id)
