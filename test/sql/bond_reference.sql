-- bond_reference.sql: every row of test/reference/bond_reference.csv (QuantLib 1.29, see
-- test/reference/bond_reference.cpp) against the pms bond functions, the single-measure ones
-- and bond_measures / bond_measures_from_price; then every row of
-- test/reference/bond_curve_reference.csv (bonds priced off the zero curves of
-- test/reference/zero_curves.csv plus a z-spread) against bond_measures_from_curve.
-- Tolerances: clean, dirty and accrued 1e-8 per 100 face; yield from the clean price 1e-10
-- (against QuantLib's own round trip and against the input yield); modified and Macaulay
-- duration 1e-9 years; convexity 1e-7 years squared; DV01 1e-10 per 100 face.
\i test/fixtures/setup.sql
CREATE TEMP TABLE ql (
    frequency integer, day_count text, coupon float8, settle date, maturity date, yield float8,
    clean float8, dirty float8, accrued float8, yield_from_clean float8,
    modified_duration float8, macaulay_duration float8, convexity float8, dv01 float8);
\copy ql FROM 'test/reference/bond_reference.csv' WITH (FORMAT csv, HEADER true)

CREATE TEMP TABLE diffs AS
SELECT q.*,
       abs(pms.bond_price(settle, maturity, coupon, yield, frequency, day_count) - clean) AS d_clean,
       abs(pms.bond_dirty_price(settle, maturity, coupon, yield, frequency, day_count) - dirty) AS d_dirty,
       abs(pms.bond_accrued(settle, maturity, coupon, frequency, day_count) - accrued) AS d_accrued,
       greatest(abs(y.y - yield_from_clean), abs(y.y - yield)) AS d_yield,
       abs(pms.bond_duration(settle, maturity, coupon, yield, frequency, day_count) - modified_duration) AS d_modified,
       abs(pms.bond_duration(settle, maturity, coupon, yield, frequency, day_count, 'macaulay') - macaulay_duration) AS d_macaulay,
       abs(pms.bond_convexity(settle, maturity, coupon, yield, frequency, day_count) - convexity) AS d_convexity,
       abs(pms.bond_dv01(settle, maturity, coupon, yield, frequency, day_count) - dv01) AS d_dv01
FROM ql q
CROSS JOIN LATERAL (SELECT pms.bond_yield(settle, maturity, coupon, clean, frequency, day_count) AS y) y;

-- the grid covers what the issue asks for
SELECT count(*) AS rows, count(DISTINCT frequency) AS frequencies, count(DISTINCT day_count) AS day_counts,
       min(coupon) AS min_coupon, max(coupon) AS max_coupon,
       max(maturity - settle) / 365 AS max_years,
       count(*) FILTER (WHERE accrued = 0) > 0 AS on_coupon_dates,
       count(*) FILTER (WHERE accrued > 0) > 0 AS between_coupon_dates
FROM ql;

-- rows outside tolerance (all zero), then the largest differences as powers of ten (log10 of
-- the maximum, rounded up), so the output is stable
SELECT count(*) FILTER (WHERE d_clean > 1e-8 OR d_dirty > 1e-8 OR d_accrued > 1e-8) AS price_failures,
       count(*) FILTER (WHERE d_yield > 1e-10) AS yield_failures,
       count(*) FILTER (WHERE d_modified > 1e-9 OR d_macaulay > 1e-9) AS duration_failures,
       count(*) FILTER (WHERE d_convexity > 1e-7) AS convexity_failures,
       count(*) FILTER (WHERE d_dv01 > 1e-10) AS dv01_failures
FROM diffs;
SELECT ceil(log(greatest(max(greatest(d_clean, d_dirty, d_accrued)), 1e-300))) AS price_exp,
       ceil(log(greatest(max(d_yield), 1e-300))) AS yield_exp,
       ceil(log(greatest(max(greatest(d_modified, d_macaulay)), 1e-300))) AS duration_exp,
       ceil(log(greatest(max(d_convexity), 1e-300))) AS convexity_exp,
       ceil(log(greatest(max(d_dv01), 1e-300))) AS dv01_exp
FROM diffs;
-- the worst rows, if any failed
SELECT frequency, day_count, coupon, settle, maturity, yield, d_clean, d_accrued, d_yield, d_modified, d_convexity, d_dv01
FROM diffs
WHERE d_clean > 1e-8 OR d_dirty > 1e-8 OR d_accrued > 1e-8 OR d_yield > 1e-10 OR d_modified > 1e-9
   OR d_macaulay > 1e-9 OR d_convexity > 1e-7 OR d_dv01 > 1e-10
ORDER BY d_clean DESC, d_yield DESC LIMIT 10;

-- bond_measures (at the grid yield) and bond_measures_from_price (from QuantLib's clean price)
-- on the same rows.  Composites are computed once per row (OFFSET 0 keeps the planner from
-- expanding (m).field into one call per field).
CREATE TEMP TABLE measured AS
SELECT q.*, a.m, b.p
FROM ql q
CROSS JOIN LATERAL (SELECT pms.bond_measures(settle, maturity, coupon, yield, frequency, day_count) AS m OFFSET 0) a
CROSS JOIN LATERAL (SELECT pms.bond_measures_from_price(settle, maturity, coupon, clean, frequency, day_count) AS p OFFSET 0) b;

-- one pass gives exactly the numbers of the single-measure functions (0 differences), and the
-- price-based pass exactly those at bond_yield's yield
SELECT count(*) FILTER (WHERE (m).yield <> yield
                           OR (m).clean_price <> pms.bond_price(settle, maturity, coupon, yield, frequency, day_count)
                           OR (m).dirty_price <> pms.bond_dirty_price(settle, maturity, coupon, yield, frequency, day_count)
                           OR (m).accrued <> pms.bond_accrued(settle, maturity, coupon, frequency, day_count)
                           OR (m).modified_duration <> pms.bond_duration(settle, maturity, coupon, yield, frequency, day_count)
                           OR (m).macaulay_duration <> pms.bond_duration(settle, maturity, coupon, yield, frequency, day_count, 'macaulay')
                           OR (m).convexity <> pms.bond_convexity(settle, maturity, coupon, yield, frequency, day_count)
                           OR (m).dv01 <> pms.bond_dv01(settle, maturity, coupon, yield, frequency, day_count)) AS measures_differ,
       count(*) FILTER (WHERE (p).yield <> pms.bond_yield(settle, maturity, coupon, clean, frequency, day_count)
                           OR (p).clean_price <> clean
                           OR (p).dirty_price <> clean + (p).accrued
                           OR (p).accrued <> pms.bond_accrued(settle, maturity, coupon, frequency, day_count)
                           OR (p).modified_duration <> pms.bond_duration(settle, maturity, coupon, (p).yield, frequency, day_count)
                           OR (p).macaulay_duration <> pms.bond_duration(settle, maturity, coupon, (p).yield, frequency, day_count, 'macaulay')
                           OR (p).convexity <> pms.bond_convexity(settle, maturity, coupon, (p).yield, frequency, day_count)
                           OR (p).dv01 <> pms.bond_dv01(settle, maturity, coupon, (p).yield, frequency, day_count)) AS from_price_differ
FROM measured;

-- and both agree with QuantLib within the tolerances (from_price's measures are at the solved
-- yield, QuantLib's at the grid yield); failures, then the largest differences as powers of ten
CREATE TEMP TABLE measured_diffs AS
SELECT greatest(abs((m).clean_price - clean), abs((m).dirty_price - dirty), abs((m).accrued - accrued),
                abs((p).dirty_price - dirty), abs((p).accrued - accrued)) AS d_price,
       greatest(abs((p).yield - yield_from_clean), abs((p).yield - yield)) AS d_yield,
       greatest(abs((m).modified_duration - modified_duration), abs((m).macaulay_duration - macaulay_duration),
                abs((p).modified_duration - modified_duration), abs((p).macaulay_duration - macaulay_duration)) AS d_duration,
       greatest(abs((m).convexity - convexity), abs((p).convexity - convexity)) AS d_convexity,
       greatest(abs((m).dv01 - dv01), abs((p).dv01 - dv01)) AS d_dv01
FROM measured;
SELECT count(*) FILTER (WHERE d_price > 1e-8) AS price_failures,
       count(*) FILTER (WHERE d_yield > 1e-10) AS yield_failures,
       count(*) FILTER (WHERE d_duration > 1e-9) AS duration_failures,
       count(*) FILTER (WHERE d_convexity > 1e-7) AS convexity_failures,
       count(*) FILTER (WHERE d_dv01 > 1e-10) AS dv01_failures,
       ceil(log(greatest(max(d_price), 1e-300))) AS price_exp,
       ceil(log(greatest(max(d_yield), 1e-300))) AS yield_exp,
       ceil(log(greatest(max(d_duration), 1e-300))) AS duration_exp,
       ceil(log(greatest(max(d_convexity), 1e-300))) AS convexity_exp,
       ceil(log(greatest(max(d_dv01), 1e-300))) AS dv01_exp
FROM measured_diffs;

-- curve pricing: QuantLib's InterpolatedZeroCurve<Linear> made flat outside its tenors, with a
-- z-spread; tenors are whole days from settle, so days / 365 years as both sides read them
CREATE TEMP TABLE zc (curve text, tenor_days integer, zero_rate float8);
\copy zc FROM 'test/reference/zero_curves.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE qlc (
    curve text, spread float8, frequency integer, day_count text, coupon float8, settle date, maturity date,
    clean float8, dirty float8, accrued float8, yield float8,
    modified_duration float8, macaulay_duration float8, convexity float8, dv01 float8);
\copy qlc FROM 'test/reference/bond_curve_reference.csv' WITH (FORMAT csv, HEADER true)
CREATE TEMP TABLE curve_diffs AS
SELECT q.curve, q.spread, q.frequency, q.day_count, q.coupon, q.settle, q.maturity,
       greatest(abs((m).clean_price - clean), abs((m).dirty_price - dirty), abs((m).accrued - accrued)) AS d_price,
       abs((m).yield - yield) AS d_yield,
       greatest(abs((m).modified_duration - modified_duration), abs((m).macaulay_duration - macaulay_duration)) AS d_duration,
       abs((m).convexity - convexity) AS d_convexity,
       abs((m).dv01 - dv01) AS d_dv01
FROM qlc q
JOIN (SELECT curve, array_agg(tenor_days / 365.0::float8 ORDER BY tenor_days) AS tenors,
             array_agg(zero_rate ORDER BY tenor_days) AS rates
      FROM zc GROUP BY curve) c USING (curve)
CROSS JOIN LATERAL (SELECT pms.bond_measures_from_curve(settle, maturity, coupon, c.tenors, c.rates, spread,
                                                        frequency, day_count) AS m OFFSET 0) x;

-- what the curve grid covers
SELECT count(*) AS rows, count(DISTINCT curve) AS curves, count(DISTINCT spread) AS spreads,
       count(DISTINCT frequency) AS frequencies, count(DISTINCT day_count) AS day_counts,
       min(spread) AS min_spread, max(spread) AS max_spread, max(maturity - settle) / 365 AS max_years
FROM qlc;
SELECT count(*) FILTER (WHERE d_price > 1e-8) AS price_failures,
       count(*) FILTER (WHERE d_yield > 1e-10) AS yield_failures,
       count(*) FILTER (WHERE d_duration > 1e-9) AS duration_failures,
       count(*) FILTER (WHERE d_convexity > 1e-7) AS convexity_failures,
       count(*) FILTER (WHERE d_dv01 > 1e-10) AS dv01_failures,
       ceil(log(greatest(max(d_price), 1e-300))) AS price_exp,
       ceil(log(greatest(max(d_yield), 1e-300))) AS yield_exp,
       ceil(log(greatest(max(d_duration), 1e-300))) AS duration_exp,
       ceil(log(greatest(max(d_convexity), 1e-300))) AS convexity_exp,
       ceil(log(greatest(max(d_dv01), 1e-300))) AS dv01_exp
FROM curve_diffs;
-- the worst curve rows, if any failed
SELECT * FROM curve_diffs
WHERE d_price > 1e-8 OR d_yield > 1e-10 OR d_duration > 1e-9 OR d_convexity > 1e-7 OR d_dv01 > 1e-10
ORDER BY d_price DESC, d_yield DESC LIMIT 10;
