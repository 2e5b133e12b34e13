-- bench/bond_analytics.sql: bond valuation throughput in one run: the one-pass C functions
-- (pms.bond_measures, pms.bond_measures_from_price, pms.bond_measures_from_curve) against the
-- separate single-measure calls and against a PL/pgSQL formulation of the same valuations.
-- Deterministic data (no random()): 100K bonds with frequencies 1/2/4/12, the four day counts,
-- coupons 0-10%, maturities up to 40 years, plus a semiannual book up to 30 years.  Checks that
-- the one-pass results equal the separate calls (bit for bit) and the PL/pgSQL ones (1e-8 per
-- 100 in price, 1e-10 in yield and DV01, 1e-9 in duration), then prints valuations per second
-- and the ratios.  A valuation is price, modified duration and DV01.  Figures, never
-- pass/fail on timing.  Run in a database where pms is installed:
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
       ((i * 31 % 41) * 0.0025)::float8 AS coupon,
       (0.001 + (i * 17 % 97) * 0.001)::float8 AS yield,
       (95 + (0.001 + (i * 17 % 97) * 0.001) * 100)::float8 AS clean_price,
       ((i % 200) / 10000.0)::float8 AS spread,
       (ARRAY[1, 2, 4, 12])[1 + (i % 4)::int] AS frequency,
       (ARRAY['30/360', 'ACT/ACT', 'ACT/360', 'ACT/365F'])[1 + ((i / 4) % 4)::int] AS day_count
FROM generate_series(1::bigint, 100000) AS i;
ANALYZE bond_bench.bonds;
-- a typical book: semiannual 30/360 or ACT/ACT bonds up to 30 years
CREATE TABLE bond_bench.semiannual AS
SELECT i, settle, settle + 30 + (i * 104729 % (30 * 365 - 30))::int AS maturity, coupon, yield,
       clean_price, 2 AS frequency, (ARRAY['30/360', 'ACT/ACT'])[1 + (i % 2)::int] AS day_count
FROM bond_bench.bonds;
ANALYZE bond_bench.semiannual;
-- every 20th bond, for the PL/pgSQL formulations (5,000 bonds; they are slow)
CREATE TABLE bond_bench.sample AS SELECT * FROM bond_bench.bonds WHERE i % 20 = 0;
ANALYZE bond_bench.sample;
-- an upward zero curve (tenors in years, continuously compounded rates)
CREATE TABLE bond_bench.curve AS
SELECT ARRAY[30 / 365.0, 91 / 365.0, 182 / 365.0, 1, 2, 3, 5, 7, 10, 20, 30]::float8[] AS tenors,
       ARRAY[0.030, 0.031, 0.032, 0.034, 0.036, 0.037, 0.039, 0.040, 0.041, 0.043, 0.044]::float8[] AS rates;

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

-- PL/pgSQL reference: the remaining cash flows (amounts, cumulative times in the day count)
-- and the accrued interest, with the same conventions as the C schedule.
CREATE FUNCTION bond_bench.flows(settle date, maturity date, coupon float8, frequency int, day_count text,
                                 OUT amounts float8[], OUT times float8[], OUT accrued float8)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    months int := 12 / frequency;
    k int := 1;
    ps date;
    pe date;
    period float8;
    accrued_yf float8 := 0;
    t float8 := 0;
BEGIN
    amounts := '{}';
    times := '{}';
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
        amounts := amounts || (100 * coupon * period + CASE WHEN j = 1 THEN 100 ELSE 0 END);
        times := times || t;
        ps := pe;
    END LOOP;
    accrued := 100 * coupon * accrued_yf;
END
$$;

-- PL/pgSQL reference: clean price, modified duration and DV01 at a yield (formulas of
-- docs/bond-analytics.md), from flows built once.
CREATE FUNCTION bond_bench.valuation(amounts float8[], times float8[], accrued float8, yield float8,
                                     frequency int, OUT clean float8, OUT modified float8, OUT dv01 float8)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    base float8 := 1 + yield / frequency;
    b float8;
    p float8 := 0;
    tw float8 := 0;
    cv float8 := 0;
    convexity float8;
BEGIN
    FOR i IN 1..cardinality(amounts) LOOP
        b := amounts[i] * base ^ (-frequency * times[i]);
        p := p + b;
        tw := tw + b * times[i];
        cv := cv + b * times[i] * (frequency * times[i] + 1);
    END LOOP;
    clean := p - accrued;
    modified := tw / base / p;
    convexity := cv / (frequency * base * base) / p;
    dv01 := modified * p * 1e-4 - 0.5 * (convexity / 100) * p * 1e-8;
END
$$;

-- PL/pgSQL reference: a valuation at a yield.
CREATE FUNCTION bond_bench.measures(settle date, maturity date, coupon float8, yield float8,
                                    frequency int, day_count text,
                                    OUT clean float8, OUT modified float8, OUT dv01 float8)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    fl record := bond_bench.flows(settle, maturity, coupon, frequency, day_count);
BEGIN
    SELECT v.clean, v.modified, v.dv01 INTO clean, modified, dv01
    FROM bond_bench.valuation(fl.amounts, fl.times, fl.accrued, yield, frequency) v;
END
$$;

-- PL/pgSQL reference: the yield of a clean price (Newton on the dirty price, from the coupon
-- rate, to 1e-13), then the valuation at it; flows built once.
CREATE FUNCTION bond_bench.measures_from_price(settle date, maturity date, coupon float8, clean_price float8,
                                               frequency int, day_count text,
                                               OUT yield float8, OUT modified float8, OUT dv01 float8)
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    fl record := bond_bench.flows(settle, maturity, coupon, frequency, day_count);
    target float8 := clean_price + fl.accrued;
    y float8 := coupon;
    step float8;
    b float8;
    p float8;
    dp float8;
BEGIN
    FOR iter IN 1..100 LOOP
        p := 0;
        dp := 0;
        FOR i IN 1..cardinality(fl.amounts) LOOP
            b := fl.amounts[i] * (1 + y / frequency) ^ (-frequency * fl.times[i]);
            p := p + b;
            dp := dp - b * fl.times[i] / (1 + y / frequency);
        END LOOP;
        step := (p - target) / dp;
        y := y - step;
        EXIT WHEN abs(step) < 1e-13;
    END LOOP;
    yield := y;
    SELECT v.modified, v.dv01 INTO modified, dv01
    FROM bond_bench.valuation(fl.amounts, fl.times, fl.accrued, y, frequency) v;
END
$$;

-- Times one query a few times; returns the median seconds.
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

CREATE TABLE bond_bench.results (step int, measure text, bonds int, seconds float8);
SET max_parallel_workers_per_gather = 0;	-- one core: figures are per core
INSERT INTO bond_bench.results VALUES
 (0, 'scan only (baseline)', 100000,
  bond_bench.time_query($q$SELECT sum(coupon + yield + frequency + length(day_count) + (maturity - settle)) FROM bond_bench.bonds$q$, 5)),
 (1, 'at a yield: bond_measures, one call (C)', 100000,
  bond_bench.time_query($q$SELECT sum((m).clean_price + (m).modified_duration + (m).dv01)
                           FROM (SELECT pms.bond_measures(settle, maturity, coupon, yield, frequency, day_count) AS m
                                 FROM bond_bench.bonds OFFSET 0) s$q$, 5)),
 (2, 'at a yield: bond_measures in LATERAL (C)', 100000,
  bond_bench.time_query($q$SELECT sum(m.clean_price + m.modified_duration + m.dv01)
                           FROM bond_bench.bonds b
                           CROSS JOIN LATERAL pms.bond_measures(settle, maturity, coupon, yield, frequency, day_count) m$q$, 5)),
 (3, 'at a yield: price + duration + dv01, three calls (C)', 100000,
  bond_bench.time_query($q$SELECT sum(pms.bond_price(settle, maturity, coupon, yield, frequency, day_count)
                                   + pms.bond_duration(settle, maturity, coupon, yield, frequency, day_count)
                                   + pms.bond_dv01(settle, maturity, coupon, yield, frequency, day_count)) FROM bond_bench.bonds$q$, 5)),
 (4, 'at a yield: PL/pgSQL', 5000,
  bond_bench.time_query($q$SELECT sum(v.clean + v.modified + v.dv01)
                           FROM bond_bench.sample b,
                                LATERAL bond_bench.measures(settle, maturity, coupon, yield, frequency, day_count) v$q$, 1)),
 (5, 'semiannual book at a yield: bond_measures (C)', 100000,
  bond_bench.time_query($q$SELECT sum((m).clean_price + (m).modified_duration + (m).dv01)
                           FROM (SELECT pms.bond_measures(settle, maturity, coupon, yield, frequency, day_count) AS m
                                 FROM bond_bench.semiannual OFFSET 0) s$q$, 5)),
 (6, 'semiannual book at a yield: three calls (C)', 100000,
  bond_bench.time_query($q$SELECT sum(pms.bond_price(settle, maturity, coupon, yield, frequency, day_count)
                                   + pms.bond_duration(settle, maturity, coupon, yield, frequency, day_count)
                                   + pms.bond_dv01(settle, maturity, coupon, yield, frequency, day_count)) FROM bond_bench.semiannual$q$, 5)),
 (7, 'from a price: bond_measures_from_price, one call (C)', 100000,
  bond_bench.time_query($q$SELECT sum((m).yield + (m).modified_duration + (m).dv01)
                           FROM (SELECT pms.bond_measures_from_price(settle, maturity, coupon, clean_price, frequency, day_count) AS m
                                 FROM bond_bench.bonds OFFSET 0) s$q$, 5)),
 (8, 'from a price: bond_yield + duration + dv01, three calls (C)', 100000,
  bond_bench.time_query($q$SELECT sum(y + pms.bond_duration(settle, maturity, coupon, y, frequency, day_count)
                                     + pms.bond_dv01(settle, maturity, coupon, y, frequency, day_count))
                           FROM (SELECT b.*, pms.bond_yield(settle, maturity, coupon, clean_price, frequency, day_count) AS y
                                 FROM bond_bench.bonds b OFFSET 0) s$q$, 5)),
 (9, 'from a price: PL/pgSQL', 5000,
  bond_bench.time_query($q$SELECT sum(v.yield + v.modified + v.dv01)
                           FROM bond_bench.sample b,
                                LATERAL bond_bench.measures_from_price(settle, maturity, coupon, clean_price, frequency, day_count) v$q$, 1)),
 (10, 'off an 11-point curve: bond_measures_from_curve (C)', 100000,
  bond_bench.time_query($q$SELECT sum((m).clean_price + (m).modified_duration + (m).dv01)
                           FROM (SELECT pms.bond_measures_from_curve(settle, maturity, coupon, c.tenors, c.rates, spread,
                                                                     frequency, day_count) AS m
                                 FROM bond_bench.bonds, bond_bench.curve c OFFSET 0) s$q$, 5));

\echo
\echo Agreement (all must be 0):
SELECT count(*) AS bonds,
       count(*) FILTER (WHERE (m).clean_price <> pms.bond_price(settle, maturity, coupon, yield, frequency, day_count)
                           OR (m).modified_duration <> pms.bond_duration(settle, maturity, coupon, yield, frequency, day_count)
                           OR (m).dv01 <> pms.bond_dv01(settle, maturity, coupon, yield, frequency, day_count))
           AS one_pass_vs_three_calls,
       count(*) FILTER (WHERE (p).yield <> pms.bond_yield(settle, maturity, coupon, clean_price, frequency, day_count)
                           OR (p).modified_duration <> pms.bond_duration(settle, maturity, coupon, (p).yield, frequency, day_count)
                           OR (p).dv01 <> pms.bond_dv01(settle, maturity, coupon, (p).yield, frequency, day_count))
           AS from_price_vs_separate_calls
FROM (SELECT b.*, pms.bond_measures(settle, maturity, coupon, yield, frequency, day_count) AS m,
             pms.bond_measures_from_price(settle, maturity, coupon, clean_price, frequency, day_count) AS p
      FROM bond_bench.bonds b OFFSET 0) x;
SELECT count(*) AS sample_bonds,
       count(*) FILTER (WHERE abs((m).clean_price - v.clean) > 1e-8 OR abs((m).modified_duration - v.modified) > 1e-9
                           OR abs((m).dv01 - v.dv01) > 1e-10) AS c_vs_plpgsql_at_yield,
       to_char(max(abs((m).clean_price - v.clean)), '9.9EEEE') AS max_price_diff,
       count(*) FILTER (WHERE abs((p).yield - w.yield) > 1e-10 OR abs((p).modified_duration - w.modified) > 1e-9
                           OR abs((p).dv01 - w.dv01) > 1e-10) AS c_vs_plpgsql_from_price,
       to_char(max(abs((p).yield - w.yield)), '9.9EEEE') AS max_yield_diff
FROM (SELECT b.*, pms.bond_measures(settle, maturity, coupon, yield, frequency, day_count) AS m,
             pms.bond_measures_from_price(settle, maturity, coupon, clean_price, frequency, day_count) AS p
      FROM bond_bench.sample b OFFSET 0) x,
     LATERAL bond_bench.measures(settle, maturity, coupon, yield, frequency, day_count) v,
     LATERAL bond_bench.measures_from_price(settle, maturity, coupon, clean_price, frequency, day_count) w;

\echo Throughput (one backend, median of 5 runs; PL/pgSQL one run over every 20th bond):
SELECT step, measure, bonds, round(seconds::numeric, 3) AS seconds,
       round(bonds / seconds) AS valuations_per_second,
       round((seconds * 1e6 / bonds)::numeric, 2) AS us_per_valuation
FROM bond_bench.results ORDER BY step;
\echo Ratios (valuations per second):
WITH r AS (SELECT step, bonds / seconds AS rate FROM bond_bench.results)
SELECT round(((SELECT rate FROM r WHERE step = 1) / (SELECT rate FROM r WHERE step = 3))::numeric, 2)
           AS one_pass_over_three_calls,
       round(((SELECT rate FROM r WHERE step = 1) / (SELECT rate FROM r WHERE step = 4))::numeric, 1)
           AS one_pass_over_plpgsql,
       round(((SELECT rate FROM r WHERE step = 7) / (SELECT rate FROM r WHERE step = 8))::numeric, 2)
           AS from_price_over_separate_calls,
       round(((SELECT rate FROM r WHERE step = 7) / (SELECT rate FROM r WHERE step = 9))::numeric, 1)
           AS from_price_over_plpgsql;
DROP SCHEMA bond_bench CASCADE;
