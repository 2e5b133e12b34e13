#!/usr/bin/env bash
# scripts/demo.sh: command 1 of the README.  Installs what is missing, builds pms,
# starts a demo cluster of its own, loads the sample book and shows what an advisor
# looks at first.  Safe to run again: the demo database is recreated each time.
source "$(dirname "$0")/lib.sh"

DEMO_PORT=${PMS_DEMO_PORT:-55432}
DEMO_DB=pms_demo

ensure_packages
build_and_install
start_cluster demo "$DEMO_PORT" "$DEMO_DB"

say "Creating database $DEMO_DB with the pms extension and the sample book"
psql -q -X -d postgres -v ON_ERROR_STOP=1 -c "DROP DATABASE IF EXISTS $DEMO_DB WITH (FORCE)" -c "CREATE DATABASE $DEMO_DB"
psql -q -X -d "$DEMO_DB" -v ON_ERROR_STOP=1 -c "CREATE EXTENSION pms CASCADE" -f "$ROOT/sample/book.sql" >/dev/null
psql -X -d "$DEMO_DB" -v ON_ERROR_STOP=1 -f "$ROOT/scripts/demo_report.sql"

cat <<TXT

The demo cluster is running.
  Connect:  psql -h $PGHOST -p $PGPORT -U postgres $DEMO_DB
  Stop:     $( [ "$(id -u)" -eq 0 ] && echo "runuser -u postgres -- " )$PGBIN/pg_ctl -D $CLUSTER/data stop
TXT
