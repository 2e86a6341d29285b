#!/usr/bin/env bash
# Runs the test suite: scripts/test.sh [pytest arguments], usually through `make test ARGS=...`.
#
# Database, in this order:
#   - DATABASE_URL already set by the caller: the tests use it, nothing is started.
#   - PostgreSQL installed (/usr/lib/postgresql/*/bin, newest, or pg_ctl on PATH): a throwaway
#     cluster in a temporary directory on a free port, stopped and deleted when this script ends,
#     however it ends. Run as root, the cluster belongs to the `postgres` user (initdb refuses root).
#   - Otherwise SQLite, with a warning: production runs on PostgreSQL.
# Browser tests get CHROMIUM_PATH when Chromium is installed.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
PY=.venv/bin/python
if [ ! -x "$PY" ]; then
    echo "scripts/test.sh: $PY is missing; run 'make test' (it creates .venv) instead." >&2
    exit 1
fi

pg_tmp=""
pg_data=""
pg_bin=""

as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        # From a directory the postgres user may enter, so it does not warn about our cwd.
        (cd "$pg_tmp" && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

cleanup() {
    if [ -n "$pg_data" ] && [ -e "$pg_data/postmaster.pid" ]; then
        as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$pg_tmp" ]; then
        rm -rf "$pg_tmp"
    fi
}
trap cleanup EXIT
# A signal ends the script through `exit`, so the EXIT trap still stops the cluster.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 141' PIPE
trap 'exit 143' TERM

find_pg_bin() {
    local dir
    dir=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
        printf '%s\n' "$dir"
    elif command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
    fi
}

free_port() {
    "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

start_postgres() {
    local version port attempt
    version=$("$pg_bin/postgres" -V | awk '{print $3}')
    if [ "$(id -u)" -eq 0 ]; then
        if ! id postgres >/dev/null 2>&1; then
            echo "scripts/test.sh: running as root, but there is no 'postgres' user to own the test cluster." >&2
            exit 1
        fi
        pg_tmp=$(mktemp -d /tmp/musrenbang-pg.XXXXXX)
        chown postgres: "$pg_tmp"
    else
        pg_tmp=$(mktemp -d "${TMPDIR:-/tmp}/musrenbang-pg.XXXXXX")
    fi
    pg_data="$pg_tmp/data"

    if ! as_postgres "$pg_bin/initdb" -D "$pg_data" -U postgres -A trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$pg_tmp/initdb.out" 2>&1; then
        cat "$pg_tmp/initdb.out" >&2
        echo "scripts/test.sh: initdb failed (output above)." >&2
        exit 1
    fi

    # The free port is only free until someone else takes it: try a few.
    for attempt in 1 2 3; do
        port=$(free_port)
        if as_postgres "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_tmp/log" -w -t 60 \
            -o "-p $port -k $pg_tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            start >/dev/null 2>&1; then
            export DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
            echo "Tests run on PostgreSQL $version (throwaway cluster at $pg_tmp, port $port)."
            return 0
        fi
    done
    cat "$pg_tmp/log" >&2 || true
    echo "scripts/test.sh: the test PostgreSQL did not start (log above)." >&2
    exit 1
}

if [ -n "${DATABASE_URL:-}" ]; then
    # Never print a password.
    shown=$(printf '%s' "$DATABASE_URL" | sed -E 's#^([a-z0-9+.-]+://[^:/@]*):[^@/]*@#\1:***@#')
    echo "Tests run on the database in DATABASE_URL ($shown); no throwaway cluster started."
else
    pg_bin=$(find_pg_bin)
    if [ -n "$pg_bin" ]; then
        start_postgres
    else
        echo "PostgreSQL is not installed: running the tests on SQLite. Install postgresql to test on the production database."
        mkdir -p "${VAR_DIR:-var}"  # settings keep the SQLite file there; makemigrations opens it
    fi
fi

chromium=""
if [ -n "${CHROMIUM_PATH:-}" ] && [ -x "$CHROMIUM_PATH" ]; then
    chromium=$CHROMIUM_PATH
elif [ -x /usr/bin/chromium ]; then
    chromium=/usr/bin/chromium
else
    chromium=$(command -v chromium || command -v chromium-browser || true)
fi
if [ -n "$chromium" ]; then
    export CHROMIUM_PATH="$chromium"
else
    unset CHROMIUM_PATH
    echo "Chromium is not installed: browser tests cannot run (install the chromium package)."
fi

if ! "$PY" manage.py makemigrations --check --dry-run; then
    echo "scripts/test.sh: 'manage.py makemigrations --check' failed: a model change has no migration" \
        "(run 'python manage.py makemigrations') or the migrations themselves are broken (see above)." >&2
    exit 1
fi

status=0
"$PY" -m pytest "$@" || status=$?
if [ "$status" -eq 5 ]; then
    echo "scripts/test.sh: pytest collected no tests (exit code 5); that counts as a failure." >&2
    exit 1
fi
exit "$status"
