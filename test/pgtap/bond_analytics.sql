-- bond_analytics.sql (pgTAP): the bond analytics functions' labels, and properties on a
-- deterministic pseudo-random set of bonds (setseed): yield round trip, dirty = clean +
-- accrued, duration and DV01 against finite differences of the dirty price.
BEGIN;
SELECT plan(9);

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

SELECT * FROM finish();
ROLLBACK;
