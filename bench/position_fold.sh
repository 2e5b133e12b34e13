#!/usr/bin/env bash
# bench/position_fold.sh: pms.position_fold (C) against the same fold as a PL/pgSQL aggregate and
# as plain SQL (recursive CTE), on deterministic data: GROUPS positions x TRADES executions
# (FOLD_GROUPS x FOLD_TRADES, default 10,000 x 100 = 1M).  Checks that the three agree, prints throughput, per-position
# latency p50/p99 and the ratios.  Figures, never pass/fail.  Runs in a throwaway database on
# its own cluster; as with the tests, run it under the shared install lock:
#   PMS_BENCH_PORT=55464 flock -o /tmp/pms-pg.lock bash bench/position_fold.sh
source "$(dirname "$0")/../scripts/lib.sh"

PORT=${PMS_BENCH_PORT:-55434}
GROUPS_N=${FOLD_GROUPS:-10000}
TRADES_N=${FOLD_TRADES:-100}
DB=pms_bench_fold

cd "$ROOT"
ensure_packages
build_and_install
start_cluster bench "$PORT" postgres
psql -q -X -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"

say "Position fold: $GROUPS_N positions x $TRADES_N executions"
psql -X -q -d "$DB" -v ON_ERROR_STOP=1 -v groups="$GROUPS_N" -v trades="$TRADES_N" <<'SQL'
\pset footer off
SET max_parallel_workers_per_gather = 0;
SET work_mem = '256MB';
CREATE EXTENSION pms;
\i bench/position_fold_reference.sql

-- Deterministic data: a fair-coin side (positions cross zero often), equities, bonds (0.01) and
-- fractional fund units; prices with 4 to 6 decimals.
SELECT setseed(0.42) \g /dev/null
CREATE TABLE trades (grp bigint, rn int, side text, quantity numeric, price numeric,
                     price_multiplier numeric, PRIMARY KEY (grp, rn));
INSERT INTO trades
SELECT g, i, CASE WHEN random() < 0.5 THEN 'BUY' ELSE 'SELL' END,
       CASE g % 3 WHEN 0 THEN 1 + floor(random() * 500)
                  WHEN 1 THEN 1000 * (1 + floor(random() * 1000))
                  ELSE round((random() * 50)::numeric, 3) + 0.001 END,
       CASE g % 3 WHEN 0 THEN round((1 + random() * 200)::numeric, 4)
                  WHEN 1 THEN round((90 + random() * 20)::numeric, 5)
                  ELSE round((10 + random() * 5)::numeric, 6) END,
       CASE g % 3 WHEN 1 THEN 0.01 ELSE 1 END
FROM generate_series(1, :groups) g, generate_series(1, :trades) i;
VACUUM ANALYZE trades;

CREATE TEMP TABLE timing (what text, run int, seconds float8);
CREATE FUNCTION pg_temp.timed(what text, run int, query text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz;
BEGIN
    t0 := clock_timestamp();
    EXECUTE query;
    INSERT INTO timing VALUES (what, run, extract(epoch FROM clock_timestamp() - t0));
END $$;

\o /dev/null
-- Floor: reading and sorting the same rows into the same groups, with a trivial ordered aggregate.
SELECT pg_temp.timed('scan + sort floor (count ORDER BY)', r,
    'CREATE TEMP TABLE floor_' || r || ' AS SELECT grp, count(rn ORDER BY rn) FROM trades GROUP BY grp')
FROM generate_series(1, 3) r;
SELECT pg_temp.timed('C pms.position_fold', r,
    'CREATE TEMP TABLE res_c_' || r || ' AS SELECT grp, pms.position_fold(side, quantity, price, price_multiplier ORDER BY rn)::text AS s FROM trades GROUP BY grp')
FROM generate_series(1, 3) r;
SELECT pg_temp.timed('PL/pgSQL aggregate', 1,
    'CREATE TEMP TABLE res_p AS SELECT grp, pms_bench.position_fold_plpgsql(side, quantity, price, price_multiplier ORDER BY rn)::text AS s FROM trades GROUP BY grp');
SELECT pg_temp.timed('plain SQL (recursive CTE)', 1,
    'CREATE TEMP TABLE res_s AS SELECT grp, state::text AS s FROM pms_bench.position_fold_sql(''trades'')');
\o

\echo
\echo Results agree (C = PL/pgSQL = plain SQL, text of every position state):
SELECT (SELECT count(*) FROM res_c_1) AS positions,
       NOT EXISTS (SELECT 1 FROM res_c_1 c FULL JOIN res_p p USING (grp) WHERE c.s IS DISTINCT FROM p.s) AS c_eq_plpgsql,
       NOT EXISTS (SELECT 1 FROM res_c_1 c FULL JOIN res_s s USING (grp) WHERE c.s IS DISTINCT FROM s.s) AS c_eq_sql,
       NOT EXISTS (SELECT 1 FROM res_c_1 c FULL JOIN res_c_2 d USING (grp) WHERE c.s IS DISTINCT FROM d.s) AS c_repeatable;

\echo
\echo Whole book (best of the runs):
WITH best AS (SELECT what, min(seconds) AS s FROM timing GROUP BY what),
     c AS (SELECT s FROM best WHERE what = 'C pms.position_fold'),
     f AS (SELECT s FROM best WHERE what LIKE 'scan%')
SELECT what, round(s::numeric, 3) AS seconds,
       round((SELECT count(*) FROM trades) / s) AS executions_per_s,
       round((s / (SELECT s FROM c))::numeric, 1) AS x_c_time,
       CASE WHEN what LIKE 'scan%' THEN NULL
            ELSE round(((s - (SELECT s FROM f)) / ((SELECT s FROM c) - (SELECT s FROM f)))::numeric, 1) END
           AS x_c_fold_work
FROM best ORDER BY s;

-- One position at a time (what an as-of read does): latency over 500 random positions.
CREATE TEMP TABLE lat (what text, ms float8);
DO $$
DECLARE t0 timestamptz; g bigint; n bigint := (SELECT max(grp) FROM trades);
BEGIN
    PERFORM setseed(0.7);
    FOR i IN 1..500 LOOP
        g := 1 + floor(random() * n);
        t0 := clock_timestamp();
        PERFORM pms.position_fold(side, quantity, price, price_multiplier ORDER BY rn) FROM trades WHERE grp = g;
        INSERT INTO lat VALUES ('C pms.position_fold', extract(epoch FROM clock_timestamp() - t0) * 1000);
        t0 := clock_timestamp();
        PERFORM pms_bench.position_fold_plpgsql(side, quantity, price, price_multiplier ORDER BY rn) FROM trades WHERE grp = g;
        INSERT INTO lat VALUES ('PL/pgSQL aggregate', extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
END $$;
\echo
\echo One position of :trades executions (500 random positions):
SELECT what, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 3) AS p50_ms,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 3) AS p99_ms
FROM lat GROUP BY what ORDER BY 2;
SQL
psql -q -X -d postgres -c "DROP DATABASE $DB"
stop_cluster
