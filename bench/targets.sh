#!/usr/bin/env bash
# bench/targets.sh: resolving the effective targets of every account, set-based, against the
# same resolution one account at a time, in one run.
#   Data: 100,000 accounts in 20,000 households, 10 models edited twice each, an assignment
#   history (every account assigned at the start, 30% reassigned later, 5% unassigned), 10%
#   of accounts with two account-target versions, 10% of households with a household target.
#   1. pms.effective_targets(T) for all accounts, now and as of a past date: p50 of 5 runs.
#   2. The same rows from pms.effective_target(account, T) called per account (LATERAL, one
#      run); results checked equal.
#   3. pms.effective_target for one account: p50/p99 over 1,000 random accounts.
# Data are deterministic (fixed seed).  Prints figures only; nothing here passes or fails on
# time.  Usage: bash bench/targets.sh [accounts]   (default 100000)
source "$(dirname "$0")/../scripts/lib.sh"
ACCOUNTS=${1:-100000}
BENCH_PORT=${PMS_BENCH_PORT:-55437}
DB=pms_bench

ensure_packages
build_and_install
start_cluster bench "$BENCH_PORT" "$DB" 1
trap stop_cluster EXIT
q() { psql -X -q -d "$DB" -v ON_ERROR_STOP=1 "$@"; }

psql -X -q -d postgres -c "CREATE DATABASE $DB"
q -c "CREATE EXTENSION pms" >/dev/null

say "Setting up $ACCOUNTS accounts, models, assignments and targets"
start=$(date +%s)
q -v accounts="$ACCOUNTS" <<'SQL'
SELECT setseed(0.5) \g /dev/null
SELECT pms.create_household('Bench ' || h, 'bench', ('b0000000-0000-4000-8000-' || lpad(h::text, 12, '0'))::uuid)
FROM generate_series(1, :accounts / 5) h \g /dev/null
SELECT pms.create_account(('b0000000-0000-4000-8000-' || lpad((1 + (a - 1) / 5)::text, 12, '0'))::uuid, 'Account ' || a,
                          'individual', 'USD', 'bench', ('a0000000-0000-4000-8000-' || lpad(a::text, 12, '0'))::uuid)
FROM generate_series(1, :accounts) a \g /dev/null
SELECT pms.create_model('Model ' || m, 2 + m, jsonb_build_object('0-2y', 0.2, '2-5y', 0.2, '5-10y', 0.2, '10-20y', 0.2, '20y+', 0.2),
                        jsonb_build_object('max_trades', 10 + m), actor => 'bench',
                        model_id => ('d0000000-0000-4000-8000-' || lpad(m::text, 12, '0'))::uuid)
FROM generate_series(1, 10) m \g /dev/null
SELECT pms.update_model(model_id, jsonb_build_object('duration_target', duration_target + 0.5), 'bench') FROM pms.models \g /dev/null
SELECT pms.update_model(model_id, '{"bucket_tolerance": 0.04}', 'bench') FROM pms.models \g /dev/null
-- assignments: everyone at the start (one bulk call per model), then reassignments and unassignments
SELECT pms.assign_model(array_agg(('a0000000-0000-4000-8000-' || lpad(a::text, 12, '0'))::uuid),
                        ('d0000000-0000-4000-8000-' || lpad((1 + a % 10)::text, 12, '0'))::uuid, 'bench', '2024-01-01')
FROM generate_series(1, :accounts) a GROUP BY a % 10 \g /dev/null
SELECT pms.assign_model(array_agg(('a0000000-0000-4000-8000-' || lpad(a::text, 12, '0'))::uuid),
                        ('d0000000-0000-4000-8000-' || lpad((1 + (a % 10 + 3) % 10)::text, 12, '0'))::uuid, 'bench',
                        DATE '2024-06-01' + (a % 12) * 30)
FROM generate_series(1, :accounts) a WHERE a % 10 < 3 GROUP BY a % 10, a % 12 \g /dev/null
SELECT pms.unassign_model(array_agg(('a0000000-0000-4000-8000-' || lpad(a::text, 12, '0'))::uuid), 'bench', '2025-09-01')
FROM generate_series(1, :accounts) a WHERE a % 20 = 7 \g /dev/null
-- account targets (two versions each) and household targets
SELECT pms.set_target('account', ('a0000000-0000-4000-8000-' || lpad(a::text, 12, '0'))::uuid, 4 + a % 5, NULL,
                      effective_from => DATE '2024-03-01' + a % 200, actor => 'bench')
FROM generate_series(1, :accounts) a WHERE a % 10 = 1 \g /dev/null
SELECT pms.set_target('account', ('a0000000-0000-4000-8000-' || lpad(a::text, 12, '0'))::uuid, NULL,
                      jsonb_build_object('0-2y', 0.5, '2-5y', 0.5, '5-10y', 0, '10-20y', 0, '20y+', 0),
                      effective_from => DATE '2025-03-01' + a % 200, actor => 'bench')
FROM generate_series(1, :accounts) a WHERE a % 10 = 1 \g /dev/null
SELECT pms.set_target('household', ('b0000000-0000-4000-8000-' || lpad(h::text, 12, '0'))::uuid, 3.5, NULL,
                      '{"max_turnover": 0.2}', DATE '2025-01-01' + h % 300, 'bench')
FROM generate_series(1, :accounts / 5) h WHERE h % 10 = 3 \g /dev/null
VACUUM ANALYZE;
SQL
echo "setup: $(( $(date +%s) - start )) s"
q -At -c "SELECT format('%s accounts, %s assignments, %s model versions, %s targets',
                        (SELECT count(*) FROM pms.accounts), (SELECT count(*) FROM pms.model_assignments),
                        (SELECT count(*) FROM pms.model_versions), (SELECT count(*) FROM pms.targets))"

say "All accounts at once (pms.effective_targets), 5 runs each"
q <<'SQL'
\pset footer off
CREATE TEMP TABLE runs (what text, ms float8);
DO $$
DECLARE
    t0 timestamptz;
    n  integer;
    r  integer;
    at timestamptz;
BEGIN
    FOREACH at IN ARRAY ARRAY[NULL, '2025-06-30 23:59:59.999999']::timestamptz[] LOOP
        FOR r IN 1..5 LOOP
            t0 := clock_timestamp();
            SELECT count(*) INTO n FROM pms.effective_targets(at);
            INSERT INTO runs VALUES (coalesce('as of ' || at::date, 'now') || ' (' || n || ' rows)',
                                     1000 * extract(epoch FROM clock_timestamp() - t0));
        END LOOP;
    END LOOP;
    t0 := clock_timestamp();
    CREATE TEMP TABLE per_account AS
    SELECT a.account_id, e.* FROM pms.accounts a
    CROSS JOIN LATERAL pms.effective_target(a.account_id, '2025-06-30 23:59:59.999999') e;
    GET DIAGNOSTICS n = ROW_COUNT;
    INSERT INTO runs VALUES ('per account, as of 2025-06-30 (' || n || ' rows)', 1000 * extract(epoch FROM clock_timestamp() - t0));
END
$$;
SELECT what, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1) AS p50_ms, count(*) AS runs
FROM runs GROUP BY what ORDER BY what;
SELECT round((SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM runs WHERE what LIKE 'per account%')::numeric
           / (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FROM runs WHERE what LIKE 'as of%')::numeric, 1)
       AS "per-account / set-based";
SELECT CASE WHEN count(*) = 0 THEN 'equal' ELSE count(*) || ' rows differ' END AS "set-based vs per-account results"
FROM ((SELECT account_id, source, source_id, duration_target, bucket_weights::text, constraints::text, duration_tolerance,
              bucket_tolerance, model_id, model_version, account_target_id, household_target_id
       FROM pms.effective_targets('2025-06-30 23:59:59.999999')
       EXCEPT ALL
       SELECT account_id, source, source_id, duration_target, bucket_weights::text, constraints::text, duration_tolerance,
              bucket_tolerance, model_id, model_version, account_target_id, household_target_id
       FROM per_account)
      UNION ALL
      (SELECT account_id, source, source_id, duration_target, bucket_weights::text, constraints::text, duration_tolerance,
              bucket_tolerance, model_id, model_version, account_target_id, household_target_id
       FROM per_account
       EXCEPT ALL
       SELECT account_id, source, source_id, duration_target, bucket_weights::text, constraints::text, duration_tolerance,
              bucket_tolerance, model_id, model_version, account_target_id, household_target_id
       FROM pms.effective_targets('2025-06-30 23:59:59.999999'))) d;
SELECT source, count(*) FROM pms.effective_targets('2025-06-30 23:59:59.999999') GROUP BY source ORDER BY source;
SQL

say "One account at a time (pms.effective_target), 1000 random accounts"
q <<'SQL'
\pset footer off
SELECT setseed(0.75) \g /dev/null
CREATE TEMP TABLE one (ms float8);
DO $$
DECLARE
    t0 timestamptz;
    a  uuid;
    n  integer;
BEGIN
    FOR a IN SELECT account_id FROM pms.accounts ORDER BY random() LIMIT 1000 LOOP
        t0 := clock_timestamp();
        SELECT count(*) INTO n FROM pms.effective_target(a, '2025-06-30 23:59:59.999999');
        INSERT INTO one VALUES (1000 * extract(epoch FROM clock_timestamp() - t0));
    END LOOP;
END
$$;
SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 3) AS p50_ms,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 3) AS p99_ms FROM one;
SQL
