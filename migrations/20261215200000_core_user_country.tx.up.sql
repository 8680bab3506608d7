-- A person's country, when it is not their account's: their public holidays (core/holidays)
-- follow it. Empty follows the account's country (accounts.country).
ALTER TABLE users ADD COLUMN country TEXT NOT NULL DEFAULT ''
