-- Billing (modules/billing): coupons. The platform admin makes a coupon (a code, unique, in
-- upper case) worth percent_off (1 to 100) or amount_off_minor in currency (exact minor
-- units), for once, for months months (repeating) or forever, redeemable from valid_from to
-- valid_until (civil days, '' without a bound), at most max_redemptions times (0: no limit;
-- redemptions counts them), on the plans of plans (a JSON array, [] for every plan). Not an
-- account's data: no account_id.
CREATE TABLE billing_coupons (
    id {{.PK}},
    code TEXT NOT NULL,
    percent_off INTEGER NOT NULL DEFAULT 0,
    amount_off_minor {{.Big}} NOT NULL DEFAULT 0,
    currency TEXT NOT NULL DEFAULT '',
    duration TEXT NOT NULL,
    months INTEGER NOT NULL DEFAULT 0,
    valid_from TEXT NOT NULL DEFAULT '',
    valid_until TEXT NOT NULL DEFAULT '',
    max_redemptions INTEGER NOT NULL DEFAULT 0,
    redemptions INTEGER NOT NULL DEFAULT 0,
    plans TEXT NOT NULL DEFAULT '[]',
    created_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX billing_coupons_code ON billing_coupons (code)
--bun:split
-- An account's redemption of a coupon: invoices_left is how many more monthly invoices it
-- discounts (-1: forever); ended_at is set once it has none left. One active coupon per
-- account (the partial unique index).
CREATE TABLE billing_coupon_redemptions (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    coupon_id {{.Big}} NOT NULL REFERENCES billing_coupons(id),
    invoices_left INTEGER NOT NULL,
    redeemed_at {{.Time}} NOT NULL,
    ended_at {{.Time}}
)
--bun:split
CREATE UNIQUE INDEX billing_coupon_redemptions_active ON billing_coupon_redemptions (account_id) WHERE ended_at IS NULL
--bun:split
CREATE INDEX billing_coupon_redemptions_coupon ON billing_coupon_redemptions (coupon_id)
--bun:split
-- The coupon a discount line of an invoice comes from ('' for the other lines).
ALTER TABLE billing_invoice_lines ADD COLUMN coupon TEXT NOT NULL DEFAULT ''
