-- 90_reads.sql: read views for BI tools and application screens.  Every view honours
-- pms.as_of, pms.known_at and pms.position_basis, and says which date it was computed for.

-- Latest trade date per account on or before the as-of date, as known at pms.known_at.
CREATE FUNCTION pms.last_activity(as_of date DEFAULT NULL, known_at timestamptz DEFAULT NULL)
RETURNS TABLE (household_id uuid, account_id uuid, last_activity date)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
DECLARE
    day     date := pms.resolve_as_of(last_activity.as_of);
    known   timestamptz := pms.resolve_known_at(last_activity.known_at);
BEGIN
    IF known = 'infinity' THEN
        -- The projection knows each position's latest fill; only positions with a fill after
        -- the as-of date need an index probe for the latest one on or before it.
        RETURN QUERY
        SELECT p.household_id, p.account_id,
               max(CASE WHEN p.last_trade_date <= day THEN p.last_trade_date
                        ELSE (SELECT max(e.trade_date) FROM pms.executions e
                              WHERE e.account_id = p.account_id AND e.instrument_id = p.instrument_id
                                AND e.trade_date <= day
                                AND NOT EXISTS (SELECT 1 FROM pms.execution_cancels x
                                                WHERE x.household_id = e.household_id AND x.execution_id = e.execution_id)) END)
        FROM pms.position_projection p
        GROUP BY p.household_id, p.account_id;
        RETURN;
    END IF;
    RETURN QUERY
    SELECT e.household_id, e.account_id, max(e.trade_date)
    FROM pms.executions e
    WHERE e.trade_date <= day AND e.recorded_at <= known
      AND NOT EXISTS (SELECT 1 FROM pms.execution_cancels x
                      WHERE x.household_id = e.household_id AND x.execution_id = e.execution_id
                        AND x.recorded_at <= known)
    GROUP BY e.household_id, e.account_id;
END
$$;
COMMENT ON FUNCTION pms.last_activity(date, timestamptz) IS
    'Per account, the latest trade date of an execution not cancelled (as known at the time) on or before the as-of date; from the live projection when everything known is asked for.';

CREATE VIEW pms.household_list AS
WITH valued AS (
    SELECT * FROM pms.portfolio_analytics('household')
), activity AS (
    SELECT x.household_id, max(x.last_activity) AS last_activity FROM pms.last_activity() x GROUP BY x.household_id
)
SELECT h.household_id,
       h.name,
       (SELECT count(*) FROM pms.accounts a WHERE a.household_id = h.household_id)::integer AS account_count,
       pms.resolve_as_of() AS as_of,
       coalesce(v.currency, pms.household_currency(h.household_id)) AS currency,
       coalesce(v.market_value, 0) AS market_value,
       coalesce(v.total_value, 0) AS total_value,
       coalesce(v.stale_positions, 0) AS stale_positions,
       x.last_activity,
       h.created_at,
       h.created_by
FROM pms.households h
LEFT JOIN valued v ON v.household_id = h.household_id
LEFT JOIN activity x ON x.household_id = h.household_id;
COMMENT ON VIEW pms.household_list IS
    'Household list screen: one row per household with its account count, values as of pms.as_of (as known at pms.known_at) and last activity.';
COMMENT ON COLUMN pms.household_list.household_id IS 'Household id.';
COMMENT ON COLUMN pms.household_list.name IS 'Client name.';
COMMENT ON COLUMN pms.household_list.account_count IS 'Number of accounts in the household.';
COMMENT ON COLUMN pms.household_list.as_of IS 'Business date the values are for.';
COMMENT ON COLUMN pms.household_list.currency IS 'Reporting currency: the accounts'' common base currency, else pms.fx_pivot.';
COMMENT ON COLUMN pms.household_list.market_value IS 'Market value of the positions (clean), stale positions excluded.';
COMMENT ON COLUMN pms.household_list.total_value IS 'Market value plus accrued interest plus cash.';
COMMENT ON COLUMN pms.household_list.stale_positions IS 'Positions and cash balances left out of the values for want of a fresh price or FX rate.';
COMMENT ON COLUMN pms.household_list.last_activity IS 'Latest trade date of a live execution in the household, on or before the as-of date.';
COMMENT ON COLUMN pms.household_list.created_at IS 'When the household was created.';
COMMENT ON COLUMN pms.household_list.created_by IS 'Actor who created it.';

CREATE VIEW pms.account_list AS
WITH valued AS (
    SELECT * FROM pms.portfolio_analytics('account')
)
SELECT a.account_id,
       a.name,
       a.household_id,
       h.name AS household_name,
       a.account_type,
       a.base_currency,
       pms.resolve_as_of() AS as_of,
       coalesce(v.market_value, 0) AS market_value,
       coalesce(v.total_value, 0) AS total_value,
       v.duration,
       coalesce(v.stale_positions, 0) AS stale_positions,
       x.last_activity,
       a.created_at,
       a.created_by
FROM pms.accounts a
JOIN pms.households h ON h.household_id = a.household_id
LEFT JOIN valued v ON v.account_id = a.account_id
LEFT JOIN pms.last_activity() x ON x.account_id = a.account_id;
COMMENT ON VIEW pms.account_list IS
    'Account list screen: one row per account with its household, values as of pms.as_of (as known at pms.known_at) in its base currency, duration and last activity.';
COMMENT ON COLUMN pms.account_list.account_id IS 'Account id.';
COMMENT ON COLUMN pms.account_list.name IS 'Account name.';
COMMENT ON COLUMN pms.account_list.household_id IS 'Owning household id.';
COMMENT ON COLUMN pms.account_list.household_name IS 'Owning household name.';
COMMENT ON COLUMN pms.account_list.account_type IS 'individual, joint, trust, ira, corporate or other.';
COMMENT ON COLUMN pms.account_list.base_currency IS 'Currency the account is valued in.';
COMMENT ON COLUMN pms.account_list.as_of IS 'Business date the values are for.';
COMMENT ON COLUMN pms.account_list.market_value IS 'Market value of the positions (clean), stale positions excluded.';
COMMENT ON COLUMN pms.account_list.total_value IS 'Market value plus accrued interest plus cash.';
COMMENT ON COLUMN pms.account_list.duration IS 'Modified duration of the fixed-income holdings (dirty-value weighted); NULL without valued bonds.';
COMMENT ON COLUMN pms.account_list.stale_positions IS 'Positions and cash balances left out of the values for want of a fresh price or FX rate.';
COMMENT ON COLUMN pms.account_list.last_activity IS 'Latest trade date of a live execution in the account, on or before the as-of date.';
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
FROM pms.positions_of() p
JOIN pms.accounts a ON a.account_id = p.account_id
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
FROM pms.cash_balances_of() c
JOIN pms.accounts a ON a.account_id = c.account_id;
COMMENT ON VIEW pms.account_cash IS
    'Cash per account and currency as of pms.as_of (default today), as known at pms.known_at (default now).';
COMMENT ON COLUMN pms.account_cash.household_id IS 'Household of the account.';
COMMENT ON COLUMN pms.account_cash.account_id IS 'Account id.';
COMMENT ON COLUMN pms.account_cash.account_name IS 'Account name.';
COMMENT ON COLUMN pms.account_cash.as_of IS 'Business (value) date the row was computed for.';
COMMENT ON COLUMN pms.account_cash.currency IS 'ISO 4217 currency.';
COMMENT ON COLUMN pms.account_cash.balance IS 'Cash balance: movements plus trades settled by the as-of date.';

CREATE VIEW pms.account_valuations AS
SELECT l.household_id,
       l.account_id,
       a.name AS account_name,
       pms.resolve_as_of() AS as_of,
       l.instrument_id,
       i.cusip,
       i.description,
       l.quantity,
       l.avg_cost,
       l.price,
       l.price_source,
       l.currency,
       l.market_value,
       l.accrued_interest,
       ((l.market_value + coalesce(l.accrued_interest, 0))
           / nullif(sum(coalesce(l.market_value, 0) + coalesce(l.accrued_interest, 0)) OVER (PARTITION BY l.account_id), 0))::float8 AS weight,
       l.duration,
       l.dv01,
       l.maturity_bucket,
       l.stale
FROM pms.valuation_lines() l
JOIN pms.accounts a ON a.account_id = l.account_id
LEFT JOIN pms.instruments i ON i.instrument_id = l.instrument_id;
COMMENT ON VIEW pms.account_valuations IS
    'Valued positions and cash of every account as of pms.as_of, as known at pms.known_at, in the account''s base currency (account detail screen; pms.valued_positions is the same for one account).';
COMMENT ON COLUMN pms.account_valuations.household_id IS 'Household of the account.';
COMMENT ON COLUMN pms.account_valuations.account_id IS 'Account id.';
COMMENT ON COLUMN pms.account_valuations.account_name IS 'Account name.';
COMMENT ON COLUMN pms.account_valuations.as_of IS 'Business date the values are for.';
COMMENT ON COLUMN pms.account_valuations.instrument_id IS 'Instrument id; NULL on a cash line.';
COMMENT ON COLUMN pms.account_valuations.cusip IS 'CUSIP of the instrument, if it has one.';
COMMENT ON COLUMN pms.account_valuations.description IS 'Instrument description; NULL on a cash line.';
COMMENT ON COLUMN pms.account_valuations.quantity IS 'Signed quantity (face for bonds); the balance in its own currency on a cash line.';
COMMENT ON COLUMN pms.account_valuations.avg_cost IS 'Weighted average cost in quote convention.';
COMMENT ON COLUMN pms.account_valuations.price IS 'Price used, in quote convention (clean per 100 face for bonds); NULL when stale.';
COMMENT ON COLUMN pms.account_valuations.price_source IS 'evaluated, curve, redemption (matured bond), missing (stale) or cash.';
COMMENT ON COLUMN pms.account_valuations.currency IS 'Currency of the values: the account''s base currency.';
COMMENT ON COLUMN pms.account_valuations.market_value IS 'Clean market value in the base currency, rounded to its minor units; NULL when stale.';
COMMENT ON COLUMN pms.account_valuations.accrued_interest IS 'Accrued interest of a bond position in the base currency; NULL for other lines.';
COMMENT ON COLUMN pms.account_valuations.weight IS 'Share of the account''s total value (market value plus accrued plus cash).';
COMMENT ON COLUMN pms.account_valuations.duration IS 'Modified duration of the bond settling on the as-of date.';
COMMENT ON COLUMN pms.account_valuations.dv01 IS 'Value change for a 1 bp fall in yield, in the base currency.';
COMMENT ON COLUMN pms.account_valuations.maturity_bucket IS 'Maturity bucket of a bond: 0-2y, 2-5y, 5-10y, 10-20y or 20y+.';
COMMENT ON COLUMN pms.account_valuations.stale IS 'True when no fresh price or FX rate exists: the line is left out of every total.';

CREATE VIEW pms.account_analytics_overview AS
SELECT a.household_id,
       a.account_id,
       a.name AS account_name,
       pms.resolve_as_of() AS as_of,
       a.base_currency AS currency,
       coalesce(v.market_value, 0) AS market_value,
       coalesce(v.accrued_interest, 0) AS accrued_interest,
       coalesce(v.cash, 0) AS cash,
       coalesce(v.total_value, 0) AS total_value,
       v.duration,
       coalesce(v.dv01, 0) AS dv01,
       v.cash_pct,
       coalesce(v.bucket_weights, pms.empty_bucket_weights()) AS bucket_weights,
       coalesce(v.positions, 0) AS positions,
       coalesce(v.stale_positions, 0) AS stale_positions
FROM pms.accounts a
LEFT JOIN pms.portfolio_analytics('account') v ON v.account_id = a.account_id;
COMMENT ON VIEW pms.account_analytics_overview IS
    'pms.account_analytics for every account, as of pms.as_of and as known at pms.known_at (portfolio analytics screen, drift inputs).';
COMMENT ON COLUMN pms.account_analytics_overview.household_id IS 'Household of the account.';
COMMENT ON COLUMN pms.account_analytics_overview.account_id IS 'Account id.';
COMMENT ON COLUMN pms.account_analytics_overview.account_name IS 'Account name.';
COMMENT ON COLUMN pms.account_analytics_overview.as_of IS 'Business date the values are for.';
COMMENT ON COLUMN pms.account_analytics_overview.currency IS 'Base currency of the values.';
COMMENT ON COLUMN pms.account_analytics_overview.market_value IS 'Clean market value of the positions, stale ones excluded.';
COMMENT ON COLUMN pms.account_analytics_overview.accrued_interest IS 'Accrued interest of the bond positions.';
COMMENT ON COLUMN pms.account_analytics_overview.cash IS 'Cash, all currencies converted.';
COMMENT ON COLUMN pms.account_analytics_overview.total_value IS 'Market value plus accrued interest plus cash.';
COMMENT ON COLUMN pms.account_analytics_overview.duration IS 'Modified duration of the fixed-income holdings (dirty-value weighted); NULL without valued bonds.';
COMMENT ON COLUMN pms.account_analytics_overview.dv01 IS 'Total DV01 of the bond positions in the base currency.';
COMMENT ON COLUMN pms.account_analytics_overview.cash_pct IS 'Cash as a fraction of the total value.';
COMMENT ON COLUMN pms.account_analytics_overview.bucket_weights IS 'Share of the fixed-income holdings per maturity bucket (all five keys).';
COMMENT ON COLUMN pms.account_analytics_overview.positions IS 'Positions held (stale ones included).';
COMMENT ON COLUMN pms.account_analytics_overview.stale_positions IS 'Positions and cash balances left out for want of a fresh price or FX rate.';
