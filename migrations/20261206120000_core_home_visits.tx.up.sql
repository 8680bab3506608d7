-- When each person last opened an account's home, for "what changed since your last visit":
-- last_seen_at is the latest visit; since_at the end of the visit before it (a visit is the
-- home opened again within 30 minutes), so that reloading the home does not empty the list.
CREATE TABLE home_visits (
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    last_seen_at {{.Time}} NOT NULL,
    since_at {{.Time}},
    PRIMARY KEY (account_id, user_id)
)
