-- bond_analytics.sql (pgTAP): the bond analytics functions' labels, and properties on a
-- deterministic pseudo-random set of bonds (setseed): yield round trip, dirty = clean +
-- accrued, duration and DV01 against finite differences of the dirty price, the one-pass
-- functions against the single-measure ones, and curve pricing on random curves (a zero-coupon
-- bond is 100 exp(-(z(T) + s) T); a parallel shift of the curve is the same as a spread).
BEGIN;
SELECT plan(15);

SELECT is(
    (SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'pms'
       AND p.proname IN ('bond_price', 'bond_dirty_price', 'bond_accrued', 'bond_yield', 'bond_duration',
                         'bond_convexity', 'bond_dv01', 'maturity_bucket')),
    8, 'eight bond analytics functions');
SELECT is(
    (SELECT array_agg(DISTINCT p.provolatile::text || p.proparallel::text || p.proisstrict::text)
     FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'pms' AND (p.proname LIKE 'bond\_%' OR p.proname = 'maturity_bucket')),
    ARRAY['istrue'], 'all IMMUTABLE, PARALLEL SAFE and STRICT');
SELECT is(
    (SELECT count(*)::int FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'pms' AND (p.proname LIKE 'bond\_%' OR p.proname = 'maturity_bucket')
       AND obj_description(p.oid, 'pg_proc') IS NULL),
    0, 'every bond analytics function has a comment');
SELECT function_returns('pms', 'bond_duration',
                        ARRAY['date', 'date', 'double precision', 'double precision', 'integer', 'text', 'text'],
                        'double precision', 'bond_duration signature');

SELECT function_returns('pms', 'bond_measures_from_curve',
                        ARRAY['date', 'date', 'double precision', 'double precision[]', 'double precision[]',
                              'double precision', 'integer', 'text'],
                        'pms.bond_measures', 'bond_measures_from_curve signature');

SELECT setseed(0.4242);
CREATE TEMP TABLE bonds AS
SELECT s AS settle, s + (1 + floor(random() * 40 * 365))::int AS maturity,
       round((random() * 0.1)::numeric, 4)::float8 AS coupon,
       round((random() * 0.15 - 0.01)::numeric, 5)::float8 AS yield,
       (ARRAY[1, 2, 4, 12])[1 + floor(random() * 4)::int] AS frequency,
       (ARRAY['30/360', 'ACT/ACT', 'ACT/360', 'ACT/365F'])[1 + floor(random() * 4)::int] AS day_count
FROM (SELECT date '2026-01-01' + floor(random() * 3650)::int AS s FROM generate_series(1, 2000)) d;
CREATE TEMP TABLE measured AS
SELECT b.*,
       pms.bond_price(settle, maturity, coupon, yield, frequency, day_count) AS clean,
       pms.bond_dirty_price(settle, maturity, coupon, yield, frequency, day_count) AS dirty,
       pms.bond_accrued(settle, maturity, coupon, frequency, day_count) AS accrued,
       pms.bond_duration(settle, maturity, coupon, yield, frequency, day_count) AS modified,
       pms.bond_dv01(settle, maturity, coupon, yield, frequency, day_count) AS dv01,
       pms.bond_dirty_price(settle, maturity, coupon, yield - 1e-6, frequency, day_count) AS dirty_down,
       pms.bond_dirty_price(settle, maturity, coupon, yield + 1e-6, frequency, day_count) AS dirty_up
FROM bonds b;

SELECT is((SELECT count(*)::int FROM measured
           WHERE abs(pms.bond_yield(settle, maturity, coupon, clean, frequency, day_count) - yield) > 1e-10),
          0, 'yield(price(y)) = y within 1e-10 on 2000 random bonds');
SELECT is((SELECT count(*)::int FROM measured WHERE abs(dirty - clean - accrued) > 1e-12),
          0, 'dirty = clean + accrued');
SELECT is((SELECT count(*)::int FROM measured
           WHERE abs(modified - (dirty_down - dirty_up) / 2e-6 / dirty) > 1e-5 * greatest(modified, 1)),
          0, 'modified duration = -dP/dy / P (central difference)');
SELECT is((SELECT count(*)::int FROM measured
           WHERE abs(dv01 - (dirty_down - dirty_up) / 2e-6 * 1e-4) > 1e-4 * greatest(dv01, 1e-3)),
          0, 'DV01 = -dP/dy x 1 bp within 1e-4 relative (QuantLib adds a tiny second-order term)');
SELECT is((SELECT count(*)::int FROM measured WHERE dv01 <= 0 OR modified <= 0 OR accrued < 0),
          0, 'DV01 and duration positive, accrued not negative');


-- the one-pass functions give the single-measure functions' numbers exactly
SELECT is((SELECT count(*)::int
           FROM (SELECT m.*, pms.bond_measures(settle, maturity, coupon, yield, frequency, day_count) AS r,
                        pms.bond_measures_from_price(settle, maturity, coupon, clean, frequency, day_count) AS p
                 FROM measured m WHERE clean > 0 OFFSET 0) x
           WHERE (r).clean_price <> clean OR (r).dirty_price <> dirty OR (r).accrued <> accrued
              OR (r).modified_duration <> modified OR (r).dv01 <> dv01
              OR (p).yield <> pms.bond_yield(settle, maturity, coupon, clean, frequency, day_count)
              OR (p).dv01 <> pms.bond_dv01(settle, maturity, coupon, (p).yield, frequency, day_count)
              OR (p).convexity <> pms.bond_convexity(settle, maturity, coupon, (p).yield, frequency, day_count)),
          0, 'bond_measures and bond_measures_from_price agree bit for bit with the single-measure functions');

-- curves from the bond's row number (1 to 8 points, tenors 0-30 years, rates -1% to 8%,
-- spreads -50 to 300 bp), each row its own curve
CREATE TEMP TABLE curves AS
SELECT n.settle, n.maturity, n.coupon, n.frequency, n.day_count, c.tenors, c.rates,
       ((n.i * 13) % 351 - 50) / 10000.0::float8 AS spread,
       ((n.i * 29) % 201 - 100) / 10000.0::float8 AS shift
FROM (SELECT b.*, row_number() OVER () AS i FROM bonds b) n
CROSS JOIN LATERAL (
    SELECT array_agg(t ORDER BY t) AS tenors, array_agg(r ORDER BY t) AS rates
    FROM (SELECT DISTINCT ON (t) t, r
          FROM (SELECT ((n.i * 7919 + j * 104729) % 30001) / 1000.0::float8 AS t,
                       ((n.i * 31 + j * 17) % 901 - 100) / 10000.0::float8 AS r
                FROM generate_series(1, 1 + (n.i % 8)::int) AS j) g
          ORDER BY t, r) p) c;
SELECT is((SELECT count(DISTINCT tenors)::int FROM curves), 2000, '2000 different curves');
SELECT is((SELECT count(*)::int
           FROM (SELECT c.*, (maturity - settle) / 365.0::float8 AS t,
                        pms.bond_measures_from_curve(settle, maturity, 0, tenors, rates, spread, frequency, day_count) AS m
                 FROM curves c OFFSET 0) x
           WHERE abs((m).dirty_price / (100 * exp(-(pms.zero_rate(tenors, rates, t) + spread) * t)) - 1) > 1e-13),
          0, 'a zero-coupon bond off a curve is worth 100 exp(-(z(T) + spread) T), T = days / 365');
SELECT is((SELECT count(*)::int
           FROM (SELECT pms.bond_measures_from_curve(settle, maturity, coupon, tenors,
                                                     (SELECT array_agg(r + shift) FROM unnest(rates) r),
                                                     spread, frequency, day_count) AS shifted,
                        pms.bond_measures_from_curve(settle, maturity, coupon, tenors, rates, spread + shift,
                                                     frequency, day_count) AS spread_up
                 FROM curves OFFSET 0) x
           WHERE abs((shifted).dirty_price / (spread_up).dirty_price - 1) > 1e-13
              OR abs((shifted).yield - (spread_up).yield) > 1e-12),
          0, 'shifting every zero rate by d prices as adding d to the spread');
SELECT is((SELECT count(*)::int
           FROM (SELECT c.*, pms.bond_measures_from_curve(settle, maturity, coupon, tenors, rates, spread,
                                                          frequency, day_count) AS m
                 FROM curves c OFFSET 0) x
           WHERE abs(pms.bond_price(settle, maturity, coupon, (m).yield, frequency, day_count) - (m).clean_price)
                 > 1e-10 * (m).clean_price
              OR abs((m).dirty_price - (m).clean_price - (m).accrued) > 1e-12),
          0, 'the curve''s yield reprices its clean price (1e-10 relative); dirty = clean + accrued');

SELECT * FROM finish();
ROLLBACK;
