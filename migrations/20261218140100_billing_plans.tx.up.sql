-- Billing (modules/billing): the catalogue as the platform admin edited it. A plan without a
-- row keeps its defaults (the code's); an edited plan's quotas (a JSON object of quota to
-- limit, -1 for none) and monthly prices (a JSON object of offering to {minor, per_seat})
-- replace them. Not an account's data: no account_id.
CREATE TABLE billing_plans (
    plan TEXT PRIMARY KEY,
    quotas TEXT NOT NULL,
    prices TEXT NOT NULL,
    updated_at {{.Time}} NOT NULL
)
