-- bond_analytics.sql: every bond analytics function, its defaults and conventions, the
-- yield solver on hard inputs, maturity buckets at their edges, and every error path.
\i test/fixtures/setup.sql
SET extra_float_digits = 0;

-- a 5% semiannual 30/360 bond at a 5% yield on a coupon date is at par, with no accrued
SELECT pms.bond_price('2026-05-15', '2036-05-15', 0.05, 0.05) AS clean,
       pms.bond_dirty_price('2026-05-15', '2036-05-15', 0.05, 0.05) AS dirty,
       pms.bond_accrued('2026-05-15', '2036-05-15', 0.05) AS accrued;

-- between coupon dates: dirty = clean + accrued; 30/360 accrues 66 days of 180 here
SELECT round(pms.bond_price('2026-07-21', '2036-05-15', 0.05, 0.045)::numeric, 10) AS clean,
       round(pms.bond_dirty_price('2026-07-21', '2036-05-15', 0.05, 0.045)::numeric, 10) AS dirty,
       round(pms.bond_accrued('2026-07-21', '2036-05-15', 0.05)::numeric, 10) AS accrued,
       round((2.5 * 66 / 180)::numeric, 10) AS accrued_by_hand;

-- the four day counts accrue differently over the same 67 actual days (184-day period)
SELECT dc, round(pms.bond_accrued('2026-07-21', '2036-05-15', 0.05, 2, dc)::numeric, 10) AS accrued
FROM unnest(ARRAY['30/360', 'ACT/ACT', 'ACT/360', 'ACT/365F']) AS dc;

-- day count names are case-insensitive; named notation works
SELECT pms.bond_accrued('2026-07-21', '2036-05-15', 0.05, 2, 'act/act')
     = pms.bond_accrued(settle => '2026-07-21', maturity => '2036-05-15', coupon => 0.05,
                        day_count => 'ACT/ACT') AS same;

-- end-of-month maturity: the schedule clamps to the month's end (Feb 28, Aug 31)
SELECT round((pms.bond_accrued('2026-03-31', '2030-08-31', 0.06, 2, 'ACT/ACT') * 2 / 6)::numeric, 12) AS fraction_of_period,
       round(31.0 / 184, 12) AS act_days_over_period;

-- zero-coupon bond: no accrued, price 100 / (1 + y/f)^(f t)
SELECT pms.bond_accrued('2026-01-01', '2036-01-01', 0, 1, 'ACT/ACT') AS accrued,
       round(pms.bond_price('2026-01-01', '2036-01-01', 0, 0.04, 1, 'ACT/ACT')::numeric, 10) AS price,
       round((100 / 1.04 ^ 10)::numeric, 10) AS by_hand,
       round(pms.bond_duration('2026-01-01', '2036-01-01', 0, 0.04, 1, 'ACT/ACT', 'macaulay')::numeric, 12) AS macaulay;

-- durations: Macaulay = (1 + y/f) x modified; 'Macaulay' is case-insensitive
SELECT round(pms.bond_duration('2026-05-15', '2036-05-15', 0.05, 0.05)::numeric, 10) AS modified,
       round(pms.bond_duration('2026-05-15', '2036-05-15', 0.05, 0.05, kind => 'Macaulay')::numeric, 10) AS macaulay,
       round((pms.bond_duration('2026-05-15', '2036-05-15', 0.05, 0.05) * 1.025)::numeric, 10) AS modified_times_base,
       round(pms.bond_convexity('2026-05-15', '2036-05-15', 0.05, 0.05)::numeric, 10) AS convexity;

-- DV01 is positive and close to the central difference of the dirty price over 2 bp
SELECT round(pms.bond_dv01('2026-07-21', '2036-05-15', 0.05, 0.045)::numeric, 10) AS dv01,
       round(((pms.bond_dirty_price('2026-07-21', '2036-05-15', 0.05, 0.0449)
             - pms.bond_dirty_price('2026-07-21', '2036-05-15', 0.05, 0.0451)) / 2)::numeric, 10) AS central_difference;

-- yield round trips across frequencies, day counts, and yields from -0.5 to 5 (where the
-- clean price is positive: at very high yields the accrued exceeds the dirty price)
SELECT count(*) AS cases,
       count(*) FILTER (WHERE abs(pms.bond_yield(s, m, c, p, f, dc) - y) > 1e-10) AS failures
FROM unnest(ARRAY[1, 2, 4, 12]) AS f,
     unnest(ARRAY['30/360', 'ACT/ACT', 'ACT/360', 'ACT/365F']) AS dc,
     unnest(ARRAY[0, 0.03, 0.1]) AS c,
     unnest(ARRAY[-0.5, -0.01, 0, 0.0001, 0.05, 0.5, 1.0, 5.0]) AS y,
     (VALUES (date '2026-02-28', date '2026-03-31'), ('2026-06-30', '2056-12-31'), ('2026-01-10', '2027-02-28')) AS d(s, m),
     LATERAL (SELECT pms.bond_price(s, m, c, y, f, dc) AS p) AS price
WHERE p > 0;

-- the solver copes with extreme prices: tiny and huge ones give finite yields
SELECT round(pms.bond_yield('2026-01-01', '2046-01-01', 0.05, 1e-6)::numeric, 6) AS yield_at_tiny_price,
       round(pms.bond_yield('2026-01-01', '2046-01-01', 0.05, 1e6)::numeric, 6) AS yield_at_huge_price,
       round(pms.bond_yield('2026-01-01', '2026-01-02', 0, 99.99, 1, 'ACT/360')::numeric, 6) AS one_day;

-- maturity buckets: years = days / 365.25, lower bound inclusive
SELECT days, pms.maturity_bucket('2026-01-01', date '2026-01-01' + days) AS bucket
FROM unnest(ARRAY[1, 730, 731, 1826, 1827, 3652, 3653, 7304, 7305, 14610]) AS days;

-- STRICT: a NULL argument gives NULL
SELECT pms.bond_price(NULL, '2036-05-15', 0.05, 0.05) IS NULL AS price_null,
       pms.bond_yield('2026-05-15', '2036-05-15', 0.05, NULL) IS NULL AS yield_null,
       pms.maturity_bucket('2026-05-15', NULL) IS NULL AS bucket_null;

-- errors
CALL expect_error($$SELECT pms.bond_price('2036-05-15', '2036-05-15', 0.05, 0.05)$$);
CALL expect_error($$SELECT pms.bond_yield('2037-01-01', '2036-05-15', 0.05, 100)$$);
CALL expect_error($$SELECT pms.bond_accrued('2026-05-15', '2036-05-15', 0.05, 2, '30E/360')$$);
CALL expect_error($$SELECT pms.bond_price('2026-05-15', '2036-05-15', 0.05, 0.05, 3)$$);
CALL expect_error($$SELECT pms.bond_dv01('2026-05-15', '2036-05-15', 0.05, 0.05, 0)$$);
CALL expect_error($$SELECT pms.bond_yield('2026-05-15', '2036-05-15', 0.05, 0)$$);
CALL expect_error($$SELECT pms.bond_yield('2026-05-15', '2036-05-15', 0.05, -5)$$);
CALL expect_error($$SELECT pms.bond_price('2026-05-15', '2036-05-15', 0.05, -2)$$);
CALL expect_error($$SELECT pms.bond_convexity('2026-05-15', '2036-05-15', 0.05, -12.5, 12)$$);
CALL expect_error($$SELECT pms.bond_price('2026-05-15', '2036-05-15', 'NaN', 0.05)$$);
CALL expect_error($$SELECT pms.bond_price('2026-05-15', '2036-05-15', 0.05, 'Infinity')$$);
CALL expect_error($$SELECT pms.bond_yield('2026-05-15', '2036-05-15', 0.05, 'NaN')$$);
CALL expect_error($$SELECT pms.bond_price('2026-05-15', 'infinity', 0.05, 0.05)$$);
CALL expect_error($$SELECT pms.maturity_bucket('-infinity', '2036-05-15')$$);
CALL expect_error($$SELECT pms.bond_duration('2026-05-15', '2036-05-15', 0.05, 0.05, kind => 'effective')$$);
CALL expect_error($$SELECT pms.bond_accrued('2026-05-15', '2036-05-15', -0.01)$$);
CALL expect_error($$SELECT pms.bond_price('2026-05-15', '2236-05-15', 0.05, 0.05)$$);
CALL expect_error($$SELECT pms.bond_yield('2026-03-30', '2026-03-31', 0.05, 99)$$);
CALL expect_error($$SELECT pms.bond_yield('2026-01-01', '2026-01-02', 0, 1e-300, 1, 'ACT/360')$$);
CALL expect_error($$SELECT pms.bond_yield('2026-01-01', '2026-02-04', 0, 1000, 1, 'ACT/360')$$);
CALL expect_error($$SELECT pms.bond_price('2026-05-15', '2066-05-15', 0.05, -0.99999999, 1)$$);
CALL expect_error($$SELECT pms.maturity_bucket('2036-05-15', '2036-05-15')$$);
