-- test/pgtap/valuation_sums.sql: the C aggregate pms.valuation_sums against an independent SQL
-- formulation (numeric arithmetic and sum() FILTER, as pms.valuation_lines and the analytics
-- computed them before the aggregate existed), compared as text so that display scales count:
--   on random lines (fixed seed): FX factors, minor units 0/2/3/NULL, stale lines, missing
--   rates, and values too large for 128-bit fixed point (the numeric fallback);
--   on the sample book: pms.portfolio_analytics = the same analytics summed in SQL over
--   pms.valuation_lines, for accounts and households, at several dates.
BEGIN;
SELECT plan(3);
\set QUIET on
SET client_min_messages = warning;
\i sample/book.sql
RESET client_min_messages;
\set QUIET off

-- Random lines: 40 groups, each line a position or cash, bonds and equities.
SELECT setseed(0.42);
CREATE TEMP TABLE lines AS
SELECT g % 40 AS grp, g % 9 <> 0 AS is_position, k.asset_class,
       CASE WHEN g % 151 = 0 AND k.asset_class <> 'BOND' THEN round((random() * 1e35)::numeric, 2)
            WHEN g % 17 = 0 THEN -round((random() * 1e5)::numeric, 3)
            ELSE round((random() * 1e7)::numeric, g % 4) END AS quantity,
       CASE WHEN g % 23 = 0 THEN NULL ELSE round((50 + random() * 100)::numeric, 1 + g % 6) END AS price,
       CASE k.asset_class WHEN 'BOND' THEN 0.01 ELSE 1 END::numeric AS price_multiplier,
       CASE WHEN k.asset_class = 'BOND' THEN (random() * 4)::float8::numeric END AS accrued_price,
       random() * 25 AS duration,
       random() * 0.3 AS dv01,
       (ARRAY['0-2y', '2-5y', '5-10y', '10-20y', '20y+', NULL])[1 + g % 6] AS maturity_bucket,
       g % 13 = 0 AS stale,
       (ARRAY[1, 1, 1.1, 0.0067, 1.27, NULL])[1 + g % 6]::numeric AS local_rate,
       (ARRAY[1, 1, 1, 1.1, 1.27, 0.0067, NULL])[1 + (g / 40) % 7]::numeric AS report_rate,
       (ARRAY[2, 2, 0, 3, NULL])[1 + (g % 40) % 5] AS minor_units
FROM generate_series(1, 6000) g
CROSS JOIN LATERAL (SELECT (ARRAY['BOND', 'BOND', 'BOND', 'EQUITY', 'FUND'])[1 + g % 5] AS asset_class) k;

-- The lines valued in SQL, as pms.valuation_lines values them.
CREATE TEMP VIEW valued AS
SELECT l.*, v.market_value, v.accrued_interest, v.market_value + v.accrued_interest AS bond_value,
       CASE WHEN NOT l.stale THEN l.duration END AS line_duration,
       CASE WHEN NOT l.stale THEN l.dv01 * l.quantity::float8 * l.price_multiplier::float8 * v.fx::float8 END AS line_dv01,
       l.stale OR v.fx IS NULL AS line_stale
FROM lines l
CROSS JOIN LATERAL (SELECT l.local_rate / l.report_rate AS fx) f
CROSS JOIN LATERAL (
    SELECT f.fx,
           CASE WHEN l.stale THEN NULL WHEN f.fx = 1 THEN round(l.quantity * l.price * l.price_multiplier, l.minor_units)
                ELSE round(l.quantity * l.price * l.price_multiplier * f.fx, l.minor_units) END AS market_value,
           CASE WHEN l.stale THEN NULL WHEN f.fx = 1 THEN round(l.quantity * l.accrued_price * l.price_multiplier, l.minor_units)
                ELSE round(l.quantity * l.accrued_price * l.price_multiplier * f.fx, l.minor_units) END AS accrued_interest) v;

SELECT set_eq(
    $$ SELECT grp, pms.valuation_sums(is_position, asset_class, quantity, price, price_multiplier, accrued_price, duration,
                                      dv01, maturity_bucket, stale, local_rate, report_rate, minor_units)::text
       FROM lines GROUP BY grp $$,
    $$ SELECT grp, ROW(sum(market_value) FILTER (WHERE is_position), sum(accrued_interest),
                       sum(market_value) FILTER (WHERE NOT is_position),
                       sum(bond_value) FILTER (WHERE asset_class = 'BOND'),
                       sum(round(bond_value::float8 * line_duration * 1e4)::bigint) FILTER (WHERE asset_class = 'BOND'),
                       sum(round(line_dv01 * 1e6)::bigint) FILTER (WHERE asset_class = 'BOND'),
                       sum(bond_value) FILTER (WHERE maturity_bucket = '0-2y'),
                       sum(bond_value) FILTER (WHERE maturity_bucket = '2-5y'),
                       sum(bond_value) FILTER (WHERE maturity_bucket = '5-10y'),
                       sum(bond_value) FILTER (WHERE maturity_bucket = '10-20y'),
                       sum(bond_value) FILTER (WHERE maturity_bucket = '20y+'),
                       count(*) FILTER (WHERE is_position)::integer,
                       count(*) FILTER (WHERE line_stale)::integer)::pms.valuation_sums::text
       FROM valued GROUP BY grp $$,
    'valuation_sums = the numeric SQL formulation on random lines, digit for digit and scale for scale');

SELECT ok((SELECT count(*) FILTER (WHERE abs(market_value) > 1e30) > 0
                  AND count(*) FILTER (WHERE market_value IS NOT NULL AND local_rate <> report_rate) > 0
                  AND count(*) FILTER (WHERE minor_units IS NULL) > 0
                  AND count(*) FILTER (WHERE line_stale) > 0
           FROM valued),
          'the random lines include values beyond fixed point, FX conversions, currencies without minor units and stale lines');

-- The analytics as they were summed in SQL over the valued lines.
\ir ../reference/valuation_analytics.sql

CREATE TEMP TABLE dates (d date);
INSERT INTO dates VALUES ('2025-03-31'), ('2025-06-30'), ('2025-12-31'), ('2026-10-20'), ('2026-11-20');

SELECT set_eq(
    $$ SELECT d, lv, t::text FROM dates, unnest(ARRAY['account', 'household']) lv, pms.portfolio_analytics(lv, NULL, d) t $$,
    $$ SELECT d, lv, t::text FROM dates, unnest(ARRAY['account', 'household']) lv, pg_temp.reference_analytics(lv, d) t $$,
    'portfolio_analytics = the analytics summed in SQL over valuation_lines, as text, for accounts and households');

SELECT * FROM finish();
ROLLBACK;
