#!/usr/bin/env bash
# bench/positions.sh: ingest, as-of reads and the record_execution command, in one run.
#   1. COPY of 1M executions over 10K accounts with the projections maintained, against a
#      bare COPY of the same file into an untriggered copy of the table (same indexes and
#      defaults); both projections are then checked against the events.
#   2. pms.positions() as of random dates on an account with 10K executions, with and
#      without monthly checkpoints, results checked equal; p50/p99.
#   3. pms.record_execution under pgbench with 2 clients: throughput and p50/p99.
# Data are deterministic (fixed seed).  Prints figures only; nothing here passes or fails
# on time.  Usage: bash bench/positions.sh [rows]   (default 1000000)
source "$(dirname "$0")/../scripts/lib.sh"
ROWS=${1:-1000000}
BENCH_PORT=${PMS_BENCH_PORT:-55436}
DB=pms_bench
OUT="$ROOT/bench/out"
mkdir -p "$OUT"
chmod 777 "$OUT"

ensure_packages
build_and_install
start_cluster bench "$BENCH_PORT" "$DB" 1
trap stop_cluster EXIT
q() { psql -X -q -d "$DB" -v ON_ERROR_STOP=1 "$@"; }

# Server settings of a machine meant for this load (the default 128 MB of shared buffers is not).
psql -X -q -d postgres -c "ALTER SYSTEM SET shared_buffers = '${PMS_BENCH_SHARED_BUFFERS:-2GB}'" -c "ALTER SYSTEM SET max_wal_size = '4GB'"
as_owner $PGBIN/pg_ctl -D "$CLUSTER/data" -w -m fast restart -l "$CLUSTER/server.log" >/dev/null
psql -X -q -d postgres -c "CREATE DATABASE $DB"
q -c "CREATE EXTENSION pms" >/dev/null
q -At -c "SELECT 'shared_buffers = ' || current_setting('shared_buffers')"

say "Setting up 1000 households, 10000 accounts, 200 instruments"
q <<'SQL'
SELECT setseed(0.5);
SELECT pms.create_household('Bench ' || h, 'bench', ('b0000000-0000-4000-8000-' || lpad(h::text, 12, '0'))::uuid)
FROM generate_series(1, 1000) h \g /dev/null
SELECT pms.create_account(('b0000000-0000-4000-8000-' || lpad((1 + (a - 1) / 10)::text, 12, '0'))::uuid, 'Account ' || a,
                          'individual', 'USD', 'bench', ('a0000000-0000-4000-8000-' || lpad(a::text, 12, '0'))::uuid)
FROM generate_series(1, 10000) a \g /dev/null
UPDATE pms.accounts SET allow_short = true;
INSERT INTO pms.instruments (instrument_id, description, asset_class, currency, coupon_rate, maturity_date)
SELECT ('c0000000-0000-4000-8000-' || lpad(k::text, 12, '0'))::uuid, 'Bench bond ' || k, 'BOND', 'USD', 0.04, DATE '2030-01-01' + k
FROM generate_series(1, 150) k;
INSERT INTO pms.instruments (instrument_id, description, asset_class, currency)
SELECT ('c0000000-0000-4000-8000-' || lpad(k::text, 12, '0'))::uuid, 'Bench share ' || k, 'EQUITY', 'USD'
FROM generate_series(151, 200) k;
CREATE TABLE public.bench_executions_bare (LIKE pms.executions INCLUDING DEFAULTS INCLUDING INDEXES INCLUDING IDENTITY);
-- the bare table gets no settle date (pms's trigger computes it), so it may be empty there
ALTER TABLE public.bench_executions_bare ALTER COLUMN settle_date DROP NOT NULL;
SQL

say "Writing $ROWS executions to a file"
q -c "SELECT setseed(0.25)" -c "COPY (
    SELECT ('b0000000-0000-4000-8000-' || lpad((1 + (a - 1) / 10)::text, 12, '0'))::uuid,
           ('a0000000-0000-4000-8000-' || lpad(a::text, 12, '0'))::uuid,
           ('c0000000-0000-4000-8000-' || lpad((1 + (a * 7 + g % 20) % 200)::text, 12, '0'))::uuid,
           CASE WHEN random() < 0.6 THEN 'BUY' ELSE 'SELL' END,
           (1 + floor(random() * 100)) * 100,
           round((90 + random() * 20)::numeric, 4),
           DATE '2024-01-01' + (g / 10000) * 2 / 3
    FROM generate_series(0, $ROWS - 1) g, LATERAL (SELECT 1 + g % 10000 AS a) x
) TO '$OUT/executions.copy'"

COLS="household_id, account_id, instrument_id, side, quantity, price, trade_date"
say "1. Ingest"
q -c "CHECKPOINT"
bare_ms=$(q -At -c "SELECT extract(epoch FROM clock_timestamp()) * 1000" -c "COPY public.bench_executions_bare ($COLS) FROM '$OUT/executions.copy'" -c "SELECT extract(epoch FROM clock_timestamp()) * 1000" | awk 'NR==1{s=$1} NR==2{print $1-s}')
q -c "CHECKPOINT"
pms_ms=$(q -At -c "SELECT extract(epoch FROM clock_timestamp()) * 1000" -c "COPY pms.executions ($COLS) FROM '$OUT/executions.copy'" -c "SELECT extract(epoch FROM clock_timestamp()) * 1000" | awk 'NR==1{s=$1} NR==2{print $1-s}')
q -At -c "SELECT 'projection rows: ' || count(*) || ', trades folded: ' || sum(trade_count) FROM pms.position_projection"
# The work was done: both projections equal an independent computation from the events.
q -At <<'SQL'
SELECT 'positions differing from a fold of the executions: ' || count(*) FROM (
    SELECT account_id, instrument_id, quantity, avg_cost, cost_basis, realized_pnl, trade_count, last_trade_date
    FROM pms.position_projection
    EXCEPT
    SELECT account_id, instrument_id, (s).quantity, (s).avg_cost, (s).cost_basis, (s).realized_pnl, (s).trade_count, d
    FROM (SELECT e.account_id, e.instrument_id, max(e.trade_date) AS d,
                 pms.position_fold(e.side, e.quantity, e.price, i.price_multiplier ORDER BY e.trade_date, e.seq) AS s
          FROM pms.executions e JOIN pms.instruments i USING (instrument_id) GROUP BY 1, 2) f) x;
SELECT 'cash balances differing from the ledger: ' || count(*) FROM (
    SELECT account_id, currency, balance, last_value_date FROM pms.cash_projection
    EXCEPT
    SELECT account_id, currency, sum(amount), max(value_date) FROM pms.cash_ledger GROUP BY 1, 2) x;
SQL
awk -v r="$ROWS" -v b="$bare_ms" -v p="$pms_ms" 'BEGIN {
    printf "bare COPY:            %8.0f ms  %9.0f rows/s\n", b, r / b * 1000;
    printf "pms COPY + projection:%8.0f ms  %9.0f rows/s\n", p, r / p * 1000;
    printf "ratio pms / bare throughput: %.2f\n", b / p }'

say "2. As-of reads on an account with 10000 executions"
q <<'SQL'
SELECT setseed(0.75);
SELECT pms.create_account('b0000000-0000-4000-8000-000000000001', 'Big account', 'individual', 'USD', 'bench',
                          'a1000000-0000-4000-8000-000000000001') \g /dev/null
UPDATE pms.accounts SET allow_short = true WHERE account_id = 'a1000000-0000-4000-8000-000000000001';
INSERT INTO pms.executions (household_id, account_id, instrument_id, side, quantity, price, trade_date)
SELECT 'b0000000-0000-4000-8000-000000000001', 'a1000000-0000-4000-8000-000000000001',
       ('c0000000-0000-4000-8000-' || lpad((1 + g % 25)::text, 12, '0'))::uuid,
       CASE WHEN random() < 0.6 THEN 'BUY' ELSE 'SELL' END, (1 + floor(random() * 100)) * 100,
       round((90 + random() * 20)::numeric, 4), DATE '2020-01-01' + g * 2190 / 10000
FROM generate_series(0, 9999) g;
-- Reads are timed on current statistics, not on whatever autovacuum last sampled.
ANALYZE;
CREATE TEMP TABLE read_dates AS SELECT DATE '2020-01-01' + floor(random() * 2190)::int AS d FROM generate_series(1, 300);
CREATE TEMP TABLE timings (run text, ms float8);
CREATE FUNCTION pg_temp.time_reads(run text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE r record; t0 timestamptz;
BEGIN
    FOR r IN SELECT d FROM read_dates LOOP
        t0 := clock_timestamp();
        PERFORM * FROM pms.positions('a1000000-0000-4000-8000-000000000001', r.d);
        INSERT INTO timings VALUES (run, extract(epoch FROM clock_timestamp() - t0) * 1000);
    END LOOP;
END $$;
CREATE TEMP TABLE answers_without AS
SELECT d, p.* FROM read_dates, pms.positions('a1000000-0000-4000-8000-000000000001', d) p;
SELECT pg_temp.time_reads('without checkpoints');
SELECT sum(pms.checkpoint_positions(m::date, ARRAY['a1000000-0000-4000-8000-000000000001'::uuid]))
FROM generate_series(DATE '2020-01-31', DATE '2025-12-31', INTERVAL '1 month') m \g /dev/null
ANALYZE pms.position_checkpoints;
CREATE TEMP TABLE answers_with AS
SELECT d, p.* FROM read_dates, pms.positions('a1000000-0000-4000-8000-000000000001', d) p;
SELECT pg_temp.time_reads('monthly checkpoints');
\pset footer off
SELECT (SELECT count(*) FROM (TABLE answers_without EXCEPT TABLE answers_with) x)
     + (SELECT count(*) FROM (TABLE answers_with EXCEPT TABLE answers_without) x) AS differing_rows;
SELECT run, count(*) AS reads,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 3) AS p50_ms,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 3) AS p99_ms
FROM timings GROUP BY run ORDER BY run DESC;
SQL

say "3. pms.record_execution under pgbench, 2 clients, 20 s"
cat > "$OUT/record_execution.pgbench" <<'PGB'
\set a random(1, 10000)
\set k random(1, 200)
\set q random(1, 100)
SELECT pms.record_execution(('a0000000-0000-4000-8000-' || lpad(:a::text, 12, '0'))::uuid, ('c0000000-0000-4000-8000-' || lpad(:k::text, 12, '0'))::uuid, CASE WHEN :q % 3 = 0 THEN 'SELL' ELSE 'BUY' END, :q * 100, 100.25, DATE '2026-01-02');
PGB
rm -f "$OUT"/pgbench_log.*
(cd "$OUT" && $PGBIN/pgbench -n -c 2 -j 2 -T 20 -l -f record_execution.pgbench "$DB" 2>&1 | grep -E "tps|latency average|failed")
cat "$OUT"/pgbench_log.* | awk '{print $3 / 1000.0}' | sort -n | awk '{a[NR]=$1} END {
    printf "transactions: %d  p50: %.3f ms  p99: %.3f ms\n", NR, a[int(NR*0.5)], a[int(NR*0.99)] }'
