-- 82_valuation.sql: positions valued as of a date, as known at a time.
-- Each instrument is valued once per as-of date (evaluated price, else its curve, else
-- stale), then every position and cash balance is converted into the reporting currency
-- and rounded to its minor units there; totals are sums of the rounded lines, so a
-- statement always adds up.  Analytics of the fixed-income holdings (duration, DV01,
-- maturity buckets) come from the single-pass C bond measures.  docs/valuation.md has the
-- conventions and a worked example.  The set-based functions run with jit = off: their plan
-- costs trigger LLVM compilation, measured at 0.7 s per call against milliseconds of work.

-- Every instrument (or the given ones) valued as of a date, as known at a time.
CREATE FUNCTION pms.instrument_valuations(as_of date DEFAULT NULL, known_at timestamptz DEFAULT NULL,
                                          instrument_ids uuid[] DEFAULT NULL)
RETURNS TABLE (instrument_id uuid, price numeric, price_date date, price_source text, source text,
               yield float8, accrued float8, duration float8, convexity float8, dv01 float8,
               maturity_bucket text, stale boolean)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
    WITH clock AS (
        SELECT pms.resolve_as_of(as_of) AS day, pms.resolve_known_at(known_at) AS known, pms.max_price_age() AS age
    ), quote AS (
        SELECT i.instrument_id, i.asset_class, i.maturity_date, i.coupon_rate::float8 AS coupon,
               i.coupon_frequency::integer AS frequency, i.day_count,
               coalesce(clock.day >= i.maturity_date, false) AS matured, px.price, px.price_date, px.source, sp.curve_id, sp.spread
        FROM clock
        CROSS JOIN pms.instruments i
        LEFT JOIN LATERAL (
            SELECT p.price, p.price_date, p.source
            FROM pms.prices p
            WHERE p.instrument_id = i.instrument_id AND p.price_date <= clock.day
              AND p.price_date >= clock.day - clock.age AND p.recorded_at <= clock.known
            ORDER BY p.price_date DESC, p.recorded_at DESC
            LIMIT 1) px ON true
        LEFT JOIN LATERAL (
            SELECT s.curve_id, s.spread
            FROM pms.instrument_spreads s
            WHERE s.instrument_id = i.instrument_id AND s.effective_date <= clock.day AND s.recorded_at <= clock.known
            ORDER BY s.effective_date DESC, s.recorded_at DESC
            LIMIT 1) sp ON i.asset_class = 'BOND'
        WHERE instrument_ids IS NULL OR i.instrument_id = ANY (instrument_ids)
    ), measured AS MATERIALIZED (
        -- materialized so that the bond kernel runs once per instrument, not once per field
        SELECT q.*, c.curve_date,
               (SELECT CASE WHEN q.asset_class <> 'BOND' OR q.matured THEN NULL
                            WHEN q.price IS NOT NULL THEN
                                pms.bond_measures_from_price(clock.day, q.maturity_date, q.coupon, q.price::float8,
                                                             q.frequency, q.day_count)
                            ELSE pms.bond_measures_from_curve(clock.day, q.maturity_date, q.coupon, c.tenors,
                                                              c.zero_rates, q.spread, q.frequency, q.day_count)
                       END OFFSET 0) AS m
        FROM clock
        CROSS JOIN quote q
        LEFT JOIN pms.curves_on(as_of, known_at) c ON c.curve_id = q.curve_id AND q.price IS NULL
    )
    SELECT x.instrument_id,
           CASE WHEN x.matured THEN 100::numeric
                WHEN x.price IS NOT NULL THEN x.price
                ELSE round(((x.m).clean_price)::numeric, 6) END,
           CASE WHEN x.matured THEN x.maturity_date WHEN x.price IS NOT NULL THEN x.price_date ELSE x.curve_date END,
           CASE WHEN x.matured THEN 'redemption'
                WHEN x.price IS NOT NULL THEN 'evaluated'
                WHEN x.m IS NOT NULL THEN 'curve'
                ELSE 'missing' END,
           CASE WHEN x.matured THEN 'maturity' WHEN x.price IS NOT NULL THEN x.source ELSE x.curve_id END,
           (x.m).yield,
           CASE WHEN x.matured THEN 0 ELSE (x.m).accrued END,
           CASE WHEN x.matured THEN 0 ELSE (x.m).modified_duration END,
           CASE WHEN x.matured THEN 0 ELSE (x.m).convexity END,
           CASE WHEN x.matured THEN 0 ELSE (x.m).dv01 END,
           CASE WHEN x.asset_class <> 'BOND' THEN NULL
                WHEN x.matured THEN '0-2y'
                ELSE pms.maturity_bucket(clock.day, x.maturity_date) END,
           NOT x.matured AND x.price IS NULL AND x.m IS NULL
    FROM clock
    CROSS JOIN measured x
    ORDER BY x.instrument_id
$$;
COMMENT ON FUNCTION pms.instrument_valuations(date, timestamptz, uuid[]) IS
    'Each instrument (all, or the given ones) valued as of a date, as known at a time: evaluated price within pms.max_price_age days, else (bonds) its curve plus spread, else stale; bond yield, accrued, modified duration, convexity and DV01 per 100 face settling on the as-of date.';

-- The bucket weights of a book without valued bonds: every bucket at zero.
CREATE FUNCTION pms.empty_bucket_weights() RETURNS jsonb
LANGUAGE sql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT '{"0-2y": 0, "2-5y": 0, "5-10y": 0, "10-20y": 0, "20y+": 0}'::jsonb
$$;
COMMENT ON FUNCTION pms.empty_bucket_weights() IS
    'Bucket weights of a book that holds no valued bonds: all five maturity buckets at 0.';

-- The currency a household reports in: its accounts' common base currency, else the FX pivot.
CREATE FUNCTION pms.household_currency(household_id uuid) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT CASE WHEN count(DISTINCT a.base_currency) = 1 THEN min(a.base_currency) ELSE pms.fx_pivot() END
    FROM pms.accounts a
    WHERE a.household_id = household_currency.household_id
$$;
COMMENT ON FUNCTION pms.household_currency(uuid) IS
    'The reporting currency of a household: the base currency its accounts share, else pms.fx_pivot (also for a household without accounts). pms.valuation_lines applies the same rule set-based.';

-- Every position and cash balance of some accounts, valued and converted into the account's
-- base currency (reporting = 'account') or its household's currency ('household').
CREATE FUNCTION pms.valuation_lines(account_ids uuid[] DEFAULT NULL, as_of date DEFAULT NULL,
                                    known_at timestamptz DEFAULT NULL, reporting text DEFAULT 'account')
RETURNS TABLE (household_id uuid, account_id uuid, instrument_id uuid, asset_class text, quantity numeric,
               avg_cost numeric, price numeric, price_source text, currency text, market_value numeric,
               accrued_interest numeric, duration float8, dv01 float8, maturity_bucket text,
               last_trade_date date, stale boolean)
LANGUAGE sql STABLE PARALLEL SAFE ROWS 100000
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
    WITH fx AS (
        SELECT f.currency, f.rate FROM pms.fx_rates_on(as_of, known_at) f
    ), book AS (
        -- per account: the reporting currency, its minor units and its rate against the pivot
        SELECT b.household_id, b.account_id, b.report_currency, cur.minor_units, fr.rate AS report_rate
        FROM (SELECT a.household_id, a.account_id,
                     CASE WHEN reporting = 'household'
                               AND min(a.base_currency) OVER w IS DISTINCT FROM max(a.base_currency) OVER w
                          THEN pms.fx_pivot()
                          WHEN reporting = 'household' THEN min(a.base_currency) OVER w
                          ELSE a.base_currency END AS report_currency
              FROM pms.accounts a
              WHERE a.household_id IN (SELECT x.household_id FROM pms.accounts x
                                       WHERE account_ids IS NULL OR x.account_id = ANY (account_ids))
              WINDOW w AS (PARTITION BY a.household_id)) b
        JOIN pms.currencies cur ON cur.currency_code = b.report_currency
        LEFT JOIN fx fr ON fr.currency = b.report_currency
    ), held AS MATERIALIZED (
        SELECT p.* FROM pms.positions_of(account_ids, as_of, known_at) p
    ), priced AS (
        -- per instrument: its valuation, terms and rate against the pivot
        SELECT v.*, i.asset_class, i.currency, i.price_multiplier, fi.rate AS local_rate
        FROM pms.instrument_valuations(as_of, known_at, ARRAY(SELECT DISTINCT h.instrument_id FROM held h)) v
        JOIN pms.instruments i ON i.instrument_id = v.instrument_id
        LEFT JOIN fx fi ON fi.currency = i.currency
    ), lines AS (
        SELECT p.household_id, p.account_id, p.instrument_id, v.asset_class, p.quantity, p.avg_cost, v.price,
               v.price_source, bk.report_currency, bk.minor_units,
               p.quantity * v.price * v.price_multiplier AS local_value,
               CASE WHEN v.asset_class = 'BOND' THEN p.quantity * v.accrued::numeric * v.price_multiplier END AS local_accrued,
               v.duration, v.dv01 * p.quantity::float8 * v.price_multiplier::float8 AS local_dv01,
               v.maturity_bucket, p.last_trade_date, v.stale, v.local_rate / bk.report_rate AS fx
        FROM held p
        JOIN book bk ON bk.account_id = p.account_id
        JOIN priced v ON v.instrument_id = p.instrument_id
        UNION ALL
        SELECT c.household_id, c.account_id, NULL, 'CASH', c.balance, NULL, 1, 'cash', bk.report_currency,
               bk.minor_units, c.balance, NULL, 0, 0, NULL, NULL, false, fi.rate / bk.report_rate
        FROM pms.cash_balances_of(account_ids, as_of, known_at) c
        JOIN book bk ON bk.account_id = c.account_id
        LEFT JOIN fx fi ON fi.currency = c.currency
        WHERE c.balance <> 0
    )
    SELECT l.household_id, l.account_id, l.instrument_id, l.asset_class, l.quantity, l.avg_cost, l.price,
           l.price_source, l.report_currency,
           CASE WHEN l.stale THEN NULL WHEN l.fx = 1 THEN round(l.local_value, l.minor_units)
                ELSE round(l.local_value * l.fx, l.minor_units) END,
           CASE WHEN l.stale THEN NULL WHEN l.fx = 1 THEN round(l.local_accrued, l.minor_units)
                ELSE round(l.local_accrued * l.fx, l.minor_units) END,
           CASE WHEN NOT l.stale THEN l.duration END,
           CASE WHEN NOT l.stale THEN l.local_dv01 * l.fx::float8 END,
           l.maturity_bucket, l.last_trade_date, l.stale OR l.fx IS NULL
    FROM lines l
$$;
COMMENT ON FUNCTION pms.valuation_lines(uuid[], date, timestamptz, text) IS
    'Internal: every position (instrument_id set) and cash balance (instrument_id NULL) of some accounts valued as of a date, as known at a time, converted into the account''s base currency or (reporting => ''household'') the household''s currency and rounded to its minor units; stale lines carry no values. Unordered.';

-- Analytics of some accounts (level 'account') or households (level 'household') in one pass.
CREATE FUNCTION pms.portfolio_analytics(level text, ids uuid[] DEFAULT NULL, as_of date DEFAULT NULL,
                                        known_at timestamptz DEFAULT NULL)
RETURNS TABLE (household_id uuid, account_id uuid, currency text, market_value numeric, accrued_interest numeric,
               cash numeric, total_value numeric, duration float8, dv01 float8, cash_pct float8,
               bucket_weights jsonb, positions integer, stale_positions integer)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
    WITH lines AS (
        SELECT l.*, CASE level WHEN 'account' THEN l.account_id ELSE l.household_id END AS group_id,
               l.market_value + l.accrued_interest AS bond_value
        FROM pms.valuation_lines(
                 CASE WHEN ids IS NOT NULL THEN
                     ARRAY(SELECT a.account_id FROM pms.accounts a
                           WHERE (CASE level WHEN 'account' THEN a.account_id ELSE a.household_id END) = ANY (ids)) END,
                 as_of, known_at, level) l
    ), totals AS (
        -- Duration and DV01 are summed as integers (value-years to 1e-4, DV01 to 1e-6 of the
        -- currency): exact, so no row order can change a digit, and cheaper than numeric.
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
    ORDER BY t.household_id, t.group_id
$$;
COMMENT ON FUNCTION pms.portfolio_analytics(text, uuid[], date, timestamptz) IS
    'Internal: analytics of some accounts (level account, ids = account ids) or households (level household, ids = household ids; all by default) as of a date, as known at a time, in one set-based pass.';

-- Positions of one account valued as of a date (as known at pms.known_at), with weights.
CREATE FUNCTION pms.valued_positions(account_id uuid, as_of date DEFAULT NULL)
RETURNS TABLE (instrument_id uuid, cusip text, description text, quantity numeric, avg_cost numeric,
               price numeric, price_source text, market_value numeric, accrued_interest numeric,
               weight float8, duration float8, dv01 float8, maturity_bucket text, stale boolean)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pms.account_household(valued_positions.account_id, 'pms.valued_positions');
    RETURN QUERY
    WITH lines AS (
        SELECT l.* FROM pms.valuation_lines(ARRAY[valued_positions.account_id], valued_positions.as_of) l
    ), total AS (
        SELECT sum(coalesce(l.market_value, 0) + coalesce(l.accrued_interest, 0)) AS value FROM lines l
    )
    SELECT l.instrument_id, i.cusip, i.description, l.quantity, l.avg_cost, l.price, l.price_source,
           l.market_value, l.accrued_interest,
           ((l.market_value + coalesce(l.accrued_interest, 0)) / nullif(t.value, 0))::float8,
           l.duration, l.dv01, l.maturity_bucket, l.stale
    FROM lines l
    CROSS JOIN total t
    JOIN pms.instruments i ON i.instrument_id = l.instrument_id
    ORDER BY i.cusip NULLS LAST, l.instrument_id;
END
$$;
COMMENT ON FUNCTION pms.valued_positions(uuid, date) IS
    'Positions of an account valued as of a date (default pms.as_of), as known at pms.known_at, in its base currency: market value (clean), accrued interest, weight of the total value including cash, duration and DV01; stale rows carry no values and stay out of the totals.';

-- Analytics of one account or household, with zero values when it holds nothing.
CREATE FUNCTION pms.analytics_of(level text, id uuid, as_of date, empty_currency text)
RETURNS TABLE (valued_as_of date, currency text, market_value numeric, accrued_interest numeric, cash numeric,
               total_value numeric, duration float8, dv01 float8, cash_pct float8, bucket_weights jsonb,
               positions integer, stale_positions integer)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT pms.resolve_as_of(as_of), coalesce(t.currency, empty_currency),
           coalesce(t.market_value, 0), coalesce(t.accrued_interest, 0), coalesce(t.cash, 0),
           coalesce(t.total_value, 0), t.duration, coalesce(t.dv01, 0), t.cash_pct,
           coalesce(t.bucket_weights, pms.empty_bucket_weights()), coalesce(t.positions, 0), coalesce(t.stale_positions, 0)
    FROM (SELECT 1) one
    LEFT JOIN pms.portfolio_analytics(level, ARRAY[id], as_of) t ON true
$$;
COMMENT ON FUNCTION pms.analytics_of(text, uuid, date, text) IS
    'Internal: pms.portfolio_analytics of one account or household as of a date, with zero values (in empty_currency) when it holds nothing.';

-- Analytics of one account as of a date (as known at pms.known_at).
CREATE FUNCTION pms.account_analytics(account_id uuid, as_of date DEFAULT NULL)
RETURNS TABLE (valued_as_of date, currency text, market_value numeric, accrued_interest numeric, cash numeric,
               total_value numeric, duration float8, dv01 float8, cash_pct float8, bucket_weights jsonb,
               positions integer, stale_positions integer)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pms.account_household(account_analytics.account_id, 'pms.account_analytics');
    RETURN QUERY
    SELECT * FROM pms.analytics_of('account', account_analytics.account_id, account_analytics.as_of,
                                   (SELECT a.base_currency FROM pms.accounts a WHERE a.account_id = account_analytics.account_id));
END
$$;
COMMENT ON FUNCTION pms.account_analytics(uuid, date) IS
    'Analytics of an account as of a date (default pms.as_of), as known at pms.known_at, in its base currency: market value, accrued interest, cash, total value, duration and bucket weights of the fixed-income holdings, DV01, cash as a fraction of the total, and how many positions are stale.';

-- Analytics of one household as of a date (as known at pms.known_at).
CREATE FUNCTION pms.household_analytics(household_id uuid, as_of date DEFAULT NULL)
RETURNS TABLE (valued_as_of date, currency text, market_value numeric, accrued_interest numeric, cash numeric,
               total_value numeric, duration float8, dv01 float8, cash_pct float8, bucket_weights jsonb,
               positions integer, stale_positions integer)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pms.require_household(household_analytics.household_id, 'pms.household_analytics');
    RETURN QUERY
    SELECT * FROM pms.analytics_of('household', household_analytics.household_id, household_analytics.as_of,
                                   pms.household_currency(household_analytics.household_id));
END
$$;
COMMENT ON FUNCTION pms.household_analytics(uuid, date) IS
    'Analytics of a household across its accounts as of a date (default pms.as_of), as known at pms.known_at, in the household currency (its accounts'' common base currency, else pms.fx_pivot); same measures as pms.account_analytics.';

-- Positions of one household, aggregated across its accounts, valued as of a date.
CREATE FUNCTION pms.household_valued_positions(household_id uuid, as_of date DEFAULT NULL)
RETURNS TABLE (instrument_id uuid, cusip text, description text, account_count integer, quantity numeric,
               avg_cost numeric, price numeric, price_source text, market_value numeric, accrued_interest numeric,
               weight float8, duration float8, dv01 float8, maturity_bucket text, stale boolean)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pms.require_household(household_valued_positions.household_id, 'pms.household_valued_positions');
    RETURN QUERY
    WITH lines AS (
        SELECT l.* FROM pms.valuation_lines(
            ARRAY(SELECT a.account_id FROM pms.accounts a WHERE a.household_id = household_valued_positions.household_id),
            household_valued_positions.as_of, NULL, 'household') l
    ), total AS (
        SELECT sum(coalesce(l.market_value, 0) + coalesce(l.accrued_interest, 0)) AS value FROM lines l
    )
    SELECT l.instrument_id, min(i.cusip), min(i.description), count(*)::integer, sum(l.quantity),
           round(sum(l.avg_cost * l.quantity) / nullif(sum(l.quantity), 0), 10), min(l.price), min(l.price_source),
           sum(l.market_value), sum(l.accrued_interest),
           ((sum(l.market_value) + coalesce(sum(l.accrued_interest), 0)) / nullif(min(t.value), 0))::float8,
           min(l.duration), sum(l.dv01::numeric)::float8, min(l.maturity_bucket), bool_or(l.stale)
    FROM lines l
    CROSS JOIN total t
    JOIN pms.instruments i ON i.instrument_id = l.instrument_id
    GROUP BY l.instrument_id
    ORDER BY min(i.cusip) NULLS LAST, l.instrument_id;
END
$$;
COMMENT ON FUNCTION pms.household_valued_positions(uuid, date) IS
    'Positions of a household aggregated across its accounts (total quantity, quantity-weighted average cost) valued as of a date (default pms.as_of), as known at pms.known_at, in the household currency, with weights of the household''s total value including cash.';
