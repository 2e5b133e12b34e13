-- test/pgtap/drift_properties.sql: the one-pass drift scan against independent plain SQL over
-- the sample book (two years of bond and equity fills, with sells and repeat fills), at
-- dates from before the first fill to today, on both position bases:
--   account_exposures (live projection rewound by the fills after each date) = the sleeve
--   summed from the executions themselves; the all-accounts scan = the per-account reads;
--   drift_of = pms.drift_measures over the reference sleeve and pms.effective_targets.
BEGIN;
SELECT plan(6);
\set QUIET on
SET client_min_messages = warning;
\i sample/book.sql
RESET client_min_messages;
\set QUIET off

CREATE TEMP TABLE dates (d date);
INSERT INTO dates VALUES ('2024-10-01'), ('2025-01-15'), ('2025-06-30'), ('2025-12-31'), ('2026-04-12'),
                         ('2026-10-20'), ('2026-11-20');

-- A few cancels, so the rewind also has fills that never counted.
SELECT count(pms.cancel_execution(e.execution_id, 'property test', 'tester')) AS cancelled
FROM (SELECT execution_id FROM pms.executions ORDER BY execution_id LIMIT 5) e \gset

-- The bond sleeve of every account as of a day, from the executions (no projection, no rewind).
CREATE FUNCTION pg_temp.reference_sleeves(day date)
RETURNS TABLE (account_id uuid, duration float8, weights float8[], positions integer, stale integer)
LANGUAGE sql AS $$
    WITH held AS (
        SELECT e.account_id, e.instrument_id, sum(CASE e.side WHEN 'BUY' THEN e.quantity ELSE -e.quantity END) AS quantity
        FROM pms.executions e
        WHERE CASE current_setting('pms.position_basis') WHEN 'settle' THEN e.settle_date ELSE e.trade_date END <= day
          AND NOT EXISTS (SELECT 1 FROM pms.execution_cancels x
                          WHERE x.household_id = e.household_id AND x.execution_id = e.execution_id)
        GROUP BY e.account_id, e.instrument_id
        HAVING sum(CASE e.side WHEN 'BUY' THEN e.quantity ELSE -e.quantity END) <> 0
    ), bond AS (
        SELECT v.instrument_id, v.stale OR f.rate IS NULL AS stale, v.maturity_bucket, v.duration,
               (v.price::float8 + coalesce(v.accrued, 0)) * i.price_multiplier::float8 * f.rate::float8 AS unit_value
        FROM pms.instrument_valuations(day) v
        JOIN pms.instruments i ON i.instrument_id = v.instrument_id
        LEFT JOIN pms.fx_rates_on(day) f ON f.currency = i.currency
        WHERE i.asset_class = 'BOND'
    ), valued AS (
        SELECT h.account_id, b.stale, b.maturity_bucket, b.duration, h.quantity::float8 * b.unit_value AS v
        FROM held h JOIN bond b ON b.instrument_id = h.instrument_id
    )
    SELECT x.account_id,
           sum(x.v * x.duration) FILTER (WHERE NOT x.stale) / sum(x.v) FILTER (WHERE NOT x.stale),
           ARRAY(SELECT coalesce(sum(y.v) FILTER (WHERE NOT y.stale AND y.maturity_bucket = k.bucket), 0)
                        / nullif(sum(y.v) FILTER (WHERE NOT y.stale), 0)
                 FROM unnest(ARRAY['0-2y', '2-5y', '5-10y', '10-20y', '20y+']) WITH ORDINALITY k(bucket, n)
                 CROSS JOIN valued y WHERE y.account_id = x.account_id GROUP BY k.n ORDER BY k.n),
           count(*)::integer, (count(*) FILTER (WHERE x.stale))::integer
    FROM valued x
    GROUP BY x.account_id
$$;

-- Sleeves equal when positions agree and the floats agree to 1e-9.
CREATE FUNCTION pg_temp.sleeve_mismatches(basis text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    PERFORM set_config('pms.position_basis', basis, true);
    SELECT count(*) INTO n
    FROM dates
    CROSS JOIN LATERAL (
        SELECT r.account_id AS ref, c.account_id AS scan, r.duration AS rd, c.duration AS cd,
               r.weights AS rw, c.bucket_weights AS cw, r.positions AS rp, c.positions AS cp, r.stale AS rs,
               c.stale_positions AS cs
        FROM pg_temp.reference_sleeves(dates.d) r
        FULL JOIN pms.account_exposures(dates.d) c ON c.account_id = r.account_id) m
    WHERE m.ref IS NULL OR m.scan IS NULL OR m.rp <> m.cp OR m.rs <> m.cs
       OR (m.rd IS NULL) <> (m.cd IS NULL) OR abs(m.rd - m.cd) > 1e-9
       OR EXISTS (SELECT 1 FROM unnest(coalesce(m.rw, ARRAY[0, 0, 0, 0, 0]::float8[]), m.cw) w(r, c)
                  WHERE abs(w.r - w.c) > 1e-9);
    RETURN n;
END
$$;

SELECT ok((SELECT count(DISTINCT account_id) FROM dates, pg_temp.reference_sleeves(d)) >= 6
          AND (SELECT count(*) FROM pms.executions e, dates WHERE e.trade_date > dates.d) > 100,
          'the book has bond sleeves and fills after the dates to rewind');

SELECT is(pg_temp.sleeve_mismatches('trade'), 0::bigint,
          'account_exposures = the sleeve summed from the executions, at every date (trade basis)');

SELECT is(pg_temp.sleeve_mismatches('settle'), 0::bigint,
          'account_exposures = the sleeve summed from the executions, at every date (settle basis)');
RESET pms.position_basis;

SELECT set_eq(
    $$ SELECT d, e.* FROM dates, pms.account_exposures(d) e $$,
    $$ SELECT d, x.* FROM dates, pms.accounts a, pms.account_exposures(d, NULL, ARRAY[a.account_id]) x $$,
    'the all-accounts scan = the per-account reads, bit for bit, at every date');

-- Drift from the reference sleeve and the effective target, through the same rule.
SELECT is((
    SELECT count(*)
    FROM dates
    CROSS JOIN LATERAL (
        SELECT d.status AS got, coalesce(x.status, CASE WHEN t.account_id IS NULL THEN 'no target' ELSE 'unpriced' END) AS want,
               d.overall_drift AS got_drift, x.overall_drift AS want_drift, d.bucket_drifts AS got_buckets,
               x.bucket_drifts AS want_buckets
        FROM pms.drift_of(dates.d) d
        LEFT JOIN pms.effective_targets(pms.end_of_day(dates.d)) t ON t.account_id = d.account_id
        LEFT JOIN pg_temp.reference_sleeves(dates.d) r ON r.account_id = d.account_id
        LEFT JOIN LATERAL (
            SELECT (pms.drift_measures(r.duration, r.weights, t.duration_target, t.bucket_weights,
                                       t.duration_tolerance, t.bucket_tolerance)).*
            WHERE r.positions IS NULL OR r.stale < r.positions) x ON true) m
    WHERE m.got IS DISTINCT FROM m.want OR abs(m.got_drift - m.want_drift) > 1e-9
       OR m.got_buckets IS DISTINCT FROM m.want_buckets), 0::bigint,
    'drift_of = pms.drift_measures over the reference sleeve and the effective target, at every date');

SELECT is((SELECT count(*) FROM dates, pms.drift_of(d)), (SELECT count(*) * 7 FROM pms.accounts),
          'drift_of has one row per account at every date');

SELECT * FROM finish();
ROLLBACK;
