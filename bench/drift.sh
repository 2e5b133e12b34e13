#!/usr/bin/env bash
# bench/drift.sh: the drift of every account (pms.drift_dashboard) for 100K accounts x 25
# bonds, now and as of a past date, against the same computation in plain SQL, in one run.
#   Data: 20K households x 5 accounts, 500 bonds, 25 bonds per account bought on dates
#   spread over 2026-01 to 2026-05 and a second fill on 10% of the positions in June (so
#   the past date has fills after it to rewind); evaluated prices on both dates; 10 models,
#   every account assigned, 10% with an account target, 5% of households with a household
#   target.
#   1. pms.drift_dashboard as of 2026-06-30 (live projection) and 2026-05-29 (projection
#      rewound by the June fills): p50 of 5 runs each.
#   2. The same drift in plain SQL (positions summed from the executions, each position
#      valued through pms.instrument_valuations, targets from pms.effective_targets, the drift
#      formula in SQL): one run per date; results checked equal (floats to 1e-9).
# Deterministic data; prints figures only, nothing passes or fails on time.
# Usage: bash bench/drift.sh [accounts]   (default 100000; port PMS_BENCH_PORT, default 55437)
source "$(dirname "$0")/../scripts/lib.sh"
ACCOUNTS=${1:-100000}
PORT=${PMS_BENCH_PORT:-55437}
DB=pms_bench

ensure_packages
build_and_install
start_cluster bench "$PORT" "$DB" 1
trap stop_cluster EXIT
psql -X -q -d postgres -c "ALTER SYSTEM SET shared_buffers = '${PMS_BENCH_SHARED_BUFFERS:-2GB}'" -c "ALTER SYSTEM SET max_wal_size = '8GB'"
as_owner $PGBIN/pg_ctl -D "$CLUSTER/data" -w -m fast restart -l "$CLUSTER/server.log" >/dev/null
psql -X -q -d postgres -c "CREATE DATABASE $DB"
psql -X -q -d "$DB" -c "CREATE EXTENSION pms"
say "Setting up $ACCOUNTS accounts x 25 bonds"
start=$(date +%s)
psql -X -q -d "$DB" -v ON_ERROR_STOP=1 -v accounts="$ACCOUNTS" -f "$ROOT/bench/drift_setup.sql"
echo "setup: $(( $(date +%s) - start )) s"
say "Drift of every account: C (pms.drift_dashboard) against plain SQL"
psql -X -q -d "$DB" -v ON_ERROR_STOP=1 -f "$ROOT/bench/drift.sql"
