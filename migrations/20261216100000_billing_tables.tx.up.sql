-- The billing module (modules/billing): GroupCamp charging its customers. One subscription
-- row per account (an account without one is unlimited, all modules on): its state (trial,
-- active, past_due, read_only, closed), plan, offerings (a JSON array of the six products),
-- seats, the trial's end and the anniversary day (civil days as YYYY-MM-DD text), the
-- billing details the invoices copy (legal name, address, country, VAT number), the prepaid
-- balance in minor units, and the card as the gateway gave it: a token, the last four digits,
-- the holder's name and the expiry — never the card number. past_due_since and retries are
-- the dunning: since when a payment is missing, and how many retries were made.
CREATE TABLE billing_subscriptions (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    state TEXT NOT NULL,
    plan TEXT NOT NULL,
    offerings TEXT NOT NULL,
    seats INTEGER NOT NULL DEFAULT 1,
    currency TEXT NOT NULL DEFAULT 'EUR',
    trial_ends_on TEXT NOT NULL DEFAULT '',
    anniversary_on TEXT NOT NULL DEFAULT '',
    legal_name TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    country TEXT NOT NULL DEFAULT '',
    customer_kind TEXT NOT NULL DEFAULT 'business',
    vat_number TEXT NOT NULL DEFAULT '',
    balance_minor {{.Big}} NOT NULL DEFAULT 0,
    gateway_token TEXT NOT NULL DEFAULT '',
    card_last4 TEXT NOT NULL DEFAULT '',
    card_holder TEXT NOT NULL DEFAULT '',
    card_expiry TEXT NOT NULL DEFAULT '',
    past_due_since {{.Time}},
    retries INTEGER NOT NULL DEFAULT 0,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX billing_subscriptions_account ON billing_subscriptions (account_id)
--bun:split
-- The invoice numbers of each legal entity: last_seq is the last number issued. Issuing an
-- invoice increments last_seq in the invoice's own transaction, so a rollback gives the number back
-- and the sequence has no gap.
CREATE TABLE billing_sequences (
    entity TEXT PRIMARY KEY,
    last_seq {{.Big}} NOT NULL DEFAULT 0
)
--bun:split
-- Invoices and credit notes, never changed once issued (a credit note, kind credit_note,
-- corrects an invoice: corrects_id). The customer's details are copied in at issue time.
CREATE TABLE billing_invoices (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    entity TEXT NOT NULL,
    seq {{.Big}} NOT NULL,
    number TEXT NOT NULL,
    kind TEXT NOT NULL,
    corrects_id {{.Big}} REFERENCES billing_invoices(id),
    issued_on TEXT NOT NULL,
    currency TEXT NOT NULL,
    legal_name TEXT NOT NULL,
    address TEXT NOT NULL,
    country TEXT NOT NULL,
    vat_number TEXT NOT NULL,
    net_minor {{.Big}} NOT NULL,
    vat_minor {{.Big}} NOT NULL,
    total_minor {{.Big}} NOT NULL,
    mention TEXT NOT NULL,
    created_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX billing_invoices_number ON billing_invoices (entity, seq)
--bun:split
CREATE INDEX billing_invoices_account ON billing_invoices (account_id, id)
--bun:split
CREATE TABLE billing_invoice_lines (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    invoice_id {{.Big}} NOT NULL REFERENCES billing_invoices(id) ON DELETE CASCADE,
    description TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    unit_minor {{.Big}} NOT NULL,
    net_minor {{.Big}} NOT NULL,
    rate_bp INTEGER NOT NULL
)
--bun:split
CREATE INDEX billing_invoice_lines_invoice ON billing_invoice_lines (account_id, invoice_id)
--bun:split
CREATE TABLE billing_vat_lines (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    invoice_id {{.Big}} NOT NULL REFERENCES billing_invoices(id) ON DELETE CASCADE,
    rate_bp INTEGER NOT NULL,
    base_minor {{.Big}} NOT NULL,
    vat_minor {{.Big}} NOT NULL
)
--bun:split
CREATE INDEX billing_vat_lines_invoice ON billing_vat_lines (account_id, invoice_id)
--bun:split
-- Charges through the gateway, one per idempotency key: a second submission with the same
-- key answers the first charge.
CREATE TABLE billing_payments (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    invoice_id {{.Big}} REFERENCES billing_invoices(id) ON DELETE CASCADE,
    idempotency_key TEXT NOT NULL,
    amount_minor {{.Big}} NOT NULL,
    currency TEXT NOT NULL,
    state TEXT NOT NULL,
    gateway_ref TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX billing_payments_key ON billing_payments (account_id, idempotency_key)
--bun:split
CREATE INDEX billing_payments_invoice ON billing_payments (account_id, invoice_id)
