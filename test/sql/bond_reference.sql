-- bond_reference.sql: every row of test/reference/bond_reference.csv (QuantLib 1.29, see
-- test/reference/bond_reference.cpp) against the pms bond functions.
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
