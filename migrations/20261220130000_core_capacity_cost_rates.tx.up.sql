-- Cost rates with a history (core/capacity, CostBook): a person's own cost rate and a job
-- role's cost rate each change from a day on (one row per change, like person_bill_rates), so
-- that a past period is priced at the rates of its own days, not at today's. A person's row
-- without a rate gives them back their job role's from that day. The rates set before this
-- history existed hold from the beginning ('0001-01-01'). person_rates.cost_rate_minor and
-- job_roles.cost_rate_minor stay, holding the rate in force on the day of the last change.
CREATE TABLE person_cost_rates (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    starts_on TEXT NOT NULL,
    cost_rate_minor {{.Big}} CHECK (cost_rate_minor >= 0),
    created_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX person_cost_rates_person_day ON person_cost_rates (account_id, user_id, starts_on)
--bun:split
CREATE TABLE job_role_cost_rates (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    role_id {{.Big}} NOT NULL,
    starts_on TEXT NOT NULL,
    cost_rate_minor {{.Big}} NOT NULL CHECK (cost_rate_minor >= 0),
    created_at {{.Time}} NOT NULL,
    FOREIGN KEY (account_id, role_id) REFERENCES job_roles (account_id, id) ON DELETE CASCADE
)
--bun:split
CREATE UNIQUE INDEX job_role_cost_rates_role_day ON job_role_cost_rates (account_id, role_id, starts_on)
--bun:split
INSERT INTO person_cost_rates (account_id, user_id, starts_on, cost_rate_minor, created_at)
SELECT account_id, user_id, '0001-01-01', cost_rate_minor, updated_at FROM person_rates WHERE cost_rate_minor IS NOT NULL
--bun:split
INSERT INTO job_role_cost_rates (account_id, role_id, starts_on, cost_rate_minor, created_at)
SELECT account_id, id, '0001-01-01', cost_rate_minor, created_at FROM job_roles
