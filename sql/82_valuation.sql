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

-- Per account of the households of some accounts (default: all): the reporting currency (the
-- account's base currency, or with reporting = 'household' its household's), its minor units
-- and its rate against the FX pivot (NULL without a fresh one).
CREATE FUNCTION pms.valuation_book(account_ids uuid[], as_of date, known_at timestamptz, reporting text)
RETURNS TABLE (household_id uuid, account_id uuid, report_currency text, minor_units smallint, report_rate numeric)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
    SELECT b.household_id, b.account_id, b.report_currency, cur.minor_units, fr.rate
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
    LEFT JOIN pms.fx_rates_on(as_of, known_at) fr ON fr.currency = b.report_currency
$$;
COMMENT ON FUNCTION pms.valuation_book(uuid[], date, timestamptz, text) IS
    'Internal: per account of the households of some accounts (all by default), the currency it reports in (its base currency, or with reporting => ''household'' the household currency), that currency''s minor units and its rate against pms.fx_pivot as of a date, as known at a time (NULL without a fresh rate).';

-- Every instrument (or the given ones) valued as of a date, with the terms a position's value
-- needs and the rate of its currency against the FX pivot.
CREATE FUNCTION pms.valuation_prices(as_of date, known_at timestamptz, instrument_ids uuid[])
RETURNS TABLE (instrument_id uuid, asset_class text, currency text, price_multiplier numeric, price numeric,
               price_source text, accrued float8, accrued_price numeric, duration float8, dv01 float8,
               maturity_bucket text, stale boolean, local_rate numeric)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
    SELECT v.instrument_id, i.asset_class, i.currency, i.price_multiplier, v.price, v.price_source, v.accrued,
           CASE WHEN i.asset_class = 'BOND' THEN v.accrued::numeric END, v.duration, v.dv01,
           v.maturity_bucket, v.stale, fi.rate
    FROM pms.instrument_valuations(as_of, known_at, instrument_ids) v
    JOIN pms.instruments i ON i.instrument_id = v.instrument_id
    LEFT JOIN pms.fx_rates_on(as_of, known_at) fi ON fi.currency = i.currency
$$;
COMMENT ON FUNCTION pms.valuation_prices(date, timestamptz, uuid[]) IS
    'Internal: pms.instrument_valuations with the instrument''s asset class, currency and price multiplier, the accrued interest per unit of quantity as numeric (bonds), and the rate of its currency against pms.fx_pivot (NULL without a fresh one).';

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
    WITH book AS (
        SELECT * FROM pms.valuation_book(account_ids, as_of, known_at, reporting)
    ), held AS MATERIALIZED (
        SELECT p.* FROM pms.positions_of(account_ids, as_of, known_at) p
    ), lines AS (
        SELECT p.household_id, p.account_id, p.instrument_id, v.asset_class, p.quantity, p.avg_cost, v.price,
               v.price_source, bk.report_currency, bk.minor_units,
               p.quantity * v.price * v.price_multiplier AS local_value,
               p.quantity * v.accrued_price * v.price_multiplier AS local_accrued,
               v.duration, v.dv01 * p.quantity::float8 * v.price_multiplier::float8 AS local_dv01,
               v.maturity_bucket, p.last_trade_date, v.stale, v.local_rate / bk.report_rate AS fx
        FROM held p
        JOIN book bk ON bk.account_id = p.account_id
        JOIN pms.valuation_prices(as_of, known_at, ARRAY(SELECT DISTINCT h.instrument_id FROM held h)) v
          ON v.instrument_id = p.instrument_id
        UNION ALL
        SELECT c.household_id, c.account_id, NULL, 'CASH', c.balance, NULL, 1, 'cash', bk.report_currency,
               bk.minor_units, c.balance, NULL, 0, 0, NULL, NULL, false, fi.rate / bk.report_rate
        FROM pms.cash_balances_of(account_ids, as_of, known_at) c
        JOIN book bk ON bk.account_id = c.account_id
        LEFT JOIN pms.fx_rates_on(as_of, known_at) fi ON fi.currency = c.currency
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
    'Internal: every position (instrument_id set) and cash balance (instrument_id NULL) of some accounts valued as of a date, as known at a time, converted into the account''s base currency or (reporting => ''household'') the household''s currency and rounded to its minor units; stale lines carry no values. Unordered. pms.valuation_sums computes the same values for the analytics.';

CREATE TYPE pms.valuation_sums AS (
    market_value     numeric,
    accrued_interest numeric,
    cash             numeric,
    bond_value       numeric,
    duration_units   numeric,
    dv01_units       numeric,
    bucket_0_2y      numeric,
    bucket_2_5y      numeric,
    bucket_5_10y     numeric,
    bucket_10_20y    numeric,
    bucket_20y_plus  numeric,
    positions        integer,
    stale_positions  integer
);
COMMENT ON TYPE pms.valuation_sums IS
    'Internal: the sums of a group of valued lines (pms.valuation_sums aggregate); not stored. Money sums are NULL when no line has a value, like sum().';
COMMENT ON COLUMN pms.valuation_sums.market_value IS 'Sum of the position lines'' market values.';
COMMENT ON COLUMN pms.valuation_sums.accrued_interest IS 'Sum of the bond lines'' accrued interest.';
COMMENT ON COLUMN pms.valuation_sums.cash IS 'Sum of the cash lines'' values.';
COMMENT ON COLUMN pms.valuation_sums.bond_value IS 'Sum of the bond lines'' dirty values (market value + accrued).';
COMMENT ON COLUMN pms.valuation_sums.duration_units IS 'Sum over the bond lines of round(dirty value x duration x 1e4).';
COMMENT ON COLUMN pms.valuation_sums.dv01_units IS 'Sum over the bond lines of round(DV01 x 1e6).';
COMMENT ON COLUMN pms.valuation_sums.bucket_0_2y IS 'Dirty value of the lines in the 0-2y maturity bucket.';
COMMENT ON COLUMN pms.valuation_sums.bucket_2_5y IS 'Dirty value of the lines in the 2-5y maturity bucket.';
COMMENT ON COLUMN pms.valuation_sums.bucket_5_10y IS 'Dirty value of the lines in the 5-10y maturity bucket.';
COMMENT ON COLUMN pms.valuation_sums.bucket_10_20y IS 'Dirty value of the lines in the 10-20y maturity bucket.';
COMMENT ON COLUMN pms.valuation_sums.bucket_20y_plus IS 'Dirty value of the lines in the 20y+ maturity bucket.';
COMMENT ON COLUMN pms.valuation_sums.positions IS 'Position lines (cash lines not counted).';
COMMENT ON COLUMN pms.valuation_sums.stale_positions IS 'Lines left out for want of a fresh price or FX rate.';

CREATE FUNCTION pms.valuation_sums_transfn(state internal, is_position boolean, asset_class text,
                                           quantity numeric, price numeric, price_multiplier numeric,
                                           accrued_price numeric, duration float8, dv01 float8,
                                           maturity_bucket text, stale boolean, local_rate numeric,
                                           report_rate numeric, minor_units integer)
RETURNS internal
LANGUAGE c IMMUTABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_valuation_sums_transfn';
COMMENT ON FUNCTION pms.valuation_sums_transfn(internal, boolean, text, numeric, numeric, numeric, numeric,
                                               float8, float8, text, boolean, numeric, numeric, integer) IS
    'Internal: transition function of pms.valuation_sums.';

CREATE FUNCTION pms.valuation_sums_finalfn(state internal, is_position boolean, asset_class text,
                                           quantity numeric, price numeric, price_multiplier numeric,
                                           accrued_price numeric, duration float8, dv01 float8,
                                           maturity_bucket text, stale boolean, local_rate numeric,
                                           report_rate numeric, minor_units integer)
RETURNS pms.valuation_sums
LANGUAGE c IMMUTABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_valuation_sums_finalfn';
COMMENT ON FUNCTION pms.valuation_sums_finalfn(internal, boolean, text, numeric, numeric, numeric, numeric,
                                               float8, float8, text, boolean, numeric, numeric, integer) IS
    'Internal: final function of pms.valuation_sums.';

CREATE AGGREGATE pms.valuation_sums(is_position boolean, asset_class text, quantity numeric, price numeric,
                                    price_multiplier numeric, accrued_price numeric, duration float8,
                                    dv01 float8, maturity_bucket text, stale boolean, local_rate numeric,
                                    report_rate numeric, minor_units integer) (
    SFUNC = pms.valuation_sums_transfn,
    STYPE = internal,
    SSPACE = 400,
    FINALFUNC = pms.valuation_sums_finalfn,
    FINALFUNC_EXTRA,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE pms.valuation_sums(boolean, text, numeric, numeric, numeric, numeric, float8, float8, text,
                                        boolean, numeric, numeric, integer) IS
    'Internal: values each line (a position, or cash with price and multiplier 1) exactly as pms.valuation_lines does (round(quantity x price x multiplier x local_rate / report_rate, minor_units), accrued likewise, DV01 and duration in float8) and returns the group''s sums in fixed point, exact, with a numeric fallback; order-independent. No combine function.';

-- Analytics of some accounts (level 'account') or households (level 'household') in one pass:
-- the lines pms.valuation_lines would return are valued and summed by the C aggregate
-- pms.valuation_sums instead, without being materialized.
CREATE FUNCTION pms.portfolio_analytics(level text, ids uuid[] DEFAULT NULL, as_of date DEFAULT NULL,
                                        known_at timestamptz DEFAULT NULL)
RETURNS TABLE (household_id uuid, account_id uuid, currency text, market_value numeric, accrued_interest numeric,
               cash numeric, total_value numeric, duration float8, dv01 float8, cash_pct float8,
               bucket_weights jsonb, positions integer, stale_positions integer)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
SET jit = off
AS $$
    WITH scope AS (
        SELECT CASE WHEN ids IS NOT NULL THEN
                   ARRAY(SELECT a.account_id FROM pms.accounts a
                         WHERE (CASE level WHEN 'account' THEN a.account_id ELSE a.household_id END) = ANY (ids)) END
               AS account_ids
    ), book AS (
        SELECT bk.*, CASE level WHEN 'account' THEN bk.account_id ELSE bk.household_id END AS group_id
        FROM scope, pms.valuation_book(scope.account_ids, as_of, known_at, level) bk
    ), held AS MATERIALIZED (
        SELECT p.account_id, p.instrument_id, p.quantity
        FROM scope, pms.positions_of(scope.account_ids, as_of, known_at) p
    ), lines AS (
        -- hash joins: the positions probe the 500-odd instruments and the book of accounts
        SELECT bk.group_id, true AS is_position, v.asset_class, p.quantity,
               v.price, v.price_multiplier, v.accrued_price, v.duration, v.dv01, v.maturity_bucket, v.stale,
               v.local_rate, bk.report_rate, bk.minor_units
        FROM held p
        JOIN book bk ON bk.account_id = p.account_id
        JOIN pms.valuation_prices(as_of, known_at, ARRAY(SELECT DISTINCT h.instrument_id FROM held h)) v
          ON v.instrument_id = p.instrument_id
        UNION ALL
        SELECT bk.group_id, false, 'CASH', c.balance, 1, 1, NULL, 0, 0, NULL,
               false, fi.rate, bk.report_rate, bk.minor_units
        FROM scope, pms.cash_balances_of(scope.account_ids, as_of, known_at) c
        JOIN book bk ON bk.account_id = c.account_id
        LEFT JOIN pms.fx_rates_on(as_of, known_at) fi ON fi.currency = c.currency
        WHERE c.balance <> 0
    ), summed AS (
        -- grouped by one key, so that the planner hashes the groups; their household and
        -- currency are looked up afterwards
        SELECT l.group_id,
               pms.valuation_sums(l.is_position, l.asset_class, l.quantity, l.price, l.price_multiplier,
                                  l.accrued_price, l.duration, l.dv01, l.maturity_bucket, l.stale, l.local_rate,
                                  l.report_rate, l.minor_units) AS s
        FROM lines l
        GROUP BY l.group_id
    ), totals AS (
        -- Duration and DV01 are summed as integers (value-years to 1e-4, DV01 to 1e-6 of the
        -- currency): exact, so no row order can change a digit.
        SELECT x.group_id, g.household_id, g.report_currency AS currency,
               coalesce((x.s).market_value, 0) AS market_value,
               coalesce((x.s).accrued_interest, 0) AS accrued_interest,
               coalesce((x.s).cash, 0) AS cash,
               (x.s).bond_value AS bond_value,
               (x.s).duration_units / 1e4 AS duration_value,
               (x.s).dv01_units / 1e6 AS dv01,
               (x.s).bucket_0_2y AS b0, (x.s).bucket_2_5y AS b2, (x.s).bucket_5_10y AS b5,
               (x.s).bucket_10_20y AS b10, (x.s).bucket_20y_plus AS b20,
               (x.s).positions AS positions, (x.s).stale_positions AS stale_positions
        FROM summed x
        JOIN (SELECT DISTINCT b.group_id, b.household_id, b.report_currency FROM book b) g ON g.group_id = x.group_id
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
