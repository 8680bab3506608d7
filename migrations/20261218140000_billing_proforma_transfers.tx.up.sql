-- Billing (modules/billing), third slice. How the account pays: by card through the gateway
-- (card) or by wire transfer to the seller's bank account with the invoice's number as the
-- reference (transfer: nothing is charged; the platform admin records each transfer
-- received). A payment says which it was (method). Pro-forma invoices are rows of
-- billing_invoices of kind proforma in their own series (entity PF, numbers PF-000001), out of
-- the legal sequence; the invoice a pro-forma was converted into names it (proforma_id, at
-- most one invoice per pro-forma: the pro-forma itself is never changed).
ALTER TABLE billing_subscriptions ADD COLUMN payment_method TEXT NOT NULL DEFAULT 'card'
--bun:split
ALTER TABLE billing_payments ADD COLUMN method TEXT NOT NULL DEFAULT 'card'
--bun:split
ALTER TABLE billing_invoices ADD COLUMN proforma_id {{.Big}} REFERENCES billing_invoices(id)
--bun:split
CREATE UNIQUE INDEX billing_invoices_proforma ON billing_invoices (proforma_id)
