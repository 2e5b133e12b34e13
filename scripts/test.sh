#!/usr/bin/env bash
# scripts/test.sh: command 2 of the README, and all that .ci/run does.  Builds pms,
# starts a fresh throwaway cluster and runs pg_regress, the isolation specs and the
# pgTAP suites; exits non-zero when anything fails.
source "$(dirname "$0")/lib.sh"

TEST_PORT=${PMS_TEST_PORT:-55433}
TAP_DB=pms_tap

ensure_packages
build_and_install
start_cluster test "$TEST_PORT" "$TAP_DB" 1
trap stop_cluster EXIT

status=0
say "pg_regress"
if ! make -s -C "$ROOT" PG_CONFIG=$PGBIN/pg_config installcheck ISOLATION=; then
    status=1
    cat "$ROOT/regression.diffs"
fi

say "Isolation specs"
if ! make -s -C "$ROOT" PG_CONFIG=$PGBIN/pg_config installcheck REGRESS=; then
    status=1
    cat "$ROOT/output_iso/regression.diffs"
fi

say "pgTAP suites"
psql -q -X -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $TAP_DB"
psql -q -X -d "$TAP_DB" -v ON_ERROR_STOP=1 -c "CREATE EXTENSION pgtap" -c "CREATE EXTENSION pms CASCADE"
if ! (cd "$ROOT" && pg_prove -d "$TAP_DB" --ext .sql -r test/pgtap); then
    status=1
fi

if [ $status -eq 0 ]; then say "All tests passed"; else say "Tests FAILED"; fi
exit $status
