-- test/reference/valuation_analytics.sql: pg_temp.reference_analytics(level, as_of), the
-- analytics of every account or household summed in plain SQL over pms.valuation_lines (as
-- pms.portfolio_analytics computed them before the C aggregate). The reference of
-- test/pgtap/valuation_sums.sql and bench/valuation.sql; include it with \ir.
CREATE FUNCTION pg_temp.reference_analytics(level text, as_of date)
RETURNS TABLE (household_id uuid, account_id uuid, currency text, market_value numeric, accrued_interest numeric,
               cash numeric, total_value numeric, duration float8, dv01 float8, cash_pct float8,
               bucket_weights jsonb, positions integer, stale_positions integer)
LANGUAGE sql SET jit = off AS $$
    WITH lines AS (
        SELECT l.*, CASE level WHEN 'account' THEN l.account_id ELSE l.household_id END AS group_id,
               l.market_value + l.accrued_interest AS bond_value
        FROM pms.valuation_lines(NULL, as_of, NULL, level) l
    ), totals AS (
        SELECT l.group_id, l.household_id, min(l.currency) AS currency,
               coalesce(sum(l.market_value) FILTER (WHERE l.instrument_id IS NOT NULL), 0) AS market_value,
               coalesce(sum(l.accrued_interest), 0) AS accrued_interest,
               coalesce(sum(l.market_value) FILTER (WHERE l.instrument_id IS NULL), 0) AS cash,
               sum(l.bond_value) FILTER (WHERE l.asset_class = 'BOND') AS bond_value,
               sum(round(l.bond_value::float8 * l.duration * 1e4)::bigint) FILTER (WHERE l.asset_class = 'BOND') / 1e4 AS duration_value,
               sum(round(l.dv01 * 1e6)::bigint) FILTER (WHERE l.asset_class = 'BOND') / 1e6 AS dv01,
               sum(l.bond_value) FILTER (WHERE l.maturity_bucket = '0-2y') AS b0,
               sum(l.bond_value) FILTER (WHERE l.maturity_bucket = '2-5y') AS b2,
               sum(l.bond_value) FILTER (WHERE l.maturity_bucket = '5-10y') AS b5,
               sum(l.bond_value) FILTER (WHERE l.maturity_bucket = '10-20y') AS b10,
               sum(l.bond_value) FILTER (WHERE l.maturity_bucket = '20y+') AS b20,
               count(*) FILTER (WHERE l.instrument_id IS NOT NULL)::integer AS positions,
               count(*) FILTER (WHERE l.stale)::integer AS stale_positions
        FROM lines l
        GROUP BY l.group_id, l.household_id
    )
    SELECT t.household_id, CASE level WHEN 'account' THEN t.group_id END, t.currency, t.market_value,
           t.accrued_interest, t.cash, t.market_value + t.accrued_interest + t.cash,
           (t.duration_value / nullif(t.bond_value, 0))::float8, coalesce(t.dv01, 0)::float8,
           (t.cash / nullif(t.market_value + t.accrued_interest + t.cash, 0))::float8,
           CASE WHEN coalesce(t.bond_value, 0) = 0 THEN pms.empty_bucket_weights()
                ELSE jsonb_build_object('0-2y', (coalesce(t.b0, 0) / t.bond_value)::float8,
                                        '2-5y', (coalesce(t.b2, 0) / t.bond_value)::float8,
                                        '5-10y', (coalesce(t.b5, 0) / t.bond_value)::float8,
                                        '10-20y', (coalesce(t.b10, 0) / t.bond_value)::float8,
                                        '20y+', (coalesce(t.b20, 0) / t.bond_value)::float8) END,
           t.positions, t.stale_positions
    FROM totals t
$$;
