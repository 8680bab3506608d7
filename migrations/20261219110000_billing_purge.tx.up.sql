-- Billing (modules/billing): an account closed for non-payment is purged after its data
-- retention (billing.PurgeDays): closed_at is when the dunning closed it (the purge is due
-- PurgeDays later), purged_at when its data was erased through the privacy module's purge
-- (hooks.AccountPurger) — the invoices, their lines and payments stay, as the law requires.
ALTER TABLE billing_subscriptions ADD COLUMN closed_at {{.Time}}
--bun:split
ALTER TABLE billing_subscriptions ADD COLUMN purged_at {{.Time}}
