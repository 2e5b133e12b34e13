-- bench/drift.sql: see bench/drift.sh.  Times pms.drift_dashboard now and on a past date,
-- the same drift written in plain SQL, and checks that both give the same results.
\set QUIET on
\timing off
SET client_min_messages = warning;

-- The same drift in plain SQL: positions summed from every live execution dated on or before
-- the day (no projection, no rewind), each bond valued by pms.instrument_valuations, the
-- drift rule of docs/drift.md written out.
CREATE FUNCTION pg_temp.drift_plain(day date)
RETURNS TABLE (account_id uuid, current_duration float8, duration_drift float8, bucket_drifts jsonb,
               max_bucket_drift float8, overall_drift float8, status text)
LANGUAGE sql SET jit = off AS $$
    WITH held AS (
        SELECT e.account_id, e.instrument_id, sum(CASE e.side WHEN 'BUY' THEN e.quantity ELSE -e.quantity END) AS quantity
        FROM pms.executions e
        WHERE e.trade_date <= day
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
    ), sleeve AS (
        SELECT h.account_id, sum(x.v) AS value, sum(x.v * b.duration) AS duration_value,
               coalesce(sum(x.v) FILTER (WHERE b.maturity_bucket = '0-2y'), 0) AS b0,
               coalesce(sum(x.v) FILTER (WHERE b.maturity_bucket = '2-5y'), 0) AS b1,
               coalesce(sum(x.v) FILTER (WHERE b.maturity_bucket = '5-10y'), 0) AS b2,
               coalesce(sum(x.v) FILTER (WHERE b.maturity_bucket = '10-20y'), 0) AS b3,
               coalesce(sum(x.v) FILTER (WHERE b.maturity_bucket = '20y+'), 0) AS b4
        FROM held h
        JOIN bond b ON b.instrument_id = h.instrument_id
        CROSS JOIN LATERAL (SELECT h.quantity::float8 * b.unit_value AS v) x
        WHERE NOT b.stale
        GROUP BY h.account_id
    ), drifts AS (
        SELECT t.account_id, s.duration_value / s.value AS duration, t.duration_target, t.duration_tolerance,
               t.bucket_tolerance,
               ARRAY[abs(s.b0 / s.value - (t.bucket_weights ->> '0-2y')::float8),
                     abs(s.b1 / s.value - (t.bucket_weights ->> '2-5y')::float8),
                     abs(s.b2 / s.value - (t.bucket_weights ->> '5-10y')::float8),
                     abs(s.b3 / s.value - (t.bucket_weights ->> '10-20y')::float8),
                     abs(s.b4 / s.value - (t.bucket_weights ->> '20y+')::float8)] AS d
        FROM pms.effective_targets(pms.end_of_day(day)) t
        JOIN sleeve s ON s.account_id = t.account_id
    ), measured AS (
        SELECT x.account_id, x.duration, abs(x.duration - x.duration_target) / x.duration_target AS duration_drift,
               jsonb_build_object('0-2y', x.d[1], '2-5y', x.d[2], '5-10y', x.d[3], '10-20y', x.d[4], '20y+', x.d[5]) AS bucket_drifts,
               greatest(x.d[1], x.d[2], x.d[3], x.d[4], x.d[5]) AS max_bucket_drift,
               x.duration_tolerance, x.bucket_tolerance
        FROM drifts x
    )
    SELECT m.account_id, m.duration, m.duration_drift, m.bucket_drifts, m.max_bucket_drift,
           (0.5 * m.duration_drift + 0.5 * m.max_bucket_drift) / 1.0,
           CASE WHEN m.duration_drift > m.duration_tolerance OR m.max_bucket_drift > m.bucket_tolerance THEN 'red'
                WHEN m.duration_drift > 0.8 * m.duration_tolerance OR m.max_bucket_drift > 0.8 * m.bucket_tolerance THEN 'yellow'
                ELSE 'green' END
    FROM measured m
$$;

CREATE TEMP TABLE timing (what text, seconds float8, rows bigint);
CREATE FUNCTION pg_temp.time_it(what text, query text, as_of text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz;
    n bigint;
BEGIN
    PERFORM set_config('pms.as_of', as_of, true);
    t0 := clock_timestamp();
    EXECUTE query INTO n;
    INSERT INTO timing VALUES (what, extract(epoch FROM clock_timestamp() - t0), n);
END
$$;

SELECT pg_temp.time_it('drift_dashboard as of 2026-06-30 (live projection)',
                       'SELECT count(overall_drift) FROM pms.drift_dashboard', '2026-06-30')
FROM generate_series(1, 5) \g /dev/null
SELECT pg_temp.time_it('drift_dashboard as of 2026-05-29 (rewound)',
                       'SELECT count(overall_drift) FROM pms.drift_dashboard', '2026-05-29')
FROM generate_series(1, 5) \g /dev/null
SELECT pg_temp.time_it('  of which account_exposures (C scan), 2026-06-30',
                       'SELECT count(*) FROM pms.account_exposures()', '2026-06-30')
FROM generate_series(1, 5) \g /dev/null
SELECT pg_temp.time_it('  of which account_exposures (C scan), 2026-05-29',
                       'SELECT count(*) FROM pms.account_exposures()', '2026-05-29')
FROM generate_series(1, 5) \g /dev/null
SELECT pg_temp.time_it('  of which effective_targets',
                       'SELECT count(*) FROM pms.effective_targets(pms.end_of_day(pms.resolve_as_of()))', '2026-06-30')
FROM generate_series(1, 5) \g /dev/null
SELECT pg_temp.time_it('plain SQL as of 2026-06-30', $$SELECT count(*) FROM pg_temp.drift_plain('2026-06-30')$$, '') \g /dev/null
SELECT pg_temp.time_it('plain SQL as of 2026-05-29', $$SELECT count(*) FROM pg_temp.drift_plain('2026-05-29')$$, '') \g /dev/null

\echo
SELECT what, count(*) AS runs, max(rows) AS rows,
       round(percentile_disc(0.5) WITHIN GROUP (ORDER BY seconds)::numeric, 3) AS p50_seconds
FROM timing GROUP BY what ORDER BY min(ctid);
SELECT d.day AS as_of,
       round((SELECT min(seconds) FROM timing WHERE what = 'plain SQL as of ' || d.day)::numeric
             / (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY seconds) FROM timing
                WHERE what LIKE 'drift_dashboard as of ' || d.day || '%')::numeric, 1) AS plain_sql_over_c
FROM (VALUES ('2026-06-30'), ('2026-05-29')) d(day);

-- results equal: every account with a target, same status, drifts within 1e-9
CREATE TEMP TABLE c_side AS
SELECT d.day, x.* FROM (VALUES (DATE '2026-06-30'), (DATE '2026-05-29')) d(day)
CROSS JOIN LATERAL pms.drift_of(d.day) x WHERE x.status <> 'no target';
CREATE TEMP TABLE p_side AS
SELECT d.day, x.* FROM (VALUES (DATE '2026-06-30'), (DATE '2026-05-29')) d(day)
CROSS JOIN LATERAL pg_temp.drift_plain(d.day) x;
SELECT coalesce(c.day, p.day) AS as_of, count(*) AS accounts_compared,
       count(*) FILTER (WHERE c.account_id IS NULL OR p.account_id IS NULL OR c.status IS DISTINCT FROM p.status
                           OR abs(c.current_duration - p.current_duration) > 1e-9
                           OR abs(c.duration_drift - p.duration_drift) > 1e-9
                           OR abs(c.max_bucket_drift - p.max_bucket_drift) > 1e-9
                           OR abs(c.overall_drift - p.overall_drift) > 1e-9
                           OR EXISTS (SELECT 1 FROM jsonb_each_text(c.bucket_drifts) x
                                      WHERE abs(x.value::float8 - (p.bucket_drifts ->> x.key)::float8) > 1e-9)) AS mismatches,
       count(*) FILTER (WHERE c.status = 'green') AS green, count(*) FILTER (WHERE c.status = 'yellow') AS yellow,
       count(*) FILTER (WHERE c.status = 'red') AS red
FROM c_side c FULL JOIN p_side p ON p.day = c.day AND p.account_id = c.account_id
GROUP BY 1 ORDER BY 1 DESC;
