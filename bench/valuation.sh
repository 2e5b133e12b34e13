#!/usr/bin/env bash
# bench/valuation.sh: valuing a book of 10K accounts x 25 bonds as of one date, in one run:
#   1. every position valued set-based (pms.valuation_lines: each bond valued once, then
#      joined to the positions) against the same valuation written as a PL/pgSQL loop over
#      accounts and positions (results checked equal);
#   2. the bond kernel per position, no sharing: pms.bond_measures_from_price (price ->
#      yield -> duration, DV01) and pms.bond_measures (yield -> price, duration, DV01) over
#      all 250K positions, rows per second on one core;
#   3. the analytics of the 10K accounts, lines valued and summed by the C aggregate
#      (pms.portfolio_analytics) against the same sums in SQL over pms.valuation_lines
#      (results checked equal as text), p50 of 5 runs each;
#   4. pms.account_list over the 10K accounts, p50 of 5 runs, for the present (projection)
#      and for a past date inside the trading history (checkpoint + fold of every account).
# Deterministic data; prints figures only, nothing passes or fails on time.
# Usage: bash bench/valuation.sh   (port: PMS_BENCH_PORT, default 55437)
source "$(dirname "$0")/../scripts/lib.sh"
PORT=${PMS_BENCH_PORT:-55437}
DB=pms_bench

ensure_packages
build_and_install
start_cluster bench "$PORT" "$DB" 1
trap stop_cluster EXIT
psql -X -q -d postgres -c "ALTER SYSTEM SET shared_buffers = '${PMS_BENCH_SHARED_BUFFERS:-1GB}'" -c "ALTER SYSTEM SET max_wal_size = '4GB'"
as_owner $PGBIN/pg_ctl -D "$CLUSTER/data" -w -m fast restart -l "$CLUSTER/server.log" >/dev/null
psql -X -q -d postgres -c "CREATE DATABASE $DB"
psql -X -q -d "$DB" -c "CREATE EXTENSION pms"
psql -X -q -d "$DB" -v ON_ERROR_STOP=1 -f "$ROOT/bench/valuation.sql"
