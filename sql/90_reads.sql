-- 90_reads.sql: read views for BI tools and application screens.
-- Later releases add valuation columns (market value, duration, last activity).

CREATE VIEW pms.household_list AS
SELECT h.household_id,
       h.name,
       count(a.account_id)::integer AS account_count,
       h.created_at,
       h.created_by
FROM pms.households h
LEFT JOIN pms.accounts a ON a.household_id = h.household_id
GROUP BY h.household_id;
COMMENT ON VIEW pms.household_list IS 'Household list screen: one row per household with its account count.';
COMMENT ON COLUMN pms.household_list.household_id IS 'Household id.';
COMMENT ON COLUMN pms.household_list.name IS 'Client name.';
COMMENT ON COLUMN pms.household_list.account_count IS 'Number of accounts in the household.';
COMMENT ON COLUMN pms.household_list.created_at IS 'When the household was created.';
COMMENT ON COLUMN pms.household_list.created_by IS 'Actor who created it.';

CREATE VIEW pms.account_list AS
SELECT a.account_id,
       a.name,
       a.household_id,
       h.name AS household_name,
       a.account_type,
       a.base_currency,
       a.created_at,
       a.created_by
FROM pms.accounts a
JOIN pms.households h ON h.household_id = a.household_id;
COMMENT ON VIEW pms.account_list IS 'Account list and account detail screens: one row per account with its household.';
COMMENT ON COLUMN pms.account_list.account_id IS 'Account id.';
COMMENT ON COLUMN pms.account_list.name IS 'Account name.';
COMMENT ON COLUMN pms.account_list.household_id IS 'Owning household id.';
COMMENT ON COLUMN pms.account_list.household_name IS 'Owning household name.';
COMMENT ON COLUMN pms.account_list.account_type IS 'individual, joint, trust, ira, corporate or other.';
COMMENT ON COLUMN pms.account_list.base_currency IS 'Currency the account is valued in.';
COMMENT ON COLUMN pms.account_list.created_at IS 'When the account was opened.';
COMMENT ON COLUMN pms.account_list.created_by IS 'Actor who opened it.';

CREATE VIEW pms.account_positions AS
SELECT a.household_id,
       a.account_id,
       a.name AS account_name,
       pms.resolve_as_of() AS as_of,
       p.instrument_id,
       i.cusip,
       i.description,
       p.quantity,
       p.avg_cost,
       p.cost_basis,
       p.realized_pnl,
       p.last_trade_date
FROM pms.accounts a
CROSS JOIN LATERAL pms.positions(a.account_id) p
JOIN pms.instruments i ON i.instrument_id = p.instrument_id;
COMMENT ON VIEW pms.account_positions IS
    'Positions of every account as of pms.as_of (default today), as known at pms.known_at (default now), on the pms.position_basis dates.';
COMMENT ON COLUMN pms.account_positions.household_id IS 'Household of the account.';
COMMENT ON COLUMN pms.account_positions.account_id IS 'Account id.';
COMMENT ON COLUMN pms.account_positions.account_name IS 'Account name.';
COMMENT ON COLUMN pms.account_positions.as_of IS 'Business date the row was computed for.';
COMMENT ON COLUMN pms.account_positions.instrument_id IS 'Instrument id.';
COMMENT ON COLUMN pms.account_positions.cusip IS 'CUSIP of the instrument, if it has one.';
COMMENT ON COLUMN pms.account_positions.description IS 'Instrument description.';
COMMENT ON COLUMN pms.account_positions.quantity IS 'Signed quantity: face for bonds, units otherwise.';
COMMENT ON COLUMN pms.account_positions.avg_cost IS 'Weighted average cost in quote convention.';
COMMENT ON COLUMN pms.account_positions.cost_basis IS 'avg_cost x quantity x price_multiplier, in the instrument currency.';
COMMENT ON COLUMN pms.account_positions.realized_pnl IS 'Realized profit and loss to date, in the instrument currency.';
COMMENT ON COLUMN pms.account_positions.last_trade_date IS 'Latest trade date in the position.';

CREATE VIEW pms.household_positions AS
SELECT p.household_id,
       h.name AS household_name,
       min(p.as_of) AS as_of,
       p.instrument_id,
       min(p.cusip) AS cusip,
       min(p.description) AS description,
       count(*)::integer AS account_count,
       sum(p.quantity) AS total_quantity,
       round(sum(p.avg_cost * p.quantity) / nullif(sum(p.quantity), 0), 10) AS avg_cost,
       sum(p.cost_basis) AS cost_basis,
       sum(p.realized_pnl) AS realized_pnl
FROM pms.account_positions p
JOIN pms.households h ON h.household_id = p.household_id
GROUP BY p.household_id, h.name, p.instrument_id;
COMMENT ON VIEW pms.household_positions IS
    'Positions aggregated across each household''s accounts, as of pms.as_of and as known at pms.known_at.';
COMMENT ON COLUMN pms.household_positions.household_id IS 'Household id.';
COMMENT ON COLUMN pms.household_positions.household_name IS 'Household name.';
COMMENT ON COLUMN pms.household_positions.as_of IS 'Business date the row was computed for.';
COMMENT ON COLUMN pms.household_positions.instrument_id IS 'Instrument id.';
COMMENT ON COLUMN pms.household_positions.cusip IS 'CUSIP of the instrument, if it has one.';
COMMENT ON COLUMN pms.household_positions.description IS 'Instrument description.';
COMMENT ON COLUMN pms.household_positions.account_count IS 'Accounts holding the instrument.';
COMMENT ON COLUMN pms.household_positions.total_quantity IS 'Sum of the accounts'' signed quantities.';
COMMENT ON COLUMN pms.household_positions.avg_cost IS 'Quantity-weighted average of the accounts'' average costs (10 decimals); NULL when the total is zero.';
COMMENT ON COLUMN pms.household_positions.cost_basis IS 'Sum of the accounts'' cost bases.';
COMMENT ON COLUMN pms.household_positions.realized_pnl IS 'Sum of the accounts'' realized profit and loss.';

CREATE VIEW pms.account_cash AS
SELECT a.household_id,
       a.account_id,
       a.name AS account_name,
       pms.resolve_as_of() AS as_of,
       c.currency,
       c.balance
FROM pms.accounts a
CROSS JOIN LATERAL pms.cash_balances(a.account_id) c;
COMMENT ON VIEW pms.account_cash IS
    'Cash per account and currency as of pms.as_of (default today), as known at pms.known_at (default now).';
COMMENT ON COLUMN pms.account_cash.household_id IS 'Household of the account.';
COMMENT ON COLUMN pms.account_cash.account_id IS 'Account id.';
COMMENT ON COLUMN pms.account_cash.account_name IS 'Account name.';
COMMENT ON COLUMN pms.account_cash.as_of IS 'Business (value) date the row was computed for.';
COMMENT ON COLUMN pms.account_cash.currency IS 'ISO 4217 currency.';
COMMENT ON COLUMN pms.account_cash.balance IS 'Cash balance: movements plus trades settled by the as-of date.';
