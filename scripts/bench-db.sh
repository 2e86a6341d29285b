#!/usr/bin/env bash
# A PostgreSQL cluster for the national benchmark, tuned as the scale issue measured it
# (shared_buffers 2GB, work_mem 32MB, random_page_cost 1.1, jit off), kept in var/bench-pg
# between runs. Unlike the test cluster it is durable (fsync on) and stays until stopped.
#
#   scripts/bench-db.sh start     # prints the DATABASE_URL to export
#   scripts/bench-db.sh stop
#
# Then: export DATABASE_URL=...; manage.py migrate; manage.py import_regions;
#       manage.py seed_national; manage.py bench; manage.py bench --load
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
port=${BENCH_PG_PORT:-55432}
var=${VAR_DIR:-var}
[ "${var#/}" = "$var" ] && var="$(pwd)/$var"  # relative to the project, as the settings read it
dir=$var/bench-pg
pg_bin=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
if [ ! -x "$pg_bin/pg_ctl" ]; then
    echo "scripts/bench-db.sh: PostgreSQL is not installed (apt-get install postgresql)." >&2
    exit 1
fi

as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd "$dir" && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

case "${1:-}" in
start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    if [ ! -e "$dir/data/PG_VERSION" ]; then
        as_owner "$pg_bin/initdb" -D "$dir/data" -U postgres -A trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    # pg_ctl status, not the pid file: a machine that restarted leaves a stale one behind (the
    # server itself replaces it on start).
    if ! as_owner "$pg_bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_owner "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 -o "-p $port -k $dir \
            -c listen_addresses=127.0.0.1 -c shared_buffers=2GB -c work_mem=32MB -c random_page_cost=1.1 \
            -c jit=off -c maintenance_work_mem=512MB -c max_wal_size=8GB" start >/dev/null
    fi
    echo "export DATABASE_URL=postgres://postgres@127.0.0.1:$port/postgres"
    ;;
stop)
    as_owner "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    echo "stopped"
    ;;
*)
    echo "usage: scripts/bench-db.sh start|stop" >&2
    exit 2
    ;;
esac
