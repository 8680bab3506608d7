-- Billing (modules/billing): the exchange rates the platform admin enters, for the VAT of an
-- invoice in another currency than EUR, which the invoice also states in EUR (EU VAT
-- directive art. 230; French CGI art. 242 nonies A). rate_micro is what one euro is worth in
-- the currency, in millionths (1.0523 USD: 1052300); the rate in force on a day is the one of
-- the latest valid_on on or before it. Not an account's data: no account_id.
CREATE TABLE billing_exchange_rates (
    currency TEXT NOT NULL,
    valid_on TEXT NOT NULL,
    rate_micro {{.Big}} NOT NULL,
    created_at {{.Time}} NOT NULL,
    PRIMARY KEY (currency, valid_on)
)
--bun:split
-- The VAT in EUR of an invoice in another currency (null: an EUR invoice, or one issued
-- before), with the rate used and the day it is in force from.
ALTER TABLE billing_invoices ADD COLUMN vat_eur_minor {{.Big}}
--bun:split
ALTER TABLE billing_invoices ADD COLUMN eur_rate_micro {{.Big}}
--bun:split
ALTER TABLE billing_invoices ADD COLUMN eur_rate_on TEXT
