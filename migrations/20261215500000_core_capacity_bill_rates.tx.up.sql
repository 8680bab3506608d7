-- People's own bill rates (core/capacity, Rates): what an hour of a person is billed at from a
-- day on, history kept (one row per change, like capacity_assignments), so time is priced at
-- the rate of its own day. A row without a rate gives the person back their job role's from
-- that day. Invoicing (modules/timesheet) prices time with it when a project has no rate of
-- its own for the person or for everyone.
CREATE TABLE person_bill_rates (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    starts_on TEXT NOT NULL,
    bill_rate_minor {{.Big}} CHECK (bill_rate_minor >= 0),
    created_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX person_bill_rates_person_day ON person_bill_rates (account_id, user_id, starts_on)
