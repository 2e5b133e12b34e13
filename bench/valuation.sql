-- bench/valuation.sql: see bench/valuation.sh.  Builds 1000 households x 10 accounts, 500
-- bonds (frequencies 1/2/4/12, the four day counts, maturities up to 30 years), 25 bonds
-- per account bought in two fills each, evaluated prices on 2026-06-30 and a month-end
-- checkpoint; then times the valuations and the analytics.
\set QUIET on
\timing off
SET client_min_messages = warning;
SELECT setseed(0.25) \g /dev/null
SELECT pms.create_household('Bench ' || h, 'bench', ('b0000000-0000-4000-8000-' || lpad(h::text, 12, '0'))::uuid)
FROM generate_series(1, 1000) h \g /dev/null
SELECT pms.create_account(('b0000000-0000-4000-8000-' || lpad((1 + (a - 1) / 10)::text, 12, '0'))::uuid, 'Account ' || a,
                          'individual', 'USD', 'bench', ('a0000000-0000-4000-8000-' || lpad(a::text, 12, '0'))::uuid)
FROM generate_series(1, 10000) a \g /dev/null
INSERT INTO pms.instruments (instrument_id, description, asset_class, currency, coupon_rate, maturity_date,
                             coupon_frequency, day_count)
SELECT ('c0000000-0000-4000-8000-' || lpad(i::text, 12, '0'))::uuid, 'Bond ' || i, 'BOND', 'USD',
       (i * 31 % 33) * 0.0025, DATE '2026-08-01' + (i * 104729 % (30 * 365))::int,
       (ARRAY[2, 2, 2, 1, 4, 12])[1 + i % 6], (ARRAY['30/360', 'ACT/ACT', 'ACT/360', 'ACT/365F'])[1 + (i / 6) % 4]
FROM generate_series(1, 500) i;
INSERT INTO pms.cash_movements (household_id, account_id, currency, amount, kind, value_date)
SELECT household_id, account_id, 'USD', 30000000, 'DEPOSIT', DATE '2026-01-02' FROM pms.accounts;
-- 25 distinct bonds per account, two buys each (500K executions)
INSERT INTO pms.executions (household_id, account_id, instrument_id, side, quantity, price, trade_date)
SELECT a.household_id, a.account_id, ('c0000000-0000-4000-8000-' || lpad((1 + (a.n * 37 + k * 19) % 500)::text, 12, '0'))::uuid,
       'BUY', 1000 * (10 + (a.n + k) % 90), 95 + (a.n * k % 1000) / 100.0,
       DATE '2026-01-05' + ((a.n + k) % 40 + 50 * f)::int
FROM (SELECT household_id, account_id, row_number() OVER (ORDER BY account_id) AS n FROM pms.accounts) a
CROSS JOIN generate_series(1, 25) k
CROSS JOIN generate_series(0, 1) f;
INSERT INTO pms.prices (instrument_id, price_date, price, source)
SELECT i.instrument_id, d, round(pms.bond_price(d, i.maturity_date, i.coupon_rate::float8,
                                               0.03 + (n % 40) * 0.0005, i.coupon_frequency, i.day_count)::numeric, 4), 'bench'
FROM (SELECT *, row_number() OVER (ORDER BY instrument_id) AS n FROM pms.instruments) i,
     (VALUES (DATE '2026-06-30'), (DATE '2026-02-27')) AS v(d);
SELECT pms.checkpoint_positions('2026-01-31') \g /dev/null
VACUUM ANALYZE;
SELECT count(*) AS accounts FROM pms.accounts \gset
SELECT count(*) AS positions FROM pms.position_projection \gset
SELECT count(*) AS executions FROM pms.executions \gset
\echo book: :accounts accounts, :positions positions, :executions executions, 500 bonds

-- The same valuation as a PL/pgSQL loop: per account, per position, a price lookup and the
-- single-measure functions (what a per-account application loop does).
CREATE FUNCTION pg_temp.value_by_loop(day date)
RETURNS TABLE (account_id uuid, instrument_id uuid, market_value numeric, accrued_interest numeric,
               duration float8, dv01 float8)
LANGUAGE plpgsql AS $$
DECLARE
    acct record;
    pos record;
    px numeric;
    y float8;
BEGIN
    FOR acct IN SELECT a.account_id FROM pms.accounts a ORDER BY a.account_id LOOP
        FOR pos IN SELECT p.instrument_id, p.quantity, i.maturity_date, i.coupon_rate::float8 AS coupon,
                          i.coupon_frequency::int AS freq, i.day_count, i.price_multiplier
                   FROM pms.position_projection p JOIN pms.instruments i USING (instrument_id)
                   WHERE p.account_id = acct.account_id AND p.quantity <> 0 LOOP
            SELECT x.price INTO px FROM pms.prices x
            WHERE x.instrument_id = pos.instrument_id AND x.price_date <= day AND x.price_date >= day - 5
            ORDER BY x.price_date DESC, x.recorded_at DESC LIMIT 1;
            y := pms.bond_yield(day, pos.maturity_date, pos.coupon, px::float8, pos.freq, pos.day_count);
            account_id := acct.account_id;
            instrument_id := pos.instrument_id;
            market_value := round(pos.quantity * px * pos.price_multiplier, 2);
            accrued_interest := round(pos.quantity * pms.bond_accrued(day, pos.maturity_date, pos.coupon, pos.freq, pos.day_count)::numeric
                                      * pos.price_multiplier, 2);
            duration := pms.bond_duration(day, pos.maturity_date, pos.coupon, y, pos.freq, pos.day_count);
            dv01 := pms.bond_dv01(day, pos.maturity_date, pos.coupon, y, pos.freq, pos.day_count) * pos.quantity::float8
                    * pos.price_multiplier::float8;
            RETURN NEXT;
        END LOOP;
    END LOOP;
END
$$;

CREATE TEMP TABLE timing (what text, seconds float8, rows bigint);
CREATE FUNCTION pg_temp.time_it(what text, query text, as_of text DEFAULT '') RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    n bigint;
BEGIN
    PERFORM set_config('pms.as_of', as_of, true);
    t0 := clock_timestamp();
    EXECUTE query INTO n;
    INSERT INTO timing VALUES (what, extract(epoch FROM clock_timestamp() - t0), n);
END
$$;

-- 1. set-based valuation against the loop, results equal
CREATE TEMP TABLE set_based AS SELECT * FROM pms.valuation_lines(NULL, '2026-06-30') WHERE instrument_id IS NOT NULL;
CREATE TEMP TABLE by_loop AS SELECT * FROM pg_temp.value_by_loop('2026-06-30');
SELECT count(*) AS mismatches FROM set_based s FULL JOIN by_loop l USING (account_id, instrument_id)
WHERE s.market_value IS DISTINCT FROM l.market_value OR s.accrued_interest IS DISTINCT FROM l.accrued_interest
   OR abs(s.duration - l.duration) > 1e-9 OR abs(s.dv01 - l.dv01) > 1e-6 * abs(l.dv01) OR s.account_id IS NULL OR l.account_id IS NULL \gset
\echo valuation results: :mismatches mismatches between set-based and loop
SELECT pg_temp.time_it('set-based valuation_lines (10K accounts)',
    $$SELECT count(*) FROM pms.valuation_lines(NULL, '2026-06-30') WHERE instrument_id IS NOT NULL$$);
SELECT pg_temp.time_it('PL/pgSQL loop over accounts and positions',
    $$SELECT count(*) FROM pg_temp.value_by_loop('2026-06-30')$$);

-- 2. the kernel per position, nothing shared
CREATE TEMP TABLE terms AS
SELECT p.quantity, i.maturity_date, i.coupon_rate::float8 AS coupon, i.coupon_frequency::int AS freq, i.day_count,
       x.price::float8 AS price, pms.bond_yield('2026-06-30', i.maturity_date, i.coupon_rate::float8, x.price::float8,
                                                i.coupon_frequency, i.day_count) AS yield
FROM pms.position_projection p
JOIN pms.instruments i USING (instrument_id)
JOIN pms.prices x ON x.instrument_id = p.instrument_id AND x.price_date = '2026-06-30';
SELECT pg_temp.time_it('kernel bond_measures_from_price per position',
    $$SELECT count((pms.bond_measures_from_price('2026-06-30', maturity_date, coupon, price, freq, day_count)).dv01) FROM terms$$);
SELECT pg_temp.time_it('kernel bond_measures (from yield) per position',
    $$SELECT count((pms.bond_measures('2026-06-30', maturity_date, coupon, yield, freq, day_count)).dv01) FROM terms$$);
SELECT pg_temp.time_it('three calls: bond_price + bond_duration + bond_dv01 per position',
    $$SELECT count(pms.bond_price('2026-06-30', maturity_date, coupon, yield, freq, day_count)
                   + pms.bond_duration('2026-06-30', maturity_date, coupon, yield, freq, day_count)
                   + pms.bond_dv01('2026-06-30', maturity_date, coupon, yield, freq, day_count)) FROM terms$$);

-- 3. the analytics of every account: lines valued and summed by the C aggregate
--    (pms.portfolio_analytics) against the same sums in SQL over pms.valuation_lines (as
--    pms.portfolio_analytics computed them before the aggregate), results equal as text
\ir ../test/reference/valuation_analytics.sql
SELECT count(*) AS mismatches FROM (
    (SELECT t::text FROM pms.portfolio_analytics('account', NULL, '2026-06-30') t
     EXCEPT ALL SELECT t::text FROM pg_temp.reference_analytics('account', '2026-06-30') t)
    UNION ALL
    (SELECT t::text FROM pg_temp.reference_analytics('account', '2026-06-30') t
     EXCEPT ALL SELECT t::text FROM pms.portfolio_analytics('account', NULL, '2026-06-30') t)) x \gset
\echo analytics results: :mismatches mismatches between the C sums and the SQL sums
SELECT pg_temp.time_it('portfolio_analytics (C sums), 10K accounts',
    $$SELECT count(*) FROM pms.portfolio_analytics('account', NULL, '2026-06-30')$$)
FROM generate_series(1, 5);
SELECT pg_temp.time_it('the same analytics summed in SQL over valuation_lines',
    $$SELECT count(*) FROM pg_temp.reference_analytics('account', '2026-06-30')$$)
FROM generate_series(1, 5);

-- 4. the account list over all accounts, present (projection) and past (checkpoint + fold)
SELECT pg_temp.time_it('account_list, 10K accounts, as of 2026-06-30',
                       'SELECT count(*) FROM pms.account_list WHERE market_value > 0', '2026-06-30')
FROM generate_series(1, 5);
SELECT pg_temp.time_it('account_list, 10K accounts, as of 2026-02-27 (fold)',
                       'SELECT count(*) FROM pms.account_list WHERE market_value > 0', '2026-02-27')
FROM generate_series(1, 5);

\echo
SELECT what, count(*) AS runs, max(rows) AS rows,
       round(percentile_disc(0.5) WITHIN GROUP (ORDER BY seconds)::numeric, 3) AS p50_seconds,
       round((max(rows) / percentile_disc(0.5) WITHIN GROUP (ORDER BY seconds))::numeric) AS rows_per_second
FROM timing GROUP BY what ORDER BY min(ctid);
SELECT round(((SELECT seconds FROM timing WHERE what LIKE 'PL/pgSQL%')
             / (SELECT seconds FROM timing WHERE what LIKE 'set-based%'))::numeric, 1) AS set_based_over_loop_ratio,
       round(((SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY seconds) FROM timing WHERE what LIKE 'the same analytics%')
             / (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY seconds) FROM timing WHERE what LIKE 'portfolio_analytics%'))::numeric, 1)
           AS c_sums_over_sql_sums_ratio;
