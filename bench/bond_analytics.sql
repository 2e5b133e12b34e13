-- bench/bond_analytics.sql: bond analytics throughput, the C functions against a PL/pgSQL
-- formulation of bond_price, in one run.  Deterministic data (no random()): 100K bonds
-- with frequencies 1/2/4/12, the four day counts, coupons 0-10%, maturities up to 40
-- years (plus a semiannual book up to 30 years).  Checks that C and PL/pgSQL prices agree (1e-8 per 100) and that the yield
-- round-trips, then prints rows per second for each function and the C / PL/pgSQL ratio.
-- Figures, never pass/fail on timing.  Run in a database where pms is installed:
--   psql -X -q -v ON_ERROR_STOP=1 -f bench/bond_analytics.sql
-- (bench/bond_analytics.sh starts a throwaway cluster and does that.)
\set QUIET on
SET client_min_messages = warning;
DROP SCHEMA IF EXISTS bond_bench CASCADE;
CREATE SCHEMA bond_bench;

CREATE TABLE bond_bench.bonds AS
SELECT i,
       date '2026-01-01' + (i * 7919 % 365)::int AS settle,
       date '2026-01-01' + (i * 7919 % 365)::int + 30 + (i * 104729 % (40 * 365 - 30))::int AS maturity,
       (i * 31 % 41) * 0.0025 AS coupon,
       0.001 + (i * 17 % 97) * 0.001 AS yield,
       (ARRAY[1, 2, 4, 12])[1 + (i % 4)::int] AS frequency,
       (ARRAY['30/360', 'ACT/ACT', 'ACT/360', 'ACT/365F'])[1 + ((i / 4) % 4)::int] AS day_count
FROM generate_series(1::bigint, 100000) AS i;
ANALYZE bond_bench.bonds;
-- a typical book: semiannual 30/360 or ACT/ACT bonds up to 30 years
CREATE TABLE bond_bench.semiannual AS
SELECT i, settle, settle + 30 + (i * 104729 % (30 * 365 - 30))::int AS maturity, coupon, yield,
       2 AS frequency, (ARRAY['30/360', 'ACT/ACT'])[1 + (i % 2)::int] AS day_count
FROM bond_bench.bonds;
ANALYZE bond_bench.semiannual;

-- PL/pgSQL reference: 30/360 US day count (QuantLib Thirty360::USA rules).
CREATE FUNCTION bond_bench.days_30360(d1 date, d2 date) RETURNS integer
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    dd1 int := extract(day FROM d1);
    dd2 int := extract(day FROM d2);
    feb1 boolean := extract(month FROM d1) = 2 AND extract(month FROM d1 + 1) = 3;
    feb2 boolean := extract(month FROM d2) = 2 AND extract(month FROM d2 + 1) = 3;
BEGIN
    IF dd1 = 31 THEN dd1 := 30; END IF;
    IF dd2 = 31 AND dd1 >= 30 THEN dd2 := 30; END IF;
    IF feb2 AND feb1 THEN dd2 := 30; END IF;
    IF feb1 THEN dd1 := 30; END IF;
    RETURN 360 * (extract(year FROM d2) - extract(year FROM d1))
         + 30 * (extract(month FROM d2) - extract(month FROM d1)) + dd2 - dd1;
END
$$;

-- PL/pgSQL reference: year fraction from d1 to d2 inside the coupon period [ps, pe].
CREATE FUNCTION bond_bench.year_fraction(dc text, f int, d1 date, d2 date, ps date, pe date)
RETURNS float8 LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    RETURN CASE dc
        WHEN '30/360' THEN bond_bench.days_30360(d1, d2) / 360.0::float8
        WHEN 'ACT/ACT' THEN (d2 - d1)::float8 / ((pe - ps) * f)
        WHEN 'ACT/360' THEN (d2 - d1) / 360.0::float8
        ELSE (d2 - d1) / 365.0::float8 END;
END
$$;

-- PL/pgSQL reference: clean price, same conventions as pms.bond_price.
CREATE FUNCTION bond_bench.bond_price(settle date, maturity date, coupon float8, yield float8,
                                      frequency int, day_count text)
RETURNS float8 LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    months int := 12 / frequency;
    k int := 1;
    ps date;
    pe date;
    period float8;
    accrued_yf float8 := 0;
    t float8 := 0;
    pv float8 := 0;
BEGIN
    WHILE (maturity - make_interval(months => k * months))::date > settle LOOP
        k := k + 1;
    END LOOP;
    ps := (maturity - make_interval(months => k * months))::date;
    IF ps <> settle THEN
        accrued_yf := bond_bench.year_fraction(day_count, frequency, ps, settle, ps,
                          (maturity - make_interval(months => (k - 1) * months))::date);
    END IF;
    FOR j IN REVERSE k..1 LOOP
        pe := (maturity - make_interval(months => (j - 1) * months))::date;
        period := bond_bench.year_fraction(day_count, frequency, ps, pe, ps, pe);
        t := t + period - CASE WHEN j = k THEN accrued_yf ELSE 0 END;
        pv := pv + (100 * coupon * period + CASE WHEN j = 1 THEN 100 ELSE 0 END)
                   * (1 + yield / frequency) ^ (-frequency * t);
        ps := pe;
    END LOOP;
    RETURN pv - 100 * coupon * accrued_yf;
END
$$;

-- Times one query over all bonds a few times; returns the median seconds.
CREATE FUNCTION bond_bench.time_query(query text, runs int) RETURNS float8
LANGUAGE plpgsql AS $$
DECLARE
    started timestamptz;
    seconds float8[] := '{}';
BEGIN
    FOR r IN 1..runs LOOP
        started := clock_timestamp();
        EXECUTE query;
        seconds := seconds || extract(epoch FROM clock_timestamp() - started)::float8;
    END LOOP;
    RETURN (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY s) FROM unnest(seconds) s);
END
$$;

CREATE TABLE bond_bench.results (step int, measure text, seconds float8);
SET max_parallel_workers_per_gather = 0;	-- one core: figures are per core
INSERT INTO bond_bench.results VALUES
 (0, 'scan only (baseline)',
  bond_bench.time_query($q$SELECT sum(coupon + yield + frequency + length(day_count) + (maturity - settle)) FROM bond_bench.bonds$q$, 5)),
 (1, 'pms.bond_price (C)',
  bond_bench.time_query($q$SELECT sum(pms.bond_price(settle, maturity, coupon, yield, frequency, day_count)) FROM bond_bench.bonds$q$, 5)),
 (2, 'pms.bond_duration (C)',
  bond_bench.time_query($q$SELECT sum(pms.bond_duration(settle, maturity, coupon, yield, frequency, day_count)) FROM bond_bench.bonds$q$, 5)),
 (3, 'pms.bond_dv01 (C)',
  bond_bench.time_query($q$SELECT sum(pms.bond_dv01(settle, maturity, coupon, yield, frequency, day_count)) FROM bond_bench.bonds$q$, 5)),
 (4, 'pms.bond_price + bond_duration + bond_dv01 (C)',
  bond_bench.time_query($q$SELECT sum(pms.bond_price(settle, maturity, coupon, yield, frequency, day_count)
                                   + pms.bond_duration(settle, maturity, coupon, yield, frequency, day_count)
                                   + pms.bond_dv01(settle, maturity, coupon, yield, frequency, day_count)) FROM bond_bench.bonds$q$, 5)),
 (5, 'pms.bond_yield from a clean price (C)',
  bond_bench.time_query($q$SELECT sum(pms.bond_yield(settle, maturity, coupon, 95 + yield * 100, frequency, day_count)) FROM bond_bench.bonds$q$, 5)),
 (6, 'semiannual book: price + duration + dv01 (C)',
  bond_bench.time_query($q$SELECT sum(pms.bond_price(settle, maturity, coupon, yield, frequency, day_count)
                                   + pms.bond_duration(settle, maturity, coupon, yield, frequency, day_count)
                                   + pms.bond_dv01(settle, maturity, coupon, yield, frequency, day_count)) FROM bond_bench.semiannual$q$, 5)),
 (7, 'bond_price in PL/pgSQL',
  bond_bench.time_query($q$SELECT sum(bond_bench.bond_price(settle, maturity, coupon, yield, frequency, day_count)) FROM bond_bench.bonds$q$, 1));

\echo
\echo Agreement (C against PL/pgSQL and the yield round trip; both must be 0 failures):
SELECT count(*) AS bonds,
       count(*) FILTER (WHERE abs(c - p) > 1e-8) AS price_mismatches,
       to_char(max(abs(c - p)), '9.9EEEE') AS max_price_diff,
       count(*) FILTER (WHERE abs(pms.bond_yield(settle, maturity, coupon, c, frequency, day_count) - yield) > 1e-10)
           AS yield_round_trip_failures
FROM (SELECT b.*, pms.bond_price(settle, maturity, coupon, yield, frequency, day_count) AS c,
             bond_bench.bond_price(settle, maturity, coupon, yield, frequency, day_count) AS p
      FROM bond_bench.bonds b) x;

\echo Throughput (100K bonds, one backend, median of 5 runs; PL/pgSQL one run):
SELECT measure, round(seconds::numeric, 3) AS seconds,
       round(100000 / seconds) AS rows_per_second,
       round((seconds * 1e6 / 100000)::numeric, 2) AS us_per_row
FROM bond_bench.results ORDER BY step;
SELECT round(((SELECT seconds FROM bond_bench.results WHERE step = 7)
            / (SELECT seconds FROM bond_bench.results WHERE step = 1))::numeric, 1) AS plpgsql_over_c_ratio_bond_price;
DROP SCHEMA bond_bench CASCADE;
