-- Billing (modules/billing): the price lists of an edited plan in the other currencies than
-- EUR (USD, GBP, CHF): a JSON object of currency to {offering: monthly minor units}; '' keeps
-- the plan's default lists (the code's).
ALTER TABLE billing_plans ADD COLUMN lists TEXT NOT NULL DEFAULT ''
