# scripts/lib.sh: shared steps of the demo and test commands (sourced, not run).
# Installs Debian packages that are missing, builds and installs the extension, and
# runs a throwaway PostgreSQL 15 cluster inside the checkout.  Works as root (the
# server then runs as the postgres OS user) and as an ordinary user with sudo.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PGBIN=/usr/lib/postgresql/15/bin
PACKAGES=(make gcc libc6-dev postgresql-15 postgresql-server-dev-15 postgresql-15-cron
          postgresql-15-pgtap libtap-parser-sourcehandler-pgtap-perl)

# Prints a step heading.
say() { printf '\n==> %s\n' "$*"; }

# Runs a command as root (directly when we are root, otherwise through sudo).
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Runs a command as the OS user that owns the cluster.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Installs the Debian packages that are not installed yet (nothing else is downloaded).
ensure_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        say "Installing Debian packages: ${missing[*]}"
        if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
            echo "error: packages are missing and sudo is not available; run as root or install: ${missing[*]}" >&2
            exit 1
        fi
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

# Builds the extension and installs it into the PostgreSQL 15 tree.
build_and_install() {
    say "Building and installing the pms extension"
    make -s -C "$ROOT" PG_CONFIG=$PGBIN/pg_config
    as_root make -s -C "$ROOT" PG_CONFIG=$PGBIN/pg_config install >/dev/null
}

# Chooses the cluster directory: inside the checkout when its owner can reach it.
cluster_dir() {
    local name=$1 dir="$ROOT/.pgcluster/$name"
    mkdir -p "$ROOT/.pgcluster"
    if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$ROOT/.pgcluster"; then
        dir="/tmp/pms-cluster-$(printf '%s' "$ROOT" | md5sum | cut -c1-8)/$name"
        echo "note: the postgres user cannot reach $ROOT; using $dir for the cluster" >&2
    fi
    echo "$dir"
}

# Creates (fresh=1: from scratch) and starts a cluster; exports PGHOST, PGPORT, PGUSER.
start_cluster() {
    local name=$1 port=$2 cron_db=$3 fresh=${4:-0}
    CLUSTER=$(cluster_dir "$name")
    local data="$CLUSTER/data" sock="$CLUSTER/socket"
    if [ "$fresh" = 1 ] && [ -d "$data" ]; then
        as_owner $PGBIN/pg_ctl -D "$data" -m immediate stop >/dev/null 2>&1 || true
        rm -rf "$CLUSTER"
    fi
    mkdir -p "$sock"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$CLUSTER" "$sock" && chmod 755 "$CLUSTER"
    if [ ! -f "$data/PG_VERSION" ]; then
        say "Creating a PostgreSQL 15 cluster in $data (port $port)"
        as_owner $PGBIN/initdb -D "$data" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
        cat >> "$data/postgresql.conf" <<CONF
# pms throwaway cluster
port = $port
listen_addresses = 'localhost'
unix_socket_directories = '$sock'
shared_preload_libraries = 'pg_cron'
cron.database_name = '$cron_db'
timezone = 'UTC'
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
    fi
    export PGHOST="$sock" PGPORT="$port" PGUSER=postgres
    if ! as_owner $PGBIN/pg_ctl -D "$data" status >/dev/null 2>&1; then
        say "Starting the cluster"
        as_owner $PGBIN/pg_ctl -D "$data" -l "$CLUSTER/server.log" -w -t 60 start >/dev/null
    fi
}

# Stops the cluster started by start_cluster.
stop_cluster() {
    as_owner $PGBIN/pg_ctl -D "$CLUSTER/data" -m fast stop >/dev/null 2>&1 || true
}
