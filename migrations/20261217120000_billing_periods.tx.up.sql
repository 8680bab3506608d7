-- Billing (modules/billing), second slice: the current period of each subscription
-- (period_start inclusive, period_end exclusive: the day the next invoice is due; empty until
-- the first subscription), the change scheduled for the next period (a downgrade: pending_plan,
-- pending_offerings as a JSON array, pending_seats; empty when none), the prorated lines'
-- fraction (prorate_days of period_days; 0 of 0: a whole line), what the prepaid balance paid
-- of an invoice (balance_minor), and the PDF the background job renders after the issue.
ALTER TABLE billing_subscriptions ADD COLUMN period_start TEXT NOT NULL DEFAULT ''
--bun:split
ALTER TABLE billing_subscriptions ADD COLUMN period_end TEXT NOT NULL DEFAULT ''
--bun:split
ALTER TABLE billing_subscriptions ADD COLUMN pending_plan TEXT NOT NULL DEFAULT ''
--bun:split
ALTER TABLE billing_subscriptions ADD COLUMN pending_offerings TEXT NOT NULL DEFAULT ''
--bun:split
ALTER TABLE billing_subscriptions ADD COLUMN pending_seats INTEGER NOT NULL DEFAULT 0
--bun:split
CREATE INDEX billing_subscriptions_due ON billing_subscriptions (period_end)
--bun:split
ALTER TABLE billing_invoice_lines ADD COLUMN prorate_days INTEGER NOT NULL DEFAULT 0
--bun:split
ALTER TABLE billing_invoice_lines ADD COLUMN period_days INTEGER NOT NULL DEFAULT 0
--bun:split
ALTER TABLE billing_invoices ADD COLUMN balance_minor {{.Big}} NOT NULL DEFAULT 0
--bun:split
-- The prepaid balance's movements: credits by the platform (reason), refunds of credit notes,
-- and uses by invoices (negative). billing_subscriptions.balance_minor is their sum, never below 0.
CREATE TABLE billing_balance_entries (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    amount_minor {{.Big}} NOT NULL,
    reason TEXT NOT NULL,
    invoice_id {{.Big}} REFERENCES billing_invoices(id) ON DELETE CASCADE,
    created_at {{.Time}} NOT NULL
)
--bun:split
CREATE INDEX billing_balance_entries_account ON billing_balance_entries (account_id, id)
--bun:split
CREATE TABLE billing_invoice_pdfs (
    invoice_id {{.Big}} PRIMARY KEY REFERENCES billing_invoices(id) ON DELETE CASCADE,
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    body {{if .Postgres}}BYTEA{{else}}BLOB{{end}} NOT NULL,
    created_at {{.Time}} NOT NULL
)
