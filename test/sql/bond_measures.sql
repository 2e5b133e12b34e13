-- bond_measures.sql: the one-pass valuation functions (bond_measures, bond_measures_from_price),
-- zero curves (zero_rate) and curve pricing (bond_measures_from_curve): results against the
-- single-measure functions, a hand-computed curve price, the flat-curve property for each day
-- count, and every error path.
\i test/fixtures/setup.sql
SET extra_float_digits = 0;

-- the worked example of docs/bond-analytics.md: every measure from one call
SELECT * FROM pms.bond_measures('2026-07-21', '2036-05-15', 0.05, 0.045);

-- named notation, defaults, and one field of the composite
SELECT (pms.bond_measures(settle => '2026-07-21', maturity => '2036-05-15', coupon => 0.05, yield => 0.045,
                          day_count => 'act/act')).dv01
     = pms.bond_dv01('2026-07-21', '2036-05-15', 0.05, 0.045, 2, 'ACT/ACT') AS same_dv01;

-- the same numbers as the single-measure functions, bit for bit, over frequencies, day counts,
-- coupons, yields from -50% to 500% and dates on and between coupon dates, month ends included
-- (OFFSET 0 evaluates each composite once per row)
CREATE TEMP TABLE grid AS
SELECT f, dc, c, y, s, m
FROM unnest(ARRAY[1, 2, 4, 12]) AS f,
     unnest(ARRAY['30/360', 'ACT/ACT', 'ACT/360', 'ACT/365F']) AS dc,
     unnest(ARRAY[0, 0.03, 0.1]) AS c,
     unnest(ARRAY[-0.5, -0.01, 0, 0.05, 0.5, 5.0]) AS y,
     (VALUES (date '2026-02-28', date '2026-03-31'), ('2026-06-30', '2056-12-31'), ('2026-01-10', '2027-02-28'),
             ('2026-05-15', '2036-05-15'), ('2026-07-21', '2066-02-28')) AS d(s, m);
SELECT count(*) AS cases,
       count(*) FILTER (WHERE (r).yield <> y
                           OR (r).clean_price <> pms.bond_price(s, m, c, y, f, dc)
                           OR (r).dirty_price <> pms.bond_dirty_price(s, m, c, y, f, dc)
                           OR (r).accrued <> pms.bond_accrued(s, m, c, f, dc)
                           OR (r).modified_duration <> pms.bond_duration(s, m, c, y, f, dc)
                           OR (r).macaulay_duration <> pms.bond_duration(s, m, c, y, f, dc, 'macaulay')
                           OR (r).convexity <> pms.bond_convexity(s, m, c, y, f, dc)
                           OR (r).dv01 <> pms.bond_dv01(s, m, c, y, f, dc)) AS differences
FROM (SELECT g.*, pms.bond_measures(s, m, c, y, f, dc) AS r FROM grid g OFFSET 0) x;

-- from a clean price: the yield is bond_yield's, the measures are those at that yield (bit for
-- bit), clean_price is the price given and dirty_price = clean_price + accrued, within 1e-12
-- (relative) of bond_dirty_price at the solved yield
SELECT * FROM pms.bond_measures_from_price('2026-07-21', '2036-05-15', 0.05, 103.9261476553);
SELECT count(*) AS cases,
       count(*) FILTER (WHERE (r).yield <> pms.bond_yield(s, m, c, p, f, dc)
                           OR (r).clean_price <> p
                           OR (r).dirty_price <> p + (r).accrued
                           OR (r).accrued <> pms.bond_accrued(s, m, c, f, dc)
                           OR (r).modified_duration <> pms.bond_duration(s, m, c, (r).yield, f, dc)
                           OR (r).macaulay_duration <> pms.bond_duration(s, m, c, (r).yield, f, dc, 'macaulay')
                           OR (r).convexity <> pms.bond_convexity(s, m, c, (r).yield, f, dc)
                           OR (r).dv01 <> pms.bond_dv01(s, m, c, (r).yield, f, dc)) AS differences,
       count(*) FILTER (WHERE abs((r).dirty_price / pms.bond_dirty_price(s, m, c, (r).yield, f, dc) - 1) > 1e-12)
           AS dirty_beyond_1e12,
       count(*) FILTER (WHERE abs((r).yield - y) > 1e-10) AS yield_round_trip_failures
FROM (SELECT g.*, p, pms.bond_measures_from_price(s, m, c, p, f, dc) AS r
      FROM grid g, LATERAL (SELECT pms.bond_price(s, m, c, y, f, dc) AS p) price
      WHERE p > 0 OFFSET 0) x;

-- zero_rate: flat before the first tenor, linear between tenors, exact at them, flat after
-- the last; a tenor of 0 is allowed; arrays may start at any index
SELECT t, pms.zero_rate('{0.5, 1, 2, 5}', '{0.03, 0.032, 0.035, 0.04}', t) AS z
FROM unnest(ARRAY[0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3.5, 5, 30]) AS t;
SELECT pms.zero_rate('{0, 10}', '{0.01, 0.03}', 2.5) AS from_zero_tenor,
       pms.zero_rate('{7}', '{0.042}', 0) AS single_point_before,
       pms.zero_rate('{7}', '{0.042}', 70) AS single_point_after,
       pms.zero_rate('[0:1]={1, 3}', '[5:6]={0.02, 0.04}', 2) AS any_lower_bound;

-- a curve price by hand (numeric arithmetic): 5% annual ACT/365F bond, settled 2026-09-15,
-- paying 5 on 2027-03-15 (181 days away, before the first tenor: z = 3%) and
-- 100 + 5 x 366/365 on 2028-03-15 (547 days away: z = 3.2% + 0.3% x 182/365), spread 10 bp;
-- accrued 5 x 184/365
WITH by_hand AS (
    SELECT 5 * exp(-(0.03 + 0.001) * 181 / 365.0)
           + (100 + 5 * 366 / 365.0) * exp(-(0.032 + 0.003 * 182 / 365.0 + 0.001) * 547 / 365.0) AS dirty,
           5 * 184 / 365.0 AS accrued),
     pms AS (
    SELECT * FROM pms.bond_measures_from_curve('2026-09-15', '2028-03-15', 0.05, '{0.5, 1, 2, 5}',
                                               '{0.03, 0.032, 0.035, 0.04}', 0.001, 1, 'ACT/365F'))
SELECT round(h.dirty, 10) AS dirty_by_hand, round(h.dirty - h.accrued, 10) AS clean_by_hand,
       round(p.dirty_price::numeric, 10) AS dirty, round(p.clean_price::numeric, 10) AS clean,
       round(p.accrued::numeric, 12) = round(h.accrued, 12) AS same_accrued,
       abs(p.dirty_price::numeric - h.dirty) < 1e-12 AS dirty_within_1e12,
       round(p.yield::numeric, 10) AS yield
FROM by_hand h, pms p;

-- the whole result for that bond, and its measures are those of bond_measures_from_price at the
-- curve's clean price (bit for bit)
SELECT * FROM pms.bond_measures_from_curve('2026-09-15', '2028-03-15', 0.05, '{0.5, 1, 2, 5}',
                                           '{0.03, 0.032, 0.035, 0.04}', 0.001, 1, 'ACT/365F');
SELECT (c).yield = (p).yield AND (c).modified_duration = (p).modified_duration
       AND (c).macaulay_duration = (p).macaulay_duration AND (c).convexity = (p).convexity
       AND (c).dv01 = (p).dv01 AND (c).accrued = (p).accrued AS same_as_from_price
FROM (SELECT pms.bond_measures_from_curve('2026-09-15', '2028-03-15', 0.05, '{0.5, 1, 2, 5}',
                                          '{0.03, 0.032, 0.035, 0.04}', 0.001, 1, 'ACT/365F') AS c OFFSET 0) x,
     LATERAL (SELECT pms.bond_measures_from_price('2026-09-15', '2028-03-15', 0.05, (c).clean_price, 1, 'ACT/365F') AS p
              OFFSET 0) y;

-- flat curve z plus spread s.  ACT/365F measures time exactly as the curve does, so the bond's
-- yield is the continuous rate z + s compounded f times a year, y = f (exp((z + s) / f) - 1),
-- and every measure equals bond_measures at that y (within 1e-12 relative).  ACT/360 counts
-- the same days over 360, so the same holds with the rate scaled by 360/365.  30/360 and
-- ACT/ACT measure time differently from actual days, so no such identity holds: their yields
-- differ from f (exp((z + s) / f) - 1) by up to a few basis points beyond a year, and by tens
-- of basis points for a one-month bond (30/360 counts 2026-02-28 to 2026-03-31 as 30 days).
CREATE TEMP TABLE flat AS
SELECT g.*, z, sp, CASE dc WHEN 'ACT/360' THEN 360 / 365.0 ELSE 1 END AS scale
FROM (SELECT DISTINCT f, dc, c, s, m FROM grid) g,
     unnest(ARRAY[-0.005, 0.0, 0.02, 0.07]) AS z,
     unnest(ARRAY[0.0, 0.0125]) AS sp;
CREATE TEMP TABLE flat_diffs AS
SELECT f, dc, c, s, m, z, sp,
       abs((cv).yield - y) AS d_yield,
       greatest(abs((cv).clean_price / (at_y).clean_price - 1), abs((cv).dirty_price / (at_y).dirty_price - 1),
                abs((cv).modified_duration / (at_y).modified_duration - 1),
                abs((cv).macaulay_duration / (at_y).macaulay_duration - 1),
                abs((cv).convexity / (at_y).convexity - 1), abs((cv).dv01 / (at_y).dv01 - 1)) AS d_relative
FROM (SELECT fl.*, y,
             pms.bond_measures_from_curve(s, m, c, '{0.25, 1, 30}', ARRAY[z, z, z], sp, f, dc) AS cv,
             pms.bond_measures(s, m, c, y, f, dc) AS at_y
      FROM flat fl, LATERAL (SELECT f * (exp((z + sp) * scale / f) - 1) AS y) eq
      OFFSET 0) x;
SELECT dc, count(*) AS cases,
       count(*) FILTER (WHERE d_yield > 1e-12 OR d_relative > 1e-12) AS beyond_1e12,
       round((max(d_yield) * 1e4)::numeric, 1) AS max_yield_diff_bp,
       round((max(d_yield) FILTER (WHERE m - s > 366) * 1e4)::numeric, 1) AS beyond_a_year_bp
FROM flat_diffs GROUP BY dc ORDER BY dc;

-- STRICT: a NULL argument gives NULL
SELECT pms.bond_measures(NULL, '2036-05-15', 0.05, 0.05) IS NULL AS measures_null,
       pms.bond_measures_from_price('2026-05-15', '2036-05-15', 0.05, NULL) IS NULL AS from_price_null,
       pms.bond_measures_from_curve('2026-05-15', '2036-05-15', 0.05, '{1}', NULL, 0) IS NULL AS from_curve_null,
       pms.zero_rate('{1}', '{0.05}', NULL) IS NULL AS zero_rate_null;

-- errors: the bond terms and yield, as in the single-measure functions
CALL expect_error($$SELECT pms.bond_measures('2036-05-15', '2036-05-15', 0.05, 0.05)$$);
CALL expect_error($$SELECT pms.bond_measures('2026-05-15', '2036-05-15', 0.05, 0.05, 3)$$);
CALL expect_error($$SELECT pms.bond_measures('2026-05-15', '2036-05-15', 0.05, 0.05, 2, 'ACT/365')$$);
CALL expect_error($$SELECT pms.bond_measures('2026-05-15', '2036-05-15', 0.05, -2)$$);
CALL expect_error($$SELECT pms.bond_measures('2026-05-15', '2036-05-15', 0.05, 'NaN')$$);
CALL expect_error($$SELECT pms.bond_measures('2026-05-15', 'infinity', 0.05, 0.05)$$);
CALL expect_error($$SELECT pms.bond_measures('2026-05-15', '2036-05-15', -0.01, 0.05)$$);
CALL expect_error($$SELECT pms.bond_measures('2026-05-15', '2066-05-15', 0.05, -0.99999999, 1)$$);
-- errors: the price and the solver
CALL expect_error($$SELECT pms.bond_measures_from_price('2026-05-15', '2036-05-15', 0.05, 0)$$);
CALL expect_error($$SELECT pms.bond_measures_from_price('2026-05-15', '2036-05-15', 0.05, 'Infinity')$$);
CALL expect_error($$SELECT pms.bond_measures_from_price('2026-05-15', '2236-05-15', 0.05, 100)$$);
CALL expect_error($$SELECT pms.bond_measures_from_price('2026-03-30', '2026-03-31', 0.05, 99)$$);
CALL expect_error($$SELECT pms.bond_measures_from_price('2026-01-01', '2026-02-04', 0, 1000, 1, 'ACT/360')$$);
CALL expect_error($$SELECT pms.bond_measures_from_price('2026-01-01', '2026-01-02', 0, 1e-300, 1, 'ACT/360')$$);
-- errors: the curve arrays
CALL expect_error($$SELECT pms.zero_rate('{}', '{}', 1)$$);
CALL expect_error($$SELECT pms.zero_rate('{1, 2}', '{}', 1)$$);
CALL expect_error($$SELECT pms.zero_rate('{{1, 2}, {3, 4}}', '{0.01, 0.02, 0.03, 0.04}', 1)$$);
CALL expect_error($$SELECT pms.zero_rate('{1, NULL}', '{0.01, 0.02}', 1)$$);
CALL expect_error($$SELECT pms.zero_rate('{1, 2}', '{0.01, NULL}', 1)$$);
CALL expect_error($$SELECT pms.zero_rate('{1, 2, 3}', '{0.01, 0.02}', 1)$$);
CALL expect_error($$SELECT pms.zero_rate('{-0.5, 2}', '{0.01, 0.02}', 1)$$);
CALL expect_error($$SELECT pms.zero_rate('{1, NaN}', '{0.01, 0.02}', 1)$$);
CALL expect_error($$SELECT pms.zero_rate('{1, Infinity}', '{0.01, 0.02}', 1)$$);
CALL expect_error($$SELECT pms.zero_rate('{1, 2, 2}', '{0.01, 0.02, 0.03}', 1)$$);
CALL expect_error($$SELECT pms.zero_rate('{1, 5, 3}', '{0.01, 0.02, 0.03}', 1)$$);
CALL expect_error($$SELECT pms.zero_rate('{1, 2}', '{0.01, NaN}', 1)$$);
CALL expect_error($$SELECT pms.zero_rate('{1, 2}', '{-Infinity, 0.02}', 1)$$);
-- errors: the curve time
CALL expect_error($$SELECT pms.zero_rate('{1, 2}', '{0.01, 0.02}', -1)$$);
CALL expect_error($$SELECT pms.zero_rate('{1, 2}', '{0.01, 0.02}', 'NaN')$$);
CALL expect_error($$SELECT pms.zero_rate('{1, 2}', '{0.01, 0.02}', 'Infinity')$$);
-- errors: curve pricing (bond terms, curve, spread, prices the curve cannot turn into a yield)
CALL expect_error($$SELECT pms.bond_measures_from_curve('2036-05-15', '2036-05-15', 0.05, '{1}', '{0.03}', 0)$$);
CALL expect_error($$SELECT pms.bond_measures_from_curve('2026-05-15', '2036-05-15', 0.05, '{1}', '{0.03}', 0, 6)$$);
CALL expect_error($$SELECT pms.bond_measures_from_curve('2026-05-15', '2036-05-15', 0.05, '{1, 1}', '{0.03, 0.04}', 0)$$);
CALL expect_error($$SELECT pms.bond_measures_from_curve('2026-05-15', '2036-05-15', 0.05, '{1}', '{0.03, 0.04}', 0)$$);
CALL expect_error($$SELECT pms.bond_measures_from_curve('2026-05-15', '2036-05-15', 0.05, '{1}', '{NULL}', 0)$$);
CALL expect_error($$SELECT pms.bond_measures_from_curve('2026-05-15', '2036-05-15', 0.05, '{1}', '{0.03}', 'NaN')$$);
CALL expect_error($$SELECT pms.bond_measures_from_curve('2026-05-15', '2036-05-15', 0.05, '{1}', '{0.03}', '-Infinity')$$);
CALL expect_error($$SELECT pms.bond_measures_from_curve('2026-07-21', '2066-05-15', 0.05, '{1}', '{20}', 0)$$);
CALL expect_error($$SELECT pms.bond_measures_from_curve('2026-05-15', '2066-05-15', 0.05, '{1}', '{-30}', 0)$$);
CALL expect_error($$SELECT pms.bond_measures_from_curve('2026-03-30', '2026-03-31', 0.05, '{1}', '{0.03}', 0)$$);
