#!/usr/bin/env bash
# bench/bond_analytics.sh: times the pure C bond kernel outside PostgreSQL (bench/bond_kernel.c),
# then builds and installs pms, starts a throwaway cluster (port PMS_BENCH_PORT, default 55434)
# and runs bench/bond_analytics.sql in a fresh database.  Figures, never pass/fail.  As with the
# tests, run it under the shared install lock:
#   PMS_BENCH_PORT=55462 flock -o /tmp/pms-pg.lock bash bench/bond_analytics.sh
source "$(dirname "$0")/../scripts/lib.sh"

ensure_packages
say "Pure C kernel (gcc -O2, no PostgreSQL)"
KERNEL=$(mktemp /tmp/bond_kernel.XXXXXX)
gcc -O2 -I"$ROOT/src" -o "$KERNEL" "$ROOT/bench/bond_kernel.c" "$ROOT/src/bond_math.c" \
    "$ROOT/src/bond_schedule.c" "$ROOT/src/bond_curve.c" -lm
"$KERNEL"
rm -f "$KERNEL"

build_and_install
start_cluster bench "${PMS_BENCH_PORT:-55434}" pms_bench 1
trap stop_cluster EXIT
say "SQL (one backend)"
psql -q -X -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE pms_bench"
psql -q -X -d pms_bench -v ON_ERROR_STOP=1 -c "CREATE EXTENSION pms"
psql -X -q -d pms_bench -v ON_ERROR_STOP=1 -f "$ROOT/bench/bond_analytics.sql"
