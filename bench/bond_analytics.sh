#!/usr/bin/env bash
# bench/bond_analytics.sh: builds and installs pms, starts a throwaway cluster (port
# PMS_BENCH_PORT, default 55434) and runs bench/bond_analytics.sql in a fresh database.
source "$(dirname "$0")/../scripts/lib.sh"

ensure_packages
build_and_install
start_cluster bench "${PMS_BENCH_PORT:-55434}" pms_bench 1
trap stop_cluster EXIT
psql -q -X -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE pms_bench"
psql -q -X -d pms_bench -v ON_ERROR_STOP=1 -c "CREATE EXTENSION pms"
psql -X -q -d pms_bench -v ON_ERROR_STOP=1 -f "$ROOT/bench/bond_analytics.sql"
